"""`pip install csguard` stays light: the library and the check CLI need none of the extras.

The guard runs inside chat tools and scripts; pulling in the web stack or dataframes there would
cost start-up time and dependency conflicts for nothing.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Modules of the qc/server extras (numpy is the engine's own dependency and stays in the base).
EXTRA_MODULES = ("fastapi", "starlette", "sqlalchemy", "polars", "plotly", "jinja2", "openpyxl", "docx", "uvicorn")
EXTRA_PACKAGES = {
    "fastapi",
    "uvicorn",
    "sqlalchemy",
    "alembic",
    "jinja2",
    "python-multipart",
    "pwdlib",
    "itsdangerous",
    "httpx",
    "python-docx",
    "psycopg",
    "polars",
    "plotly",
    "openpyxl",
    "xlsxwriter",
    "orjson",
}

_LIBRARY_USE = """
import json, sys
from csguard import Guard
guard = Guard()
result = guard.check("加我微信 13812345678")
guard.check_batch(["亲，在的", "加我微信"])
print(json.dumps({"verdict": result.verdict, "loaded": sorted(m for m in %r if m in sys.modules)}))
"""


def _project() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]  # type: ignore[no-any-return]


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower()


def test_library_import_loads_no_extras() -> None:
    code = _LIBRARY_USE % (EXTRA_MODULES,)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["verdict"] == "block"
    assert report["loaded"] == []


def test_base_dependencies_exclude_server_and_qc_packages() -> None:
    project = _project()
    base = {_name(r) for r in project["dependencies"]}  # type: ignore[union-attr]
    assert not base & EXTRA_PACKAGES
    extras = project["optional-dependencies"]
    assert {"qc", "server", "test"} <= set(extras)  # type: ignore[arg-type]
    # The README's test command installs '.[test]': it must bring the whole service along.
    assert "csguard[server]" in extras["test"]  # type: ignore[index]
    assert "csguard[qc]" in extras["server"]  # type: ignore[index]


def test_command_without_its_extra_names_the_extra() -> None:
    code = (
        "import sys\n"
        "for m in ('fastapi', 'uvicorn', 'sqlalchemy', 'polars', 'plotly', 'jinja2'):\n"
        "    sys.modules[m] = None  # as on a bare `pip install csguard`\n"
        "from csguard.cli import main\n"
        "sys.argv = ['csguard', 'qc', 'chat.csv']\n"
        "main()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 2
    assert "pip install 'csguard[qc]'" in out.stderr
