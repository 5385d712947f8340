"""Fixtures shared by every test kind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
# The public conformance vectors live in the shared folder beside the checkout.
VECTORS_DIR = REPO_ROOT.parent / "shared" / "vectors"

IN_CI = os.environ.get("CI", "").lower() == "true"


def require(available: bool, component: str) -> None:
    """Skip a test whose component is missing, except under CI, where it must run."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{component} is required under CI=true but is not available")
    pytest.skip(f"{component} is not available on this machine")


@pytest.fixture(scope="session")
def vectors_dir() -> Path:
    require(VECTORS_DIR.is_dir(), f"the conformance vectors at {VECTORS_DIR}")
    return VECTORS_DIR
