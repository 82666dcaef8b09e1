"""Rule fidelity_reading: one reading of the Figure 1 calibration sweep with each seed -> a JSON cell each."""

from cossim.fidelity.cell import evaluate_reading, spec_from_settings
from cossim.io import save_json
from cossim.logs import logged_to
from cossim.published import load_published_levels
from cossim.published_profiles import load_published_profiles

with logged_to(snakemake.log[0]) as log:
    params, reading = snakemake.params, snakemake.wildcards.reading
    spec = spec_from_settings(params.simulation)
    published = load_published_levels(snakemake.input.published)
    profiles = load_published_profiles(snakemake.input.published_profiles)
    for seed, path in zip(params.seeds, snakemake.output.cells, strict=True):
        log.info("reading %s, seed %d: %s", reading, seed, spec)
        cell = evaluate_reading(spec, int(seed), params.rank, params.eq1_lambda, params.eq2_lambda,
                                dict(params.colour_ranges), published, profiles)
        for name, result in cell["colour_ranges"].items():
            log.info("%s: all panels %.4f (profiles %.4f), %s", name, result["all_panels"],
                     result["all_panels_profile"],
                     {key: round(score["mean_abs"], 4) for key, score in result["scores"].items()})
        cell.update(reading=reading, choices=dict(params.choices))
        save_json(path, cell)
