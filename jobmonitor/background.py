"""Work in a forked worker process beside the main one: the build machines have two cores and
mkdocs uses one. Forked, the worker shares everything already in memory (computed tables,
rendered charts) without pickling it; only its small result comes back."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Callable

_JOB: Callable | None = None


def _run_job():
    return _JOB()


def in_background(job: Callable) -> Future:
    """Start `job` (no arguments) in a forked worker; its result or exception comes back
    through the Future. The worker sees the parent as it was when this was called."""
    global _JOB
    _JOB = job
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    try:
        return pool.submit(_run_job)
    finally:
        pool.shutdown(wait=False)
        _JOB = None
