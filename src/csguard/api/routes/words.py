"""``/v1/words``: the shop's custom and allow word lists (supervisors edit, everyone reads)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from csguard.api.schemas import ObjectId, WordIn, WordKind, WordOut, WordPatch
from csguard.http.deps import ApiPrincipal, SessionDep, SupervisorPrincipal
from csguard.services import words

router = APIRouter(prefix="/v1/words", tags=["words"])


@router.get("", response_model=list[WordOut], summary="List the shop's words")
def list_words(session: SessionDep, principal: ApiPrincipal, kind: WordKind | None = None) -> list[WordOut]:
    return [WordOut.model_validate(w) for w in words.list_words(session, principal.shop_id, kind)]


@router.post("", response_model=WordOut, status_code=201, summary="Add a custom or allow word")
def add_word(body: WordIn, session: SessionDep, principal: SupervisorPrincipal) -> WordOut:
    row = words.add_word(
        session,
        principal.shop_id,
        body.word,
        body.kind,
        category=body.category,
        severity=body.severity,
        note=body.note,
    )
    return WordOut.model_validate(row)


@router.get("/{word_id}", response_model=WordOut, summary="One word")
def get_word(word_id: ObjectId, session: SessionDep, principal: ApiPrincipal) -> WordOut:
    return WordOut.model_validate(words.get_word(session, principal.shop_id, word_id))


@router.patch("/{word_id}", response_model=WordOut, summary="Change a word")
def update_word(
    word_id: ObjectId, body: WordPatch, session: SessionDep, principal: SupervisorPrincipal
) -> WordOut:
    fields = body.model_dump(exclude_unset=True)
    return WordOut.model_validate(words.update_word(session, principal.shop_id, word_id, **fields))


@router.delete("/{word_id}", status_code=204, response_class=Response, summary="Remove a word")
def delete_word(word_id: ObjectId, session: SessionDep, principal: SupervisorPrincipal) -> Response:
    words.delete_word(session, principal.shop_id, word_id)
    return Response(status_code=204)
