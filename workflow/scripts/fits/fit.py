"""Rule fit: closed-form solution of Eq. 1 (Eq. 5) or Eq. 2 (Eq. 6)."""

from cossim.io import load_interactions, save_npz
from cossim.logs import logged_to
from cossim.model.solve import SOLVERS, fit_arrays, top_right_singular_spectrum

with logged_to(snakemake.log[0]) as log:
    X = load_interactions(snakemake.input.interactions)
    spectrum = top_right_singular_spectrum(X, snakemake.params.rank)
    fit = SOLVERS[snakemake.wildcards.objective](spectrum, snakemake.params.lam)
    log.info("%s, lambda=%g, k=%d: sigma_1=%.4g, sigma_k=%.4g", fit.objective, fit.lam,
             spectrum.sigma.size, spectrum.sigma[0], spectrum.sigma[-1])
    save_npz(snakemake.output.fit, fit_arrays(fit))
