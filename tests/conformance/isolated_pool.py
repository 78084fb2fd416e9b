"""Runs jobs in worker processes so that a crash or a hang costs one job, not
the run: a worker that dies or overstays its timeout is killed, its job gets
a "crashed (signal N)" or "timeout" result, and a fresh worker takes over.

Workers are forked, so each loads the engine once and then serves many jobs.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
import traceback
from collections import deque
from multiprocessing.connection import wait
from typing import Callable, Iterable, Iterator


class SetupError(RuntimeError):
    """A worker could not start (e.g. the engine does not load): stop the run."""


def _serve(conn, setup: Callable, job_fn: Callable) -> None:
    try:
        state = setup()
    except Exception as e:
        if conn.recv() is not None:
            conn.send(("setup", f"{type(e).__name__}: {e}"))
        return
    while (job := conn.recv()) is not None:
        try:
            conn.send(("ok", job_fn(state, job)))
        except Exception:  # a bug in the harness, not in the engine: report it
            conn.send(("error", traceback.format_exc().strip().splitlines()[-1]))


class _Worker:
    def __init__(self, ctx, setup, job_fn):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, setup, job_fn), daemon=True)
        self.proc.start()
        child.close()
        self.job = None
        self.deadline = 0.0

    def give(self, job, timeout: float) -> None:
        self.job, self.deadline = job, time.monotonic() + timeout
        self.conn.send(job)

    def stop(self, kill: bool = False) -> None:
        if kill and self.proc.is_alive():
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.join()
        self.conn.close()


def run_isolated(jobs: Iterable, setup: Callable, job_fn: Callable, on_failure: Callable,
                 workers: int, timeout: float) -> Iterator:
    """Yields job_fn(setup(), job) for every job, in completion order. A job
    whose worker crashed, hung or raised yields on_failure(job, reason)."""
    ctx = mp.get_context("fork")
    pending = deque(jobs)
    pool = [_Worker(ctx, setup, job_fn) for _ in range(max(1, min(workers, len(pending))))]
    try:
        while pending or any(w.job is not None for w in pool):
            for w in pool:
                if w.job is None and pending:
                    w.give(pending.popleft(), timeout)
            busy = [w for w in pool if w.job is not None]
            now = time.monotonic()
            ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy],
                         timeout=max(0.0, min(w.deadline for w in busy) - now))
            for i, w in enumerate(pool):
                if w.job is None:
                    continue
                result = None
                if w.conn in ready or w.proc.sentinel in ready:
                    try:
                        kind, value = w.conn.recv()
                        if kind == "setup":
                            raise SetupError(f"worker setup failed: {value}")
                        result = value if kind == "ok" else on_failure(w.job, value)
                    except (EOFError, OSError):  # died mid-job
                        w.stop()
                        code = w.proc.exitcode
                        why = f"crashed (signal {-code})" if code < 0 else f"exited ({code})"
                        result = on_failure(w.job, why)
                        pool[i] = _Worker(ctx, setup, job_fn)
                elif time.monotonic() > w.deadline:
                    w.stop(kill=True)
                    result = on_failure(w.job, f"timeout ({timeout:g} s)")
                    pool[i] = _Worker(ctx, setup, job_fn)
                if result is not None:
                    w.job = None
                    yield result
    finally:
        for w in pool:
            if w.proc.is_alive() and w.job is None:
                w.conn.send(None)
            w.stop(kill=w.job is not None)
