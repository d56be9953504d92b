"""Jinja2 environment (autoescaped) and the one helper every page renders through."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context

from csguard import __version__, vocab
from csguard.errors import CsguardError
from csguard.settings import Settings
from csguard.web.auth import PageForbidden, Viewer
from csguard.web.csrf import CSRF_FIELD, csrf_token
from csguard.web.nav import nav_for

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
_FLASH_KEY = "flash"


@pass_context
def _local_time(context: Context, value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if value is None:
        return ""
    # Every page renders with its request, so the zone is the serving app's setting.
    settings: Settings = context["request"].app.state.settings
    return value.astimezone(ZoneInfo(settings.timezone)).strftime(fmt)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def static_url(path: str) -> str:
    # Relative to the site root (not url_for's absolute URL), so pages behind an https
    # proxy never reference http:// assets; the version busts browser caches on upgrade.
    return f"/static/{path}?v={__version__}"


def _register_filters() -> None:
    env = TEMPLATES.env
    env.filters["category"] = lambda code: vocab.label(vocab.CATEGORY_LABELS, code)
    env.filters["severity"] = lambda code: vocab.label(vocab.SEVERITY_LABELS, code)
    env.filters["verdict"] = lambda code: vocab.label(vocab.VERDICT_LABELS, code)
    env.filters["role"] = lambda code: vocab.label(vocab.ROLE_LABELS, code)
    env.filters["level"] = lambda code: vocab.label(vocab.LEVEL_LABELS, code)
    env.filters["platform"] = lambda code: vocab.label(vocab.PLATFORM_LABELS, code)
    env.filters["word_kind"] = lambda code: vocab.label(vocab.WORD_KIND_LABELS, code)
    env.filters["finding_kind"] = lambda code: vocab.label(vocab.FINDING_KIND_LABELS, code)
    env.filters["sender"] = lambda code: vocab.label(vocab.SENDER_LABELS, code)
    env.filters["localtime"] = _local_time
    env.filters["percent"] = _percent
    env.globals["CSRF_FIELD"] = CSRF_FIELD
    env.globals["static_url"] = static_url
    env.globals["PLATFORMS"] = vocab.PLATFORM_LABELS
    env.globals["CATEGORIES"] = vocab.CATEGORY_LABELS
    env.globals["SEVERITIES"] = vocab.SEVERITY_LABELS
    env.globals["OUTBOUND"] = vocab.OUTBOUND_CATEGORIES
    env.globals["ROLES"] = vocab.ROLES
    # Templates compare ids through the vocabulary (vocab.OWNER, vocab.PDD...), never literals.
    env.globals["vocab"] = vocab
    env.globals["STATUS_LABELS"] = vocab.ACCOUNT_STATUS_LABELS
    env.globals["LEVELS"] = vocab.LEVELS
    env.globals["ACCOUNT_STATUSES"] = vocab.ACCOUNT_STATUSES


_register_filters()


def flash(request: Request, message: str, kind: str = "ok") -> None:
    """Queue a one-time notice for the next page this browser renders."""
    queued = list(request.session.get(_FLASH_KEY, []))
    queued.append([kind, message])
    request.session[_FLASH_KEY] = queued


def render(
    request: Request,
    template: str,
    *,
    viewer: Viewer | None = None,
    active: str = "",
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    flashes = request.session.pop(_FLASH_KEY, []) if _FLASH_KEY in request.session else []
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "viewer": viewer,
            "nav": nav_for(viewer.role) if viewer is not None else [],
            "active": active,
            "csrf_token": csrf_token(request),
            "flashes": flashes,
            **context,
        },
        status_code=status_code,
    )


def run_action(request: Request, action: Callable[[], object], done: str) -> bool:
    """Run a service call for a form and queue its outcome as a notice; True when it worked."""
    try:
        action()
    except CsguardError as exc:
        flash(request, f"操作失败：{exc.message}", "error")
        return False
    flash(request, done)
    return True


def require_manager(viewer: Viewer) -> None:
    if not viewer.can_manage:
        raise PageForbidden("只有店主和主管可以修改。", details={"role": viewer.role})
