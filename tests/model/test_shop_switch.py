"""A shop's ``model_enabled`` switch reaches the Guard its checks use (services.words)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from csguard.services import words
from csguard.services.shops import create_shop

INSULT = "宝子你这种人不配在我们家买东西呀"  # only the model sees this one


def test_shop_switch_turns_the_model_off_and_on(session: Session) -> None:
    shop = create_shop(session, "模型店", "pdd")
    assert shop.model_enabled  # on by default (migration 0003)
    on = words.guard_for_shop(session, shop)
    assert on.model_enabled and on.check(INSULT).verdict == "warn"
    shop.model_enabled = False
    session.commit()
    off = words.guard_for_shop(session, shop)
    assert off is not on and not off.model_enabled
    assert off.check(INSULT).verdict == "allow"
    shop.model_enabled = True
    session.commit()
    assert words.guard_for_shop(session, shop).model_enabled
