"""实时检测: type a message, see the verdict, every hit highlighted and the compliant rewrite.

A plain form POST renders the whole page; ``static/checker.js`` sends the same POST with
``X-Requested-With: fetch`` and swaps in just the result fragment, so the page works with
and without JavaScript and the highlighting is rendered (and escaped) in one place.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from csguard.errors import CsguardError
from csguard.http.deps import SessionDep
from csguard.results import CheckResult
from csguard.services.checks import check_messages
from csguard.services.shops import get_shop
from csguard.web.auth import Viewer, page_viewer
from csguard.web.highlight import segments
from csguard.web.rendering import TEMPLATES, render

router = APIRouter()
CheckerViewer = Annotated[Viewer, Depends(page_viewer("checker"))]
MAX_CHECKER_CHARS = 2000


@router.get("/check", response_class=HTMLResponse)
def checker_page(request: Request, viewer: CheckerViewer) -> Response:
    return render(request, "checker.html", viewer=viewer, active="checker", text="", platform=viewer.platform)


@router.post("/check", response_class=HTMLResponse)
def run_check(
    request: Request,
    viewer: CheckerViewer,
    db: SessionDep,
    text: Annotated[str, Form(max_length=MAX_CHECKER_CHARS)],
    platform: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    platform = platform or viewer.platform
    result: CheckResult | None = None
    error = ""
    try:
        shop = get_shop(db, viewer.shop_id)
        result = check_messages(db, shop, [text], platform=platform, actor=viewer.principal)[0]
    except CsguardError as exc:
        error = exc.message
    context = {
        "result": result,
        "segments": segments(result.text, result.findings) if result else [],
        "error": error,
    }
    if request.headers.get("x-requested-with") == "fetch":
        return TEMPLATES.TemplateResponse(
            request, "checker_result.html", context, status_code=422 if error else 200
        )
    return render(
        request,
        "checker.html",
        viewer=viewer,
        active="checker",
        status_code=422 if error else 200,
        text=text,
        platform=platform,
        **context,
    )
