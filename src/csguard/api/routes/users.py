"""``/v1/users``: dashboard users of the shop (owners only)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from csguard.api.schemas import ObjectId, UserIn, UserOut, UserPatch
from csguard.http.deps import OwnerPrincipal, SessionDep
from csguard.services import users

router = APIRouter(prefix="/v1/users", tags=["users"])


@router.get("", response_model=list[UserOut], summary="List the shop's users")
def list_users(session: SessionDep, principal: OwnerPrincipal) -> list[UserOut]:
    return [UserOut.model_validate(u) for u in users.list_users(session, principal.shop_id)]


@router.post("", response_model=UserOut, status_code=201, summary="Add a user")
def create_user(body: UserIn, session: SessionDep, principal: OwnerPrincipal) -> UserOut:
    user = users.create_user(
        session, principal.shop_id, body.username, body.password, body.role, body.display_name
    )
    return UserOut.model_validate(user)


@router.get("/{user_id}", response_model=UserOut, summary="One user")
def get_user(user_id: ObjectId, session: SessionDep, principal: OwnerPrincipal) -> UserOut:
    return UserOut.model_validate(users.get_user(session, principal.shop_id, user_id))


@router.patch("/{user_id}", response_model=UserOut, summary="Change role, password, name or active flag")
def update_user(
    user_id: ObjectId, body: UserPatch, session: SessionDep, principal: OwnerPrincipal
) -> UserOut:
    fields = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
    return UserOut.model_validate(users.update_user(session, principal.shop_id, user_id, **fields))


@router.delete("/{user_id}", status_code=204, response_class=Response, summary="Remove a user")
def delete_user(user_id: ObjectId, session: SessionDep, principal: OwnerPrincipal) -> Response:
    users.delete_user(session, principal.shop_id, user_id)
    return Response(status_code=204)
