from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from csguard.errors import Conflict, InvalidInput, NotFound
from csguard.services import accounts, words
from csguard.store.models import Shop


def test_account_crud(session: Session, shop: Shop, other_shop: Shop) -> None:
    account = accounts.create_account(session, shop.id, "pdd_xiaomei", level="junior", routing_share=40)
    assert (account.level, account.status, account.is_backup) == ("junior", "active", False)
    updated = accounts.update_account(session, shop.id, account.id, status="paused", is_backup=True)
    assert (updated.status, updated.is_backup) == ("paused", True)
    assert [a.id for a in accounts.list_accounts(session, shop.id)] == [account.id]
    with pytest.raises(Conflict):
        accounts.create_account(session, shop.id, "pdd_xiaomei")
    accounts.create_account(session, other_shop.id, "pdd_xiaomei")  # same name, other shop: fine
    with pytest.raises(NotFound):
        accounts.update_account(session, other_shop.id, account.id, level="senior")
    accounts.delete_account(session, shop.id, account.id)
    assert accounts.list_accounts(session, shop.id) == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"level": "expert"}, "level"), ({"status": "gone"}, "status"), ({"routing_share": 101}, "routing_share"),
     ({"colour": "red"}, "colour")],
)  # fmt: skip
def test_account_validation_names_the_field(session: Session, shop: Shop, fields, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as info:
        accounts.create_account(session, shop.id, "a1", **fields)
    assert info.value.details["field"] == field


def test_custom_words_apply_to_that_shop_only(session: Session, shop: Shop, other_shop: Shop) -> None:
    text = "这款是镇店神器哦"
    assert words.guard_for_shop(session, shop).check(text).verdict == "allow"
    words.add_word(session, shop.id, "镇店神器", "custom", category="absolute_claim", severity="high")
    result = words.guard_for_shop(session, shop).check(text)
    assert result.verdict == "block"
    assert result.categories == ["absolute_claim"]
    assert words.guard_for_shop(session, other_shop).check(text).verdict == "allow"


def test_word_changes_invalidate_the_cached_guard(session: Session, shop: Shop) -> None:
    first = words.guard_for_shop(session, shop)
    assert words.guard_for_shop(session, shop) is first
    row = words.add_word(session, shop.id, "暗号甲", "custom")
    second = words.guard_for_shop(session, shop)
    assert second is not first
    assert second.check("说暗号甲").verdict != "allow"
    words.delete_word(session, shop.id, row.id)
    assert words.guard_for_shop(session, shop).check("说暗号甲").verdict == "allow"


def test_allow_words_are_passed_to_the_guard(session: Session, shop: Shop) -> None:
    words.add_word(session, shop.id, "第一时间", "allow")
    guard = words.guard_for_shop(session, shop)
    assert "第一时间" in guard.allow_words


def test_word_validation_and_scoping(session: Session, shop: Shop, other_shop: Shop) -> None:
    row = words.add_word(session, shop.id, "  暗号乙 ", "custom")
    assert row.word == "暗号乙"
    with pytest.raises(Conflict):
        words.add_word(session, shop.id, "暗号乙", "custom")
    words.add_word(session, shop.id, "暗号乙", "allow")  # the other list is a different entry
    for bad in ({"kind": "deny"}, {"category": "rudeness"}, {"severity": "huge"}):
        with pytest.raises(InvalidInput):
            words.add_word(session, shop.id, "新词", **bad)
    with pytest.raises(NotFound):
        words.update_word(session, other_shop.id, row.id, word="改")
    with pytest.raises(NotFound):
        words.delete_word(session, other_shop.id, row.id)
    assert words.list_words(session, other_shop.id) == []
    assert [w.word for w in words.list_words(session, shop.id, "custom")] == ["暗号乙"]
