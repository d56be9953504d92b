"""Fixtures of the QC tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from qc_support import Hook

from csguard import Guard


@pytest.fixture(scope="session")
def pdd_guard() -> Guard:
    return Guard(platform="pdd")


@pytest.fixture
def hook() -> Iterator[Hook]:
    """A local group-robot webhook on 127.0.0.1 (a free port), shut down after the test."""
    server = Hook()
    yield server
    server.server.shutdown()
    server.server.server_close()
