"""Engines run ``pipeline.extract`` over article files and yield the articles in the files' order,
so the output is the same bytes whatever runs it.

- ``Local(jobs)``: in this process (``jobs=1``) or a pool of worker processes, each set up once
  (lexicons, patterns, shapes) and fed files in chunks;
- ``Spark(master)``: the same function on an Apache Spark cluster (``kg_builder.spark``).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path

from .pipeline import Article, Job, extract
from .processes import die_with_parent


def cores() -> int:
    """The processors this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Local:
    """``jobs`` worker processes (1: this process)."""

    def __init__(self, jobs: int = 1, chunk: int = 8):
        self.jobs = max(1, jobs)
        self.chunk = chunk

    def map(self, files: Sequence[Path], job: Job) -> Iterator[Article]:
        if self.jobs == 1 or len(files) < 2:
            for f in files:
                yield extract(f, job)
            return
        forking = "fork" in multiprocessing.get_all_start_methods()
        if forking:  # load once here: the workers share what the parent loaded (copy on write)
            _warm(job, files[0])
        context = multiprocessing.get_context("fork" if forking else "spawn")
        with context.Pool(min(self.jobs, len(files)), initializer=_worker,
                          initargs=(None if forking else job, files[0], os.getpid())) as pool:
            yield from pool.imap(partial(extract, job=job), files, chunksize=self.chunk)


def _worker(job: Job | None, sample: Path, parent: int) -> None:
    """Set up a worker process: Ctrl-C is the parent's to handle (it stops the pool; a worker taking
    it too would die mid-task and leave the pool waiting for it forever), SIGTERM ends it at once (the
    command line's handler, inherited by a fork, would raise in it); load what a spawned worker has
    not inherited."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the pool ends its workers with SIGTERM: they just stop
    if not die_with_parent(parent):  # an orphan would hold what it inherited, a store's lock among it
        os.kill(os.getpid(), signal.SIGKILL)
    if job is not None:
        _warm(job, sample)


def _warm(job: Job, sample: Path) -> None:
    """Load what every article needs (lexicons, patterns, shapes), by extracting one article."""
    extract(sample, job)
