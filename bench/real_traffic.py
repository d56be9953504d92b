"""Flag and escalation rates of the guard on real, unlabelled customer-service traffic.

Run: ``python bench/real_traffic.py [--data ../shared/data/real_cs] [--sample 20 --seed 7] [--json]``

Text nobody on the project wrote is where false alarms show: the labelled sets measure recall and
false blocks on sentences written for them, this measures what a new shop would meet. It runs

- ``Guard("pdd").check`` over ``jddc/agent.jsonl`` (real JD.com agent lines: a PDD shop's agents
  write the same kind of messages) and ``Guard("taobao").check`` over ``ecd/agent.jsonl`` (real
  Taobao agent lines);
- ``Guard.triage`` over ``jddc/buyer.jsonl`` and ``ecd/buyer.jsonl``;

and prints the share of lines warned or blocked (escalated), per category (signal) and per rule,
then a seeded random sample of flagged lines to read by hand. A flag is not automatically a false
alarm: real agents do break rules (ECD has 2016-era 好评返现). In JDDC a line whose every finding
names JD itself (京东, jd, jd.com) is the platform naming itself, counted apart as ``own_platform``.

The corpora are for measurement only: nothing here trains on them or copies them into the repo.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csguard import Guard
from csguard.results import Finding

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "real_cs"
# A JDDC agent naming JD itself is a platform naming itself, not diversion.
JD_ITSELF = re.compile(r"京\s*东|j\s*d", re.IGNORECASE)

# (corpus name, file under the data folder, platform, what the guard does with a line)
CHECKS = (("jddc_agent", "jddc/agent.jsonl", "pdd"), ("ecd_agent", "ecd/agent.jsonl", "taobao"))
TRIAGES = (("jddc_buyer", "jddc/buyer.jsonl", "pdd"), ("ecd_buyer", "ecd/buyer.jsonl", "taobao"))


@dataclass
class Flagged:
    line_id: str
    text: str
    why: list[str]  # rule ids that fired
    matched: list[str]


@dataclass
class Report:
    name: str
    platform: str
    lines: int = 0
    seconds: float = 0.0
    own_platform: int = 0
    per_category: Counter[str] = field(default_factory=Counter)
    per_rule: Counter[str] = field(default_factory=Counter)
    flagged: list[Flagged] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return len(self.flagged) / self.lines if self.lines else 0.0

    def as_dict(self, top: int) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "lines": self.lines,
            "flagged": len(self.flagged),
            "rate": round(self.rate, 5),
            "own_platform": self.own_platform,
            "per_category": dict(self.per_category.most_common()),
            "per_rule": dict(self.per_rule.most_common(top)),
            "seconds": round(self.seconds, 2),
        }


def read_lines(path: Path) -> Iterator[tuple[str, str]]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                yield str(row["id"]), str(row["text"])


def _names_jd_only(findings: list[Finding]) -> bool:
    return all(JD_ITSELF.search(f.matched) for f in findings)


def check_report(name: str, path: Path, platform: str, jd_is_itself: bool, model: bool = True) -> Report:
    guard = Guard(platform=platform, model=model)
    report = Report(name, platform)
    started = time.perf_counter()
    for line_id, text in read_lines(path):
        report.lines += 1
        result = guard.check(text)
        findings = result.findings
        if result.verdict == "allow" or not findings:
            continue
        if jd_is_itself:
            if _names_jd_only(findings):
                report.own_platform += 1
                continue
            findings = [f for f in findings if not JD_ITSELF.search(f.matched)]
        report.per_category.update({f.category for f in findings})
        report.per_rule.update({f.rule_id for f in findings})
        report.flagged.append(Flagged(line_id, text, [f.rule_id for f in findings], [f.matched for f in findings]))
    report.seconds = time.perf_counter() - started
    return report


def triage_report(name: str, path: Path, platform: str, model: bool = True) -> Report:
    guard = Guard(platform=platform, model=model)
    report = Report(name, platform)
    started = time.perf_counter()
    for line_id, text in read_lines(path):
        report.lines += 1
        result = guard.triage(text)
        if not result.escalate:
            continue
        report.per_category.update(result.signals)
        report.per_rule.update({f.rule_id for f in result.findings})
        report.flagged.append(
            Flagged(line_id, text, [f.rule_id for f in result.findings], [f.matched for f in result.findings])
        )
    report.seconds = time.perf_counter() - started
    return report


def run(data: Path, model: bool = True) -> list[Report]:
    """Every corpus through the shipped guard; ``model=False`` measures the rules alone."""
    reports = [check_report(name, data / rel, platform, name.startswith("jddc"), model) for name, rel, platform in CHECKS]
    reports += [triage_report(name, data / rel, platform, model) for name, rel, platform in TRIAGES]
    return reports


def _sample(report: Report, n: int, seed: int) -> list[Flagged]:
    if n < 0:  # every flagged line
        return report.flagged
    return random.Random(f"{seed}:{report.name}").sample(report.flagged, min(n, len(report.flagged)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the real_cs folder (jddc/, ecd/)")
    parser.add_argument("--sample", type=int, default=0, help="flagged lines to print per corpus (-1: all)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the sample")
    parser.add_argument("--top", type=int, default=20, help="rules to list per corpus")
    parser.add_argument("--only", choices=[n for n, _, _ in CHECKS + TRIAGES], action="append",
                        help="report only these corpora")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.add_argument("--no-model", action="store_true", help="rules only: turn the learned model off")
    args = parser.parse_args(argv)
    data = args.data.resolve()
    if not all((data / rel).is_file() for _, rel, _ in CHECKS + TRIAGES):
        print(f"skipped: the real-traffic corpora are not at {data} (expected jddc/ and ecd/ with "
              "agent.jsonl and buyer.jsonl; pass --data)", file=sys.stderr)
        return 0
    reports = run(data, model=not args.no_model)
    if args.only:
        reports = [r for r in reports if r.name in args.only]
    buyers = [r for r in reports if r.name.endswith("buyer")]
    if args.json:
        out: dict[str, Any] = {r.name: r.as_dict(args.top) for r in reports}
        if buyers:
            out["buyers_combined_rate"] = round(sum(len(r.flagged) for r in buyers) / sum(r.lines for r in buyers), 5)
        if args.sample:
            out["sample"] = {r.name: [vars(f) for f in _sample(r, args.sample, args.seed)] for r in reports}
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    for r in reports:
        verb = "escalated" if r in buyers else "flagged"
        print(f"== {r.name} ({r.platform}): {r.lines} lines, {verb} {len(r.flagged)} = {r.rate:.3%}"
              + (f", JD naming itself {r.own_platform}" if r.own_platform else "") + f"  [{r.seconds:.1f} s]")
        print("   per category:", dict(r.per_category.most_common()))
        print("   per rule:    ", dict(r.per_rule.most_common(args.top)))
        for f in _sample(r, args.sample, args.seed) if args.sample else ():
            print(f"   {f.line_id}\t{','.join(f.why)}\t{f.matched}\t{f.text}")
    if buyers:
        flagged, lines = sum(len(r.flagged) for r in buyers), sum(r.lines for r in buyers)
        print(f"== buyers combined: {flagged}/{lines} = {flagged / lines:.3%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
