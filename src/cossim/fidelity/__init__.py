"""Figure 1 fidelity: which readings of the paper's unstated choices reproduce the published figure.

Modules
-------
grid       The calibration grid: readings, their names and simulation settings (standard library).
cell       One reading x seed: simulate, solve, draw the model panels, score them, scan them.
ranking    The sweep's table, the ranking, the default's gap to the best (Welch's t-test).
tables     Summary tables of the ranking for the figure, the notebook and the docs.
checks     What the study's artifacts must satisfy, and the paper's message in numbers.
plots      The fidelity figure.
artifacts  The files the study writes.
"""
