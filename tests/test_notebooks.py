"""Executed notebooks carry no run time stamps, absolute paths or random ids."""

import nbformat

from cossim.notebooks import INJECTED_CELL_ID, portable_parameter, strip_run_metadata


def test_strip_run_metadata_keeps_outputs_and_parameters_and_drops_what_varies(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["papermill"] = {
        "start_time": "2026-01-01T00:00:00", "end_time": "2026-01-01T00:00:09", "duration": 9.0,
        "input_path": str(tmp_path / "notebooks" / "x.ipynb"), "output_path": "/tmp/.x.ipynb.abc.ipynb",
        "parameters": {"rank": 20},
    }
    injected = nbformat.v4.new_code_cell("rank = 20", metadata={"tags": ["injected-parameters"]})
    injected.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:01Z"}
    injected.metadata["papermill"] = {"start_time": "t0", "end_time": "t1", "duration": 0.1, "status": "completed"}
    injected.outputs = [nbformat.v4.new_output("stream", text="ok\n")]
    notebook.cells = [injected]
    path = tmp_path / "x.ipynb"
    nbformat.write(notebook, path)

    strip_run_metadata(path, workdir=tmp_path)
    cleaned = nbformat.read(path, as_version=4)
    assert cleaned.metadata.papermill == {"input_path": "notebooks/x.ipynb", "parameters": {"rank": 20}}
    cell = cleaned.cells[0]
    assert cell.id == INJECTED_CELL_ID and "execution" not in cell.metadata
    assert cell.metadata.papermill == {"status": "completed"} and cell.outputs[0]["text"] == "ok\n"


def test_absolute_paths_inside_the_working_directory_become_relative(tmp_path):
    inside = str(tmp_path / "data" / "levels.csv")
    assert portable_parameter(inside, tmp_path) == "data/levels.csv"
    assert portable_parameter([inside, "results/x.npz"], tmp_path) == ["data/levels.csv", "results/x.npz"]
    assert portable_parameter("/elsewhere/file.csv", tmp_path) == "/elsewhere/file.csv"
    assert portable_parameter(3, tmp_path) == 3 and portable_parameter(None, tmp_path) is None


def test_printed_text_split_over_stream_outputs_is_merged_however_the_kernel_flushed(tmp_path):
    def executed(chunks):
        notebook = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell("print(...)")
        cell.outputs = [nbformat.v4.new_output("stream", name=name, text=text) for name, text in chunks]
        cell.outputs.append(nbformat.v4.new_output("execute_result", data={"text/plain": "1"}, execution_count=1))
        notebook.cells.append(cell)
        path = tmp_path / f"n{len(chunks)}.ipynb"
        nbformat.write(notebook, path)
        strip_run_metadata(path, tmp_path)
        return nbformat.read(path, as_version=4).cells[0].outputs

    one_flush = executed([("stdout", "a\nb\n"), ("stderr", "w\n")])
    three_flushes = executed([("stdout", "a\n"), ("stdout", "b\n"), ("stderr", "w\n")])
    assert one_flush == three_flushes
    assert [(o.output_type, o.get("name"), o.get("text")) for o in one_flush] == [
        ("stream", "stdout", "a\nb\n"), ("stream", "stderr", "w\n"), ("execute_result", None, None)]


def test_committed_notebooks_have_stable_cell_ids_no_outputs_and_a_parameters_cell():
    """A cell without an id gets a random one whenever the notebook is read (nbformat 4.5), and so
    would make two executions differ; outputs are never committed."""
    import json
    from pathlib import Path

    for path in sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        assert all("id" in cell for cell in cells), f"{path.name}: cells without an id"
        assert len({cell["id"] for cell in cells}) == len(cells), f"{path.name}: repeated cell ids"
        assert not any(cell.get("outputs") for cell in cells), f"{path.name}: committed with outputs"
        assert any("parameters" in cell["metadata"].get("tags", []) for cell in cells), path.name
