"""``/v1/api-keys``: create (the key is shown once), list and revoke (owners only)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from csguard.api.schemas import ApiKeyCreated, ApiKeyIn, ApiKeyOut, ObjectId
from csguard.http.deps import OwnerPrincipal, SessionDep
from csguard.services import auth

router = APIRouter(prefix="/v1/api-keys", tags=["api-keys"])


@router.get("", response_model=list[ApiKeyOut], summary="List the shop's API keys (prefixes only)")
def list_keys(session: SessionDep, principal: OwnerPrincipal) -> list[ApiKeyOut]:
    return [ApiKeyOut.model_validate(k) for k in auth.list_api_keys(session, principal.shop_id)]


@router.post(
    "", response_model=ApiKeyCreated, status_code=201, summary="Create a key; the answer holds it once"
)
def create_key(body: ApiKeyIn, session: SessionDep, principal: OwnerPrincipal) -> ApiKeyCreated:
    key, plaintext = auth.create_api_key(
        session,
        principal.shop_id,
        body.name,
        body.role,
        created_by=principal.user_id,
        expires_at=body.expires_at,
    )
    return ApiKeyCreated.model_validate({**ApiKeyOut.model_validate(key).model_dump(), "key": plaintext})


@router.get("/{key_id}", response_model=ApiKeyOut, summary="One API key")
def get_key(key_id: ObjectId, session: SessionDep, principal: OwnerPrincipal) -> ApiKeyOut:
    return ApiKeyOut.model_validate(auth.get_api_key(session, principal.shop_id, key_id))


@router.delete("/{key_id}", response_model=ApiKeyOut, summary="Revoke a key (it stops working at once)")
def revoke_key(
    key_id: ObjectId, request: Request, session: SessionDep, principal: OwnerPrincipal
) -> ApiKeyOut:
    key = auth.revoke_api_key(session, principal.shop_id, key_id)
    request.app.state.key_cache.forget_key(key.id)
    return ApiKeyOut.model_validate(key)
