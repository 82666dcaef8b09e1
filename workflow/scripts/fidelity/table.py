"""Rule fidelity_table: the sweep's cells -> fidelity.csv, the best reading and the summary tables."""

from cossim.fidelity.ranking import best_reading_summary, table_columns, table_rows
from cossim.fidelity.tables import (
    AVERAGED_COLUMNS,
    PANEL_COLUMNS,
    SCAN_COLUMNS,
    averaged_rows,
    panel_rows,
    scan_rows,
)
from cossim.io import load_json, save_csv, save_json
from cossim.logs import logged_to
from cossim.published_profiles import load_published_profiles

with logged_to(snakemake.log[0]) as log:
    cells = []
    for path in snakemake.input.cells:
        cells.append(load_json(path))
    ranked = list(snakemake.params.ranked_panels)
    profiles = load_published_profiles(snakemake.input.published_profiles)
    rows = [row for cell in cells for row in table_rows(cell["reading"], cell["choices"], cell, profiles, ranked)]
    save_csv(snakemake.output.table, table_columns(snakemake.params.factors), rows)
    summary = best_reading_summary(
        cells, rows, dict(snakemake.params.default_choices), snakemake.params.default_colour_range,
        dict(snakemake.params.colour_ranges), ranked,
    )
    log.info("best: %s with colour range %s (overall %.4f: blocks %.4f, profiles %.4f); default config ranks %s",
             summary["best"]["reading"], summary["best"]["colour_range"], summary["best"]["overall"],
             summary["best"]["block_overall"], summary["best"]["profile_overall"], summary["default"]["rank"])
    save_json(snakemake.output.best, summary)
    save_csv(snakemake.output.averaged, AVERAGED_COLUMNS, averaged_rows(rows, summary))
    save_csv(snakemake.output.panels, PANEL_COLUMNS, panel_rows(summary, profiles))
    save_csv(snakemake.output.scans, SCAN_COLUMNS, scan_rows(summary))
