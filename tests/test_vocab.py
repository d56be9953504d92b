"""One vocabulary: ids are spelled only in ``csguard.vocab``; every schema takes its types from it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, get_args

import pytest

from csguard import vocab
from csguard.qc.events import ChatEvent
from csguard.rulepacks import schema as pack_schema
from csguard.settings import Settings

PACKAGE = Path(vocab.__file__).parent
# Data and frozen history may spell ids: rule packs are data, migrations must not change.
SKIPPED_DIRS = ("store/migrations/", "rulepacks/packs/")
# Moving to csguard/penalties, see issue 9: their owner replaces these files' literals there.
MOVING_PATHS = (
    "domain/",
    "export/",
    "store/penalty_models.py",
    "services/penalties.py",
    "services/appeals.py",
    "services/reviews.py",
    "services/penalty_continuity.py",
    "api/routes/penalty",
    "web/penalties.py",
    "web/templates/penalties/",
)

_ALWAYS_IDS = (
    *vocab.PLATFORMS,
    *vocab.OUTBOUND_CATEGORIES,
    *vocab.TRIAGE_SIGNALS,
    *(role for role in vocab.ROLES if role != vocab.AGENT),
)
_ALTERNATIVES = "|".join(map(re.escape, _ALWAYS_IDS))
_QUOTED_ID = re.compile(rf"""["']({_ALTERNATIVES})["']""")
# "agent" is also a chat sender and a column name: only a role when the line is about roles.
_QUOTED_AGENT = re.compile(rf"""["']{re.escape(vocab.AGENT)}["']""")
_ROLE_CONTEXT = re.compile(r"role", re.IGNORECASE)


def _scanned_files() -> list[Path]:
    files = []
    for path in sorted([*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.html")]):
        relative = path.relative_to(PACKAGE).as_posix()
        if path == Path(vocab.__file__) or relative.startswith(SKIPPED_DIRS + MOVING_PATHS):
            continue
        files.append(path)
    return files


def test_no_vocabulary_literal_outside_vocab() -> None:
    offenders = []
    for path in _scanned_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            role_agent = _QUOTED_AGENT.search(line) and _ROLE_CONTEXT.search(line)
            if _QUOTED_ID.search(line) or role_agent:
                offenders.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert not offenders, "ids belong in csguard.vocab:\n" + "\n".join(offenders)


def test_the_scan_sees_the_package() -> None:
    names = {path.relative_to(PACKAGE).as_posix() for path in _scanned_files()}
    assert {"guard.py", "api/schemas.py", "web/templates/users.html"} <= names


def _field_args(model: Any, name: str) -> tuple[object, ...]:
    return get_args(model.model_fields[name].annotation)


def test_api_schemas_use_vocab_types() -> None:
    from csguard.api import schemas as api_schemas

    for name in ("Platform", "Role", "Level", "AccountStatus", "WordKind", "Category", "Severity", "Verdict"):
        assert getattr(api_schemas, name) is getattr(vocab, name), name
    assert _field_args(api_schemas.CheckOut, "verdict") == vocab.VERDICTS


def test_chat_event_takes_platforms_and_senders_from_vocab() -> None:
    assert _field_args(ChatEvent, "platform") == vocab.PLATFORMS
    assert _field_args(ChatEvent, "sender") == vocab.SENDERS


def test_settings_platform_is_the_vocab_platform() -> None:
    assert _field_args(Settings, "default_platform") == vocab.PLATFORMS
    assert Settings.model_fields["default_platform"].default == vocab.DEFAULT_PLATFORM


def test_rule_pack_schema_matches_vocab() -> None:
    assert pack_schema.PLATFORMS == vocab.PLATFORMS
    assert get_args(pack_schema.PlatformId) == vocab.PLATFORMS
    assert get_args(pack_schema.SeverityId) == vocab.SEVERITIES
    assert get_args(pack_schema.SignalId) == vocab.TRIAGE_SIGNALS
    assert get_args(pack_schema.CategoryId) == vocab.OUTBOUND_CATEGORIES + vocab.TRIAGE_SIGNALS
    assert get_args(pack_schema.Rule.model_fields["category"].annotation) == vocab.FINDING_CATEGORIES


def test_results_reexports_vocab() -> None:
    from csguard import results

    assert results.OUTBOUND_CATEGORIES is vocab.OUTBOUND_CATEGORIES
    assert results.TRIAGE_SIGNALS is vocab.TRIAGE_SIGNALS
    assert results.SEVERITY_RANK is vocab.SEVERITY_RANK


def test_store_constraints_use_vocab_tuples() -> None:
    from csguard.store import models

    assert (models.ROLES, models.LEVELS, models.ACCOUNT_STATUSES) == (
        vocab.ROLES,
        vocab.LEVELS,
        vocab.ACCOUNT_STATUSES,
    )


@pytest.mark.parametrize(
    ("table", "codes"),
    [
        (vocab.CATEGORY_LABELS, vocab.FINDING_CATEGORIES),
        (vocab.QC_REPORT_LABELS, vocab.FINDING_CATEGORIES),
        (vocab.PLATFORM_LABELS, vocab.PLATFORMS),
        (vocab.SEVERITY_LABELS, vocab.SEVERITIES),
        (vocab.VERDICT_LABELS, vocab.VERDICTS),
        (vocab.ROLE_LABELS, vocab.ROLES),
        (vocab.LEVEL_LABELS, vocab.LEVELS),
        (vocab.ACCOUNT_STATUS_LABELS, vocab.ACCOUNT_STATUSES),
        (vocab.SENDER_LABELS, vocab.SENDERS),
        (vocab.WORD_KIND_LABELS, vocab.WORD_KINDS),
    ],
)
def test_every_code_has_a_chinese_label(table: dict[str, str], codes: tuple[str, ...]) -> None:
    assert set(table) == set(codes)
    assert all(re.search(r"[\u4e00-\u9fff]", text) for text in table.values())


def test_risk_definitions_are_signals() -> None:
    assert set(vocab.TRIAGE_SIGNALS) > vocab.HIGH_RISK_SIGNALS
    assert set(vocab.COMPLAINT_SIGNALS) <= vocab.HIGH_RISK_SIGNALS
    assert vocab.SPAM_AD not in vocab.HIGH_RISK_SIGNALS
