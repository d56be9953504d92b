"""Vectorized normalization and triage of many messages at once (the batch path without the C scanner).

Most chat messages are clean. For a batch, folding, noise removal and collapsing run as numpy
array operations over all messages joined, one Aho-Corasick scan covers them all, and only the
messages whose hits could lead to a finding go through the per-message evaluation, with their
offset maps already computed. Results are identical to checking each message alone (a test
asserts it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from csguard.engine.compiled import CompiledRules
from csguard.engine.evaluate import READ_TWO_WAYS, evaluate_text
from csguard.results import Finding
from csguard.text.normalize import Normalized
from csguard.text.tables import array_tables, collapse_mask

# Joins messages: a word character (so it survives noise removal and blocks matches across
# messages) that no pattern contains.
SEP = "\ua000"
_SEP_CP = 0xA000
_MIN_DIGIT_RUN = 7

U32 = npt.NDArray[np.uint32]


@dataclass
class NormalizedBatch:
    texts: Sequence[str]
    folded: U32
    compact: str
    compact_pos: npt.NDArray[np.int64]  # compact char -> position in the joined original
    starts: list[int]  # each message's offset in the joined original
    compact_bounds: list[tuple[int, int]]
    per_message: set[int]  # messages that need the full per-message normalization

    def normalized(self, i: int) -> Normalized:
        text = self.texts[i]
        if i in self.per_message:
            return Normalized(text)
        start = self.starts[i]
        cs, ce = self.compact_bounds[i]
        folded = self.folded[start : start + len(text)].tobytes().decode("utf-32-le")
        compact_map = (self.compact_pos[cs:ce] - start).tolist()
        return Normalized.from_parts(text, folded, self.compact[cs:ce], compact_map)


def normalize_batch(texts: Sequence[str]) -> NormalizedBatch | None:
    """None when the batch cannot take the fast path (a message contains the separator)."""
    if any(SEP in t for t in texts):
        return None
    t = array_tables()
    joined = SEP.join(texts)
    cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    folded = t.fold1[cps]
    keep = t.keep[folded]
    comp = folded[keep]
    pos = np.flatnonzero(keep)
    drop = collapse_mask(comp)
    if drop is not None:
        comp, pos = comp[~drop], pos[~drop]
    compact = comp.tobytes().decode("utf-32-le")

    starts: list[int] = []
    offset = 0
    for text in texts:
        starts.append(offset)
        offset += len(text) + 1
    seps = np.flatnonzero(comp == _SEP_CP).tolist()
    edges = [-1, *seps, len(compact)]
    bounds = [(edges[i] + 1, edges[i + 1]) for i in range(len(texts))]

    per_message: set[int] = set()
    multi_at = np.flatnonzero(t.multi[cps])
    if multi_at.size:
        per_message.update(np.searchsorted(np.array(starts), multi_at, side="right") - 1)
    return NormalizedBatch(texts, folded, compact, pos, starts, bounds, {int(i) for i in per_message})


def messages_needing_evaluation(c: CompiledRules, batch: NormalizedBatch) -> set[int]:
    """Indices of messages whose hits, digits or special characters could produce a finding.

    Mirrors the fast path of ``evaluate``: a term hit, both words of one near-rule, a recognizer
    trigger that can come to something (handles need digits, an address needs a third party), a
    long digit run, an "@", or a symbol that is read two ways.
    """
    assert c.matcher is not None
    t = array_tables()
    need = set(batch.per_message)
    comp_starts = np.array([b[0] for b in batch.compact_bounds])
    comp = np.frombuffer(batch.compact.encode("utf-32-le"), dtype=np.uint32)
    digit = t.digit[comp]
    digits_per_message = np.add.reduceat(digit.astype(np.int32), comp_starts) if comp.size else np.zeros(0)
    hits = c.matcher.find(batch.compact)
    if hits:
        arr = np.array(hits, dtype=np.int64)
        pat = arr[:, 0]
        msg = np.searchsorted(comp_starts, arr[:, 1], side="right") - 1
        need.update(msg[c.term_patterns[pat]].tolist())
        triggered = msg[c.trigger_patterns[pat]]
        need.update(triggered[digits_per_message[triggered] > 0].tolist())
        need.update(msg[c.url_patterns[pat]].tolist())
        addressed = set(msg[c.address_patterns[pat]].tolist())
        if addressed:
            need.update(addressed & set(msg[c.third_party_patterns[pat]].tolist()))
        near_at = np.flatnonzero(c.near_patterns[pat])
        if near_at.size:
            firsts: dict[int, set[int]] = {}
            thens: dict[int, set[int]] = {}
            for k in near_at.tolist():
                summary = c.summaries[int(pat[k])]
                m = int(msg[k])
                firsts.setdefault(m, set()).update(summary.firsts)
                thens.setdefault(m, set()).update(summary.thens)
            need.update(m for m, rules in firsts.items() if rules & thens.get(m, set()))
    if c.recognizers and digit.size >= _MIN_DIGIT_RUN:
        window = np.convolve(digit.astype(np.int32), np.ones(_MIN_DIGIT_RUN, dtype=np.int32), mode="valid")
        at = np.flatnonzero(window == _MIN_DIGIT_RUN)
        if at.size:
            need.update((np.searchsorted(comp_starts, at, side="right") - 1).tolist())
    if "email" in c.recognizers:
        need.update(i for i, text in enumerate(batch.texts) if "@" in text or "＠" in text)
    need.update(i for i, text in enumerate(batch.texts) if READ_TWO_WAYS.search(text))
    return {int(i) for i in need}


def evaluate_batch(compiled: CompiledRules, texts: Sequence[str]) -> list[list[Finding]]:
    """Findings per message, evaluating in full only the messages that can have any."""
    if compiled.scanner is not None:  # the C scanner already dismisses clean messages one by one
        return [evaluate_text(compiled, t) for t in texts]
    batch = normalize_batch(texts) if len(texts) > 1 else None
    if batch is None:
        return [evaluate_text(compiled, t) for t in texts]
    need = messages_needing_evaluation(compiled, batch)
    return [evaluate_text(compiled, t, batch.normalized(i)) if i in need else [] for i, t in enumerate(texts)]
