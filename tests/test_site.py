"""The site study: the scorecard's verdict rules and their check, the page detectors (each shown
to fire on a bad page), and the site of the small run parsed page by page."""

from __future__ import annotations

import csv
import functools
import json
import math
import re
from pathlib import Path

import pytest

from cossim import paths
from cossim.site import pages, scorecard
from cossim.site.index import index_page, shown
from cossim.site.scorecard_check import compare, expected_claims, expected_conclusions, expected_figure1

REPO = Path(__file__).resolve().parents[1]
SITE = paths.study("site")


def soup(html: str):
    return pages.parse(f"<html><body>{html}</body></html>")


# The detectors, each fed a bad page.


def test_table_as_text_fires_on_a_paragraph_of_pipes():
    bad = soup("<p>| verdict | check |\n| --- | --- |\n| pass | a ||X v|| b |</p>")
    assert pages.tables_as_text(bad)
    assert pages.tables_as_text(soup("<p>| a | b |\n| 1 | 2 |</p>"))
    assert not pages.tables_as_text(soup("<table><tr><td>a</td></tr></table><p>a | b</p>"))
    assert not pages.tables_as_text(soup("<pre>| a | b |\n| --- | --- |</pre>"))


def test_nan_fires_on_a_shown_nan_only():
    assert pages.nan_shown(soup("<td>nan</td>"))
    assert pages.nan_shown(soup("<p>error: blocks nan, profiles nan</p>"))
    assert not pages.nan_shown(soup("<p>stored as NaN</p><p>a nanny</p><code>np.nan</code>"))
    assert not pages.nan_shown(soup("<script>var x = nan;</script>"))


def test_broken_links_fire_on_a_missing_file_image_or_anchor(tmp_path):
    (tmp_path / "a.html").write_text('<h1 id="top">A</h1>')
    page = tmp_path / "index.html"
    good = soup('<a href="a.html#top">a</a><a href="#here" id="here">b</a><a href="https://x.org/y">c</a>')
    assert pages.broken_links(good, page, tmp_path) == []
    assert pages.broken_links(soup('<a href="b.html">b</a>'), page, tmp_path) == ["b.html"]
    assert pages.broken_links(soup('<img src="img/x.png">'), page, tmp_path) == ["img/x.png"]
    assert pages.broken_links(soup('<a href="a.html#nowhere">a</a>'), page, tmp_path) == ["a.html#nowhere"]
    assert pages.broken_links(soup('<a href="#gone">a</a>'), page, tmp_path) == ["#gone"]
    assert pages.broken_links(soup('<a href="../outside.html">o</a>'), page, tmp_path) == ["../outside.html"]


def test_network_assets_fire_on_a_remote_script_stylesheet_or_image():
    assert pages.network_assets(soup('<script src="https://cdn.example/mathjax.js"></script>'))
    assert pages.network_assets(soup('<link rel="stylesheet" href="//fonts.example/a.css">'))
    assert pages.network_assets(soup('<img src="http://example.org/a.png">'))
    assert not pages.network_assets(soup('<script src="_static/a.js"></script><a href="https://arxiv.org">p</a>'))


def test_unknown_names_fire_on_an_unknown_rule_or_results_file():
    rules = pages.workflow_rules(REPO)
    assert {"build_site", "scorecard", "check_scorecard", "draw_figure1"} <= rules
    assert pages.unknown_names(soup("<p>rule <code>compare_figure1</code> draws</p>"), rules) == ["rule compare_figure1"]
    listed = "<p>rules (<code>simulate</code> or <code>fit</code>, <code>compare_figure1</code>) and <code>x</code></p>"
    assert pages.unknown_names(soup(listed), rules) == ["rule compare_figure1"]
    assert pages.unknown_names(soup("<p><code>results/paper/tables/nothing.csv</code></p>"), rules)
    assert pages.unknown_names(soup("<p><code>results/logs/x.log</code> <code>results/nowhere/</code></p>"), rules) == []
    known = ("<p>rule <code>draw_figure1</code>, <code>results/paper/notebooks/figure1.{ipynb,html}</code>, "
             "<code>results/&lt;dataset&gt;/tables/</code>, <code>results/site/index.html</code></p>"
             "<table><tr><th>rule</th><th>makes</th></tr><tr><td><code>draw_figure1</code></td>"
             "<td><code>eq1_lambda</code></td></tr></table>")
    assert pages.unknown_names(soup(known), rules) == []
    table = "<table><tr><th>rule</th></tr><tr><td><code>compare_figure1</code></td></tr></table>"
    assert pages.unknown_names(soup(table), rules) == ["rule compare_figure1"]


# The scorecard: verdict rules, and a planted wrong verdict caught by the check.


def published_rows(errors=(0.0, 0.09, 0.03, 0.8, 0.03), p4_within=0.95):
    keys = list(scorecard.PANEL_PATTERN_CHECKS)
    rows = []
    for key, error in zip(keys, errors):
        within = {"eq1_B_Vk_g_half": 0.39, "eq1_B_Vk_sigma2": p4_within}.get(key, 0.5)
        published = {"eq1_B_Vk_g_half": 0.61, "eq1_B_Vk_sigma2": 0.238}.get(key, 0.5)
        rows.append({"panel": key, "within_large": str(within), "published_within_large": str(published),
                     "mean_abs_error": repr(error)})
    return rows


def pattern_checks(failing=()):
    names = [name for names in scorecard.PANEL_PATTERN_CHECKS.values() for name in names]
    return [{"name": n, "measured": -1.0 if n in failing else 1.0, "bound": 0.0, "passed": n not in failing}
            for n in names]


def test_figure1_verdicts_follow_the_stated_rules():
    rows = {r["row"]: r for r in scorecard.figure1_rows(published_rows(), pattern_checks(), True, "p.ipynb")}
    verdicts = [rows[f"figure1_{key}"]["verdict"] for key in scorecard.PANEL_PATTERN_CHECKS]
    assert verdicts == ["reproduced", "partly reproduced", "reproduced", "not reproduced", "reproduced"]
    dimmer = scorecard.figure1_rows(published_rows(errors=(0, 0, 0, 0.01, 0), p4_within=0.2), pattern_checks(),
                                    True, "p")
    assert dimmer[3]["verdict"] == "reproduced"
    failed = scorecard.figure1_rows(published_rows(), pattern_checks(["eq2_merged_high"]), True, "p")
    assert failed[4]["verdict"] == "not reproduced"
    untestable = scorecard.figure1_rows(published_rows(), pattern_checks(), False, "p")
    assert {r["verdict"] for r in untestable} == {"not testable here"} and all(math.isnan(r["number"]) for r in untestable)


def test_without_ground_truth_clusters_every_panel_is_not_testable_by_both_routes():
    rows = scorecard.figure1_rows([], [], True, "p")
    assert [r["verdict"] for r in rows] == ["not testable here"] * 5 and all(math.isnan(r["number"]) for r in rows)
    assert {r["number_meaning"] for r in rows} == {"no ground-truth clusters in these data"}
    assert all(result.passed for result in compare(as_read(rows), expected_figure1([], [], True)))


def claims_table():
    return [{"id": "1a", "claim": "c", "quantity": "q", "measured": "0.5", "comparison": "<=", "tolerance": "1",
             "pass": "true"},
            {"id": "2b", "claim": "d", "quantity": "q", "measured": "2", "comparison": "<=", "tolerance": "1",
             "pass": "false"},
            {"id": "3", "claim": "e", "quantity": "q", "measured": "nan", "comparison": ">=", "tolerance": "0",
             "pass": "not testable here: too few users"}]


def findings(pattern_seen=(True, True, False), passed=17):
    record = {key: {"holds": True, "cosine_mean_abs_diff_max": 0.2, "cosine_max_abs_diff_max": 1e-5,
                    "max_cosine_change": 1.6, "eq2_auc": 0.5, "original_space_spread": 0.0,
                    "auc_max": 0.6, "auc_min": 0.5} for key in scorecard.CONCLUSIONS}
    names = ("eq5_blocks_clear", "case_a_blocks_fainter", "eq2_merged_high")
    record["figure1_pattern"] = {**{f"{n}_seen": s for n, s in zip(names, pattern_seen)}, "holds": all(pattern_seen)}
    record["claims"] = {"passed": passed, "total": 17, "holds": passed == 17}
    flat = {f"{key}_holds": value["holds"] for key, value in record.items()}
    return {**record, **flat, "claims_passed": passed, "claims_total": 17}, [
        {"name": n, "passed": s, "measured": 1.0 if s else -1.0, "bound": 0.0} for n, s in zip(names, pattern_seen)]


def test_claim_and_conclusion_verdicts():
    assert [r["verdict"] for r in scorecard.claim_rows(claims_table(), "c")] == [
        "reproduced", "not reproduced", "not testable here"]
    record, _ = findings()
    rows = {r["row"]: r for r in scorecard.conclusion_rows(record, lambda key: "m")}
    assert rows["movielens_figure1_pattern"]["verdict"] == "partly reproduced"
    assert rows["movielens_figure1_pattern"]["number"] == 2
    assert rows["movielens_claims"]["verdict"] == "reproduced"
    assert math.isclose(rows["movielens_d_changes_recovery"]["number"], 0.1)
    record, _ = findings(pattern_seen=(False, False, False), passed=12)
    rows = {r["row"]: r for r in scorecard.conclusion_rows(record, lambda key: "m")}
    assert rows["movielens_figure1_pattern"]["verdict"] == "not reproduced"
    assert rows["movielens_claims"]["verdict"] == "partly reproduced"


def as_read(rows):
    """Rows as the CSV gives them back (every cell a string)."""
    return [{key: repr(value) if isinstance(value, float) else str(value) for key, value in row.items()} for row in rows]


def test_the_check_recomputes_every_row_and_fails_on_a_planted_wrong_verdict():
    record, ml_checks = findings()
    rows = (scorecard.figure1_rows(published_rows(), pattern_checks(), True, "f")
            + scorecard.claim_rows(claims_table(), "c") + scorecard.conclusion_rows(record, lambda key: "m"))
    expected = (expected_figure1(published_rows(), pattern_checks(), True) | expected_claims(claims_table())
                | expected_conclusions(record, ml_checks))
    assert all(result.passed for result in compare(as_read(rows), expected))
    for index, wrong in ((1, "reproduced"), (6, "reproduced"), (len(rows) - 1, "partly reproduced")):
        planted = as_read(rows)
        planted[index]["verdict"] = wrong
        failed = [r.name for r in compare(planted, expected) if not r.passed]
        assert failed == [f"scorecard_{planted[index]['row']}"]
    planted = as_read(rows)
    planted[0]["number"] = "0.5"
    assert not all(r.passed for r in compare(planted, expected))
    assert not all(r.passed for r in compare(as_read(rows)[1:], expected))
    assert not all(r.passed for r in compare(as_read(rows) + [{**as_read(rows)[0], "row": "extra"}], expected))


def test_the_first_page_states_the_counts_of_its_own_rows():
    rows = as_read(scorecard.figure1_rows(published_rows(), pattern_checks(), True, "f.ipynb"))
    text = index_page(rows, "paper", {"Pages": ["docs/a.md"]}, lambda p: f"[n]({p})", "downloads/s.csv")
    assert "Of the 5 verdicts below: 3 reproduced, 1 partly reproduced and 1 not reproduced." in text
    assert "https://arxiv.org/abs/2403.05440" in text
    assert shown("nan") == "undefined" and shown("0.0926244") == "0.0926"


# The site of the small run.


@pytest.fixture(scope="module")
def site(small_run) -> Path:
    return small_run / SITE.site


def test_the_scorecard_has_a_row_for_every_panel_claim_and_conclusion(small_run, small_config):
    dataset = small_config["dataset"]
    with open(small_run / SITE.at("scorecard", dataset=dataset), newline="") as handle:
        rows = list(csv.DictReader(handle))
    with open(small_run / paths.study("claims").at("table", dataset=dataset), newline="") as handle:
        claims = [row["id"] for row in csv.DictReader(handle)]
    kinds = [row["row"] for row in rows]
    assert kinds == ([f"figure1_{key}" for key in scorecard.PANEL_PATTERN_CHECKS] + [f"claim_{c}" for c in claims]
                     + [f"movielens_{key}" for key in scorecard.CONCLUSIONS])
    assert {row["verdict"] for row in rows} <= set(scorecard.VERDICTS)
    report = json.loads((small_run / SITE.at("scorecard_check", dataset=dataset)).read_text())
    assert len(report["checks"]) == len(rows) + 1 and all(check["passed"] for check in report["checks"])


def test_the_site_opens_with_the_scorecard(site, small_run, small_config):
    index = pages.parse((site / "index.html").read_text(encoding="utf-8"))
    with open(small_run / SITE.at("scorecard", dataset=small_config["dataset"]), newline="") as handle:
        rows = list(csv.DictReader(handle))
    table_rows = [tr for table in index.find_all("table") for tr in table.find_all("tr")[1:]]
    assert len(table_rows) == len(rows)
    for tr, row in zip(table_rows, rows):
        cells = [td.get_text().strip() for td in tr.find_all("td")]
        assert cells[0] == row["verdict"] and cells[2] == shown(row["number"])
        assert tr.find("a", href=True), f"row {row['row']} links no evidence"
    text = index.get_text(" ")
    for verdict in scorecard.VERDICTS:
        count = sum(row["verdict"] == verdict for row in rows)
        assert (f"{count} {verdict}" in text) == (count > 0)
    assert index.find("a", href="https://arxiv.org/abs/2403.05440")
    assert index.find("input") or index.find(class_=re.compile("search")), "no search"


def test_every_page_and_notebook_renders(site, small_run):
    rules = pages.workflow_rules(small_run)
    ids = functools.lru_cache(maxsize=None)(pages.page_ids)
    problems = []
    site_pages = sorted(p for p in site.rglob("*.html") if "_static" not in p.parts)
    assert len(site_pages) > 20
    for page in site_pages:
        problems += pages.page_problems(page, site, rules, ids)
    for notebook in sorted((small_run / paths.RESULTS).glob("*/notebooks/*.html")):
        problems += pages.page_problems(notebook, small_run / paths.RESULTS, rules, ids)
    assert not problems, "\n".join(problems)


def test_the_site_is_light_and_holds_no_build_leftovers(site, small_run):
    files = [p for p in site.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) <= 40 * 2**20
    names = {p.name for p in files} | {d.name for d in site.rglob("*") if d.is_dir()}
    assert not names & {".buildinfo", ".doctrees", "_sources", "conf.py"}
    assert not any(str(small_run) in p.read_text(encoding="utf-8", errors="ignore") for p in files
                   if p.suffix in (".html", ".js"))


def test_the_site_is_a_directory_artifact_of_the_registry(tmp_path):
    assert SITE.directories == ("site",) and SITE.site == "results/site"
    assert paths.is_registered("results/site") and paths.is_registered("results/site/_static/a/b.css")
    assert not paths.is_registered("results/sites/index.html")
    assert "`results/site/` | result (a directory)" in paths.results_readme()
    for name in ("results/site/index.html", "results/site/_images/a.png", "results/mine.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    removed = paths.clean(tmp_path)
    assert sorted(removed) == ["results/site/_images/a.png", "results/site/index.html"]
    assert not (tmp_path / "results" / "site").exists() and (tmp_path / "results" / "mine.txt").exists()


def test_a_page_that_loads_from_the_network_fails_the_build(tmp_path):
    from cossim.site.build import finish

    (tmp_path / "built").mkdir()
    (tmp_path / "built" / "index.html").write_text('<script src="https://cdn.example/mathjax/tex-mml.js"></script>')
    with pytest.raises(RuntimeError, match="cdn.example"):
        finish(tmp_path / "built", tmp_path / "site")
    assert not (tmp_path / "site").exists()
