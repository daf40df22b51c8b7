"""Processes' lives. Worker processes never outlive their parent: the build's workers (``engines.Local``)
and the endpoint's query workers (``outputs.serve.workers``) end when the process that started them
ends, however it ends (a SIGKILL too), so that none goes on holding a store's lock, memory or CPU. And
what a killed writer left (a temporary file, a store's working copy, named with its process id) is
known by ``process_alive``."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_PARENT_CHECK = 0.2  # seconds between the watchdog's looks at the parent


def libc():
    """The C library, or None where it cannot be loaded."""
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def die_with_parent(parent: int, *, watchdog: bool = False) -> bool:
    """Make this process end when ``parent`` does; False when the parent has already gone.

    Linux kills it when the *thread* that started it ends (``PR_SET_PDEATHSIG``: start workers from a
    thread that lives as long as they should). ``watchdog`` adds a thread that kills it once it has
    been handed to another parent, for other systems and in case the call is refused; it runs while
    a query holds no GIL."""
    lib = libc()
    if lib is not None and sys.platform.startswith("linux"):
        lib.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if watchdog:
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(_PARENT_CHECK)
            os.kill(os.getpid(), signal.SIGKILL)

        threading.Thread(target=watch, daemon=True).start()
    return os.getppid() == parent


def process_alive(pid: int) -> bool:
    """True while process ``pid`` runs (another user's too)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
