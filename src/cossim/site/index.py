"""The site's first page: the verdict scorecard, its sentences generated from it, and the tables
of contents.

Every count and verdict on the page is read from ``scorecard.csv`` (checked by rule
``check_scorecard``); numbers are shown to 3 significant digits, an undefined one as
"undefined".
"""

from __future__ import annotations

import math

from .scorecard import LEVEL_TOLERANCE, VERDICTS

PAPER = "https://arxiv.org/abs/2403.05440"
KINDS = ("Figure 1 panel", "Table 1 claim", "conclusion on real data (MovieLens 100k)")
KIND_TITLES = {
    "Figure 1 panel": "Figure 1, panel by panel",
    "Table 1 claim": "The analytic claims (Table 1)",
    "conclusion on real data (MovieLens 100k)": "The conclusions on real data (MovieLens 100k)",
}


def shown(value: str) -> str:
    """A number of the scorecard as a reader sees it: 3 significant digits, NaN as 'undefined'."""
    number = float(value) if value not in ("", None) else math.nan
    return "undefined" if math.isnan(number) else f"{number:.3g}"


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def plural(count: int, word: str) -> str:
    """``1 row``, ``2 rows``."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def verdict_counts(rows: list[dict]) -> str:
    """How many rows have each verdict, in words ("27 reproduced, 2 partly reproduced and 1 not
    reproduced"; verdicts with no row left out)."""
    counts = [(verdict, sum(row["verdict"] == verdict for row in rows)) for verdict in VERDICTS]
    parts = [f"{count} {verdict}" for verdict, count in counts if count]
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]


def summary_sentence(rows: list[dict]) -> str:
    """How many rows have each verdict, as one sentence."""
    return f"Of the {plural(len(rows), 'verdict')} below: {verdict_counts(rows)}."


KIND_NOUNS = {"Figure 1 panel": "panel", "Table 1 claim": "claim",
              "conclusion on real data (MovieLens 100k)": "conclusion"}


def kind_sentence(kind: str, rows: list[dict]) -> str:
    """One sentence per group of rows: how many of them have each verdict."""
    return f"Of the {plural(len(rows), KIND_NOUNS[kind])}: {verdict_counts(rows)}."


def table(rows: list[dict], page_link) -> list[str]:
    """The rows of one group as a Markdown table; ``page_link(evidence)`` gives each row's link."""
    lines = ["| verdict | what | number | meaning of the number | evidence |", "| --- | --- | --- | --- | --- |"]
    for row in rows:
        lines.append(f"| **{row['verdict']}** | {cell(row['subject'])} | {shown(row['number'])} | "
                     f"{cell(row['number_meaning'])} | {page_link(row['evidence'])} |")
    return lines


def rules_text() -> list[str]:
    """The verdict rules, as stated in :mod:`cossim.site.scorecard`."""
    return [
        "How a verdict is reached (rule `scorecard`; rule `check_scorecard` recomputes every row by another "
        "route and fails the run on a difference):",
        "",
        "- A Figure 1 panel is *reproduced* when its pattern (the paper's description of the panel, tested "
        "by the Figure 1 check) holds and its mean absolute block error against the digitised published "
        f"figure is at most {LEVEL_TOLERANCE:g} on the [0, 1] colour scale; *partly reproduced* when the "
        "pattern holds and the levels differ by more; *not reproduced* when the pattern fails; *not testable "
        "here* on data with no published figure.",
        "- A Table 1 claim is *reproduced* when its measured value meets its tolerance, *not reproduced* when "
        "it does not, *not testable here* when the data cannot test it.",
        "- A conclusion on real data is *reproduced* when it holds; *partly reproduced* when some but not all "
        "of its parts hold; *not reproduced* otherwise.",
    ]


def index_page(rows: list[dict], dataset: str, chapters: dict[str, list[str]], page_link,
               scorecard_download: str, figure: str | None = None, levels: str | None = None) -> str:
    """The Markdown of ``index.md``.

    Parameters
    ----------
    rows : list of dict
        ``scorecard.csv`` as read.
    dataset : str
        The configured data set.
    chapters : dict of str to list of str
        ``{caption: pages}`` of the tables of contents, in order.
    page_link : callable
        ``page_link(evidence) -> str``: the Markdown link of a row's evidence.
    scorecard_download : str
        The staged path of the scorecard CSV.
    figure : str, optional
        The staged path of this run's Figure 1, shown under the summary.
    levels : str, optional
        The staged path of the block levels of the digitised published Figure 1 beside ours.
    """
    lines = [
        "# Is cosine similarity of embeddings really about similarity? A checked replication",
        "",
        f"This site replicates Steck, Ekanadham & Kallus, [arXiv:2403.05440]({PAPER}) (WWW 2024 Companion), "
        f"on data set `{dataset}`, and opens with its verdicts. Every page, number and figure was made by this "
        "run of the workflow.",
        "",
        summary_sentence(rows),
        "",
    ]
    if figure:
        lines += [f"![Figure 1 of this run: the five item-item cosine matrices]({figure})", ""]
    if levels:
        lines += ["The published Figure 1, digitised, beside ours: each cluster block at its mean colour level "
                  "(the Figure 1 verdicts below compare these levels).", "",
                  f"![Block levels of the published Figure 1 and of ours]({levels})", ""]
    lines += rules_text() + [""]
    for kind in KINDS:
        group = [row for row in rows if row["kind"] == kind]
        if not group:
            continue
        lines += [f"## {KIND_TITLES[kind]}", "", kind_sentence(kind, group), ""] + table(group, page_link) + [""]
    lines += [f"The scorecard as a table: {{download}}`scorecard.csv <{scorecard_download}>`.", ""]
    for caption, pages in chapters.items():
        lines += ["```{toctree}", f":caption: {caption}", ":maxdepth: 1", "", *pages, "```", ""]
    return "\n".join(lines)
