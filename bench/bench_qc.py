"""Benchmark: full QC (import + SLA metrics + Guard.check + Guard.triage + findings) of N messages.

    python bench/bench_qc.py --messages 1000000

Generates the demo traffic into a temporary JSONL file (not timed), then times the
import and the QC run and prints messages/s and the peak RSS of the process. Run it at
several sizes to see that memory follows the message columns, nothing more.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from csguard.qc.demo import generate_events
from csguard.qc.importers import import_file
from csguard.qc.runner import run_qc


def cpu_seconds() -> float:
    """CPU time of this process and its helper processes (all threads)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_log(path: Path, messages: int, seed: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for event in generate_events(messages=messages, seed=seed, start=date(2024, 5, 1)):
            handle.write(json.dumps(event, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--platform", default="pdd")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--workers", type=int, default=None, help="Processes for unique texts (default: auto)."
    )
    parser.add_argument(
        "--log", type=Path, default=None, help="Use this JSONL log instead of generating one."
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        log = args.log or Path(tmp) / "log.jsonl"
        started = time.perf_counter()
        if args.log is None:
            write_log(log, args.messages, args.seed)
        generated = time.perf_counter() - started
        rss_before = peak_rss_mb()

        cpu_started = cpu_seconds()
        started = time.perf_counter()
        imported = import_file(log)
        import_s = time.perf_counter() - started
        started = time.perf_counter()
        result = run_qc(
            imported.frame, platform=args.platform, import_summary=imported.summary(), workers=args.workers
        )
        qc_s = time.perf_counter() - started
        cpu_used = cpu_seconds() - cpu_started
        started = time.perf_counter()
        findings = len(result.findings)  # masked finding objects, as the JSON/HTML outputs need them
        materialize_s = time.perf_counter() - started

    total = import_s + qc_s
    print(f"messages           {imported.read:>12,}")
    print(f"generate (untimed) {generated:>12.2f} s")
    print(f"import             {import_s:>12.2f} s  ({imported.imported:,} imported)")
    print(
        f"qc                 {qc_s:>12.2f} s  ({len(result.metrics)} metric rows, {result.findings_frame.height:,} findings)"
    )
    print(f"finding objects    {materialize_s:>12.2f} s  ({findings:,} masked QcFinding)")
    print(f"throughput         {imported.read / total:>12,.0f} messages/s (import + qc)")
    print(f"CPU time           {cpu_used:>12.2f} s  (import + qc, all threads and processes)")
    print(f"  per CPU second   {imported.read / cpu_used:>12,.0f} messages")
    print(f"  incl. objects    {imported.read / (total + materialize_s):>12,.0f} messages/s")
    print(f"peak RSS           {peak_rss_mb():>12.0f} MB (after generation: {rss_before:.0f} MB)")
    print(f"frame size         {imported.frame.estimated_size('mb'):>12.0f} MB (canonical columns)")
    print(f"load average       {os.getloadavg()[0]:>12.2f} (other processes compete for the 2 cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
