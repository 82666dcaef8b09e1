"""`snakemake --report`: every figure, table and check of the run is inside, with its caption."""

import re
import zipfile

import pytest
from conftest import REPO, run_snakemake

pytestmark = pytest.mark.workflow

REPORTED_FOLDERS = ("figures", "tables", "checks")
# Figure 1's PDF (the print copy of its PNG) and the notebooks' HTML (whose figures and tables are
# all in the report) are left out, to keep the report small.
REPORTED_SUFFIXES = (".png", ".svg", ".csv", ".tsv", ".json")


def reported_results(workdir):
    """The files a reader must find in the report: every data set's figures, tables and check reports."""
    return sorted(
        path
        for dataset in (workdir / "results").iterdir()
        for folder in REPORTED_FOLDERS
        if (dataset / folder).is_dir()
        for path in (dataset / folder).rglob("*")
        if path.is_file() and path.suffix in REPORTED_SUFFIXES
    )


@pytest.fixture(scope="module")
def reports(small_run):
    for name in ("report.html", "report.zip"):
        result = run_snakemake(small_run, "--report", name)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return small_run / "report.html", small_run / "report.zip"


def test_zip_report_holds_every_figure_and_table_byte_for_byte(reports, small_run):
    expected = reported_results(small_run)
    assert any(path.suffix == ".png" for path in expected)
    with zipfile.ZipFile(reports[1]) as archive:
        contents = {}
        for name in archive.namelist():
            if "/data/raw/" in name:
                contents.setdefault(name.rsplit("/", 1)[1], []).append(archive.read(name))
    for path in expected:
        assert path.read_bytes() in contents.get(path.name, []), f"{path} is not in the report"


def test_html_report_names_every_figure_and_shows_the_captions(reports, small_run):
    html = reports[0].read_text(encoding="utf-8")
    for path in reported_results(small_run):
        assert path.name in html, path
    for caption in (REPO / "workflow" / "report").rglob("*.rst"):
        text = re.split(r"\{\{|``", caption.read_text())[0]  # the words before any Jinja or literal markup
        first_words = " ".join(text.split()[:4]).replace("*", "")
        assert first_words in html, caption.name


def test_report_is_small_holds_no_arrays_and_no_machine_paths(reports, small_run):
    html, archive_path = reports
    # three data sets (the simulation, MovieLens with two binarisations), their figures embedded
    assert html.stat().st_size <= 16 * 1024 * 1024, f"report.html is {html.stat().st_size / 2**20:.1f} MiB"
    with zipfile.ZipFile(archive_path) as archive:
        names = archive.namelist()
    assert not [name for name in names if name.endswith(".npz")]
    text = html.read_text(encoding="utf-8")
    for machine_path in {str(small_run), str(small_run.resolve()), str(REPO)}:
        assert machine_path not in text, machine_path
    assert "data set" in text and "small" in text  # every entry is labelled by its data set and rule
