"""Table 1: every analytic claim of the paper (Sections 2-3) measured on the data, and its check."""
