"""Figure 1 fidelity: which readings of the paper's unstated choices reproduce the published figure.

Modules
-------
grid       The calibration grid: readings, their names and simulation settings (standard library).
cell       One reading x seed: simulate, solve, draw the model panels, score them, scan them.
scoring    The ranking score (blocks and popularity profiles combined) and the gradient signs.
ordering   Panel 4 against panel 2: the ordering proposition, measured per cell.
ranking    The sweep's table and the ranking.
gap        The default's gap to the best (Welch's t-test).
tables     Summary tables of the ranking for the figure, the notebook and the docs.
checks     What the study's artifacts must satisfy, and the paper's message in numbers.
table_checks  Every table rebuilt from the cells; cell_checks: the first cell recomputed from its data.
plots      The fidelity figure.
artifacts  The files the study writes.
"""
