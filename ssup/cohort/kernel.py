"""The grader's kernel: an ordinary IPython kernel with limits, started ahead of time.

Two ways to start one (the grader picks ``fork`` on Linux, ``spawn`` elsewhere):

``spawn``
    ``python -m ssup.cohort.kernel -f CONNECTION_FILE`` through jupyter_client: every kernel
    imports Python, IPython, pandas, ... itself.
``fork``
    ``python -m ssup.cohort.kernel --fork-server``: one process imports all of that once, then
    forks a fresh kernel per notebook on request (milliseconds instead of seconds). Each child
    starts its own session, gets its own environment (``SSUP_HOME`` ...), folder and limits,
    and only then starts ipykernel, so it is a kernel of its own like any other.

Either way, before the kernel runs anything it

- caps the address space (``SSUP_GRADER_MEMORY_MB``) and the size of files the notebook may
  write (``SSUP_GRADER_FILE_MB``), so one runaway notebook cannot take the machine down;
- caps the output of each cell (``SSUP_GRADER_MAX_OUTPUT`` bytes): past it, ``print`` and
  ``display`` raise :class:`OutputLimitExceeded`, which ends a printing loop at once (the
  grader also counts output on its side, for code that writes to the file descriptors directly);
- has imported the modules named in ``SSUP_GRADER_PRELOAD`` (only ``sys.modules`` is filled;
  the notebook's namespace starts empty as usual);
- confines itself with Landlock (:mod:`ssup.cohort.sandbox`) when ``SSUP_GRADER_SANDBOX`` names
  its own folder: from then on it, and every process it starts, can write only there, cannot
  open a TCP connection and cannot signal a process outside itself. With
  ``SSUP_GRADER_SANDBOX_REQUIRED=1`` a kernel that cannot confine itself exits (code 3) instead
  of running unconfined.

The fork server is a *child subreaper*: a process a notebook starts in a session of its own
(``start_new_session=True``, a double fork) is adopted by the server when its parent ends, and the
server kills every such orphan at once, so nothing a notebook starts outlives its kernel.

Fork-server protocol (one JSON object per line): the grader writes
``{"spawn": N, "env": {...}, "cwd": ..., "log": ..., "argv": [...]}``; the server answers
``{"ready": true}`` once after preloading, ``{"spawned": N, "pid": PID}`` per request and
``{"exit": PID, "code": CODE}`` when a kernel ends (a negative code is the signal that killed it).
When its standard input closes, the server kills its kernels and exits.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import select
import signal
import sys
import time
from typing import Any

#: Exit code of a kernel that was told to confine itself and could not.
SANDBOX_FAILED = 3
_PR_SET_CHILD_SUBREAPER = 36


class OutputLimitExceeded(Exception):
    """A cell printed more than the grader allows."""


def _limit(kind: int, megabytes: str | None) -> None:
    if not megabytes:
        return
    try:
        value = int(float(megabytes) * 2**20)
        if value > 0:
            _soft, hard = resource.getrlimit(kind)
            cap = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(kind, (cap, hard))
    except (ValueError, OSError):
        pass


def preload() -> None:
    for name in filter(None, (os.environ.get("SSUP_GRADER_PRELOAD") or "").split(",")):
        try:
            importlib.import_module(name.strip())
        except Exception:  # noqa: BLE001 - the notebook will meet the same error and report it
            pass


def cap_output(shell: Any, limit: int) -> None:
    """Make print/display raise :class:`OutputLimitExceeded` past ``limit`` bytes in one cell."""
    used = [0]

    def reset(*_args: Any) -> None:
        used[0] = 0

    def guard(size: int) -> None:
        used[0] += size
        if used[0] > limit:
            raise OutputLimitExceeded(f"this cell printed more than {limit:,} characters; the grader stopped it")

    shell.events.register("pre_execute", reset)
    for stream in (sys.stdout, sys.stderr):
        original = stream.write

        def write(text: Any, _original: Any = original) -> Any:
            guard(len(text) if isinstance(text, (str, bytes)) else 0)
            return _original(text)

        try:
            stream.write = write  # type: ignore[method-assign]
        except (AttributeError, TypeError):
            pass
    publisher = shell.display_pub
    publish = publisher.publish

    def guarded_publish(data: Any, *args: Any, **kwargs: Any) -> Any:
        guard(sum(len(v) if isinstance(v, str) else len(json.dumps(v, default=str)) for v in (data or {}).values()))
        return publish(data, *args, **kwargs)

    publisher.publish = guarded_publish


def confine_to_own_folder() -> None:
    """Confine this process to ``SSUP_GRADER_SANDBOX`` when it is set (see the module's text)."""
    folder = os.environ.get("SSUP_GRADER_SANDBOX")
    if not folder:
        return
    from ssup.cohort.sandbox import SandboxError, confine

    try:
        confine([folder])
    except SandboxError as error:
        if os.environ.get("SSUP_GRADER_SANDBOX_REQUIRED") == "1":
            print(f"the grading kernel could not confine itself: {error}", file=sys.stderr, flush=True)
            os._exit(SANDBOX_FAILED)


def launch(argv: list[str]) -> None:
    """Apply the limits and run an IPython kernel (does not return until the kernel stops)."""
    _limit(resource.RLIMIT_AS, os.environ.get("SSUP_GRADER_MEMORY_MB"))
    _limit(resource.RLIMIT_FSIZE, os.environ.get("SSUP_GRADER_FILE_MB"))
    confine_to_own_folder()
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.initialize(argv)
    limit = int(os.environ.get("SSUP_GRADER_MAX_OUTPUT") or 0)
    if limit > 0 and app.shell is not None:
        cap_output(app.shell, limit)
    app.start()


# -- fork server ------------------------------------------------------------------------------
def _child(request: dict[str, Any]) -> None:
    code = 0
    try:
        os.setsid()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDWR)
        log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(devnull, 0)
        os.dup2(devnull, 1)
        os.dup2(log, 2)
        os.closerange(3, 4096)  # in particular the fork server's protocol pipe
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        import tempfile

        tempfile.tempdir = None  # found again from this kernel's own TMPDIR
        try:
            import numpy

            numpy.random.seed()  # the children must not share the server's random state
        except Exception:  # noqa: BLE001
            pass
        launch(list(request["argv"]))
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except BaseException:  # noqa: BLE001
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)


def become_subreaper() -> bool:
    """Adopt every orphaned descendant (Linux ``PR_SET_CHILD_SUBREAPER``); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def adopted_orphans(kernels: set[int]) -> list[int]:
    """Processes whose parent is this process but that it did not fork: orphans it adopted."""
    me, found = os.getpid(), []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit() or int(entry) in kernels:
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if len(fields) > 1 and int(fields[1]) == me and fields[0] != b"Z":
            found.append(int(entry))
    return found


def serve() -> None:
    """Preload, then fork kernels on request until standard input closes."""
    subreaper = become_subreaper()
    preload()
    out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # nothing else may write to the protocol pipe
    children: set[int] = set()

    def say(message: dict[str, Any]) -> None:
        out.write(json.dumps(message) + "\n")
        out.flush()

    def reap() -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                children.clear()
                return
            if pid == 0:
                return
            if pid in children:  # else an adopted orphan, which nobody waits for
                children.discard(pid)
                say({"exit": pid, "code": os.waitstatus_to_exitcode(status)})

    swept = [0.0]

    def sweep(force: bool = False) -> None:
        """Kill the orphans the server adopted (a few times a second)."""
        now = time.monotonic()
        if not subreaper or (not force and now - swept[0] < 0.2):
            return
        swept[0] = now
        for pid in adopted_orphans(children):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass

    say({"ready": True})
    buffer = b""
    try:
        while True:
            readable, _, _ = select.select([0], [], [], 0.05)
            reap()
            sweep()
            if not readable:
                continue
            chunk = os.read(0, 65536)
            if not chunk:
                break
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                if not line.strip():
                    continue
                request = json.loads(line)
                pid = os.fork()
                if pid == 0:
                    _child(request)
                children.add(pid)
                say({"spawned": request["spawn"], "pid": pid})
    finally:
        for pid in list(children):
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
        for pid in list(children):
            try:
                os.waitpid(pid, 0)
            except OSError:
                pass
        children.clear()
        for _round in range(3):  # the kernels' own orphans, adopted as the kernels died
            sweep(force=True)
            reap()
            time.sleep(0.05)


def main() -> None:
    if sys.argv[1:2] == ["--fork-server"]:
        serve()
        return
    preload()
    launch(sys.argv[1:])


if __name__ == "__main__":
    main()
