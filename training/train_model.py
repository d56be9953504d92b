#!/usr/bin/env python3
"""Train the learned second opinion and write the weights that ship in src/csguard/model/.

    pip install -e '.[train]'
    python training/train_model.py             # compare candidates, train the chosen one, write weights
    python training/train_model.py --compare   # only print the comparison

Deterministic: the data are read in file order and split by a hash of each line's hand-written
core (model_data.py), liblinear has no random state for these problems, and the weights file is
written byte for byte the same (tests/model/test_training.py checks the rebuild when COLD is
present). What it trains on and why each choice was made: training/README.md (the model card).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score

sys.path.insert(0, str(Path(__file__).resolve().parent))
from model_data import ROOT, Example, Split, innocent_clauses, load_cold, load_corpus, split_by_group

from csguard.model.features import buckets, code_points
from csguard.model.loader import encode
from csguard.text.normalize import compact_text
from csguard.vocab import ABUSE, ABUSIVE_LANGUAGE, OUTBOUND_CATEGORIES, TRIAGE_SIGNALS

MODEL_DIR = ROOT / "src" / "csguard" / "model"
REPORT = ROOT / "training" / "model_report.json"

# Thresholds (training/README.md explains the numbers).
# Calibration lines are mostly violations and hard look-alikes, and they are composed, not real:
# real traffic is almost all clean and worded differently. So the model alone speaks only where
# held-out innocent lines (and their clauses) essentially never reach it.
WARN_PRECISION = 0.99  # a model-only warning is right at least this often on calibration lines
WARN_INNOCENT_RATE = 0.0005  # ... and fires on at most this share of innocent calibration lines
BLOCK_PRECISION = 0.995
BLOCK_INNOCENT_RATE = 0.0  # per category: no innocent calibration line is blocked by the model alone
ESCALATE_PRECISION = 0.99
ESCALATE_INNOCENT_RATE = 0.0
# The model alone needs evidence: a head's n-grams must add at least this much to its logit, so a
# message it knows nothing about (a bare number, a greeting) never fires on the prior alone.
EVIDENCE_LOGIT = 2.0
# Fewer characters than this left to read (a bare number, a link, "亲"): the model abstains.
MIN_CHARS = 4
# A head acts alone only when it ranks its calibration lines well (average precision); a weaker
# head would trade many real-traffic false alarms for few catches. Offensive language is judged on
# its calibration lines including COLD dev.
MIN_HEAD_AP = 0.9
# The model alone warns only when it finds the category more likely than not (its explanation
# says 很可能), and blocks only when it is this sure.
WARN_PROBABILITY = 0.5
BLOCK_PROBABILITY = 0.99
QUANT_MAX = 127  # int8
MIN_FLAGS = 20  # a threshold must flag at least this many true lines on calibration data


@dataclass(frozen=True)
class Candidate:
    name: str
    nmin: int
    nmax: int
    bits: int
    nb: bool  # NB-LR: weigh each feature by its log-count ratio before the regression
    C: float = 1.0
    cold_weight: float = 1.0  # the weight of a COLD line against a CS corpus line


CANDIDATES = (
    Candidate("lr-1to3-C1", 1, 3, 18, False, 1.0),
    Candidate("lr-1to3-C10", 1, 3, 18, False, 10.0),
    Candidate("lr-1to3-C30", 1, 3, 18, False, 30.0),
    Candidate("lr-1to4-C10", 1, 4, 18, False, 10.0),
    Candidate("nblr-1to3-C10", 1, 3, 18, True, 10.0),
    Candidate("lr-1to3-C10-17bit", 1, 3, 17, False, 10.0),
    Candidate("lr-1to3-C30-cold0.5", 1, 3, 18, False, 30.0, 0.5),
    Candidate("lr-1to3-C30-cold0.25", 1, 3, 18, False, 30.0, 0.25),
    # Smaller tables stay in the CPU cache: the score's reads are its cost (docs/benchmarks.md).
    Candidate("lr-1to3-C30-17bit", 1, 3, 17, False, 30.0),
    Candidate("lr-1to3-C30-16bit", 1, 3, 16, False, 30.0),
)
CHOSEN = "lr-1to3-C30"


@dataclass
class Table:
    heads: tuple[str, ...]
    train: list[Example]
    calibration: list[Example]
    evaluation: list[Example]


def tables() -> dict[str, Table]:
    """Outbound heads learn from the outbound corpus and COLD; triage heads from the inbound corpus
    and COLD (offensive lines as ``abuse``). COLD dev joins calibration, COLD test is never read."""
    cold_train = [Example(t, (ABUSIVE_LANGUAGE,) if y else (), "cold") for t, y in load_cold("train")]
    cold_dev = [Example(t, (ABUSIVE_LANGUAGE,) if y else (), "cold") for t, y in load_cold("dev")]
    out: Split = split_by_group(load_corpus("outbound"))
    inb: Split = split_by_group(load_corpus("inbound"))
    for split in (out, inb):  # innocent clauses stay on their line's side of the split
        split.train += innocent_clauses(split.train)
        split.calibration += innocent_clauses(split.calibration)

    def as_abuse(rows: list[Example]) -> list[Example]:
        return [Example(e.text, (ABUSE,) if e.labels else (), e.kind) for e in rows]

    return {
        "outbound": Table(
            OUTBOUND_CATEGORIES, out.train + cold_train, out.calibration + cold_dev, out.evaluation
        ),
        "inbound": Table(
            TRIAGE_SIGNALS,
            inb.train + as_abuse(cold_train),
            inb.calibration + as_abuse(cold_dev),
            inb.evaluation,
        ),
    }


def matrix(rows: list[Example], cand: Candidate) -> sparse.csr_matrix:
    """Term counts of the hashed n-grams, exactly the buckets the runtime scorer reads (the row
    sums are each message's number of n-grams)."""
    indptr, indices = [0], []
    for ex in rows:
        indices.extend(buckets(compact_text(ex.text), cand.bits, cand.nmin, cand.nmax))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    m = sparse.csr_matrix(
        (data, np.array(indices, dtype=np.int64), np.array(indptr)), shape=(len(rows), 1 << cand.bits)
    )
    m.sum_duplicates()
    return m


def targets(rows: list[Example], heads: tuple[str, ...]) -> np.ndarray:
    return np.array([[h in ex.labels for h in heads] for ex in rows], dtype=bool)


def normalized(x: sparse.csr_matrix) -> sparse.csr_matrix:
    """Counts divided by the square root of the message's number of n-grams (scorer.py)."""
    return sparse.diags(1.0 / np.sqrt(np.asarray(x.sum(axis=1)).ravel())) @ x


def fit(
    counts: sparse.csr_matrix, y: np.ndarray, cand: Candidate, rows: list[Example]
) -> tuple[np.ndarray, np.ndarray]:
    """Float weights (features x heads) and biases, one binary regression per head."""
    x = normalized(counts)
    sample_weight = np.array([cand.cold_weight if ex.kind == "cold" else 1.0 for ex in rows])
    weights = np.zeros((x.shape[1], y.shape[1]))
    biases = np.zeros(y.shape[1])
    present = (x > 0).astype(np.float64)
    for k in range(y.shape[1]):
        scale = np.ones(x.shape[1])
        if cand.nb:
            p = np.asarray(present[y[:, k]].sum(axis=0)).ravel() + 1.0
            q = np.asarray(present[~y[:, k]].sum(axis=0)).ravel() + 1.0
            scale = np.log((p / p.sum()) / (q / q.sum()))
        reg = LogisticRegression(C=cand.C, solver="liblinear", max_iter=1000)
        reg.fit(x @ sparse.diags(scale), y[:, k], sample_weight=sample_weight)
        weights[:, k] = reg.coef_.ravel() * scale
        biases[k] = reg.intercept_[0]
    return weights, biases


def quantize(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 weights and each head's scale (bias + scale * value = the logit)."""
    scales = np.abs(weights).max(axis=0) / QUANT_MAX
    scales[scales == 0] = 1.0
    return np.clip(np.rint(weights / scales), -QUANT_MAX, QUANT_MAX).astype(np.int8), scales


def values(counts: sparse.csr_matrix, q: np.ndarray) -> np.ndarray:
    """What the runtime computes: integer sums over n-gram occurrences / sqrt(number of n-grams)."""
    sums = np.asarray(counts.astype(np.int64) @ q.astype(np.int64))
    ngrams = np.asarray(counts.sum(axis=1)).ravel().astype(np.int64)
    return sums / np.sqrt(ngrams.astype(np.float64))[:, None]


def lowest_threshold(
    scores: np.ndarray, pos: np.ndarray, innocent: np.ndarray, precision: float, rate: float
) -> float:
    """The lowest integer score at which precision and the innocent-line rate both hold: the most
    recall the calibration data allow at that precision."""
    order = np.argsort(-scores, kind="stable")
    s, p, inn = scores[order], pos[order], innocent[order]
    tp, fp_inn, flagged = np.cumsum(p), np.cumsum(inn), np.arange(1, len(s) + 1)
    ok = (tp / flagged >= precision) & (fp_inn / max(1, innocent.sum()) <= rate)
    best = float(s[0]) + 1.0  # nothing fires
    for i in range(len(s)):
        # A threshold sits between distinct scores; too few flags say nothing about precision.
        if (i + 1 == len(s) or s[i + 1] != s[i]) and ok[i] and tp[i] >= MIN_FLAGS:
            best = float(s[i])
    return best


def best_f1_threshold(scores: np.ndarray, pos: np.ndarray) -> float:
    """The value threshold with the best macro-F1 of offensive / not offensive (COLD dev)."""
    best, best_f1 = 0.0, -1.0
    for t in np.unique(np.quantile(scores, np.linspace(0.2, 0.8, 241))):
        pred = scores >= t
        f1 = macro_f1(pred, pos)
        if f1 > best_f1:
            best, best_f1 = float(t), f1
    return best


def macro_f1(pred: np.ndarray, pos: np.ndarray) -> float:
    out = []
    for a, b in ((pred, pos), (~pred, ~pos)):
        tp = float((a & b).sum())
        out.append(2 * tp / max(1.0, float(a.sum() + b.sum())))
    return sum(out) / 2


def head_report(
    scores: np.ndarray, y: np.ndarray, rows: list[Example], heads: tuple[str, ...], warn: list[float]
) -> dict:
    innocent = np.array([not ex.labels for ex in rows])
    report = {}
    for k, h in enumerate(heads):
        fired = scores[:, k] >= warn[k]
        tp = int((fired & y[:, k]).sum())
        report[h] = {
            "precision": round(tp / max(1, int(fired.sum())), 3),
            "recall": round(tp / max(1, int(y[:, k].sum())), 3),
            "innocent_rate": round(int((fired & innocent).sum()) / max(1, int(innocent.sum())), 4),
            "average_precision": round(float(average_precision_score(y[:, k], scores[:, k])), 3),
        }
    return report


def compare(only: list[str]) -> dict[str, dict]:
    """Each candidate's mean average precision per table on calibration lines, and COLD dev."""
    data = tables()
    results: dict[str, dict] = {}
    for cand in CANDIDATES:
        if only and cand.name not in only:
            continue
        row: dict[str, float] = {}
        for name, table in data.items():
            w, _ = fit(matrix(table.train, cand), targets(table.train, table.heads), cand, table.train)
            xc, yc = matrix(table.calibration, cand), targets(table.calibration, table.heads)
            q, _ = quantize(w)
            s = values(xc, q)
            corpus = np.array([ex.kind != "cold" for ex in table.calibration])
            row[f"{name}_mean_ap"] = round(
                float(
                    np.mean(
                        [
                            average_precision_score(yc[corpus, k], s[corpus, k])
                            for k in range(len(table.heads))
                        ]
                    )
                ),
                4,
            )
            if name == "outbound":
                cold = ~corpus
                k = table.heads.index(ABUSIVE_LANGUAGE)
                t = best_f1_threshold(s[cold, k], yc[cold, k])
                pred = s[cold, k] >= t
                row["cold_dev_accuracy"] = round(float((pred == yc[cold, k]).mean()), 4)
                row["cold_dev_macro_f1"] = round(macro_f1(pred, yc[cold, k]), 4)
                row["weights_nonzero"] = int(np.count_nonzero(q))
                row["abusive_language_corpus_ap"] = round(float(average_precision_score(yc[corpus, k], s[corpus, k])), 4)
                # How often COLD's best threshold would flag innocent CS lines (and their clauses).
                innocent = corpus & ~yc.any(axis=1)
                row["innocent_cs_rate_at_cold_threshold"] = round(float((s[innocent, k] >= t).mean()), 4)
        results[cand.name] = row
        print(cand.name, row, flush=True)
    return results


def train(cand: Candidate) -> dict:
    data = tables()
    header: dict = {
        "bits": cand.bits,
        "nmin": cand.nmin,
        "nmax": cand.nmax,
        "min_chars": MIN_CHARS,
        "candidate": cand.name,
        "tables": {},
    }
    payload: dict[str, bytes] = {}
    report: dict = {"candidate": cand.name}
    for name, table in data.items():
        w, b = fit(matrix(table.train, cand), targets(table.train, table.heads), cand, table.train)
        q, scales = quantize(w)
        xc, yc = matrix(table.calibration, cand), targets(table.calibration, table.heads)
        s = values(xc, q)
        # Thresholds come from the CS corpus lines; COLD dev (offensive talk about groups, a
        # different task) only sets how low the offensive-language warning may go.
        cold = np.array([ex.kind == "cold" for ex in table.calibration])
        sc, yk = s[~cold], yc[~cold]
        innocent = np.array([not ex.labels for ex in table.calibration])[~cold]
        heads, warn = [], []
        long_enough = np.array(
            [len(code_points(compact_text(e.text))) - 2 >= MIN_CHARS for e in table.calibration]
        )
        s = np.where(long_enough[:, None], s, -1e9)  # what the runtime abstains on never fires
        sc = s[~cold]
        for k, h in enumerate(table.heads):
            ap_rows = slice(None) if h == ABUSIVE_LANGUAGE else ~cold
            trusted = average_precision_score(yc[ap_rows, k], s[ap_rows, k]) >= MIN_HEAD_AP
            if name == "outbound":
                low = lowest_threshold(sc[:, k], yk[:, k], innocent, WARN_PRECISION, WARN_INNOCENT_RATE)
                if h == ABUSIVE_LANGUAGE:  # COLD's offensive lines: the best macro-F1 on COLD dev, if lower
                    cold_best = best_f1_threshold(s[cold, k], yc[cold, k])
                    print(
                        "abusive_language: corpus threshold",
                        low,
                        "COLD dev best",
                        cold_best,
                        "COLD dev accuracy at each",
                        [float(((s[cold, k] >= t) == yc[cold, k]).mean()) for t in (low, cold_best)],
                    )
                    low = min(low, cold_best)
                low = max(
                    low, EVIDENCE_LOGIT / float(scales[k]), logit_value(WARN_PROBABILITY, b[k], scales[k])
                )
                block = lowest_threshold(sc[:, k], yk[:, k], innocent, BLOCK_PRECISION, BLOCK_INNOCENT_RATE)
                block = max(low, block, logit_value(BLOCK_PROBABILITY, b[k], scales[k]))
            else:
                low = lowest_threshold(
                    sc[:, k], yk[:, k], innocent, ESCALATE_PRECISION, ESCALATE_INNOCENT_RATE
                )
                low = max(
                    low, EVIDENCE_LOGIT / float(scales[k]), logit_value(WARN_PROBABILITY, b[k], scales[k])
                )
                block = low
            if not trusted:
                low = block = math.inf
            warn.append(low)
            heads.append(
                {"name": h, "bias": float(b[k]), "scale": float(scales[k]), "warn": low, "block": block}
            )
        header["tables"][name] = heads
        payload[name] = q.tobytes(order="C")
        xe, ye = matrix(table.evaluation, cand), targets(table.evaluation, table.heads)
        report[name] = {
            "thresholds": {
                h["name"]: {
                    "warn": h["warn"],
                    "block": h["block"],
                    "warn_probability": probability(h, h["warn"]),
                    "block_probability": probability(h, h["block"]),
                }
                for h in heads
            },
            "calibration": head_report(
                sc, yk, [e for e in table.calibration if e.kind != "cold"], table.heads, warn
            ),
            "evaluation": head_report(values(xe, q), ye, table.evaluation, table.heads, warn),
            "sizes": {
                "train": len(table.train),
                "calibration": len(table.calibration),
                "evaluation": len(table.evaluation),
            },
        }
    blob = encode(header, payload)
    (MODEL_DIR / "weights.bin").write_bytes(blob)
    report["weights_bytes"] = len(blob)
    return report


def logit_value(p: float, bias: float, scale: float) -> float:
    """The value at which a head's probability reaches ``p``."""
    return (math.log(p / (1 - p)) - float(bias)) / float(scale)


def probability(head: dict, value: float) -> float:
    return round(1 / (1 + math.exp(-(head["bias"] + head["scale"] * value))), 4)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--compare", action="store_true", help="only compare the candidates")
    parser.add_argument("--only", nargs="*", default=[], help="with --compare: these candidates only")
    args = parser.parse_args()
    if args.compare:
        print(json.dumps(compare(args.only), indent=2))
        return 0
    report = train(next(c for c in CANDIDATES if c.name == CHOSEN))
    REPORT.write_text(
        json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
