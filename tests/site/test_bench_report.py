"""The benchmark's report half (scripts/bench_report.py) and how measurement modules join bench.py.

No browser and no build: the figures here are made up, what is tested is how they are judged and
shown (a failed budget must read as failed, a spread as lowest-highest).
"""

from __future__ import annotations

import sys

import pytest
from support import ROOT

sys.path.insert(0, str(ROOT / "scripts"))

import bench
import bench_report as report


def test_p95_is_the_nearest_rank_and_spread_the_extremes():
    values = list(range(1, 101))
    assert report.p95(values) == 95
    assert report.p95([3.0, 1.0, 2.0]) == 3.0
    assert report.p95([]) is None
    assert report.spread([4, 2, 9]) == (2, 9)
    assert report.spread([]) is None


def test_verdicts_follow_the_budget():
    figures = report.Figures()
    figures.add("a", "within", 0.19, "x", 0.20, fmt="{:.2f}", spread=(0.17, 0.22))
    figures.add("b", "over", 16.0, "ms", 15.0)
    figures.add("c", "reported only", 3.0, "ms")
    figures.error("d", "broken", "ms", 100.0, "{:.0f}", "no long tasks")
    assert [r["verdict"] for r in figures.rows] == ["PASS", "FAIL", "REPORT", "ERROR"]
    assert figures.rows[0]["spread_shown"] == "0.17-0.22"
    assert figures.rows[0]["budget_shown"] == "<= 0.20 x"
    assert report.summary(figures.rows) == (1, 3)
    table = report.markdown_table(figures.rows).splitlines()
    assert table[2] == "| within | 0.19 x | 0.17-0.22 | <= 0.20 x | met |"
    assert table[3] == "| over | 16 ms |  | <= 15 ms | NOT met |"


def test_optional_measurement_modules_join_when_their_file_exists(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "HERE", tmp_path)
    assert bench.modules(None) == bench.MODULES
    (tmp_path / "bench_team.py").write_text("def measure(run):\n    pass\n", encoding="utf-8")
    assert bench.modules(None) == [*bench.MODULES, "bench_team"]
    assert bench.modules(["bench_team"]) == ["bench_team"]
    with pytest.raises(SystemExit, match="no measurement module bench_nothing"):
        bench.modules(["bench_nothing"])
