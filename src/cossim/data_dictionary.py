"""The data dictionary: every column of every CSV table the workflow writes, defined once.

The CSVs keep full precision; pages show three significant digits. A table is named by its
artifact (``<study>.<key>`` of the study's ``artifacts.py``); a column by its name or, where the
name is built from a panel, a reading choice, a genre or a data set, by a pattern. Code keys in a
table's key columns (``panel``, ``scaling``, ...) are defined by :mod:`cossim.vocabulary`, whose
names the ``label`` columns carry. :func:`markdown` renders the dictionary as a page;
:func:`undefined_columns` names a column that no entry defines (a test runs it on a whole run).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .fidelity.grid import FACTOR_LABELS
from .site.artifacts import STUDY as SITE_STUDY
from .vocabulary import PANEL_NAMES, READING_CHOICE_NAMES

MODEL_PANEL = "(?P<panel>eq1_B_Vk_g_half|eq1_B_Vk_sigma2|eq1_B_Vk|eq2_unique)"
PANEL_KEYS = ", ".join(f"`{key}` ({name})" for key, name in PANEL_NAMES.items())
AUC = "area under the ROC curve of the cosines separating same-cluster from different-cluster item pairs i < j (0.5: chance, 1: perfect)"
PRECISION = "mean over items of the share of same-cluster items among the k items of highest cosine"
SPEARMAN = "Spearman rank correlation between the cosines and the same-cluster indicator over item pairs"
LEVEL_ERROR = "mean absolute difference between our colour levels and the published figure's"


@dataclass(frozen=True)
class Column:
    """One column (or a family of columns, by pattern) of a table."""

    shown: str
    pattern: str
    definition: str
    unit: str = ""

    def matches(self, name: str) -> bool:
        return re.fullmatch(self.pattern, name) is not None


def col(name: str, definition: str, unit: str = "") -> Column:
    """A column of one fixed name."""
    return Column(f"`{name}`", re.escape(name), definition, unit)


def family(shown: str, pattern: str, definition: str, unit: str = "") -> Column:
    """Columns whose names follow ``pattern`` (shown to the reader as ``shown``)."""
    return Column(shown, pattern, definition, unit)


SCORES = (col("auc", AUC, "[0, 1]"), family("`precision_at_<k>`", r"precision_at_\d+", PRECISION + " (k from the config)", "[0, 1]"),
          col("spearman", SPEARMAN, "[-1, 1]"))
INTERVAL = (col("auc_low", "low end of the 95 % bootstrap interval of the AUC", "[0, 1]"),
            col("auc_high", "high end of the 95 % bootstrap interval of the AUC", "[0, 1]"))
LABEL = col("label", "the reader's name of the row's key (cossim.vocabulary)")
PANEL = col("panel", f"Figure 1's panel, by its code key: {PANEL_KEYS}")

TABLES = {
    "data.items": ("The items of a data set", (
        col("item", "item index, the column of X", "0 .. n_items - 1"),
        col("cluster", "ground-truth cluster of the item (MovieLens: its primary genre)", "0 .. n_clusters - 1"),
        col("popularity", "the item's popularity weight in the simulation (own data: its share of interactions)", "> 0"),
    )),
    "data.item_ids": ("Item ids of imported data", (
        col("item", "item index, the column of X"), col("source_id", "the item's id in the imported file"))),
    "movielens.genres": ("MovieLens films and their genres", (
        col("item", "item index, the column of X"), col("movielens_id", "the film's id in MovieLens 100k"),
        family("`<genre>`", r"(?!item$|movielens_id$).+", "1 when the film has this genre, else 0", "0 or 1"))),
    "figure1.published": ("Figure 1 against the published figure, block by block", (
        PANEL,
        *(col(name, f"mean colour level {where}, ours", "[0, 1]") for name, where in (
            ("within_large", "within the three large clusters"), ("between_large", "between the three large clusters"),
            ("within_small", "within the two small clusters"))),
        *(col(f"published_{name}", f"mean colour level {where}, digitised from the published figure", "[0, 1]")
          for name, where in (("within_large", "within the three large clusters"),
                              ("between_large", "between the three large clusters"),
                              ("within_small", "within the two small clusters"))),
        col("mean_abs_error", LEVEL_ERROR + ", over all cluster blocks", "[0, 1]"),
        col("worst_abs_error", "largest absolute difference of one cluster block's level from the published one", "[0, 1]"),
    )),
    "claims.table": ("Table 1: the paper's analytic claims measured", (
        col("id", "claim identifier (number and letter, then a short name)"),
        col("where", "where the paper makes the claim"), col("claim", "the claim in words"),
        col("data", "the data and rank it is measured on"), col("quantity", "what is measured"),
        col("measured", "the measured value"), col("comparison", "how the measured value must compare with the tolerance"),
        col("tolerance", "the bound the measured value is compared with"),
        col("pass", "true, false, or why the claim cannot be tested on this data"),
    )),
    "training.table": ("Table 2: L-BFGS training from random starts against the closed forms", (
        col("objective", "the objective trained: eq1 (Eq. 1) or eq2 (Eq. 2)"),
        col("init_scale", "column norm of the random start"), col("run", "number of the run at this scale"),
        col("iterations", "L-BFGS iterations used"), col("converged", "whether L-BFGS reported convergence"),
        col("objective_gap", "(f(trained) - f(closed)) / f(closed), relative", ">= 0 up to rounding"),
        col("product_distance", "||A B^T - A* B*^T||_F / ||A* B*^T||_F: distance of the predictions from the closed form's", ">= 0"),
        col("d_spread", "max d / min d of the re-scaling D the trained model implies (1: no change of cosines)", ">= 1"),
        col("d_off_diagonal", "relative off-diagonal part of the implied scaling (0: the paper's form B D^-1)", ">= 0"),
        col("outside_span", "||B - V_k V_k^T B||_F / ||B||_F (0 at any optimum)", ">= 0"),
        col("cosine_max_abs_diff", "largest |cos(trained) - cos(closed form)| over item pairs", "[0, 2]"),
        col("cosine_mean_abs_diff", "mean |cos(trained) - cos(closed form)| over item pairs", "[0, 2]"),
    )),
    "recovery.table3": ("Table 3: cluster recovery by panel, per seed and summarised", (
        col("panel", f"the panel, by its code key: {PANEL_KEYS}"), LABEL,
        col("seed", "the seed of the simulated data set, or all on a summary row"),
        col("statistic", "value (one seed), or over all seeds the mean and the ends of its 95 % Student-t interval (ci95_low, ci95_high)"), *SCORES,
    )),
    "recovery.table4": ("Table 4: the paper's remedies, over random re-scalings D", (
        col("method", "the approach, by its code key (cossim.vocabulary.REMEDY_NAMES)"), LABEL,
        col("seed", "the seed of the simulated data set, or all on a summary row"),
        col("statistic", "value (one seed), or over all seeds the mean and the ends of its 95 % Student-t interval (ci95_low, ci95_high)"), *SCORES,
        *(col(f"{score}_range_over_d", f"max - min of the {score} over the re-scalings D", "[0, 1]")
          for score in ("auc", "spearman")),
        family("`precision_at_<k>_range_over_d`", r"precision_at_\d+_range_over_d",
               "max - min of the precision@k over the re-scalings D", "[0, 1]"),
        col("auc_min_over_d", "lowest AUC over the re-scalings D", "[0, 1]"),
        col("auc_max_over_d", "highest AUC over the re-scalings D", "[0, 1]"),
    )),
    "recovery.user_auc": ("User-user cosines: how well they recover the users' main cluster", (
        col("scaling", "the re-scaling, by its code key (cossim.vocabulary.SCALING_NAMES)"), LABEL, *SCORES)),
    "fidelity.table": ("The fidelity grid: every reading, seed and colour range against the published figure", (
        col("reading", "the reading: one value for each choice the paper leaves unstated (its choices follow)"),
        *(col(label, f"the reading's choice of {key.replace('_', ' ')} ({READING_CHOICE_NAMES[key].format('…')})")
          for key, label in FACTOR_LABELS.items()),
        col("seed", "seed of the simulation"), col("colour_range", "fixed ([0, 1]) or autoscale colour levels"),
        col("overall", "the ranking error: blocks and within-cluster profiles weighted alike, over panels 2, 3 and 5", "[0, 1]"),
        col("block_overall", LEVEL_ERROR + " of the cluster blocks, over panels 2, 3 and 5", "[0, 1]"),
        col("profile_overall", LEVEL_ERROR + " of the within-cluster popularity profiles, over panels 2, 3 and 5", "[0, 1]"),
        col("gradient_signs_right", "how many (panel, large cluster) pairs have the published sign of the popularity gradient", "count"),
        col("all_panels_mean", LEVEL_ERROR + " of the blocks, over the four model panels", "[0, 1]"),
        col("worst_panel_mean", "the largest block error of one model panel", "[0, 1]"),
        family("`<panel>_mean_abs`", MODEL_PANEL + "_mean_abs", LEVEL_ERROR + " of one panel's cluster blocks", "[0, 1]"),
        family("`<panel>_worst_abs`", MODEL_PANEL + "_worst_abs", "largest block error of one panel", "[0, 1]"),
        family("`<panel>_profile_mean_abs`", MODEL_PANEL + "_profile_mean_abs", LEVEL_ERROR + " of one panel's popularity profiles", "[0, 1]"),
        family("`<panel>_profile_worst_abs`", MODEL_PANEL + "_profile_worst_abs", "largest profile error of one panel", "[0, 1]"),
        family("`<panel>_gradient_c<n>`", MODEL_PANEL + r"_gradient_c\d+",
               "popularity gradient inside large cluster n: the level of its popular corner minus that of its unpopular one", "[-1, 1]"),
        col("sigma1", "largest singular value of X", "> 0"),
        col("sigma1_over_sigma2", "ratio of the two largest singular values of X", ">= 1"),
        col("panel4_first_share", "sigma_1^4 / sum of sigma_i^4: the leading direction's share of panel 4's weights "
            "(undefined when every sigma is 0)", "[0, 1]"),
        col("qualitative_pattern_holds", "whether rule check_figure1's qualitative pattern checks pass on this cell"),
        col("n_interactions", "number of interactions (non-zero entries of X)", "count"),
    )),
    "fidelity.averaged": ("The fidelity ranking: each reading and colour range, averaged over the seeds", (
        col("rank", "rank by the ranking error, 1 = closest to the published figure"),
        col("reading", "the reading (see the fidelity grid)"), col("colour_range", "fixed ([0, 1]) or autoscale colour levels"),
        col("default", "whether this is the default configuration's reading"), col("seeds", "number of seeds averaged"),
        col("overall", "the ranking error, averaged over seeds", "[0, 1]"),
        col("overall_seed_sd", "sample standard deviation of the ranking error over the seeds", ">= 0"),
        col("block_overall", LEVEL_ERROR + " of the cluster blocks, over panels 2, 3 and 5", "[0, 1]"),
        col("profile_overall", LEVEL_ERROR + " of the popularity profiles, over panels 2, 3 and 5", "[0, 1]"),
        col("gradient_signs_right", "(panel, large cluster) pairs with the published sign of the popularity gradient", "count"),
        family("`<panel>_mean_abs`", MODEL_PANEL + "_mean_abs", LEVEL_ERROR + " of one panel's blocks", "[0, 1]"),
        family("`<panel>_profile_mean_abs`", MODEL_PANEL + "_profile_mean_abs", LEVEL_ERROR + " of one panel's profiles", "[0, 1]"),
        col("sigma1_over_sigma2", "ratio of the two largest singular values of X", ">= 1"),
    )),
    "fidelity.panels": ("The fidelity study per panel: best, default and lowest error", (
        col("panel", "Figure 1's panel number", "2 .. 5"), col("key", f"the panel's code key: {PANEL_KEYS}"),
        *(col(f"{who}_{what}", f"{whose} {meaning}", "[0, 1]")
          for who, whose in (("best", "the best reading's"), ("default", "the default reading's"))
          for what, meaning in (("mean_abs", "block error of this panel"), ("worst_abs", "largest block error of this panel"),
                                ("profile_mean_abs", "profile error of this panel"))),
        col("best_seed_spread", "the best reading's spread of this panel's block error over the seeds", ">= 0"),
        col("lowest_mean_abs", "the lowest block error of this panel over the grid", "[0, 1]"),
        col("lowest_reading", "the reading with the lowest block error of this panel"),
        col("lowest_colour_range", "its colour range"),
        col("lowest_profile_mean_abs", "the lowest profile error of this panel over the grid", "[0, 1]"),
        col("lowest_profile_reading", "the reading with the lowest profile error of this panel"),
        col("lowest_profile_colour_range", "its colour range"),
        family("`<who>_gradient_c<n>`", r"(published|best|default)_gradient_c\d+",
               "popularity gradient inside large cluster n (published, best reading, default reading)", "[-1, 1]"),
    )),
    "fidelity.scans": ("Panel scans: other weightings of one panel's embeddings", (
        col("panel", "Figure 1's panel number"), col("weighting", "the item embeddings' weighting tried"),
        col("best", "its block error under the best reading", "[0, 1]"),
        col("default", "its block error under the default reading", "[0, 1]"),
    )),
    "movielens.recovery": ("Genre recovery on MovieLens, with bootstrap intervals", (
        col("panel", f"the panel, by its code key: {PANEL_KEYS}"), LABEL, col("auc", AUC.replace("cluster", "genre"), "[0, 1]"),
        *INTERVAL, col("precision", PRECISION.replace("cluster", "genre") + " (k = 10)", "[0, 1]"),
        col("precision_low", "low end of the precision's 95 % interval", "[0, 1]"),
        col("precision_high", "high end of the precision's 95 % interval", "[0, 1]"),
        col("spearman", SPEARMAN.replace("same-cluster", "shared-genre"), "[-1, 1]"),
        col("spearman_low", "low end of the Spearman correlation's 95 % interval", "[-1, 1]"),
        col("spearman_high", "high end of the Spearman correlation's 95 % interval", "[-1, 1]"),
        col("replicates", "number of bootstrap resamples of the users"),
    )),
    "movielens.remedies": ("The remedies on MovieLens, over random re-scalings D", (
        col("approach", "the approach, by its code key (cossim.vocabulary.REMEDY_NAMES)"), LABEL,
        col("auc", "AUC at D = I", "[0, 1]"), col("auc_min", "lowest AUC over D", "[0, 1]"),
        col("auc_max", "highest AUC over D", "[0, 1]"), col("auc_spread", "auc_max - auc_min", "[0, 1]"),
        col("precision", "precision@10 at D = I", "[0, 1]"), col("precision_spread", "range of the precision@10 over D", "[0, 1]"),
    )),
    "movielens.d_sweep": ("The D sweep on MovieLens", (
        col("family", "the family of re-scalings (cossim.vocabulary.FAMILY_NAMES)"), col("t", "the family's exponent"),
        col("auc", "AUC against genres", "[0, 1]"), col("precision", "precision@10 against genres", "[0, 1]"),
    )),
    "movielens.binarisations": ("Genre recovery under the two binarisations of the ratings", (
        col("panel", f"the panel, by its code key: {PANEL_KEYS}"), LABEL,
        family("`auc_<data set>`", r"auc_(?!low_|high_).+", "AUC against genres on that data set", "[0, 1]"),
        family("`auc_low_<data set>`", r"auc_low_.+", "low end of its 95 % interval", "[0, 1]"),
        family("`auc_high_<data set>`", r"auc_high_.+", "high end of its 95 % interval", "[0, 1]"),
        col("intervals_overlap", "yes when the two data sets' intervals overlap, else no"),
    )),
    "site.scorecard": ("The verdict scorecard of the front page", (
        col("row", "row number"), col("kind", "what the row judges: a Figure 1 panel, a Table 1 claim or a conclusion on real data"),
        col("subject", "the panel, claim or conclusion"),
        col("verdict", "reproduced, partly reproduced, not reproduced, or not testable here"),
        col("number", "the number behind the verdict"), col("number_meaning", "what that number is"),
        col("evidence", "where the evidence is"),
    )),
}
"""Every CSV artifact's title and columns, by ``<study>.<key>``."""


def csv_artifacts() -> dict[str, str]:
    """``{<study>.<key>: path pattern}`` of every CSV artifact of the registry."""
    return {f"{study.name}.{key}": pattern for study in paths.studies()
            for key, pattern in study.files.items() if pattern.endswith(".csv")}


def table_of(path: str) -> str | None:
    """The ``<study>.<key>`` whose pattern matches ``path`` (relative to the clone), or None."""
    for name, pattern in csv_artifacts().items():
        if paths.pattern_regex(pattern).fullmatch(path):
            return name
    return None


def header(path: Path) -> list[str]:
    """The column names of a CSV file."""
    with open(path, newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle), [])


def definition(table: str, column: str) -> Column | None:
    """The entry defining ``column`` of ``table``, or None."""
    return next((entry for entry in TABLES.get(table, ((), ()))[1] if entry.matches(column)), None)


def undefined_columns(results_root: Path) -> list[str]:
    """Every CSV under ``results_root`` (the ``results`` directory) that the dictionary does not
    know, and every column it does not define, as "path: column" (or "path: no table"). The site's
    downloads are copies of tables defined here, and are not listed."""
    missing = []
    for path in sorted(Path(results_root).rglob("*.csv")):
        relative = f"{paths.RESULTS}/{path.relative_to(results_root).as_posix()}"
        if relative.startswith(SITE_STUDY.files["site"] + "/"):
            continue
        table = table_of(relative)
        if table not in TABLES:
            missing.append(f"{relative}: no table")
            continue
        missing += [f"{relative}: {column}" for column in header(path) if definition(table, column) is None]
    return missing


def markdown(results_root: Path, datasets: list[str], files: set[str] | None = None) -> str:
    """The data dictionary as a Markdown page: each table that exists for one of ``datasets``, its
    files and its columns (a table is defined once, whichever data sets have it).

    Parameters
    ----------
    results_root : Path
        The ``results`` directory of a run (its artifacts are ``results_root / <path below results/>``).
    datasets : list of str
        The data sets whose tables are described (``paper``, ``movielens``, ...).
    files : set of str, optional
        Only these files are described (paths as the registry writes them, ``results/...``): a
        rule reads only what it declares. All that exist by default.

    Returns
    -------
    str

    Raises
    ------
    FileNotFoundError
        When no table is found: an empty dictionary is never written.
    """
    names = ", ".join(f"`{dataset}`" for dataset in datasets)
    lines = ["# Data dictionary", "",
             "The CSVs keep full precision; pages show three significant digits. Every column of every table "
             f"of the data sets {names} is defined here; an undefined value (the cosine of an item without "
             "interactions) is stored as NaN and left out of every score.", ""]
    for name, pattern in csv_artifacts().items():
        if name not in TABLES:
            continue
        found = [relative for relative in dict.fromkeys(pattern.format(dataset=dataset) for dataset in datasets)
                 if "{" not in relative and (files is None or relative in files)
                 and (Path(results_root) / Path(relative).relative_to(paths.RESULTS)).exists()]
        if not found:
            continue
        title, columns = TABLES[name]
        present = {column for relative in found
                   for column in header(Path(results_root) / Path(relative).relative_to(paths.RESULTS))}
        lines += [f"## {title}", "", ", ".join(f"`{relative}`" for relative in found), "",
                  "| column | definition | unit or range |", "| --- | --- | --- |"]
        lines += [f"| {entry.shown} | {entry.definition} | {entry.unit} |".replace("||", "\\|\\|")
                  for entry in columns if any(entry.matches(column) for column in present)]
        lines.append("")
    if not any(line.startswith("## ") for line in lines):
        raise FileNotFoundError(f"the data dictionary found no table of data sets {names} under {results_root}")
    return "\n".join(lines)
