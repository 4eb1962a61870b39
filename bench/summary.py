"""Summary at scale: `/tonghop` text, chart and Excel workbook over generated databases.

Goals (issue 16): text ≤ 0.3 s at 10,000 units × 50 indicators × 8 periods (4 million answers) and ≤ 1.5 s at
50,000 (20 million, text only), growth ≤ linear; workbook at 10,000 ≤ 3 s, peak memory ≤ 300 MB. Growth is
also printed for 1,000 → 10,000. Each timing runs in a fresh subprocess so its peak resident memory is that
of the report alone, not of the build. The 50,000 units run with BENCH_SUMMARY_50K=text (else printed as not run).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import goals
from bench.common import line, median, note

RUNS = 3
PERIOD = "2026 BENCH"


def measure(url: str, outputs: str) -> dict[str, float]:
    """In this process: seconds for the summary text (and chart, workbook) of BENCH 2026, median of RUNS."""
    from reports.chart import summary_chart
    from reports.forms import form_info
    from reports.requests import summary_request
    from reports.scope import Scope
    from reports.summary import build_summary
    from reports.workbook import summary_workbook
    from storage.db import Database
    from storage.uow import UnitOfWork

    db = Database.connect(url)
    at = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
    times: dict[str, list[float]] = {"text": [], "chart": [], "workbook": []}
    with UnitOfWork(db.read_sessions()) as uow:
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        for _ in range(RUNS):
            t0 = time.perf_counter()
            result = summary_request(uow, Scope(), PERIOD, at, outputs=("text",))
            times["text"].append(time.perf_counter() - t0)
            assert result.text and len(result.text) < 4096
            if outputs == "all":
                period = uow.periods.by_code("BENCH", "2026")
                t0 = time.perf_counter()
                s = build_summary(uow, Scope(), form_info(uow, "BENCH"), period, at, with_year=True)
                summary_chart(s)
                times["chart"].append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                s = build_summary(uow, Scope(), form_info(uow, "BENCH"), period, at, with_year=True)
                data = summary_workbook(uow, s)
                times["workbook"].append(time.perf_counter() - t0)
                assert len(data) > 1000
    db.dispose()
    out = {k: median(v) for k, v in times.items() if v}
    out["first_text"] = times["text"][0]
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["start_mb"] = rss_before / 1024
    return out


def run_measure(url: str, outputs: str) -> dict[str, float]:
    """`measure` in a fresh interpreter (clean peak memory)."""
    proc = subprocess.run([sys.executable, "-m", "bench.summary", "measure", url, outputs],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def scenario(units: int, periods: int, outputs: str, folder: Path) -> dict[str, float]:
    """Build a database of `units` × 50 × `periods`, then time the summary on it."""
    from bench.generate import build
    from storage.migrate import upgrade

    url = f"sqlite:///{folder}/summary-{units}.sqlite3"
    upgrade(url)
    t0 = time.perf_counter()
    rows = build(url, units, 50, periods)
    built = time.perf_counter() - t0
    note(f"built {units:,} units × 50 indicators × {periods} periods = {rows:,} answers in {built:.0f} s "
         f"({os.path.getsize(url[len('sqlite:///'):]) / 2**20:.0f} MB SQLite file)")
    figures = run_measure(url, outputs)
    os.remove(url[len("sqlite:///"):])
    return figures


def main() -> None:
    sizes = [(1_000, 8, "all"), (10_000, 8, "all")]
    # 50,000 units × 8 periods is 20 million answers to generate: minutes on an idle machine (36 min under
    # a load average of 11), past make bench's 15-minute budget; BENCH_SUMMARY_50K=text runs it
    if os.environ.get("BENCH_SUMMARY_50K", "skip") == "text":
        sizes.append((50_000, 8, "text"))
    else:
        for prefix in ("summary.50k", "summary.growth_10k_to_50k"):
            goals.skip(prefix, "flag: BENCH_SUMMARY_50K=text runs it, a 20-million-answer build")
        note("50,000 units not run (flag: BENCH_SUMMARY_50K=text runs it)")
    note(f"summary: /tonghop of BENCH 2026 over every unit, median of {RUNS} runs (the first, cold, also printed alone as text_first); "
         "each size measured in a fresh process (peak memory = ru_maxrss of that process, which makes the "
         "text, the chart and the workbook: an upper bound of the workbook's own)")
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-summary-") as tmp:
        for units, periods, outputs in sizes:
            r = results[units] = scenario(units, periods, outputs, Path(tmp))
            tag = f"summary.{units // 1000}k"
            line(f"{tag}.text", r["text"], "s")
            line(f"{tag}.text_first", r["first_text"], "s")
            if "workbook" in r:
                line(f"{tag}.chart", r["chart"], "s")
                line(f"{tag}.workbook", r["workbook"], "s")
            line(f"{tag}.peak_memory", r["peak_mb"], "MB")
    growth(results)


def growth(results: dict[int, dict[str, float]]) -> None:
    """Growth factors between the sizes measured (linear = the factor of units)."""
    if 1_000 in results and 10_000 in results:
        line("summary.growth_1k_to_10k.text", results[10_000]["text"] / results[1_000]["text"], "x (10x units)")
        line("summary.growth_1k_to_10k.workbook", results[10_000]["workbook"] / results[1_000]["workbook"],
             "x (10x units)")
    if 10_000 in results and 50_000 in results:
        line("summary.growth_10k_to_50k.text", results[50_000]["text"] / results[10_000]["text"], "x (5x units)")

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "measure":
        print(json.dumps(measure(sys.argv[2], sys.argv[3])))
    else:
        main()
