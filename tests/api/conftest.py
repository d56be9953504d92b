"""An app on a fresh database (SQLite, and PostgreSQL when configured) with two shops."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_support import Tenant, make_settings, make_tenant
from fastapi import FastAPI
from fastapi.testclient import TestClient

from csguard.http.app import create_app


@pytest.fixture
def app(db_url: str) -> FastAPI:
    return create_app(make_settings(db_url))


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@pytest.fixture
def shop_a(app: FastAPI) -> Tenant:
    return make_tenant(app, "SHOPA")


@pytest.fixture
def shop_b(app: FastAPI) -> Tenant:
    return make_tenant(app, "SHOPB", "taobao")
