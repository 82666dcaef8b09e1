"""Rule fidelity_cell: one reading x seed of the Figure 1 calibration sweep -> JSON."""

from cossim.fidelity.cell import evaluate_reading, spec_from_settings
from cossim.io import save_json
from cossim.logs import logged_to
from cossim.published import load_published_levels
from cossim.published_profiles import load_published_profiles

with logged_to(snakemake.log[0]) as log:
    params = snakemake.params
    spec = spec_from_settings(params.simulation)
    seed = int(snakemake.wildcards.seed)
    log.info("reading %s, seed %d: %s", snakemake.wildcards.reading, seed, spec)
    cell = evaluate_reading(
        spec,
        seed,
        params.rank,
        params.eq1_lambda,
        params.eq2_lambda,
        dict(params.colour_ranges),
        load_published_levels(snakemake.input.published),
        load_published_profiles(snakemake.input.published_profiles),
    )
    for name, result in cell["colour_ranges"].items():
        log.info("%s: all panels %.4f (profiles %.4f), %s", name, result["all_panels"], result["all_panels_profile"],
                 {key: round(score["mean_abs"], 4) for key, score in result["scores"].items()})
    cell.update(reading=snakemake.wildcards.reading, choices=dict(params.choices))
    save_json(snakemake.output.cell, cell)
