"""schemathesis against the app's own OpenAPI spec: no 5xx, responses match the schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from api_support import make_settings, make_tenant
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from csguard.http.app import create_app
from support.db import sqlite_url

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
_headers: dict[str, str] = {}


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[schemathesis.BaseSchema]:
    folder: Path = tmp_path_factory.mktemp("schemathesis")
    app = create_app(make_settings(sqlite_url(folder)))
    tenant = make_tenant(app, "SHOPA")
    _headers.update(tenant.auth("owner"))
    # The fuzzing phase only (bounded by max_examples): the coverage phase multiplies the
    # cases per operation and would take minutes for a suite that must stay under ~60 s.
    config = SchemathesisConfig.from_dict(
        {"phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}}}
    )
    yield schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
    app.state.engine.dispose()


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=_headers, checks=CHECKS)
