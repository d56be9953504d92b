"""Rule-pack listing, validation and example runs: what ``csguard rules`` shows, computed here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from csguard.rulepacks.schema import PackFile

PackFiles = list[tuple[Path, PackFile]]


def load_packs(extra: Iterable[Path] = ()) -> PackFiles:
    """The shipped pack files and those in ``extra`` folders; raises ``RulePackError``."""
    from csguard.rulepacks.loader import pack_files

    return list(pack_files(extra))


@dataclass(frozen=True, slots=True)
class RuleRow:
    id: str
    category: str
    severity: str
    platforms: str
    matches: str
    file: str


def rule_rows(files: PackFiles, *, platform: str | None = None, category: str | None = None) -> list[RuleRow]:
    """One row per rule, optionally only those active on ``platform`` or of ``category``."""
    rows = []
    for path, f in files:
        for rule in f.rules:
            if platform and (platform not in rule.platforms or platform not in f.platforms):
                continue
            if category and rule.category != category:
                continue
            if rule.terms:
                how = f"{len(rule.terms)} terms"
            elif rule.near:
                how = f"near {len(rule.near.first)}×{len(rule.near.then)}"
            else:
                how = f"entity {rule.entity.type if rule.entity else ''}"
            rows.append(RuleRow(rule.id, rule.category, rule.severity, ",".join(rule.platforms), how, path.name))
    return rows


def validate_packs(files: PackFiles) -> tuple[int, tuple[str, ...]]:
    """Build every platform's rule set (raises on the first problem); the rule count and platforms."""
    from csguard.guard import PLATFORMS
    from csguard.rulepacks.loader import build_ruleset

    for platform in PLATFORMS:
        build_ruleset(platform, files)
    return sum(len(f.rules) for _, f in files), tuple(PLATFORMS)


@dataclass(frozen=True, slots=True)
class ExampleFailure:
    file: str
    rule_id: str
    platform: str
    kind: str  # "match" or "no_match"
    text: str


@dataclass(slots=True)
class ExampleRun:
    total: int = 0
    failures: list[ExampleFailure] = field(default_factory=list)


def run_examples(files: PackFiles) -> ExampleRun:
    """Every rule's match/no_match examples through the compiled engine of its first platform."""
    from csguard.engine.compiled import CompiledRules, compile_rules
    from csguard.engine.evaluate import evaluate
    from csguard.rulepacks.loader import build_ruleset
    from csguard.text.normalize import Normalized

    compiled: dict[tuple[str, str], CompiledRules] = {}
    run = ExampleRun()
    for path, f in files:
        for rule in f.rules:
            platform = next(p for p in rule.platforms if p in f.platforms)
            key = (platform, rule.direction)
            if key not in compiled:
                compiled[key] = compile_rules(build_ruleset(platform, files), direction=rule.direction)
            for kind, texts in (("match", rule.examples.match), ("no_match", rule.examples.no_match)):
                for text in texts:
                    run.total += 1
                    hit = any(x.rule_id == rule.id for x in evaluate(compiled[key], Normalized(text)))
                    if hit != (kind == "match"):
                        run.failures.append(ExampleFailure(path.name, rule.id, platform, kind, text))
    return run
