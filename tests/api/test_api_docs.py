"""Every API route and every setting is documented (docs/*.md or README.md)."""

from __future__ import annotations

from pathlib import Path

from csguard.http.app import create_app
from csguard.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def _docs() -> str:
    files = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
    return "\n".join(path.read_text(encoding="utf-8") for path in files if path.exists())


def test_every_route_is_documented() -> None:
    app = create_app(Settings(database_url="sqlite://", secret_key="k" * 40))
    docs = _docs()
    missing = [path for path in app.openapi()["paths"] if path not in docs]
    assert missing == []


def test_every_setting_is_documented() -> None:
    docs = _docs()
    missing = [name for name in Settings.model_fields if f"CSGUARD_{name.upper()}" not in docs]
    assert missing == []


def test_every_setting_has_a_description() -> None:
    assert [name for name, field in Settings.model_fields.items() if not field.description] == []
