"""Hypothesis profiles: the normal suite stays fast; HYPOTHESIS_PROFILE=long runs a long fuzz session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.helpers import scratch_checkout

settings.register_profile("default", deadline=None)
settings.register_profile("long", max_examples=20_000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One scratch repository holding the frozen sample registry (tests/samples/), made once per session; tests only
    read it (a test that writes makes its own with ``helpers.scratch_checkout``)."""
    return scratch_checkout(tmp_path_factory.mktemp("samples") / "repo")
