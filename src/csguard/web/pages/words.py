"""词库: the shop's own custom (flagged) and allow (never flagged) words.

Every change bumps the shop's words version, so the next check — on the live checker or
through the API — already uses the new list.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from csguard.http.deps import SessionDep
from csguard.services import words
from csguard.web.auth import Viewer, page_viewer
from csguard.web.rendering import render, require_manager, run_action

router = APIRouter()
WordsViewer = Annotated[Viewer, Depends(page_viewer("words"))]


@router.get("/words", response_class=HTMLResponse)
def words_page(request: Request, viewer: WordsViewer, db: SessionDep) -> Response:
    rows = words.list_words(db, viewer.shop_id)
    return render(
        request,
        "words.html",
        viewer=viewer,
        active="words",
        custom_words=[w for w in rows if w.kind == "custom"],
        allow_words=[w for w in rows if w.kind == "allow"],
    )


@router.post("/words")
def add_word(
    request: Request,
    viewer: WordsViewer,
    db: SessionDep,
    word: Annotated[str, Form(max_length=words.MAX_WORD_CHARS)],
    kind: Annotated[str, Form(max_length=16)] = "custom",
    category: Annotated[str, Form(max_length=40)] = "",
    severity: Annotated[str, Form(max_length=16)] = "",
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    require_manager(viewer)
    run_action(
        request,
        lambda: words.add_word(
            db, viewer.shop_id, word, kind, category=category or None, severity=severity or None, note=note
        ),
        f"已添加“{word.strip()}”，实时检测立即生效。",
    )
    return RedirectResponse("/words", status_code=303)


@router.post("/words/{word_id}/delete")
def delete_word(request: Request, viewer: WordsViewer, db: SessionDep, word_id: int) -> Response:
    require_manager(viewer)
    run_action(request, lambda: words.delete_word(db, viewer.shop_id, word_id), "已删除。")
    return RedirectResponse("/words", status_code=303)
