"""Rule check_figure1: fail the workflow if Figure 1's data or its published comparison is wrong."""

import numpy as np

from cossim.checking import at_least, run_checks
from cossim.figure1.checks import (
    check_colour_range_shows_the_panels,
    check_display_order,
    check_published_comparison,
    check_recomputation,
    check_stationarity,
    panels_from_spectrum,
    spectrum_certificate,
)
from cossim.figure1.undefined import check_undefined_cosines
from cossim.io import load_interactions, load_items, load_table_csv
from cossim.logs import logged_to
from cossim.model.panels import SKIPPED_TRUTH_NOTE, has_ground_truth
from cossim.model.solve import gram_matrix
from cossim.published import check_qualitative_pattern, load_published_levels

with logged_to(snakemake.log[0]) as log:
    params = snakemake.params
    X = load_interactions(snakemake.input.interactions)
    item_cluster, popularity = load_items(snakemake.input.item_table)
    with np.load(snakemake.input.matrices) as stored:
        saved = dict(stored)
    fits = {}
    for name in ("eq1", "eq2"):
        with np.load(snakemake.input[name]) as stored:
            fits[name] = dict(stored)
    # The fits' spectrum, certified from X by sparse products and ARPACK (no Gram matrix, no eigh),
    # then every panel's formula written out on it.
    sigma, V = fits["eq1"]["sigma"], fits["eq1"]["V_k"]
    same_spectrum = all(
        np.array_equal(fits["eq2"][key], fits["eq1"][key]) for key in ("sigma", "V_k")
    ) and sigma.shape == (params.rank,)
    certificate = spectrum_certificate(X, sigma, V) + [
        at_least("fits_share_the_spectrum", "both fits hold the same rank-k spectrum", float(same_spectrum), 1.0)
    ]
    reference = panels_from_spectrum(sigma, V, saved["order"], params.eq1_lambda, params.eq2_lambda)
    colour_range = None if params.colour_range is None else tuple(params.colour_range)
    comparison = load_table_csv(snakemake.input.comparison)
    truth = has_ground_truth(item_cluster)
    mathematics = (
        check_display_order(saved["order"], item_cluster, popularity)
        + certificate
        + check_recomputation(saved, reference, item_cluster, params.tolerance)
        + check_undefined_cosines(saved, X)
        + check_stationarity(gram_matrix(X), fits)
        + check_colour_range_shows_the_panels(saved, colour_range)
    )
    if truth:
        mathematics += check_published_comparison(
            comparison, saved, item_cluster[saved["order"]], colour_range,
            load_published_levels(snakemake.input.published),
        )
    claims = check_qualitative_pattern(saved, item_cluster) if truth else []
    notes = [] if truth else [SKIPPED_TRUTH_NOTE, "Block-pattern claims skipped: they need ground-truth clusters"]
    if claims and not params.enforce_claims:
        notes.append("Block-pattern claims are reported, not enforced, on data other than the paper's simulation")
    for note in notes:
        log.info("note: %s", note)
    run_checks(
        mathematics + claims, log, f"Figure 1 check (see {snakemake.log[0]})", snakemake.output.report,
        enforced=mathematics + (claims if params.enforce_claims else []), notes=notes,
    )
