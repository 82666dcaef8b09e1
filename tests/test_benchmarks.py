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


SNAKEMAKE_LOG = """Building DAG of jobs...
[Tue Dec  1 11:41:16 2026]
localrule simulate:
    output: results/data/paper/interactions.npz
    jobid: 4
[Tue Dec  1 11:41:17 2026]
Finished jobid: 4 (Rule: simulate)
[Tue Dec  1 11:41:17 2026]
rule fit:
    jobid: 3
[Tue Dec  1 11:41:17 2026]
rule fit:
    jobid: 5
[Tue Dec  1 11:41:19 2026]
Finished jobid: 5 (Rule: fit)
[Tue Dec  1 11:41:20 2026]
Finished jobid: 3 (Rule: fit)
"""


def test_job_times_are_read_from_snakemakes_log():
    bench = load_benchmarks()
    jobs = bench.job_times(SNAKEMAKE_LOG)
    assert [(j["rule"], j["start_s"], j["end_s"]) for j in jobs] == [("simulate", 0, 1), ("fit", 1, 3), ("fit", 1, 4)]
    assert bench.per_rule(jobs) == {"fit": {"jobs": 2, "job_s": 5.0}, "simulate": {"jobs": 1, "job_s": 1.0}}
    assert bench.span_summary(jobs, 2) == {"span_s": 4.0, "job_s": 6.0, "idle_core_s": 2.0}


def test_the_projection_is_affine_in_the_interactions_through_the_two_largest_cases():
    bench = load_benchmarks()
    cases = [{"n_users": n, "n_items": 10_000, "interactions": 60 * n, "total_s": 1.0 + 1e-4 * n,
              "peak_rss_gib": 0.5 + 1e-6 * n} for n in (20_000, 200_000, 2_000_000)]
    projected = bench.projection(cases, 20_000_000, 10_000)
    assert projected["interactions"] == 1_200_000_000 and projected["from_users"] == [200_000, 2_000_000]
    assert abs(projected["total_s"] - 2001.0) < 1e-6 and abs(projected["peak_rss_gib"] - 20.5) < 1e-9
    assert bench.projection(cases[:1], 20_000_000, 10_000) is None
