"""CS accounts: the platform seats agents use (level, status, backup flag, routing share)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from csguard.errors import InvalidInput, NotFound
from csguard.services._tx import transaction
from csguard.store.models import CsAccount
from csguard.vocab import ACCOUNT_STATUSES, LEVELS

EDITABLE = ("platform_account", "display_name", "level", "status", "is_backup", "routing_share")


def _validate(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise InvalidInput(
            f"unknown account fields: {', '.join(sorted(unknown))}", details={"field": sorted(unknown)[0]}
        )
    if "platform_account" in fields:
        fields["platform_account"] = str(fields["platform_account"]).strip()
        if not fields["platform_account"]:
            raise InvalidInput("platform_account must not be empty", details={"field": "platform_account"})
    if "level" in fields and fields["level"] not in LEVELS:
        raise InvalidInput(f"level must be one of {', '.join(LEVELS)}", details={"field": "level"})
    if "status" in fields and fields["status"] not in ACCOUNT_STATUSES:
        raise InvalidInput(
            f"status must be one of {', '.join(ACCOUNT_STATUSES)}", details={"field": "status"}
        )
    share = fields.get("routing_share")
    if share is not None and not (isinstance(share, int) and 0 <= share <= 100):
        raise InvalidInput(
            "routing_share must be an integer from 0 to 100", details={"field": "routing_share"}
        )
    return fields


def create_account(session: Session, shop_id: int, platform_account: str, **fields: Any) -> CsAccount:
    values = _validate({"platform_account": platform_account, **fields})
    account = CsAccount(shop_id=shop_id, **values)
    with transaction(session, f"account {values['platform_account']!r} already exists in this shop"):
        session.add(account)
    return account


def list_accounts(session: Session, shop_id: int) -> list[CsAccount]:
    return list(session.scalars(select(CsAccount).where(CsAccount.shop_id == shop_id).order_by(CsAccount.id)))


def get_account(session: Session, shop_id: int, account_id: int) -> CsAccount:
    query = select(CsAccount).where(CsAccount.shop_id == shop_id, CsAccount.id == account_id)
    account = session.scalars(query).first()
    if account is None:
        raise NotFound(f"CS account {account_id} does not exist", details={"account_id": account_id})
    return account


def find_account(session: Session, shop_id: int, platform_account: str) -> CsAccount | None:
    query = select(CsAccount).where(
        CsAccount.shop_id == shop_id, CsAccount.platform_account == platform_account
    )
    return session.scalars(query).first()


def update_account(session: Session, shop_id: int, account_id: int, **fields: Any) -> CsAccount:
    account = get_account(session, shop_id, account_id)
    values = _validate(dict(fields))
    with transaction(session, "another account already uses this platform account name"):
        for name, value in values.items():
            setattr(account, name, value)
    return account


def delete_account(session: Session, shop_id: int, account_id: int) -> None:
    account = get_account(session, shop_id, account_id)
    with transaction(session):
        session.delete(account)
