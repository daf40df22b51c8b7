"""The Spark engine: ``pipeline.extract`` over article files on an Apache Spark cluster (pyspark),
yielding the articles in the files' order, so the graph written is the same bytes as with
``engines.Local``.

    kg-builder build ARTICLES -o kg.trig --engine spark --spark-master spark://host:7077

How it runs. The files go in *waves* of ``slots × per_task`` files (``slots``: the cluster's
default parallelism, asked again at each wave; ``max_files`` at most), a Spark job per wave,
``ahead`` waves in flight besides the one being read, so the cluster does not wait for the driver
and the driver holds a few waves of articles at most (bounded memory however many files). A
wave's results come back in partition order, each partition in file order: the articles are
yielded in the input order.

Where the bytes come from. By default (``read="driver"``) the driver reads each wave's files and
ships their bytes with the tasks: executors need not see the driver's files (a cluster without a
shared file system). ``read="executors"`` ships only the paths and the executors read the files
themselves: less traffic through the driver, for a file system every executor mounts at the same
path. A file the driver cannot read gets the same error (``E101``) as with the local engine.

What the executors need: Python of the driver's minor version with kg-builder and its
dependencies installed (the wheel carries the lexicons, domain packs, ontology and shapes):
``pip install kg-builder`` on each node, or a packed virtual environment shipped with
``spark.archives`` (venv-pack) and ``PYSPARK_PYTHON`` pointing into it; ``--py-files`` is not
enough (spaCy and pyoxigraph are compiled, the packs are read as files). An extra domain pack
(``--set domain.packs=...``) must be at the same path on the executors. Each Python worker loads
what every article needs (lexicons, patterns, shapes) at its first article and keeps it for the
next tasks: Spark reuses its Python workers (``spark.python.worker.reuse``, on by default).

The SparkContext: ``map`` starts one for ``master`` when none is running in this process and
stops it when done; ``with Spark(...) as engine:`` keeps one for several builds. A SparkContext
already running in this process (a notebook's) is used as it is and left running.

Errors: pyspark or Java missing is a ``SparkError`` (one line at the command line, exit 3) before
anything starts; a Spark job that fails (an executor lost, kg-builder missing on the executors,
the master unreachable) a ``SparkJobError`` naming the cause (exit 4). An error that ``extract`` raises
on an executor (a bug, with ``--fail-fast``) is raised again on the driver, as the local engine
raises it, with the executor's traceback in a note.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import traceback
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Self

from .errors import ConfigError, SparkError, SparkJobError
from .pipeline import Article, Job, extract

INSTALL = "pip install 'kg-builder[spark]'"


class Spark:
    """Runs ``extract`` on Spark at ``master`` (``local[*]``, ``local[2]``, ``spark://host:7077``,
    ``yarn`` ...). ``conf``: more Spark settings. ``read``: ``"driver"`` (ship the files' bytes) or
    ``"executors"`` (ship paths: the executors see the same files). ``per_task``: files per task
    (a job costs Spark about 0.1 s, an article a few dozen milliseconds: a task takes several);
    ``ahead``: waves in flight besides the one being read; ``max_files``, ``max_bytes``: a wave's
    files and bytes (when the driver reads) at most: the driver holds ``1 + ahead`` waves."""

    def __init__(self, master: str = "local[*]", *, conf: dict[str, str] | None = None, read: str = "driver",
                 per_task: int = 16, ahead: int = 2, max_files: int = 512, max_bytes: int = 64 << 20,
                 app_name: str = "kg-builder"):
        if read not in ("driver", "executors"):
            raise ConfigError(f"Spark(read=...) is 'driver' or 'executors', not {read!r}")
        self.master = master
        self.conf = dict(conf or {})
        self.read = read
        self.per_task = max(1, per_task)
        self.ahead = max(1, ahead)
        self.max_files = max(1, max_files)
        self.max_bytes = max(1, max_bytes)
        self.app_name = app_name
        self._sc: Any = None  # the SparkContext in use
        self._own = False  # whether this engine started it (and so stops it)
        pyspark_version()  # no pyspark: the error now, before any file is read

    # ------------------------------------------------------------ the context

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> Any:
        """The SparkContext: the one running in this process, or a new one for ``master``."""
        if self._sc is None:
            from pyspark import SparkContext

            active = SparkContext._active_spark_context
            if active is not None:
                self._sc, self._own = active, False
            else:
                self._sc, self._own = context(self.master, self.conf, self.app_name), True
        return self._sc

    def stop(self) -> None:
        """Stop the SparkContext if this engine started it (and the JVM, if it started that too)."""
        sc, own = self._sc, self._own
        self._sc, self._own = None, False
        if sc is not None and own:
            sc.stop()
            _end_gateway()

    # ------------------------------------------------------------ the work

    def map(self, files: Sequence[Path], job: Job) -> Iterator[Article]:
        files = list(files)
        if not files:
            return
        started = self._sc is None
        sc = self.start()
        try:
            yield from self._stream(sc, files, job)
        finally:
            if started:
                self.stop()

    def _stream(self, sc: Any, files: list[Path], job: Job) -> Iterator[Article]:
        def slots() -> int:  # asked at each wave: a cluster's executors may come (and go) as it runs
            return max(1, int(sc.defaultParallelism))

        waves = self._waves(files, job, lambda: min(self.max_files, slots() * self.per_task))
        group = f"kg-builder-{uuid.uuid4().hex}"
        pending: deque[tuple[list[tuple[Path, Article | None]], Future]] = deque()
        pool = ThreadPoolExecutor(self.ahead + 1, thread_name_prefix="kg-builder-spark")

        def fill() -> None:
            while len(pending) < self.ahead:
                wave = next(waves, None)
                if wave is None:
                    return
                payload = [(str(p), data) for p, data, done in wave if done is None]
                future = pool.submit(_submit, sc, group, payload, slots(), partial(_partition, job))
                pending.append(([(p, done) for p, _, done in wave], future))

        finished = False
        try:
            fill()
            while pending:
                wave, future = pending.popleft()
                fill()
                results = iter(future.result())
                for path, done in wave:
                    if done is not None:
                        yield done
                        continue
                    out = next(results)
                    if isinstance(out, _Failure):
                        out.throw(path)
                    yield out
            finished = True
        finally:
            if not finished:  # an error, or the consumer stopped early: drop the waves in flight
                for _, future in pending:
                    future.cancel()
                with contextlib.suppress(Exception):  # the context may be gone already
                    sc.cancelJobGroup(group)
            pool.shutdown(wait=True, cancel_futures=True)

    def _waves(self, files: list[Path], job: Job,
               size: Callable[[], int]) -> Iterator[list[tuple[Path, bytes | None, Article | None]]]:
        """Slices of at most ``size()`` files (and ``max_bytes`` bytes when the driver reads them):
        (path, its bytes or None, its article when the driver already knows it: unreadable)."""
        wave: list[tuple[Path, bytes | None, Article | None]] = []
        weight, most = 0, size()
        for p in files:
            if self.read == "driver":
                try:
                    data = p.read_bytes()
                except OSError:
                    # the same error as the local engine gives (E101 ...), from the same code
                    wave.append((p, None, extract(p, job)))
                else:
                    wave.append((p, data, None))
                    weight += len(data)
            else:
                wave.append((p, None, None))
            if len(wave) >= most or weight >= self.max_bytes:
                yield wave
                wave, weight, most = [], 0, size()
        if wave:
            yield wave


def _submit(sc: Any, group: str, payload: list[tuple[str, bytes | None]], slots: int, func) -> list:
    """One wave as one Spark job (in a thread of the driver): its results in the payload's order."""
    if not payload:
        return []
    try:
        # cancelled (the consumer stopped early): the tasks running finish, their workers and caches live on
        sc.setJobGroup(group, "kg-builder: articles to RDF", interruptOnCancel=False)
        rdd = sc.parallelize(payload, min(slots, len(payload)))
        return rdd.mapPartitions(func, preservesPartitioning=True).collect()
    except Exception as e:  # py4j and pyspark raise many kinds: all are one thing here
        raise SparkJobError(f"the Spark job failed: {reason(e)}") from e


# ---------------------------------------------------------------- on the executors

@dataclass(frozen=True)
class _Failure:
    """What ``extract`` raised on an executor: the exception (pickled, when it can be) and its traceback."""

    exception: bytes | None
    text: str

    @classmethod
    def of(cls, e: BaseException) -> _Failure:
        text = "".join(traceback.format_exception(e))
        try:
            blob: bytes | None = pickle.dumps(e)
            pickle.loads(blob)
        except Exception:  # noqa: BLE001 - not every exception travels
            blob = None
        return cls(blob, text)

    def throw(self, path: Path) -> None:
        e = None
        if self.exception is not None:
            with contextlib.suppress(Exception):
                e = pickle.loads(self.exception)
        if not isinstance(e, BaseException):
            last = self.text.strip().splitlines()[-1] if self.text.strip() else "unknown error"
            raise SparkJobError(f"{path}: on a Spark executor: {last}")
        e.add_note(f"kg-builder: raised on a Spark executor; its traceback:\n{self.text.rstrip()}")
        raise e


def _partition(job: Job, items: Iterable[tuple[str, bytes | None]]) -> Iterator[Article | _Failure]:
    """A task: its files' articles in order. What every article needs (lexicons, patterns, shapes)
    loads at the first article a Python worker process meets and stays cached there for the next
    tasks (Spark reuses its workers); an error stops the task and travels back in its place."""
    try:
        for path, data in items:
            yield extract(path, job, data)
    except Exception as e:  # noqa: BLE001 - raised again on the driver, in order
        yield _Failure.of(e)


# ---------------------------------------------------------------- starting Spark

def pyspark_version() -> tuple[int, ...]:
    """pyspark's version; ``SparkError`` when it is not installed."""
    try:
        import pyspark
    except ImportError:
        raise SparkError(f"the spark engine needs pyspark and Java 17+: {INSTALL}") from None
    return tuple(int(x) for x in re.findall(r"\d+", pyspark.__version__)[:2])


def java() -> tuple[str | None, int | None]:
    """The ``java`` Spark would start (``JAVA_HOME`` first, as Spark's launcher) and its major version."""
    home = os.environ.get("JAVA_HOME")
    exe = str(Path(home, "bin", "java")) if home else shutil.which("java")
    if not exe or not os.access(exe, os.X_OK):
        return None, None
    try:
        out = subprocess.run([exe, "-version"], check=False, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None, None
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not m:
        return exe, None
    major = int(m.group(1))
    return exe, int(m.group(2) or 0) if major == 1 else major  # "1.8.0_392" is Java 8


def context(master: str, conf: dict[str, str] | None = None, app_name: str = "kg-builder") -> Any:
    """A new SparkContext for ``master``, quiet (errors only on stderr, no progress bar), on the
    loopback address and this Python when the master is local. ``SparkError`` if it cannot start."""
    major = pyspark_version()[0]
    needed = 17 if major >= 4 else 8
    exe, version = java()
    if exe is None or (version is not None and version < needed):
        found = "no Java found (JAVA_HOME or java on PATH)" if exe is None else f"{exe} is Java {version}"
        raise SparkError(f"the spark engine needs pyspark and Java {needed}+: {INSTALL} and a Java {needed}+ "
                         f"runtime (Debian: apt-get install openjdk-17-jre-headless); {found}")
    from pyspark import SparkConf, SparkContext

    settings = {"spark.ui.showConsoleProgress": "false"}
    local = master.startswith("local")
    if local:
        settings.update({"spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1",
                         "spark.ui.enabled": "false"})
    settings.update(conf or {})
    folder = tempfile.mkdtemp(prefix="kg-builder-spark-")
    if "spark.driver.extraJavaOptions" not in settings:
        log = Path(folder, "log4j2.properties")
        log.write_text(_LOG4J, encoding="utf-8")
        settings["spark.driver.extraJavaOptions"] = f"-Dlog4j2.configurationFile={log.as_uri()}"
    # a local Spark: its workers run this Python (with kg-builder), and it talks on loopback only
    env = {"PYSPARK_PYTHON": sys.executable, "SPARK_LOCAL_IP": "127.0.0.1", "SPARK_LOCAL_HOSTNAME": "localhost"}
    env = {k: v for k, v in env.items() if local and k not in os.environ}
    os.environ.update(env)
    try:
        spark_conf = SparkConf().setMaster(master).setAppName(app_name).setAll(list(settings.items()))
        sc = SparkContext(conf=spark_conf, gateway=_gateway(spark_conf))
    except SparkError:
        raise
    except Exception as e:  # py4j and pyspark raise many kinds
        raise SparkError(f"cannot start Spark on {master}: {reason(e)}") from e
    finally:
        for k in env:
            os.environ.pop(k, None)
        shutil.rmtree(folder, ignore_errors=True)
    sc.setLogLevel("ERROR")
    return sc


def _gateway(conf: Any) -> Any:
    """The JVM for a SparkContext, None when this process runs one already. Its stderr is relayed to
    ours (less the JVM's notice that Spark uses an incubator module); when it fails to start, what it
    said becomes the error's one line instead."""
    from pyspark import SparkContext
    from pyspark.java_gateway import launch_gateway

    if SparkContext._gateway is not None:
        return None
    relay = _Relay()
    try:
        gateway = launch_gateway(conf, popen_kwargs={"stderr": relay.write})
    except Exception as e:
        said = relay.failed()
        raise SparkError(f"cannot start Spark on {conf.get('spark.master')}: {said or reason(e)}") from e
    relay.started()
    _LAUNCHED.add(id(gateway))
    return gateway


_LAUNCHED: set[int] = set()  # the JVM gateways this module started


def _end_gateway() -> None:
    """End the JVM that this module started for a SparkContext now stopped (pyspark keeps it running
    for the next context; a build is done with it)."""
    from pyspark import SparkContext

    with SparkContext._lock:
        gateway = SparkContext._gateway
        if gateway is None or id(gateway) not in _LAUNCHED or SparkContext._active_spark_context is not None:
            return
        SparkContext._gateway = SparkContext._jvm = None
    _LAUNCHED.discard(id(gateway))
    with contextlib.suppress(Exception):
        gateway.shutdown()
    proc = getattr(gateway, "proc", None)
    if proc is not None:  # the JVM ends when its stdin closes
        with contextlib.suppress(Exception):
            proc.stdin.close()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class _Relay:
    """The JVM's stderr: held while it starts (a failure to start becomes one line), then passed on line
    by line to this process's stderr, where the JVM would write had it inherited it."""

    def __init__(self) -> None:
        read, self.write = os.pipe()
        self._held: list[bytes] | None = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, args=(read,), name="kg-builder-spark-stderr", daemon=True)
        self._thread.start()

    def _run(self, fd: int) -> None:
        with open(fd, "rb") as lines:
            for line in lines:
                if b"Using incubator modules" in line:
                    continue
                with self._lock:
                    if self._held is not None:
                        self._held.append(line)
                        continue
                _pass(line)

    def started(self) -> None:
        os.close(self.write)
        with self._lock:
            for line in self._held or []:
                _pass(line)
            self._held = None

    def failed(self) -> str:
        """The first line of the Java exception the JVM printed, if any."""
        os.close(self.write)
        self._thread.join(timeout=10)
        with self._lock:
            held = self._held or []
        for line in held:
            m = re.match(r"^(?:Exception in thread \S+ )?[\w.$]+(?:Exception|Error): (.+)",
                         line.decode("utf-8", "replace").strip())
            if m:
                return m.group(1)
        return ""


def _pass(line: bytes) -> None:
    """A line of the JVM's stderr to the stderr this process was given, as a child process writes
    there (the library itself prints nothing)."""
    try:
        os.write(2, line)
    except OSError:  # stderr closed
        pass


_LOG4J = """\
rootLogger.level = error
logger.spark.name = org.apache.spark
logger.spark.level = error
rootLogger.appenderRef.stderr.ref = stderr
appender.console.type = Console
appender.console.name = stderr
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = spark: %p %c{1}: %m%n
appender.console.layout.alwaysWriteExceptions = false
"""


def reason(e: BaseException) -> str:
    """One line saying why Spark failed: the Python error on the executor when there was one, else
    the Java one (the task's, when a stage failed)."""
    text = str(e)
    lines = [line.strip() for line in text.splitlines()]
    if "Traceback (most recent call last)" in text:
        # the last line of the executor's Python traceback, before the Java frames
        python = [line for line in lines if re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b.*?: ", line)
                  and not line.startswith(("org.", "java.", "py4j.", "scala.", "Caused by"))]
        if python:
            found = python[-1]
            if found.startswith(("ModuleNotFoundError", "ImportError")):
                found += " (is kg-builder installed on the executors, for the same Python? README: Spark)"
            return found
    for line in lines:
        m = re.match(r"^(?::\s*)?(?:Exception in thread \S+ )?([\w.$]+(?:Exception|Error)): (.+)", line)
        if m:
            message = m.group(2)
            # "Job aborted due to stage failure: ... most recent failure: Lost task ... : X: why"
            inner = re.findall(r"(?:^|\): )[\w.$]+(?:Exception|Error): (.+?)(?=$| Consider )", message)
            return (inner[-1] if "most recent failure" in message and inner else message)[:300]
    first = next((line for line in lines if line), "")
    return first[:300] or type(e).__name__
