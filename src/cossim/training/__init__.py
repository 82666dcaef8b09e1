"""Table 2: Eq. 1 and Eq. 2 trained by L-BFGS from random starts, compared with the closed forms."""
