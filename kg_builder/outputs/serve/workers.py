"""The query workers: a fixed pool of processes, each holding the store open read-only.

pyoxigraph cannot cancel a query, so a query that runs past the time limit costs its worker its
life: the process is killed (its CPU and memory freed at once) and a fresh one takes its place.
A worker is a ``python -c`` child talking over its end of a socket pair (not multiprocessing's
spawn, which re-imports the parent's ``__main__``); it answers jobs with ``protocol.answer``.

A worker cannot outgrow its memory limit (``RLIMIT_DATA``: an allocation over it fails and the
worker dies, so the query gets 503 and a fresh worker takes the place), cannot outlive the server
(killed by the kernel when the server goes, even by SIGKILL), and on Linux runs in a network
namespace of its own where no other host, nor this one's services, can be reached.
"""

from __future__ import annotations

import contextlib
import os
import queue
import resource
import signal
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from ...processes import die_with_parent, libc
from . import DEFAULT_MEMORY_LIMIT, WORKER_START_LIMIT
from .protocol import Reply, answer, error

_CLONE_NEWUSER, _CLONE_NEWNET = 0x10000000, 0x40000000  # linux/sched.h


def _isolate_network() -> bool:
    """On Linux, move this process into a network namespace of its own (no interface but a down loopback),
    so that no query can reach another host or a service of this one, whatever the query says. True when
    done; where namespaces are not allowed the SERVICE refusal in ``protocol.answer`` stands alone.
    Must run while the process has one thread (before the store is opened)."""
    lib = libc()
    if lib is None or not sys.platform.startswith("linux"):
        return False
    return lib.unshare(_CLONE_NEWNET) == 0 or lib.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0


def _limit_memory(megabytes: int) -> None:
    """Cap the heap (``RLIMIT_DATA``: brk and private writable mappings, which are what a query's
    solutions, sorts and hash joins take); 0 leaves it as it is. Address space (``RLIMIT_AS``) would
    also count the store's mapped files and the allocator's reserved arenas."""
    if megabytes:
        limit = megabytes << 20
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        resource.setrlimit(resource.RLIMIT_DATA, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))


def _worker_main(store_dir: str, fd: int, parent: int, memory_limit: int) -> None:
    """A query worker process: opens the store read-only, then answers jobs until the socket closes.

    Started as ``python -c`` with its end of a socket pair (not through multiprocessing's spawn,
    which re-imports the parent's ``__main__``).
    """
    from multiprocessing.connection import Connection

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group; the parent stops us
    isolated = _isolate_network()
    alive = die_with_parent(parent, watchdog=True)
    conn = Connection(fd)
    if not alive:  # the server went before the watchdog started
        return
    try:
        store = ox.Store.read_only(store_dir)
        _limit_memory(memory_limit)  # after opening: the limit is for queries
    except OSError as e:
        conn.send(("error", str(e)))
        return
    conn.send(("ready", isolated))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = answer(store, job)
        except MemoryError:
            reply = error(503, _out_of_memory(memory_limit))
        except Exception as e:  # noqa: BLE001 - a worker must answer, whatever went wrong
            reply = error(500, f"query failed: {type(e).__name__}: {e}")
        conn.send(reply)


def _out_of_memory(megabytes: int) -> str:
    return (f"the query was stopped: it needed more than the server's memory limit of {megabytes} MB per query "
            "(--memory-limit); narrow it down, or add LIMIT")


_WORKER_CODE = ("import sys; from kg_builder.outputs.serve.workers import _worker_main; "
                "_worker_main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))")
_NO_MEMORY = b"memory allocation of"  # what Rust writes when an allocation fails, before it aborts


class _Worker:
    def __init__(self, store_dir: str, memory_limit: int):
        import socket
        from multiprocessing.connection import Connection

        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        package_root = str(Path(__file__).resolve().parents[3])  # where kg_builder is importable from
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        # what the worker says as it dies (an allocation over the limit, a crash) is read to say why
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _WORKER_CODE, store_dir, str(theirs.fileno()), str(os.getpid()),
                 str(memory_limit)],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, stderr=self.stderr, env=env)
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
            return f"the query worker exited while starting{self.last_words()}"
        if kind != "ready":
            return f"the query worker cannot open the store: {detail}"
        self.ready = True
        return None

    def last_words(self) -> str:
        """The last line the worker wrote on stderr, as ``: line`` (empty when none)."""
        with contextlib.suppress(OSError, ValueError):
            self.stderr.seek(0, os.SEEK_END)
            self.stderr.seek(max(0, self.stderr.tell() - 4096))
            lines = self.stderr.read().decode("utf-8", "replace").strip().splitlines()
            return f": {lines[-1]}" if lines else ""
        return ""

    def ran_out_of_memory(self) -> bool:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(2)  # the words are written before the abort
        with contextlib.suppress(OSError, ValueError):
            self.stderr.seek(0)
            return _NO_MEMORY in self.stderr.read()
        return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):  # one that will not die is left to the OS
            self.process.wait(5)
        self.conn.close()
        self.stderr.close()


class WorkerPool:
    """A fixed number of worker processes; a query over its time or memory limit costs its worker its life."""

    def __init__(self, store_dir: str, size: int, memory_limit: int = DEFAULT_MEMORY_LIMIT):
        self.store_dir, self.size, self.memory_limit = store_dir, size, memory_limit
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        # every worker is started from this one thread: Linux kills a worker when the thread that
        # started it ends (PR_SET_PDEATHSIG), and request threads end after each request
        self._starter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-serve-workers")
        for started in [self._starter.submit(self._add) for _ in range(size)]:
            started.result()

    def _add(self) -> None:
        with self._lock:
            if self._closed:
                return
            w = _Worker(self.store_dir, self.memory_limit)
            self._all.add(w)
        self._idle.put(w)

    def _retire(self, w: _Worker) -> None:
        with self._lock:
            self._all.discard(w)
        w.stop()
        with contextlib.suppress(RuntimeError):  # the pool is closing
            self._starter.submit(self._add)

    def wait_ready(self) -> str | None:
        """Wait for every worker to have opened the store (at start); None or the first problem."""
        with self._lock:
            workers = list(self._all)
        for w in workers:
            problem = w.wait_ready(WORKER_START_LIMIT)
            if problem:
                return problem
        return None

    def pids(self) -> list[int]:
        """The process ids of the workers (for monitoring and tests)."""
        with self._lock:
            return sorted(w.process.pid for w in self._all)

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
            if self.memory_limit and w.ran_out_of_memory():
                reply = error(503, _out_of_memory(self.memory_limit))
            else:
                reply = error(500, f"the query worker died{w.last_words()}; the query was not answered")
            self._retire(w)
            return reply
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
        self._starter.shutdown(wait=True)
