"""Grade a cohort's notebooks in parallel, each in its own fresh kernel, trusting nothing in them.

For every submitted notebook the grader

1. reads it as plain JSON (a notebook that is not valid JSON, or has no cells, is recorded as
   ``invalid_notebook`` and never reaches a kernel);
2. rebuilds it from the release: "given" cells come from the release (changes and deletions are
   recorded as ``tampered``), the trainee's own cells are kept; stored outputs are ignored;
3. runs it cell by cell in a kernel of its own, with its own fresh ``SSUP_HOME`` (so its own
   fresh database), ``SSUP_RESULTS`` pointing at a file nobody reads, a per-cell timeout, a cap
   on output size and caps on memory and file size. The kernel is confined with Landlock
   (:mod:`ssup.cohort.sandbox`): it can write only into its own folder, so no notebook can touch
   the gradebook, the release, the pristine database or another trainee's files, and it can
   open no TCP connection (a PostgreSQL gradebook included) and signal no other process. A cell that runs too long or floods output
   is interrupted and the run goes on; a kernel that exits, crashes or ignores the interrupt is
   recorded (``exited``, ``crashed``, ``timeout``) and its questions are ``not_run``;
4. re-runs every question's check itself in the kernel, once the notebook has run
   (``ssup.exercise.grade_namespace``), one question per request, and reads the verdict from the
   execute reply under a name that includes a random nonce. The notebook's own ``check()``
   calls, printed feedback and results files count for nothing.

Kernels are started ahead of time: with ``workers`` notebooks running at once, a further
``workers`` kernels are warming up (imports done) in the pool, so no worker waits on a start.
A single asyncio loop drives all kernels; kernel processes do the work in parallel.
"""

from __future__ import annotations

import ast
import asyncio
import collections
import concurrent.futures
import contextlib
import json
import os
import queue
import secrets
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from subprocess import DEVNULL
from typing import Any, Callable, Iterable

from ssup.cohort.notebooks import InvalidNotebook, Prepared, Problem, load_notebook, prepare

KERNEL_NAME = "ssup-grader"

#: Notebook statuses, most severe first. ``graded`` means it ran and every check ran.
NOTEBOOK_STATUSES = ("invalid_notebook", "crashed", "exited", "timeout", "output_limit", "tampered",
                     "wrong_kernel", "missing", "graded")
#: Problems that stop a notebook before its checks run: its questions are ``not_run``.
FATAL = ("invalid_notebook", "crashed", "exited")

STORED_OUTPUT_BYTES = 100_000
#: Folder of a grading run (beside the kernels' folders) that holds the pristine database.
CACHE_FOLDER = "cache"

#: Imported once by the fork server (or by each spawned kernel while it waits in the pool), with
#: the modules the release notebooks import (:func:`release_imports`) and the question modules.
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "IPython", "ssup.exercise")


def release_imports(release: dict[str, Any]) -> list[str]:
    """Modules the release's given code cells import (what every kernel will import anyway)."""
    import ast as _ast

    from ssup.cohort.notebooks import cell_role

    names: list[str] = []
    for cell in release.get("cells") or []:
        if cell.get("cell_type") != "code" or cell_role(cell) != "given":
            continue
        source = "".join(cell.get("source") or []) if isinstance(cell.get("source"), list) else cell.get("source") or ""
        lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        try:
            tree = _ast.parse("\n".join(lines))
        except SyntaxError:
            continue
        for node in _ast.walk(tree):
            if isinstance(node, _ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, _ast.ImportFrom) and node.module and not node.level:
                names.append(node.module)
                names += [f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*"]
    return list(dict.fromkeys(names))  # per cell, in the graded copy kept for the trainer

GRADE_CODE = '''\
def _ssup_grade_{nonce}(namespace):
    import importlib, json
    from ssup.exercise import grade_namespace, questions_in
    question = questions_in(importlib.import_module({module!r}))[{index}]
    [result] = grade_namespace([question], namespace)
    return json.dumps({{"nonce": {nonce!r}, "question": question.id, "result": result.to_json()}})
_ssup_result_{nonce} = _ssup_grade_{nonce}(globals())
del _ssup_grade_{nonce}
'''


class GradingError(RuntimeError):
    """The grader itself cannot work (e.g. no kernel can be started): the run stops."""


@dataclass(frozen=True)
class QuestionInfo:
    question_id: str
    title: str
    behaviours: tuple[str, ...]

    @classmethod
    def of(cls, question: Any) -> "QuestionInfo":
        return cls(question.id, question.title or "", tuple(question.behaviours))


@dataclass
class Job:
    """One notebook to grade: ``path`` is None when the trainee submitted nothing."""

    trainee: str
    notebook: str
    path: Path | None
    release: dict[str, Any]
    module: str
    questions: list[QuestionInfo]


@dataclass
class Options:
    workers: int = 0  # 0: one per core
    cell_timeout: float = 30.0
    notebook_timeout: float = 900.0
    check_timeout: float = 30.0
    max_output_bytes: int = 2_000_000  # per cell
    interrupt_grace: float = 5.0
    memory_mb: int = 1536  # address space per kernel: a lesson needs about 1 GB
    file_mb: int = 512
    spare: int = 1  # warm kernels per worker
    data_dir: str | None = None
    python_path: list[str] = field(default_factory=list)
    preload: list[str] = field(default_factory=lambda: list(PRELOAD))
    graded_dir: Path | None = None
    kernel_start_timeout: float = 60.0
    kernel_mode: str = "fork" if sys.platform.startswith("linux") else "spawn"  # or "spawn"
    #: "auto": confine every kernel when Landlock is available, else warn once and grade unconfined;
    #: "required": refuse to grade without it; "off": never confine.
    sandbox: str = "auto"

    def worker_count(self) -> int:
        return self.workers if self.workers > 0 else max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


@dataclass
class Outcome:
    trainee: str
    notebook: str
    status: str
    problems: list[Problem]
    errors: list[str]
    results: list[dict[str, Any]]  # question, behaviours, status, detail
    duration: float = 0.0
    sha256: str | None = None

    @property
    def problem_text(self) -> str:
        return "; ".join(f"{p.kind}: {p.detail}" for p in self.problems)


def notebook_status(problems: Iterable[Problem], default: str = "graded") -> str:
    kinds = {p.kind for p in problems}
    for status in NOTEBOOK_STATUSES:
        if status in kinds:
            return status
    return default


# -- kernels --------------------------------------------------------------------------------
def _kernel_spec_dir(root: Path) -> Path:
    folder = root / "kernels" / KERNEL_NAME
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "ssup.cohort.kernel", "-f", "{connection_file}",
                 "--HistoryManager.enabled=False"],
        "display_name": "SSUP grader (Python 3)",
        "language": "python",
        "interrupt_mode": "signal",
    }
    (folder / "kernel.json").write_text(json.dumps(spec))
    return root / "kernels"


@dataclass
class Run:
    status: str = "ok"  # ok | error | interrupted | stuck | died
    reason: str = ""  # why interrupted/stuck: timeout | output
    outputs: list[dict[str, Any]] = field(default_factory=list)
    output_bytes: int = 0
    ename: str = ""
    evalue: str = ""
    user_expressions: dict[str, Any] = field(default_factory=dict)


def _output_size(content: dict[str, Any]) -> int:
    if "text" in content:
        return len(content.get("text") or "")
    data = content.get("data") or {}
    if content.get("ename"):
        return len(content.get("evalue") or "") + sum(len(line) for line in content.get("traceback") or [])
    return sum(len(value) if isinstance(value, str) else len(json.dumps(value)) for value in data.values())


def _as_output(kind: str, content: dict[str, Any], count: int | None) -> dict[str, Any]:
    if kind == "stream":
        return {"output_type": "stream", "name": content.get("name", "stdout"), "text": content.get("text", "")}
    if kind == "error":
        return {"output_type": "error", "ename": content.get("ename", ""), "evalue": content.get("evalue", ""),
                "traceback": content.get("traceback", [])}
    if kind == "execute_result":
        return {"output_type": "execute_result", "data": content.get("data", {}), "metadata": content.get("metadata", {}),
                "execution_count": count}
    return {"output_type": "display_data", "data": content.get("data", {}), "metadata": content.get("metadata", {})}


class Kernel:
    """One grader kernel: its own folder (SSUP_HOME, results file, log), started ahead of use.

    Subclasses start the process (:class:`SpawnedKernel` through jupyter_client,
    :class:`ForkedKernel` from the fork server); this class runs code on it.
    """

    def __init__(self, base: Path, options: Options) -> None:
        self.base = base
        self.dir = Path(tempfile.mkdtemp(prefix="kernel-", dir=base))
        self.home = self.dir / "home"
        self.home.mkdir()
        (self.dir / "tmp").mkdir()
        private = self.dir / "private"
        private.mkdir(mode=0o700)
        self.results_file = private / "results.jsonl"
        self.options = options
        self.kc: Any = None
        self.count = 0

    def own_environment(self) -> dict[str, str]:
        """What differs from one kernel to the next."""
        own = {
            "SSUP_HOME": str(self.home),
            "SSUP_RESULTS": str(self.results_file),  # the notebook may write here; nobody reads it
            "IPYTHONDIR": str(self.dir / "ipython"),
            "TMPDIR": str(self.dir / "tmp"),
            "SSUP_CACHE_DIR": str(self.base / CACHE_FOLDER),  # the pristine database, read-only when confined
        }
        if self.options.sandbox != "off":
            own["SSUP_GRADER_SANDBOX"] = str(self.dir)
        return own

    async def start(self) -> "Kernel":
        raise NotImplementedError

    async def alive(self) -> bool:
        raise NotImplementedError

    async def interrupt(self) -> None:
        raise NotImplementedError

    def exit_code(self) -> int | None:
        raise NotImplementedError

    async def kill(self) -> None:
        raise NotImplementedError

    def exit_problem(self, where: str) -> Problem:
        """Why the kernel died, from its exit code."""
        code = self.exit_code()
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            hint = " (often: out of memory)" if name == "SIGKILL" else ""
            return Problem("crashed", f"the kernel crashed {where} ({name}{hint}); later cells and the checks did not run.")
        shown = f" with code {code}" if code is not None else ""
        return Problem("exited", f"the kernel exited{shown} {where} (the code called exit(), sys.exit() or os._exit()); "
                                 "later cells and the checks did not run.")

    async def run(self, code: str, timeout: float, max_output: int, grace: float,
                  user_expressions: dict[str, str] | None = None, keep: bool = True) -> Run:
        """Execute ``code``; interrupt it past ``timeout`` or ``max_output`` bytes of output."""
        loop = asyncio.get_running_loop()
        self.count += 1
        msg_id = self.kc.execute(code, silent=False, store_history=False, user_expressions=user_expressions or {},
                                 allow_stdin=False, stop_on_error=False)
        run = Run()
        deadline = loop.time() + timeout
        interrupted_at: float | None = None
        idle = False
        stored = 0
        while True:
            now = loop.time()
            limit = deadline if interrupted_at is None else interrupted_at + grace
            if now >= limit:
                if interrupted_at is None:
                    run.reason = run.reason or "timeout"
                    interrupted_at = now
                    await self.interrupt()
                    continue
                run.status = "stuck"
                return run
            wait = max(0.01, min(0.25, limit - now))
            channel = self.kc.get_shell_msg if idle else self.kc.get_iopub_msg
            try:
                msg = await channel(timeout=wait)
            except queue.Empty:
                if not await self.alive():
                    run.status = "died"
                    return run
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if idle:  # the execute reply
                run.user_expressions = content.get("user_expressions") or {}
                if run.ename == "OutputLimitExceeded":
                    run.status, run.reason = "interrupted", "output"
                elif interrupted_at is not None:
                    run.status = "interrupted"
                elif content.get("status") == "error" or run.ename:
                    run.status = "error"
                    run.ename = run.ename or content.get("ename", "")
                    run.evalue = run.evalue or content.get("evalue", "")
                return run
            if kind == "status":
                idle = content.get("execution_state") == "idle"
                continue
            if kind not in ("stream", "display_data", "execute_result", "error", "update_display_data"):
                continue
            size = _output_size(content)
            run.output_bytes += size
            if kind == "error":
                run.ename, run.evalue = content.get("ename", ""), content.get("evalue", "")
            if run.output_bytes > max_output * 2 + 1_000_000:  # the kernel caps at max_output; this is the backstop
                if interrupted_at is None:
                    run.reason = "output"
                    interrupted_at = now
                    await self.interrupt()
                continue
            if keep and kind != "update_display_data":
                if stored + size <= STORED_OUTPUT_BYTES or kind == "error":
                    run.outputs.append(_as_output(kind, content, self.count))
                    stored += size
                elif not run.outputs or run.outputs[-1].get("text") != "[output cut short by the grader]\n":
                    run.outputs.append({"output_type": "stream", "name": "stderr",
                                        "text": "[output cut short by the grader]\n"})

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            if self.kc is not None:
                self.kc.stop_channels()
        with contextlib.suppress(Exception):
            await self.kill()
        await asyncio.get_running_loop().run_in_executor(None, lambda: shutil.rmtree(self.dir, ignore_errors=True))


def base_environment(options: Options) -> dict[str, str]:
    """The environment every grader kernel shares (the trainer's, minus SSUP_* and hub variables)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SSUP_", "JPY_", "JUPYTERHUB_"))}
    paths = [str(Path(p)) for p in options.python_path]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env.update({
        "SSUP_TRAINEE": "grader",
        "SSUP_HIDE_SOLUTIONS": "1",
        "SSUP_GRADER_MEMORY_MB": str(options.memory_mb or ""),
        "SSUP_GRADER_FILE_MB": str(options.file_mb or ""),
        "SSUP_GRADER_MAX_OUTPUT": str(options.max_output_bytes or ""),
        "SSUP_GRADER_PRELOAD": ",".join(options.preload),
        "SSUP_GRADER_SANDBOX_REQUIRED": "1" if options.sandbox == "required" else "",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "PYTHONUNBUFFERED": "1",
        "PYTHONWARNINGS": "ignore::DeprecationWarning",
    })
    if paths:
        env["PYTHONPATH"] = os.pathsep.join(paths)
    if options.data_dir:
        env["SSUP_DATA_DIR"] = str(options.data_dir)
    if "MPLCONFIGDIR" not in env:
        with contextlib.suppress(Exception):
            import matplotlib

            env["MPLCONFIGDIR"] = matplotlib.get_configdir()  # reuse the font cache
    return env


class SpawnedKernel(Kernel):
    """A kernel started by jupyter_client as a new process (``python -m ssup.cohort.kernel``)."""

    def __init__(self, base: Path, options: Options, spec_dir: Path) -> None:
        super().__init__(base, options)
        self.spec_dir = spec_dir
        self.km: Any = None
        self._log: Any = None

    async def start(self) -> "Kernel":
        from jupyter_client.kernelspec import KernelSpecManager
        from jupyter_client.manager import AsyncKernelManager

        self.km = AsyncKernelManager(kernel_name=KERNEL_NAME,
                                     kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(self.spec_dir)]),
                                     transport="ipc", ip=str(self.dir / "ipc"),
                                     connection_file=str(self.dir / "connection.json"))
        self._log = open(self.dir / "kernel.log", "wb")
        env = dict(base_environment(self.options), **self.own_environment())
        await self.km.start_kernel(env=env, cwd=str(self.home), stdout=DEVNULL, stderr=self._log)
        self.kc = self.km.client()
        self.kc.start_channels(hb=False)
        await self.kc.wait_for_ready(timeout=self.options.kernel_start_timeout)
        return self

    async def alive(self) -> bool:
        try:
            return bool(await self.km.is_alive())
        except Exception:  # noqa: BLE001
            return False

    async def interrupt(self) -> None:
        with contextlib.suppress(Exception):
            await self.km.interrupt_kernel()

    def exit_code(self) -> int | None:
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        return process.poll() if process is not None else None

    async def kill(self) -> None:
        with contextlib.suppress(Exception):
            if self.km is not None and self.km.has_kernel:
                await self.km.shutdown_kernel(now=True)
        with contextlib.suppress(Exception):
            if self._log is not None:
                self._log.close()


class ForkServer:
    """The fork server process (``python -m ssup.cohort.kernel --fork-server``)."""

    def __init__(self, base: Path, options: Options) -> None:
        self.base = base
        self.options = options
        self.process: asyncio.subprocess.Process | None = None
        self.exits: dict[int, int] = {}
        self.waiting: dict[int, asyncio.Future[int]] = {}
        self.ready: asyncio.Future[bool] | None = None
        self.counter = 0
        self.reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self.ready = loop.create_future()
        log = open(self.base / "fork-server.log", "wb")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "ssup.cohort.kernel", "--fork-server", stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, stderr=log, env=base_environment(self.options), cwd=str(self.base))
        log.close()
        self.reader = asyncio.create_task(self._read())
        await asyncio.wait_for(self.ready, timeout=max(120.0, self.options.kernel_start_timeout))

    async def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        while True:
            line = await self.process.stdout.readline()
            if not line:
                break
            message = json.loads(line)
            if "ready" in message and self.ready is not None and not self.ready.done():
                self.ready.set_result(True)
            elif "spawned" in message:
                future = self.waiting.pop(message["spawned"], None)
                if future is not None and not future.done():
                    future.set_result(int(message["pid"]))
            elif "exit" in message:
                self.exits[int(message["exit"])] = int(message["code"])
        error = RuntimeError("the fork server stopped")
        if self.ready is not None and not self.ready.done():
            self.ready.set_exception(error)
        for future in self.waiting.values():
            if not future.done():
                future.set_exception(error)

    async def spawn(self, env: dict[str, str], cwd: Path, log: Path, argv: list[str]) -> int:
        assert self.process is not None and self.process.stdin is not None
        if self.process.returncode is not None:
            raise RuntimeError("the fork server stopped")
        self.counter += 1
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self.waiting[self.counter] = future
        request = {"spawn": self.counter, "env": env, "cwd": str(cwd), "log": str(log), "argv": argv}
        self.process.stdin.write((json.dumps(request) + "\n").encode())
        await self.process.stdin.drain()
        return await asyncio.wait_for(future, timeout=30)

    async def close(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(Exception):
            assert self.process.stdin is not None
            self.process.stdin.close()
        try:
            await asyncio.wait_for(self.process.wait(), timeout=10)
        except (asyncio.TimeoutError, Exception):
            with contextlib.suppress(Exception):
                self.process.kill()
                await self.process.wait()
        if self.reader is not None:
            self.reader.cancel()
            with contextlib.suppress(BaseException):
                await self.reader


class ForkedKernel(Kernel):
    """A kernel forked from the fork server: the imports are already done."""

    def __init__(self, base: Path, options: Options, server: ForkServer) -> None:
        super().__init__(base, options)
        self.server = server
        self.pid: int | None = None

    async def start(self) -> "Kernel":
        from jupyter_client.asynchronous import AsyncKernelClient
        from jupyter_client.connect import write_connection_file

        connection_file, info = write_connection_file(str(self.dir / "connection.json"), transport="ipc",
                                                      ip=str(self.dir / "ipc"), key=secrets.token_hex(16).encode())
        env = dict(base_environment(self.options), **self.own_environment())
        self.pid = await self.server.spawn(env, self.home, self.dir / "kernel.log",
                                           ["-f", connection_file, "--HistoryManager.enabled=False"])
        self.kc = AsyncKernelClient()
        self.kc.load_connection_info(info)
        self.kc.start_channels(hb=False)
        ready = asyncio.create_task(self.kc.wait_for_ready(timeout=self.options.kernel_start_timeout))
        try:
            while not ready.done():
                await asyncio.wait({ready}, timeout=0.1)
                if self.exit_code() is not None:
                    ready.cancel()
                    raise RuntimeError(f"the kernel exited while starting (code {self.exit_code()}); "
                                       f"see {self.dir / 'kernel.log'}")
            ready.result()
        finally:
            if not ready.done():
                ready.cancel()
        return self

    def exit_code(self) -> int | None:
        return self.server.exits.get(self.pid) if self.pid is not None else None

    async def alive(self) -> bool:
        return self.pid is not None and self.exit_code() is None

    async def interrupt(self) -> None:
        if self.pid is not None and self.exit_code() is None:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGINT)

    async def kill(self) -> None:
        if self.pid is not None and self.exit_code() is None:
            with contextlib.suppress(OSError):
                os.killpg(self.pid, signal.SIGKILL)


class _StartFailure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


class KernelPool:
    """Kernels started ahead of time: ``target`` of them warming up or ready at any moment."""

    def __init__(self, factory: Callable[[], Kernel], total: int, target: int) -> None:
        self.factory = factory
        self.remaining = total
        self.target = target
        self.ready: asyncio.Queue[Any] = asyncio.Queue()
        self.starting: set[asyncio.Task[None]] = set()

    def fill(self) -> None:
        while self.remaining > 0 and self.ready.qsize() + len(self.starting) < self.target:
            self.remaining -= 1
            task = asyncio.create_task(self._start())
            self.starting.add(task)
            task.add_done_callback(self.starting.discard)

    async def _start(self) -> None:
        error: BaseException | None = None
        for _attempt in range(2):
            kernel = self.factory()
            try:
                await kernel.start()
                await self.ready.put(kernel)
                return
            except asyncio.CancelledError:
                await kernel.close()
                raise
            except Exception as exc:  # noqa: BLE001
                error = exc
                await kernel.close()
        await self.ready.put(_StartFailure(error or RuntimeError("unknown error")))

    async def take(self) -> Kernel:
        item = await self.ready.get()
        if isinstance(item, _StartFailure):
            raise GradingError(f"A grading kernel could not be started ({type(item.error).__name__}: {item.error}). "
                               "Check that ipykernel is installed in this environment.")
        self.fill()
        return item

    async def close(self) -> None:
        for task in list(self.starting):
            task.cancel()
        for task in list(self.starting):
            with contextlib.suppress(BaseException):
                await task
        while not self.ready.empty():
            item = self.ready.get_nowait()
            if isinstance(item, Kernel):
                await item.close()


# -- grading one notebook -------------------------------------------------------------------
def _result(info: QuestionInfo, status: str, detail: str) -> dict[str, Any]:
    return {"question": info.question_id, "behaviours": list(info.behaviours), "status": status, "detail": detail}


def _first_line(text: str, limit: int = 160) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line[:limit]


def _parse_grade(run: Run, nonce: str, info: QuestionInfo) -> dict[str, Any]:
    reply = run.user_expressions.get("r") or {}
    if run.status in ("error",) or reply.get("status") != "ok":
        why = reply.get("ename") or run.ename or "an error"
        return _result(info, "not_run", f"The check could not run in this notebook ({why}): "
                                         "a name the grader needs was overwritten.")
    try:
        payload = json.loads(ast.literal_eval(reply["data"]["text/plain"]))
        assert payload["nonce"] == nonce and payload["question"] == info.question_id
        result = payload["result"]
        assert result["status"] in ("correct", "incorrect", "unattempted")
        return _result(info, result["status"], str(result["detail"]))
    except Exception:  # noqa: BLE001 - anything unexpected is not trusted
        return _result(info, "not_run", "The check's answer could not be read back from the notebook.")


async def grade_in_kernel(job: Job, prepared: Prepared, kernel: Kernel, options: Options) -> tuple[Outcome, list[dict[str, Any]]]:
    """Run the prepared notebook and its checks in ``kernel``; return the outcome and run cells."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    problems = list(prepared.problems)
    errors: list[str] = []
    executed: list[dict[str, Any]] = []
    fatal: Problem | None = None
    ended_early = False
    for cell in prepared.cells:
        if cell.cell_type != "code":
            executed.append({"cell_type": cell.cell_type, "source": cell.source, "id": cell.cell_id, "role": cell.role})
            continue
        record = {"cell_type": "code", "source": cell.source, "id": cell.cell_id, "role": cell.role, "outputs": [],
                  "execution_count": None}
        executed.append(record)
        if fatal is not None or ended_early:
            continue
        remaining = started + options.notebook_timeout - loop.time()
        if remaining <= 0:
            problems.append(Problem("timeout", f"the notebook ran longer than {options.notebook_timeout:g} s in all; "
                                               f"cells from cell {cell.number} on were not run."))
            ended_early = True
            continue
        seconds = min(options.cell_timeout, remaining)
        run = await kernel.run(cell.source, seconds, options.max_output_bytes, options.interrupt_grace)
        record["outputs"], record["execution_count"] = run.outputs, kernel.count
        where = f"in cell {cell.number}"
        limit = f"{options.max_output_bytes / 1e6:g} MB of output"
        if run.status == "error":
            errors.append(f"cell {cell.number}: {run.ename}: {_first_line(run.evalue)}".rstrip(": "))
        elif run.status == "interrupted":
            if run.reason == "output":
                problems.append(Problem("output_limit", f"cell {cell.number} printed more than {limit} and was interrupted."))
            else:
                problems.append(Problem("timeout", f"cell {cell.number} ran longer than {seconds:g} s and was interrupted."))
        elif run.status == "stuck":
            what = f"printed more than {limit}" if run.reason == "output" else f"ran longer than {seconds:g} s"
            fatal = Problem("timeout" if run.reason != "output" else "output_limit",
                            f"cell {cell.number} {what} and did not stop when interrupted, so the kernel was "
                            "stopped; later cells and the checks did not run.")
            problems.append(fatal)
            await kernel.kill()
        elif run.status == "died":
            fatal = kernel.exit_problem(where)
            problems.append(fatal)
    results: list[dict[str, Any]] = []
    nonce = secrets.token_hex(12)
    for index, info in enumerate(job.questions):
        if fatal is not None:
            results.append(_result(info, "not_run", f"Not run: {fatal.detail}"))
            continue
        code = GRADE_CODE.format(nonce=nonce, module=job.module, index=index)
        run = await kernel.run(code, options.check_timeout, options.max_output_bytes, options.interrupt_grace,
                               user_expressions={"r": f"_ssup_result_{nonce}"}, keep=False)
        if run.status == "died":
            fatal = kernel.exit_problem(f"while checking {info.question_id}")
            problems.append(fatal)
            results.append(_result(info, "not_run", f"Not run: {fatal.detail}"))
        elif run.status in ("stuck", "interrupted"):
            detail = f"the check of {info.question_id} ran longer than {options.check_timeout:g} s"
            problems.append(Problem("timeout", detail + "."))
            results.append(_result(info, "incorrect", f"Checking your answer took longer than {options.check_timeout:g} s: "
                                                       "look for a loop that never ends."))
            if run.status == "stuck":
                fatal = Problem("timeout", detail + " and the kernel had to be stopped.")
                await kernel.kill()
        else:
            results.append(_parse_grade(run, nonce, info))
    outcome = Outcome(job.trainee, job.notebook, notebook_status(problems), problems, errors, results,
                      duration=loop.time() - started)
    return outcome, executed


def _all(job: Job, status: str, detail: str) -> list[dict[str, Any]]:
    return [_result(info, status, detail) for info in job.questions]


def _write_graded(options: Options, job: Job, executed: list[dict[str, Any]]) -> None:
    if options.graded_dir is None:
        return
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.metadata = nbformat.from_dict(job.release.get("metadata") or {})
    for record in executed:
        if record["cell_type"] == "code":
            cell = nbformat.v4.new_code_cell(record["source"])
            cell.outputs = [nbformat.from_dict(o) for o in record.get("outputs", [])]
            cell.execution_count = record.get("execution_count")
        elif record["cell_type"] == "markdown":
            cell = nbformat.v4.new_markdown_cell(record["source"])
        else:
            cell = nbformat.v4.new_raw_cell(record["source"])
        if record.get("id"):
            cell.id = record["id"]
        cell.metadata["ssup"] = {"role": record.get("role", "added")}
        notebook.cells.append(cell)
    target = options.graded_dir / job.trainee / job.notebook
    target.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(Exception):
        target.write_text(nbformat.writes(notebook, version=4), encoding="utf-8")


def _sha(path: Path | None) -> str | None:
    if path is None or not path.is_file():
        return None
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def precheck(job: Job) -> tuple[Prepared | None, Outcome | None]:
    """Prepare a job for a kernel, or settle it without one (missing, invalid)."""
    if job.path is None or not job.path.exists():
        return None, Outcome(job.trainee, job.notebook, "missing", [], [],
                             _all(job, "unattempted", "No notebook was collected for this trainee."))
    try:
        prepared = prepare(job.release, load_notebook(job.path))
    except InvalidNotebook as error:
        problem = Problem("invalid_notebook", str(error))
        return None, Outcome(job.trainee, job.notebook, "invalid_notebook", [problem], [],
                             _all(job, "not_run", f"Not run: {problem.detail}"), sha256=_sha(job.path))
    return prepared, None


def check_sandbox(options: Options) -> None:
    """Refuse to grade when the sandbox is required and missing; warn once when it is only wanted."""
    if options.sandbox not in ("auto", "required", "off"):
        raise GradingError(f"Unknown sandbox setting {options.sandbox!r}: use auto, required or off.")
    if options.sandbox == "off":
        return
    from ssup.cohort.sandbox import abi_version

    if abi_version() >= 1:
        return
    message = ("Landlock is not available on this machine (Linux 5.13 or newer is needed), so grading kernels "
               "cannot be confined: a notebook could change files outside its own folder.")
    if options.sandbox == "required":
        raise GradingError(message + " Grade on a Linux machine with Landlock, or pass --sandbox auto.")
    import warnings

    warnings.warn(message, RuntimeWarning, stacklevel=3)


def prepare_cache(base: Path, options: Options) -> None:
    """Build the pristine database once, in a folder the (confined) kernels can only read."""
    from ssup import db
    from ssup.config import REPO_ROOT

    source = Path(options.data_dir) if options.data_dir else REPO_ROOT / "data"
    with contextlib.suppress(Exception):  # no data here: each notebook meets and reports the problem
        db.pristine_build(source, base / CACHE_FOLDER)


async def grade_jobs(jobs: list[Job], options: Options, on_done: Callable[[Outcome], None]) -> None:
    """Grade ``jobs`` with ``options.worker_count()`` notebooks running at once."""
    check_sandbox(options)
    pending: collections.deque[tuple[Job, Prepared]] = collections.deque()
    for job in jobs:
        prepared, outcome = precheck(job)
        if outcome is not None:
            on_done(outcome)
        else:
            assert prepared is not None
            pending.append((job, prepared))
    if not pending:
        return
    workers = min(options.worker_count(), len(pending))
    base = Path(tempfile.mkdtemp(prefix="ssup-grade-"))
    prepare_cache(base, options)
    server: ForkServer | None = None
    if options.kernel_mode == "fork":
        server = ForkServer(base, options)
        factory: Callable[[], Kernel] = lambda: ForkedKernel(base, options, server)  # noqa: E731
    else:
        spec_dir = _kernel_spec_dir(base)
        factory = lambda: SpawnedKernel(base, options, spec_dir)  # noqa: E731
    pool = KernelPool(factory, total=len(pending),
                      target=workers * (1 + max(0, options.spare)))
    closing: set[asyncio.Task[None]] = set()
    finisher = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="ssup-grade-save")

    async def worker() -> None:
        while pending:
            job, prepared = pending.popleft()
            kernel = await pool.take()
            started = time.monotonic()
            try:
                outcome, executed = await grade_in_kernel(job, prepared, kernel, options)
            finally:
                task = asyncio.create_task(kernel.close())
                closing.add(task)
                task.add_done_callback(closing.discard)
            outcome.duration = time.monotonic() - started

            def finish() -> None:
                outcome.sha256 = _sha(job.path)
                _write_graded(options, job, executed)
                on_done(outcome)

            # files and the gradebook are written off the event loop (one at a time), so the
            # kernels of the other workers are never kept waiting
            await asyncio.get_running_loop().run_in_executor(finisher, finish)

    try:
        if server is not None:
            try:
                await server.start()
            except Exception as error:  # noqa: BLE001
                raise GradingError(f"The grader's fork server could not start ({error}); "
                                   f"see {base / 'fork-server.log'} or grade with --kernel-mode spawn.") from None
        pool.fill()
        await asyncio.gather(*(worker() for _ in range(workers)))
    finally:
        await pool.close()
        if closing:
            await asyncio.gather(*list(closing), return_exceptions=True)
        if server is not None:
            await server.close()
        finisher.shutdown(wait=True)
        shutil.rmtree(base, ignore_errors=True)


def grade(jobs: list[Job], options: Options | None = None, progress: bool = False,
          on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Grade ``jobs`` (blocking); call ``on_done`` as each finishes; return every outcome."""
    options = options or Options()
    outcomes: list[Outcome] = []
    import nbformat  # noqa: F401 - imported now (seconds), not in the middle of grading
    from tqdm import tqdm

    with tqdm(total=len(jobs), desc="grading", unit="notebook", disable=not progress, file=sys.stderr) as bar:
        def done(outcome: Outcome) -> None:
            outcomes.append(outcome)
            if on_done is not None:
                on_done(outcome)
            bar.update(1)

        asyncio.run(grade_jobs(jobs, options, done))
    return outcomes
