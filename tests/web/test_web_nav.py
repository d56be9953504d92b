"""Meta-test: every dashboard page is reachable from the navigation.

Page routes are read from the running app (every GET route outside the JSON API), so a
page added later by any area without a menu entry, or a link from a menu page, fails here.
"""

from __future__ import annotations

import re

from web_support import WebEnv, app_routes

from csguard.web import API_PREFIXES
from csguard.web.nav import NAV

# Pages that are not menu entries: the menu page that links to each, and whether the
# seeded test shop has the data for that link to appear (detail pages of empty lists do not).
LINKED_FROM: dict[str, tuple[str | None, bool]] = {
    "/login": (None, False),  # where every page redirects without a session
    "/conversations/{conversation_id:path}": ("/conversations", True),
    "/qc/report.html": ("/qc", True),
    "/qc/report.xlsx": ("/qc", True),
    "/qc/report.json": ("/qc", True),
    "/penalties/{penalty_id}": ("/penalties", False),
    "/penalties/{penalty_id}/kit.{fmt}": ("/penalties", False),
}


def _page_get_routes(web_env: WebEnv) -> set[str]:
    return {
        route.path
        for route in app_routes(web_env.app.router)
        if "GET" in route.methods and not route.path.startswith(API_PREFIXES)
    }


def test_every_get_page_is_in_the_navigation_or_linked_from_it(web_env: WebEnv) -> None:
    client = web_env.login("owner")
    home = client.get("/").text
    nav_html = home[home.index('<nav class="sidenav"') : home.index("</nav>")]
    nav_links = set(re.findall(r'href="([^"?]+)', nav_html))
    assert nav_links == {item.path for item in NAV}
    for path in _page_get_routes(web_env):
        if path in nav_links:
            continue
        assert path in LINKED_FROM, f"page {path} is neither in the navigation nor linked from a page in it"
        parent, check_link = LINKED_FROM[path]
        assert parent is None or parent in nav_links, path
        if parent and check_link:
            prefix = path.split("{")[0]
            assert f'href="{prefix}' in client.get(parent).text, f"{parent} does not link to {path}"


def test_every_navigation_entry_is_a_page_route(web_env: WebEnv) -> None:
    routes = _page_get_routes(web_env)
    for item in NAV:
        assert item.path in routes, item.path
