"""The public check API: ``Guard(platform=...).check(text)`` and ``.triage(text)``.

A Guard compiles its platform's rule packs (plus the shop's custom and allow words) once;
checks are then pure functions of the text, safe to call from many threads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet

from csguard.engine.batch import evaluate_batch
from csguard.engine.compiled import CompiledRules, CustomWord, coerce_custom_words, compile_rules
from csguard.engine.evaluate import evaluate_text
from csguard.errors import InputTooLarge, InvalidInput
from csguard.model import RULE_PREFIX, Model, ModelHit, model_finding
from csguard.results import SEVERITY_RANK, CheckResult, Finding, TriageResult, verdict_for
from csguard.rulepacks.loader import load_ruleset
from csguard.rulepacks.schema import PLATFORMS
from csguard.text.normalize import FOLDER, compact_text, normalize_term
from csguard.vocab import DEFAULT_PLATFORM

# Default longest message; the CLI and service pass CSGUARD_MAX_TEXT_CHARS instead. Chat messages
# are far shorter; the limit bounds the work one call can cause (a 100 KB paste takes well under a second).
MAX_TEXT_CHARS = 100_000
MASK = "＊"

__all__ = ["MAX_TEXT_CHARS", "PLATFORMS", "CustomWord", "Guard"]


class Guard:
    def __init__(
        self,
        platform: str = DEFAULT_PLATFORM,
        custom_words: Iterable[str | CustomWord | dict[str, str]] = (),
        allow_words: Iterable[str] = (),
        max_chars: int | None = None,
        model: bool = True,
    ) -> None:
        """``model=False`` turns the learned second opinion off (a shop's ``model_enabled``)."""
        if platform not in PLATFORMS:
            raise InvalidInput(
                f"unknown platform {platform!r}; expected one of {', '.join(PLATFORMS)}",
                details={"field": "platform"},
            )
        self.platform = platform
        # Callers that serve users pass settings.max_text_chars; the library reads no global settings.
        self.max_chars = max_chars if max_chars is not None else MAX_TEXT_CHARS
        self.custom_words = coerce_custom_words(custom_words)
        self.allow_words = [w.strip() for w in allow_words if isinstance(w, str) and w.strip()]
        self._ruleset = load_ruleset(platform)
        self._outbound = compile_rules(
            self._ruleset, direction="outbound", custom_words=self.custom_words, allow_words=self.allow_words
        )
        self._inbound: CompiledRules | None = None
        self._replacements = {r.id: r.replacement for r in self._outbound.rules}
        self._model = Model.shipped() if model else None
        # Most messages are clean: the model's C gate (None = no head reaches its threshold) is
        # called directly, without the Python layers of Model.check_hits.
        self._model_gate = self._model.outbound.gate if self._model is not None else None
        # Words never flagged on this platform or for this shop (淘宝 on Taobao, a shop's 放行词)
        # are no evidence for the model either: a hit must hold without them (_model_hits).
        allowed = sorted({normalize_term(w) for w in (*self._ruleset.allow, *self.allow_words)} - {""}, key=len)
        self._model_unread = re.compile("|".join(map(re.escape, reversed(allowed)))) if allowed else None

    @property
    def model_enabled(self) -> bool:
        return self._model is not None

    @property
    def compiled(self) -> CompiledRules:
        """The compiled outbound rules (patterns, references); used by the benchmark and tools."""
        return self._outbound

    def _validate(self, text: object) -> str:
        if not isinstance(text, str):
            raise InvalidInput(f"text must be a string, not {type(text).__name__}", details={"field": "text"})
        if len(text) > self.max_chars:
            raise InputTooLarge(
                f"text has {len(text)} characters; the maximum is {self.max_chars}",
                details={"field": "text", "max": self.max_chars},
            )
        return text

    def check(self, text: str) -> CheckResult:
        """Check an agent's message before it is sent."""
        if type(text) is not str or len(text) > self.max_chars:
            text = self._validate(text)
        scanner = self._outbound.scanner
        if scanner is None:
            return self._check_result(text, self._with_model(text, evaluate_text(self._outbound, text)))
        # Most messages are clean, and the C scanner says so without building anything; the
        # model (in C too) then scores the compact view and almost always finds nothing either.
        scanned = scanner.scan(text)
        if scanned is None:
            gate = self._model_gate
            if gate is None:
                return CheckResult(text, self.platform, "allow", [], text)
            compact = FOLDER.compact(text) if FOLDER is not None else compact_text(text)
            if gate(compact) is None:
                return CheckResult(text, self.platform, "allow", [], text)
            hits = self._model_hits(compact, inbound=False)
            if not hits:
                return CheckResult(text, self.platform, "allow", [], text)
            return self._check_result(text, [model_finding(h, text, compact) for h in hits])
        findings = evaluate_text(self._outbound, text, scanned=scanned)
        return self._check_result(text, self._with_model(text, findings, scanned[1]))

    def check_batch(self, texts: Sequence[str]) -> list[CheckResult]:
        """Check many messages at once; same results as ``check`` on each (faster per message
        than ``check`` without the C scanner, the same with it)."""
        if self._outbound.scanner is not None:
            check = self.check  # validates each text as it goes
            return [check(t) for t in texts]
        texts = [self._validate(t) for t in texts]
        batch = evaluate_batch(self._outbound, texts)
        return [self._check_result(t, self._with_model(t, fs)) for t, fs in zip(texts, batch, strict=True)]

    def triage(self, text: str) -> TriageResult:
        """Classify a BUYER's message: should a supervisor look at this conversation?"""
        text = self._validate(text)
        return self._triage_result(text, self._with_model(text, evaluate_text(self._inbound_rules(), text), inbound=True))

    def triage_batch(self, texts: Sequence[str]) -> list[TriageResult]:
        """Triage many buyer messages at once; same results as ``triage`` on each."""
        texts = [self._validate(t) for t in texts]
        findings = evaluate_batch(self._inbound_rules(), texts)
        return [
            self._triage_result(t, self._with_model(t, fs, inbound=True)) for t, fs in zip(texts, findings, strict=True)
        ]

    def _with_model(
        self, text: str, findings: list[Finding], compact: str | None = None, *, inbound: bool = False
    ) -> list[Finding]:
        """The rules' findings plus one from the model for each category only the model saw."""
        if self._model is None:
            return findings
        compact = compact_text(text) if compact is None else compact
        hits = self._model_hits(compact, {f.category for f in findings}, inbound=inbound)
        return findings + [model_finding(h, text, compact, inbound=inbound) for h in hits] if hits else findings

    def _model_hits(self, compact: str, found: AbstractSet[str] = frozenset(), *, inbound: bool) -> list[ModelHit]:
        """The model's hits on categories the rules did not find (``found``), each of which also
        holds without the allowed words.

        Scoring the message as it is first keeps the rewrite of the text off the path of the
        messages the model adds nothing to: removing words only takes evidence away."""
        assert self._model is not None
        score = self._model.triage_hits if inbound else self._model.check_hits
        hits = [h for h in score(compact) if h.category not in found]
        if not hits or self._model_unread is None:
            return hits
        view = self._model_unread.sub("", compact)
        if view == compact:
            return hits
        again = {h.category: h for h in score(view)}
        return [again[h.category] for h in hits if h.category in again]

    def _check_result(self, text: str, findings: list[Finding]) -> CheckResult:
        if not findings:
            return CheckResult(text, self.platform, "allow", [], text)
        # A model finding spans the whole message and has no compliant wording: nothing to rewrite.
        rewritten = rewrite(text, [f for f in findings if not f.rule_id.startswith(RULE_PREFIX)], self._replacements)
        return CheckResult(text, self.platform, verdict_for(findings), findings, rewritten)

    def _triage_result(self, text: str, findings: list[Finding]) -> TriageResult:
        signals = list(dict.fromkeys(f.category for f in findings))
        return TriageResult(text, self.platform, bool(signals), signals, findings)

    def _inbound_rules(self) -> CompiledRules:
        if self._inbound is None:
            self._inbound = compile_rules(self._ruleset, direction="inbound", allow_words=self.allow_words)
        return self._inbound


def rewrite(text: str, findings: list[Finding], replacements: dict[str, str | None]) -> str:
    """The message with each flagged span replaced by its rule's compliant wording, or masked.

    ``findings`` come in the engine's order: by start, longer first.
    """
    spans: list[tuple[int, int, Finding]] = []
    for f in findings:
        if spans and f.start < spans[-1][1]:
            s, e, worst = spans[-1]
            if SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst.severity]:
                worst = f
            spans[-1] = (s, max(e, f.end), worst)
        else:
            spans.append((f.start, f.end, f))
    out: list[str] = []
    pos = 0
    for s, e, f in spans:
        out.append(text[pos:s])
        replacement = replacements.get(f.rule_id)
        out.append(replacement if replacement is not None else MASK * (e - s))
        pos = e
    out.append(text[pos:])
    return "".join(out)
