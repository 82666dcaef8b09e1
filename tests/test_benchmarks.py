"""Smoke test of the benchmark script on tiny sizes (the benchmarks themselves are not tests)."""

import importlib.util
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def load_benchmarks():
    spec = importlib.util.spec_from_file_location("run_benchmarks", REPO / "benchmarks" / "run_benchmarks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_script_runs_on_tiny_sizes(tmp_path):
    bench = load_benchmarks()
    config = tmp_path / "config.yaml"
    config.write_text((REPO / "tests" / "small_config.yaml").read_text())
    assert bench.main(["--only", "solver", "sampler", "scaling", "--repeats", "1", "--out", str(tmp_path),
                       "--config", str(config), "--scaling-users", "1000", "--scaling-items", "150"]) == 0
    results = json.loads((tmp_path / "benchmarks.json").read_text())
    assert results["solver"]["max_relative_error_vs_dense_svd"] < 1e-10
    assert results["sampler"]["control_wrong_sampler"]["item_frequency_pvalue"] < 1e-3
    case = results["scaling"]["cases"][0]
    assert case["interactions"] > 0 and case["peak_rss_gib"] > 0 and case["solver"] == "gram_eigh"
    assert (tmp_path / "scaling.png").stat().st_size > 0
    assert "Solver" in (tmp_path / "benchmarks.md").read_text()
