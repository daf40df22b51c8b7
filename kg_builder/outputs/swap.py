"""Replacing a directory by another in one step, so that whatever kills the process the directory
holds either its old content or its new content, never a mix.

A change to a store is made in a working copy beside it, ``.<name>.kg-builder-<pid>-<n>.new``; ``commit``
exchanges the two directories with Linux's ``renameat2(RENAME_EXCHANGE)``, which is atomic, and
deletes the old content. Where the call is missing (not Linux, or a file system without it) the copy
is renamed ``.ready``, the directory ``.old``, the copy into place, and ``recover`` finishes or undoes
an interrupted exchange the next time the directory is opened. Copies left by a process that was
killed are deleted then too, never one whose process still runs.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import itertools
import os
import shutil
import time
from glob import escape
from pathlib import Path

from ..processes import libc, process_alive

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_STATES = ("new", "ready", "old")


_serial = itertools.count()


def sibling(path: Path, state: str, pid: int | None = None) -> Path:
    """A new working directory of ``path`` in ``state`` (new, ready, old), owned by process ``pid``.
    Each is a new name: a store object of an aborted change that is closed late (a traceback held
    it) writes into its own directory, never into the next change's."""
    owner = os.getpid() if pid is None else pid
    return path.parent / f".{path.name}.kg-builder-{owner}-{next(_serial)}.{state}"


def _siblings(path: Path) -> list[tuple[Path, int, str]]:
    """(directory, owner pid, state) of every working directory of ``path``."""
    prefix = f".{path.name}.kg-builder-"
    found = []
    for p in path.parent.glob(f".{escape(path.name)}.kg-builder-*"):
        owner, _, state = p.name[len(prefix):].partition(".")
        pid = owner.partition("-")[0]
        if pid.isdigit() and state in _STATES:
            found.append((p, int(pid), state))
    return sorted(found)


class Busy(Exception):
    """Another process is changing the directory."""


def lock(path: Path, wait: float = 2.0) -> int:
    """Take the writer's lock of the directory ``path`` (an advisory ``flock`` on the directory itself,
    which every working copy replaces, so the lock is taken again when it was replaced meanwhile);
    returns the descriptor that holds it. Waits up to ``wait`` seconds (the workers of a writer just
    killed take a moment to go), then raises ``Busy``."""
    deadline = time.monotonic() + wait
    while True:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() > deadline:
                raise Busy(str(path)) from None
            time.sleep(0.1)
            continue
        if os.fstat(fd).st_ino == os.stat(path).st_ino:
            return fd
        os.close(fd)  # the directory was replaced between open and lock: lock the one there now


def recover(path: Path) -> None:
    """Finish an exchange a killed process left half done, and delete its working directories.

    Between the fallback's renames ``path`` is missing: the ``ready`` copy (complete) is put in its
    place, or else the ``old`` content is put back."""
    dead = [(p, state) for p, pid, state in _siblings(path) if not process_alive(pid)]
    if not path.exists():
        for wanted in ("ready", "old"):
            chosen = next((p for p, state in dead if state == wanted), None)
            if chosen is not None:
                os.rename(chosen, path)
                dead = [(p, s) for p, s in dead if p != chosen]
                break
    for p, _ in dead:
        shutil.rmtree(p, ignore_errors=True)


def _renameat2(a: Path, b: Path) -> bool:
    """Exchange ``a`` and ``b`` atomically; False when this system cannot."""
    call = getattr(libc(), "renameat2", None)
    if call is None:
        return False
    if call(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def exchange(work: Path, path: Path, *, atomic: bool = True) -> Path | None:
    """Put the directory ``work`` at ``path`` in one step; returns where what ``path`` held now is, for
    the caller to delete once nothing has it open (None when there was nothing)."""
    if not path.exists() or (path.is_dir() and not any(path.iterdir())):
        os.rename(work, path)  # rename(2) also replaces an empty directory in one step
        return None
    if atomic and _renameat2(work, path):
        return work  # now the old content
    ready, old = work.with_suffix(".ready"), work.with_suffix(".old")
    os.rename(work, ready)
    os.rename(path, old)
    os.rename(ready, path)
    return old
