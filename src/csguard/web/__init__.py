"""The sellers' web dashboard: server-rendered Chinese pages on top of ``csguard.services``.

``install(app)`` is called at the end of ``csguard.http.app.create_app``; it adds the page
routes, the static files, signed-cookie sessions, CSRF checks and security headers. No
JavaScript build step and no CDN: every asset is served from ``web/static``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from csguard.penalties.pages import router as penalty_pages
from csguard.web.auth import LoginRequired, PageForbidden
from csguard.web.csrf import CsrfRejected, verify_csrf
from csguard.web.headers import SecurityHeadersMiddleware
from csguard.web.pages import PAGE_ROUTERS
from csguard.web.rendering import render
from csguard.web.session import SignedSessionMiddleware
from csguard.web.throttle import LoginThrottle

STATIC_DIR = Path(__file__).parent / "static"
# Paths served by the JSON API: Bearer keys only, no cookie session.
API_PREFIXES = ("/v1/", "/healthz", "/readyz", "/openapi.json", "/docs", "/redoc", "/static/")
# FastAPI's interactive docs run inline scripts; every other response gets the strict policy.
CSP_EXEMPT_PREFIXES = ("/docs", "/redoc")


def _login_redirect(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    return RedirectResponse(exc.login_url, status_code=303)


def _forbidden_page(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageForbidden | CsrfRejected)
    viewer = getattr(request.state, "viewer", None)
    title = "请求已过期" if isinstance(exc, CsrfRejected) else "无权访问"
    return render(request, "error.html", viewer=viewer, status_code=403, title=title, message=exc.message)


def install(app: FastAPI) -> None:
    """Add the dashboard to ``app`` (pages, /static, session and security middleware)."""
    settings = app.state.settings
    pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])
    for router in PAGE_ROUTERS:
        pages.include_router(router)
    pages.include_router(penalty_pages)  # 禁言与申诉, 差评申诉 (penalties area)
    app.include_router(pages)
    app.state.login_throttle = LoginThrottle()
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_exception_handler(LoginRequired, _login_redirect)
    app.add_exception_handler(PageForbidden, _forbidden_page)
    app.add_exception_handler(CsrfRejected, _forbidden_page)
    app.add_middleware(
        SignedSessionMiddleware,
        secret_key=app.state.secret_key,
        max_age_s=settings.session_lifetime_minutes * 60,
        skip_prefixes=API_PREFIXES,
    )
    app.add_middleware(SecurityHeadersMiddleware, csp_skip_prefixes=CSP_EXEMPT_PREFIXES)
