"""COLD (Chinese offensive language) through ``csguard check``: accuracy and macro-F1.

Run: ``python bench/cold_eval.py [--platform pdd] [--parts dev test] [--no-model]``

A line counts as predicted offensive when ``abusive_language`` is among its categories (a rule or
the learned model). The model was trained on COLD's train split and its threshold chosen on dev;
test is the figure to report, once (training/README.md). The data live in ../shared/data/cold
(Apache-2.0), never in the repository: without them this script says so and exits 0.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

COLD = Path(__file__).resolve().parents[2] / "shared" / "data" / "cold"
OFFENSIVE = "abusive_language"  # csguard.vocab.ABUSIVE_LANGUAGE; bench scripts only talk to the CLI


def read_cold(part: str) -> list[tuple[str, int]]:
    with (COLD / f"{part}.csv").open(encoding="utf-8-sig", newline="") as fh:
        return [(row["TEXT"], int(row["label"])) for row in csv.DictReader(fh)]


def csguard_command() -> list[str]:
    script = Path(sys.executable).with_name("csguard")
    if script.exists():
        return [str(script)]
    found = shutil.which("csguard")
    if found is None:
        raise SystemExit("the csguard command is not installed (pip install -e .)")
    return [found]


def predictions(rows: list[tuple[str, int]], platform: str, no_model: bool) -> list[bool]:
    with tempfile.TemporaryDirectory() as tmp:
        source, output = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        with source.open("w", encoding="utf-8") as fh:
            for i, (text, _) in enumerate(rows):
                fh.write(json.dumps({"id": i, "text": text}, ensure_ascii=False) + "\n")
        cmd = [
            *csguard_command(),
            "check",
            "--input",
            str(source),
            "--output",
            str(output),
            "--platform",
            platform,
        ]
        subprocess.run([*cmd, *(["--no-model"] if no_model else [])], check=True, capture_output=True)
        found = {}
        with output.open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                found[row["id"]] = OFFENSIVE in row["categories"]
    return [found.get(i, False) for i in range(len(rows))]


def scores(pred: list[bool], gold: list[int]) -> dict[str, float]:
    f1s = []
    for positive in (True, False):
        tp = sum(1 for p, g in zip(pred, gold, strict=True) if p == positive and bool(g) == positive)
        predicted = sum(1 for p in pred if p == positive)
        actual = sum(1 for g in gold if bool(g) == positive)
        f1s.append(2 * tp / (predicted + actual) if predicted + actual else 0.0)
    accuracy = sum(1 for p, g in zip(pred, gold, strict=True) if p == bool(g)) / len(gold)
    return {"accuracy": round(accuracy, 4), "macro_f1": round(sum(f1s) / 2, 4), "lines": len(gold)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--platform", default="pdd")
    parser.add_argument("--parts", nargs="+", default=["dev", "test"], choices=["dev", "test"])
    parser.add_argument("--no-model", action="store_true", help="rules only (the learned model off)")
    parser.add_argument("--json", dest="json_path", help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if not COLD.exists():
        print(f"COLD is not at {COLD}: skipping (see ../shared/data/README.md)")
        return 0
    report = {}
    for part in args.parts:
        rows = read_cold(part)
        report[part] = scores(predictions(rows, args.platform, args.no_model), [y for _, y in rows])
        print(f"COLD {part}: " + ", ".join(f"{k} {v}" for k, v in report[part].items()), flush=True)
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
