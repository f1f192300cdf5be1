"""Shared fixtures: one tiny deterministic edition for all tests (see tests/tiny.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from tiny import write_tiny  # noqa: E402

from jobmonitor.config import load_config  # noqa: E402


@pytest.fixture()
def tiny_config_path(tmp_path: Path) -> Path:
    """A fresh copy of the tiny edition, safe to modify."""
    return write_tiny(tmp_path)


@pytest.fixture(scope="session")
def tiny_computed(tmp_path_factory):
    """The tiny edition computed once (read-only for tests)."""
    from jobmonitor.compute.pipeline import compute

    config = load_config(write_tiny(tmp_path_factory.mktemp("tiny")))
    return config, compute(config)
