"""The model's training and evaluation data, read deterministically (see training/README.md).

* COLD (../shared/data/cold, Apache-2.0): train for training, dev for choosing, test once.
* The project's composed CS corpora (training/corpus/{outbound,inbound}/corpus.jsonl). Their lines
  reuse hand-written cores with different greetings, slot fillers and punctuation, so a random
  split would leak a core into both sides. Each line is traced back to its core (the fragment line
  whose literal text it contains) and the split is made by core: a stable hash of the core puts
  it in train, calibration (choosing models and thresholds) or evaluation (the figures reported).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick_rs

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "training" / "corpus"
COLD = ROOT.parent / "shared" / "data" / "cold"

# Share of cores in calibration and in evaluation (the rest trains).
CALIBRATION_SHARE = 0.15
EVALUATION_SHARE = 0.15

_NOT_WORD = re.compile(r"[\W_]+")
_SLOT = re.compile(r"\{[A-Za-z_]+\}")
_LABELS = re.compile(r"^\[[a-z_,]+\]\s*")


@dataclass
class Example:
    text: str
    labels: tuple[str, ...]
    kind: str  # the corpus's kind (violation/signal, look_alike, benign), "clause" or "cold"
    group: str = ""


@dataclass
class Split:
    train: list[Example] = field(default_factory=list)
    calibration: list[Example] = field(default_factory=list)
    evaluation: list[Example] = field(default_factory=list)


def _bare(text: str) -> str:
    return _NOT_WORD.sub("", text).lower()


def _cores(fragments: Path) -> list[tuple[str, list[str]]]:
    """Every hand-written core (file:line text) with its literal chunks between slots."""
    cores: list[tuple[str, list[str]]] = []
    for path in sorted(fragments.glob("*.txt")):
        if path.name == "slots.txt":
            continue
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            line = _LABELS.sub("", line.split("\t", 1)[-1])
            chunks = [c for c in (_bare(part) for part in _SLOT.split(line)) if c]
            if chunks:
                cores.append((f"{path.stem}:{line}", chunks))
    return cores


def _core_of(bare: str, candidates: list[tuple[str, list[str]]]) -> str | None:
    """The longest core whose chunks all occur in ``bare``, in order."""
    best, best_len = None, 0
    for name, chunks in candidates:
        pos, ok = 0, True
        for chunk in chunks:
            pos = bare.find(chunk, pos)
            if pos < 0:
                ok = False
                break
            pos += len(chunk)
        size = sum(map(len, chunks))
        if ok and (size > best_len or (size == best_len and best is not None and name < best)):
            best, best_len = name, size
    return best


def assign_groups(examples: list[Example], fragments: Path) -> None:
    cores = _cores(fragments)
    keyed: dict[str, list[tuple[str, list[str]]]] = {}
    for name, chunks in cores:
        keyed.setdefault(max(chunks, key=len), []).append((name, chunks))
    keys = sorted(keyed)
    automaton = ahocorasick_rs.AhoCorasick(keys)
    for ex in examples:
        bare = _bare(ex.text)
        found = {keys[i] for i, _, _ in automaton.find_matches_as_indexes(bare, overlapping=True)}
        candidates = [c for k in sorted(found) for c in keyed[k]]
        ex.group = _core_of(bare, candidates) or f"line:{ex.text}"


def _bucket(group: str) -> float:
    return int(hashlib.sha256(group.encode("utf-8")).hexdigest()[:8], 16) / 0x1_0000_0000


def split_by_group(examples: list[Example]) -> Split:
    split = Split()
    for ex in examples:
        u = _bucket(ex.group)
        if u < CALIBRATION_SHARE:
            split.calibration.append(ex)
        elif u < CALIBRATION_SHARE + EVALUATION_SHARE:
            split.evaluation.append(ex)
        else:
            split.train.append(ex)
    return split


_CLAUSE = re.compile(r"[，。！？；,.!?;~～\s]+")


def innocent_clauses(examples: list[Example]) -> list[Example]:
    """Each clause of an innocent line, as an innocent line of its own (in order, deduplicated).

    Real chats are full of short turns (好的亲, 在的呢, 是的哦) that the composed corpora only
    show inside longer lines; without them a model reads "no evidence" as its prior, which for
    offensive language (half of COLD is offensive) is far too high.
    """
    seen = {ex.text for ex in examples}
    out = []
    for ex in examples:
        if ex.labels:
            continue
        for clause in _CLAUSE.split(ex.text):
            if len(clause) >= 2 and clause not in seen:
                seen.add(clause)
                out.append(Example(clause, (), "clause", ex.group))
    return out


def load_corpus(direction: str) -> list[Example]:
    """A composed corpus (``outbound`` or ``inbound``) with each line's core as its group."""
    folder = CORPUS / direction
    key = "categories" if direction == "outbound" else "signals"
    examples = []
    with (folder / "corpus.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                examples.append(Example(row["text"], tuple(sorted(row[key])), row["kind"]))
    assign_groups(examples, folder / "fragments")
    return examples


def load_cold(part: str) -> list[tuple[str, int]]:
    """COLD ``train``, ``dev`` or ``test`` as (text, offensive) pairs, in file order."""
    path = COLD / f"{part}.csv"
    if not path.exists():
        raise SystemExit(
            f"COLD is not at {COLD} (see ../shared/data/README.md); training needs its train split"
        )
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [(row["TEXT"], int(row["label"])) for row in csv.DictReader(fh)]
