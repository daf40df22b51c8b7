"""The query workers: a fixed pool of processes, each holding the store open read-only.

pyoxigraph cannot cancel a query, so a query that runs past the time limit costs its worker its
life: the process is killed (its CPU and memory freed at once) and a fresh one takes its place.
A worker is a ``python -c`` child talking over its end of a socket pair (not multiprocessing's
spawn, which re-imports the parent's ``__main__``); it answers jobs with ``protocol.answer``.
"""

from __future__ import annotations

import contextlib
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pyoxigraph as ox

from . import WORKER_START_LIMIT
from .protocol import Reply, answer, error


def _worker_main(store_dir: str, fd: int) -> None:
    """A query worker process: opens the store read-only, then answers jobs until the socket closes.

    Started as ``python -c`` with its end of a socket pair (not through multiprocessing's spawn,
    which re-imports the parent's ``__main__``).
    """
    from multiprocessing.connection import Connection

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group; the parent stops us
    conn = Connection(fd)
    try:
        store = ox.Store.read_only(store_dir)
    except OSError as e:
        conn.send(("error", str(e)))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = answer(store, job)
        except Exception as e:  # noqa: BLE001 - a worker must answer, whatever went wrong
            reply = error(500, f"query failed: {type(e).__name__}: {e}")
        conn.send(reply)


_WORKER_CODE = ("import sys; from kg_builder.outputs.serve.workers import _worker_main; "
                "_worker_main(sys.argv[1], int(sys.argv[2]))")


class _Worker:
    def __init__(self, store_dir: str):
        import os
        import socket
        from multiprocessing.connection import Connection

        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        package_root = str(Path(__file__).resolve().parents[3])  # where kg_builder is importable from
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        try:
            self.process = subprocess.Popen([sys.executable, "-c", _WORKER_CODE, store_dir, str(theirs.fileno())],
                                            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, env=env)
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())
        self.ready = False

    def wait_ready(self, limit: float) -> str | None:
        """None when ready, else why not."""
        if self.ready:
            return None
        try:
            if not self.conn.poll(limit):
                return f"the query worker did not start within {limit:.0f} s"
            kind, detail = self.conn.recv()
        except (EOFError, OSError):
            return "the query worker exited while starting"
        if kind != "ready":
            return f"the query worker cannot open the store: {detail}"
        self.ready = True
        return None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):  # one that will not die is left to the OS
            self.process.wait(5)
        self.conn.close()


class WorkerPool:
    """A fixed number of worker processes; a query over its time limit costs its worker its life."""

    def __init__(self, store_dir: str, size: int):
        self.store_dir, self.size = store_dir, size
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(size):
            self._add()

    def _add(self) -> None:
        with self._lock:
            if self._closed:
                return
            w = _Worker(self.store_dir)
            self._all.add(w)
        self._idle.put(w)

    def _retire(self, w: _Worker) -> None:
        with self._lock:
            self._all.discard(w)
        w.stop()
        self._add()

    def wait_ready(self) -> str | None:
        """Wait for every worker to have opened the store (at start); None or the first problem."""
        with self._lock:
            workers = list(self._all)
        for w in workers:
            problem = w.wait_ready(WORKER_START_LIMIT)
            if problem:
                return problem
        return None

    def run(self, job: dict, timeout: float) -> Reply:
        try:
            w = self._idle.get(timeout=timeout)
        except queue.Empty:
            return error(503, f"all {self.size} query workers are busy; try again", **{"Retry-After": "1"})
        problem = w.wait_ready(WORKER_START_LIMIT)
        if problem:
            self._retire(w)
            return error(500, problem)
        try:
            w.conn.send(job)
            if w.conn.poll(timeout):
                reply = w.conn.recv()
                self._idle.put(w)
                return reply
        except (EOFError, OSError):
            self._retire(w)
            return error(500, "the query worker died (out of memory?); the query was not answered")
        self._retire(w)  # still running: kill it, a fresh worker takes its place
        return error(503, f"the query was stopped: it ran longer than the server's time limit of {timeout:g} s "
                           f"(--timeout)")

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.stop()
