"""The grading sandbox (``ssup.cohort.sandbox``): a confined process writes only in its own folder,
connects to no TCP port and signals no process outside itself; where Landlock is missing, the
grader refuses (``sandbox="required"``) or warns (``"auto"``)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ssup.cohort import grader, sandbox

needs_landlock = pytest.mark.skipif(sandbox.abi_version() < 1, reason="this Linux kernel has no Landlock")


def run_confined(own: Path, body: str) -> dict:
    """Run ``body`` in a fresh interpreter confined to ``own``; it fills the dict ``seen``."""
    code = textwrap.dedent(f"""
        import json, os, socket, subprocess, sqlite3
        from ssup.cohort.sandbox import confine
        seen = {{"abi": confine([{str(own)!r}])}}
    """) + textwrap.dedent(body) + "\nprint(json.dumps(seen))\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@needs_landlock
def test_a_confined_process_writes_only_in_its_own_folder(tmp_path):
    own, outside = tmp_path / "own", tmp_path / "other"
    own.mkdir()
    outside.mkdir()
    (outside / "result.txt").write_text("kept")
    seen = run_confined(own, f"""
        def write(path, text="x"):
            with open(path, "w") as handle:
                handle.write(text)
        write({str(own / 'notes.txt')!r})
        os.makedirs({str(own / 'deeper' / 'still')!r})
        book = sqlite3.connect({str(own / 'mine.sqlite')!r})
        book.execute("CREATE TABLE t (x)")
        book.commit()
        seen["own"] = "allowed"
        for name, path in [("overwrite", {str(outside / 'result.txt')!r}), ("create", {str(outside / 'new.txt')!r})]:
            try:
                write(path, "hacked")
                seen[name] = "allowed"
            except OSError as error:
                seen[name] = type(error).__name__
        try:
            os.remove({str(outside / 'result.txt')!r})
            seen["remove"] = "allowed"
        except OSError as error:
            seen["remove"] = type(error).__name__
        seen["child"] = subprocess.run(["sh", "-c", "echo x > {outside / 'by-child.txt'}"]).returncode
        with open(os.devnull, "w") as handle:
            handle.write("fine")
        seen["read"] = open({str(outside / 'result.txt')!r}).read()
    """)
    assert seen["own"] == "allowed"
    assert (seen["overwrite"], seen["create"], seen["remove"]) == ("PermissionError",) * 3
    assert seen["child"] != 0, "a process the confined one starts is confined too"
    assert seen["read"] == "kept"
    assert (outside / "result.txt").read_text() == "kept"
    assert sorted(p.name for p in outside.iterdir()) == ["result.txt"]
    assert (own / "notes.txt").exists() and (own / "deeper" / "still").is_dir()


@needs_landlock
@pytest.mark.skipif(sandbox.abi_version() < 4, reason="Landlock network rules need Linux 6.7")
def test_a_confined_process_cannot_connect_to_a_tcp_port(tmp_path):
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    try:
        seen = run_confined(tmp_path, f"""
            try:
                socket.create_connection(("127.0.0.1", {port}), timeout=5).close()
                seen["connect"] = "allowed"
            except OSError as error:
                seen["connect"] = type(error).__name__
        """)
    finally:
        server.close()
    assert seen["connect"] == "PermissionError"


@needs_landlock
@pytest.mark.skipif(sandbox.abi_version() < 6, reason="Landlock signal scoping needs Linux 6.12")
def test_a_confined_process_cannot_signal_the_grader(tmp_path):
    seen = run_confined(tmp_path, f"""
        try:
            os.kill({os.getpid()}, 0)
            seen["signal"] = "allowed"
        except OSError as error:
            seen["signal"] = type(error).__name__
    """)
    assert seen["signal"] == "PermissionError"


def test_without_landlock_confine_refuses_and_restricts_nothing(monkeypatch, tmp_path):
    monkeypatch.setattr(sandbox, "abi_version", lambda: 0)
    with pytest.raises(sandbox.SandboxError, match="Landlock is not available"):
        sandbox.confine([tmp_path])


def test_the_grader_refuses_or_warns_without_landlock(monkeypatch):
    monkeypatch.setattr(sandbox, "abi_version", lambda: 0)
    with pytest.raises(grader.GradingError, match="cannot be confined"):
        grader.check_sandbox(grader.Options(sandbox="required"))
    with pytest.warns(RuntimeWarning, match="cannot be confined"):
        grader.check_sandbox(grader.Options(sandbox="auto"))
    grader.check_sandbox(grader.Options(sandbox="off"))
    with pytest.raises(grader.GradingError, match="Unknown sandbox setting"):
        grader.check_sandbox(grader.Options(sandbox="maybe"))


def test_write_rights_grow_with_the_abi_version():
    assert sandbox.write_rights(1) & sandbox.WRITE_FILE
    assert not sandbox.write_rights(1) & sandbox.TRUNCATE
    assert sandbox.write_rights(3) & sandbox.TRUNCATE and sandbox.write_rights(3) & sandbox.REFER
    assert not sandbox.write_rights(7) & sandbox.READ_FILE, "reading stays allowed everywhere"
