"""Load, validate and merge rule packs. A bad pack fails loudly with file, line, rule id and reason."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from csguard.errors import RulePackError
from csguard.rulepacks.schema import LEXICON_REF, PLATFORMS, PackFile, Rule
from csguard.text.normalize import normalize_term

PACKS_DIR = Path(__file__).resolve().parent / "packs"
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it


@dataclass(frozen=True)
class RuleSet:
    """Everything one platform's guard compiles: common pack plus that platform's overlay."""

    platform: str
    rules: tuple[Rule, ...]
    negators: tuple[str, ...]
    disavowals: tuple[str, ...]
    contexts: dict[str, tuple[str, ...]]
    allow: tuple[str, ...]
    own_domains: tuple[str, ...]
    sources: dict[str, str] = field(default_factory=dict)  # rule id -> file it came from
    words: frozenset[str] = frozenset()  # common two-character words: where short terms straddle a boundary


def _rule_lines(path: Path, text: str) -> list[int]:
    """Line number of each item under ``rules:`` (for error messages)."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "rules" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def load_pack_file(path: Path) -> PackFile:
    text = path.read_text(encoding="utf-8")
    try:
        raw: Any = yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise RulePackError(f"{path.name}: not valid YAML: {exc}", details={"file": str(path), "line": line}) from exc
    if not isinstance(raw, dict):
        raise RulePackError(f"{path.name}: a pack file must be a mapping", details={"file": str(path)})
    try:
        return PackFile.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = err["loc"]
        details: dict[str, Any] = {"file": str(path), "field": ".".join(str(p) for p in loc)}
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
            rules = raw.get("rules") or []
            rule = rules[loc[1]] if loc[1] < len(rules) and isinstance(rules[loc[1]], dict) else {}
            details["rule_id"] = rule.get("id", f"#{loc[1]}")
            lines = _rule_lines(path, text)
            if loc[1] < len(lines):
                details["line"] = lines[loc[1]]
            details["field"] = ".".join(str(p) for p in loc[2:]) or "rule"
        where = f"rule {details['rule_id']}: " if "rule_id" in details else ""
        raise RulePackError(
            f"{path.name}: {where}{details['field']}: {err['msg']}", details=details
        ) from exc


def pack_files(extra_dirs: Iterable[Path] = ()) -> list[tuple[Path, PackFile]]:
    paths = sorted((PACKS_DIR / "common").glob("*.yaml")) + sorted(PACKS_DIR.glob("*.yaml"))
    for d in extra_dirs:
        paths += sorted(Path(d).glob("*.yaml"))
    files = [(p, load_pack_file(p)) for p in paths]
    _check_consistency(files)
    return _with_lexicons(files)


# The rule fields whose words may name a lexicon.
_RULE_WORDS = ("terms", "allow", "unless")
_NEAR_WORDS = ("first", "then", "also")


def _with_lexicons(files: list[tuple[Path, PackFile]]) -> list[tuple[Path, PackFile]]:
    """Every "@name" in a rule replaced by the words of lexicon "name" (from any loaded file), so
    the engine only ever sees plain words: a lexicon is a family's vocabulary, written once."""
    lexicons: dict[str, list[str]] = {}
    origin: dict[str, Path] = {}
    for path, f in files:
        for name, words in f.lexicons.items():
            if name in lexicons:
                raise RulePackError(
                    f"{path.name}: lexicon {name!r} is defined twice (first in {origin[name].name})",
                    details={"file": str(path), "field": f"lexicons.{name}"},
                )
            lexicons[name], origin[name] = words, path
    if not lexicons and not any(_refers(rule) for _, f in files for rule in f.rules):
        return files

    def expand(path: Path, rule: Rule, field_name: str, words: list[str]) -> list[str]:
        out: list[str] = []
        for word in words:
            if not word.startswith(LEXICON_REF):
                out.append(word)
                continue
            name = word[len(LEXICON_REF) :]
            if name not in lexicons:
                raise RulePackError(
                    f"{path.name}: rule {rule.id}: {field_name}: unknown lexicon {word!r}",
                    details={"file": str(path), "rule_id": rule.id, "field": field_name},
                )
            out += lexicons[name]
        return list(dict.fromkeys(out))

    expanded: list[tuple[Path, PackFile]] = []
    for path, f in files:
        rules = []
        for rule in f.rules:
            if not _refers(rule):
                rules.append(rule)
                continue
            update: dict[str, Any] = {name: expand(path, rule, name, getattr(rule, name)) for name in _RULE_WORDS}
            if rule.near is not None:
                near = rule.near
                update["near"] = near.model_copy(
                    update={name: expand(path, rule, f"near.{name}", getattr(near, name)) for name in _NEAR_WORDS}
                )
            rules.append(rule.model_copy(update=update))
        expanded.append((path, f.model_copy(update={"rules": rules})))
    return expanded


def _refers(rule: Rule) -> bool:
    words = [w for name in _RULE_WORDS for w in getattr(rule, name)]
    if rule.near is not None:
        words += [w for name in _NEAR_WORDS for w in getattr(rule.near, name)]
    return any(w.startswith(LEXICON_REF) for w in words)


def _check_consistency(files: list[tuple[Path, PackFile]]) -> None:
    seen: dict[str, Path] = {}
    contexts = {name for _, f in files for name in f.contexts}
    for path, f in files:
        for rule in f.rules:
            if rule.id in seen:
                raise RulePackError(
                    f"{path.name}: rule {rule.id}: duplicate id (first defined in {seen[rule.id].name})",
                    details={"file": str(path), "rule_id": rule.id},
                )
            seen[rule.id] = path
            if rule.entity:
                for name in [*rule.entity.when, *rule.entity.unless]:
                    if name not in contexts:
                        raise RulePackError(
                            f"{path.name}: rule {rule.id}: unknown context {name!r}",
                            details={"file": str(path), "rule_id": rule.id, "field": "entity"},
                        )
    for path, f in files:
        for rule_id in f.disable:
            if rule_id not in seen:
                raise RulePackError(
                    f"{path.name}: disable names unknown rule {rule_id!r}",
                    details={"file": str(path), "rule_id": rule_id, "field": "disable"},
                )


def build_ruleset(platform: str, files: list[tuple[Path, PackFile]]) -> RuleSet:
    if platform not in PLATFORMS:
        raise RulePackError(f"unknown platform {platform!r}", details={"field": "platform"})
    rules: list[Rule] = []
    sources: dict[str, str] = {}
    negators: list[str] = []
    disavowals: list[str] = []
    allow: list[str] = []
    own_domains: list[str] = []
    words: list[str] = []
    contexts: dict[str, list[str]] = {}
    disabled: set[str] = set()
    for path, f in files:
        if platform not in f.platforms:
            continue
        negators += f.negators
        disavowals += f.disavowals
        allow += f.allow
        own_domains += f.own_domains
        words += f.words
        disabled |= set(f.disable)
        for name, markers in f.contexts.items():
            contexts.setdefault(name, []).extend(markers)
        for rule in f.rules:
            if platform in rule.platforms:
                rules.append(rule)
                sources[rule.id] = path.name
    kept = tuple(r for r in rules if r.id not in disabled)
    return RuleSet(
        platform=platform,
        rules=kept,
        negators=tuple(normalize_term(n) for n in dict.fromkeys(negators)),
        disavowals=tuple(normalize_term(d) for d in dict.fromkeys(disavowals)),
        contexts={k: tuple(dict.fromkeys(v)) for k, v in contexts.items()},
        allow=tuple(dict.fromkeys(allow)),
        own_domains=tuple(dict.fromkeys(own_domains)),
        sources=sources,
        words=frozenset(words),
    )


@lru_cache(maxsize=1)
def shipped_pack_files() -> tuple[tuple[Path, PackFile], ...]:
    """The shipped packs, read and validated once per process."""
    return tuple(pack_files())


@lru_cache(maxsize=8)
def load_ruleset(platform: str) -> RuleSet:
    """The shipped packs for one platform."""
    return build_ruleset(platform, list(shipped_pack_files()))


def all_rules() -> list[tuple[Path, Rule]]:
    return [(path, rule) for path, f in shipped_pack_files() for rule in f.rules]
