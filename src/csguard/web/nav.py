"""The navigation: every page of the dashboard and which roles may open it.

Page routes take their role list from here, so the menu a user sees and the pages the
server lets them open cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from csguard.vocab import MANAGER_ROLES, OWNER, ROLES

ALL_ROLES: tuple[str, ...] = ROLES
MANAGERS: tuple[str, ...] = MANAGER_ROLES
OWNER_ONLY: tuple[str, ...] = (OWNER,)


@dataclass(frozen=True, slots=True)
class NavItem:
    key: str
    path: str
    label: str
    roles: tuple[str, ...]


NAV: tuple[NavItem, ...] = (
    NavItem("overview", "/", "概览", ALL_ROLES),
    NavItem("checker", "/check", "实时检测", ALL_ROLES),
    NavItem("violations", "/violations", "违规记录", ALL_ROLES),
    NavItem("conversations", "/conversations", "会话", ALL_ROLES),
    NavItem("agents", "/agents", "客服", MANAGERS),
    NavItem("words", "/words", "词库", ALL_ROLES),
    NavItem("qc", "/qc", "质检报告", ALL_ROLES),
    # Pages of the penalties area (csguard.web.penalties).
    NavItem("penalties", "/penalties", "禁言与申诉", ALL_ROLES),
    NavItem("reviews", "/reviews", "差评申诉", ALL_ROLES),
    NavItem("users", "/users", "用户", OWNER_ONLY),
    NavItem("keys", "/keys", "API 密钥", OWNER_ONLY),
)
NAV_BY_KEY: dict[str, NavItem] = {item.key: item for item in NAV}


def nav_for(role: str) -> list[NavItem]:
    return [item for item in NAV if role in item.roles]
