"""``/v1/accounts``: CS accounts (agent seats); supervisors edit, everyone reads."""

from __future__ import annotations

from fastapi import APIRouter, Response

from csguard.api.schemas import AccountIn, AccountOut, AccountPatch, ObjectId
from csguard.http.deps import ApiPrincipal, SessionDep, SupervisorPrincipal
from csguard.services import accounts

router = APIRouter(prefix="/v1/accounts", tags=["accounts"])


@router.get("", response_model=list[AccountOut], summary="List the shop's CS accounts")
def list_accounts(session: SessionDep, principal: ApiPrincipal) -> list[AccountOut]:
    return [AccountOut.model_validate(a) for a in accounts.list_accounts(session, principal.shop_id)]


@router.post("", response_model=AccountOut, status_code=201, summary="Add a CS account")
def create_account(body: AccountIn, session: SessionDep, principal: SupervisorPrincipal) -> AccountOut:
    fields = body.model_dump()
    name = fields.pop("platform_account")
    return AccountOut.model_validate(accounts.create_account(session, principal.shop_id, name, **fields))


@router.get("/{account_id}", response_model=AccountOut, summary="One CS account")
def get_account(account_id: ObjectId, session: SessionDep, principal: ApiPrincipal) -> AccountOut:
    return AccountOut.model_validate(accounts.get_account(session, principal.shop_id, account_id))


@router.patch("/{account_id}", response_model=AccountOut, summary="Change a CS account")
def update_account(
    account_id: ObjectId, body: AccountPatch, session: SessionDep, principal: SupervisorPrincipal
) -> AccountOut:
    fields = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
    return AccountOut.model_validate(
        accounts.update_account(session, principal.shop_id, account_id, **fields)
    )


@router.delete("/{account_id}", status_code=204, response_class=Response, summary="Remove a CS account")
def delete_account(account_id: ObjectId, session: SessionDep, principal: SupervisorPrincipal) -> Response:
    accounts.delete_account(session, principal.shop_id, account_id)
    return Response(status_code=204)
