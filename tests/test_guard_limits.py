from __future__ import annotations

import pytest

from csguard import Guard
from csguard.cli.check import GuardCache
from csguard.errors import InputTooLarge
from csguard.guard import MAX_TEXT_CHARS
from csguard.settings import get_settings


def test_max_chars_argument_bounds_input() -> None:
    g = Guard(platform="pdd", max_chars=10)
    assert g.check("亲" * 10).verdict == "allow"
    with pytest.raises(InputTooLarge) as err:
        g.check("亲" * 11)
    assert err.value.details == {"field": "text", "max": 10}
    with pytest.raises(InputTooLarge):
        g.check_batch(["亲", "亲" * 11])


def test_max_chars_follows_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    """The library takes max_chars as an argument; the CLI passes the setting through."""
    monkeypatch.setenv("CSGUARD_MAX_TEXT_CHARS", "20")
    get_settings.cache_clear()
    try:
        assert GuardCache([], []).get("pdd").max_chars == 20
    finally:
        get_settings.cache_clear()


def test_library_default_ignores_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSGUARD_MAX_TEXT_CHARS", "20")
    get_settings.cache_clear()
    try:
        assert Guard(platform="pdd").max_chars == MAX_TEXT_CHARS
    finally:
        get_settings.cache_clear()
