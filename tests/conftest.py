"""Hypothesis profiles (the normal suite stays fast; HYPOTHESIS_PROFILE=long runs a long fuzz session) and the test tiers
(HACKING.md, "Test tiers"): a test marked ``browser``, ``office`` or ``network`` is also ``slow``; ``make test-fast`` runs
``-m "not slow"``; a test not marked ``slow`` may not start a process (in any run), so none slips into the fast tier."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

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


IMPLY_SLOW = ("browser", "office", "network")  # markers that put a test in the slow tier (pyproject.toml registers them all)


@pytest.hookimpl(tryfirst=True)  # before -m deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("slow") is None and any(item.get_closest_marker(name) for name in IMPLY_SLOW):
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> object:
    """The fast tier stays fast and in memory: while a test not marked ``slow`` runs (its fixtures of any scope included),
    starting a process (ipreg, git, node...) fails with a message that says how to mark it."""
    if item.get_closest_marker("slow") is not None:
        return (yield)

    def refuse(self: subprocess.Popen[Any], args: Any, *rest: Any, **kwargs: Any) -> None:
        raise AssertionError(f"{item.nodeid} starts a process ({args!r:.100}) but is not marked slow: mark it "
                             "@pytest.mark.slow, or its module pytestmark = pytest.mark.slow (HACKING.md, Test tiers)")

    original = subprocess.Popen._execute_child  # type: ignore[attr-defined]
    subprocess.Popen._execute_child = refuse  # type: ignore[attr-defined]
    try:
        return (yield)
    finally:
        subprocess.Popen._execute_child = original  # type: ignore[attr-defined]
