"""Confine a grading kernel with Linux Landlock: it may read the whole file system, but write only
into its own folder, connect to no TCP port and send no signal outside itself.

The grader runs trainees' code as the trainer's own OS user. Without a sandbox a notebook could
rewrite the gradebook, a classmate's submission, the release or the pristine database every other
kernel copies. Landlock (Linux 5.13 and newer; network rules from 6.7, signal scoping from 6.12)
lets an unprivileged process give up those rights for itself and every process it starts, for
good, so the kernel confines itself just before it runs any trainee code
(:func:`ssup.cohort.kernel.launch`).

What a confined kernel can still do: read files (it needs Python, the packages and the data),
write inside its own folder (its ``SSUP_HOME``, temporary files, sockets), write to
``/dev/null`` and friends and to ``/dev/shm`` (used by multiprocessing). A write anywhere else
fails with ``PermissionError``, which the notebook meets as an ordinary error in its cell.

>>> isinstance(abi_version(), int)
True
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path
from typing import Iterable

# syscall numbers (the same on x86_64 and aarch64: syscalls added since 5.x share one table)
_SYS_CREATE_RULESET, _SYS_ADD_RULE, _SYS_RESTRICT_SELF = 444, 445, 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

# file-system rights (include/uapi/linux/landlock.h)
WRITE_FILE, READ_FILE, READ_DIR = 1 << 1, 1 << 2, 1 << 3
REMOVE_DIR, REMOVE_FILE = 1 << 4, 1 << 5
MAKE_CHAR, MAKE_DIR, MAKE_REG, MAKE_SOCK, MAKE_FIFO, MAKE_BLOCK, MAKE_SYM = (1 << n for n in range(6, 13))
REFER, TRUNCATE = 1 << 13, 1 << 14  # ABI 2, ABI 3
#: Every right that changes the file system, by the ABI version that introduced it.
_WRITE_RIGHTS = {1: WRITE_FILE | REMOVE_DIR | REMOVE_FILE | MAKE_CHAR | MAKE_DIR | MAKE_REG | MAKE_SOCK
                 | MAKE_FIFO | MAKE_BLOCK | MAKE_SYM, 2: REFER, 3: TRUNCATE}
#: Rights that apply to a file (not a folder): the others are refused on a file rule.
_FILE_RIGHTS = WRITE_FILE | TRUNCATE
# network rights (ABI 4) and scopes (ABI 6)
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1

#: Device files every process may write (writing to them changes nothing on disk).
DEVICE_FILES = ("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty")
#: Folders every kernel may write besides its own: POSIX shared memory (multiprocessing locks).
SHARED_FOLDERS = ("/dev/shm",)


class SandboxError(OSError):
    """Landlock is not available here, or refused the rules."""


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def abi_version() -> int:
    """The Landlock ABI version of the running kernel; 0 when Landlock is missing or disabled."""
    if not sys.platform.startswith("linux"):
        return 0
    try:
        version = _libc().syscall(_SYS_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION))
    except (OSError, AttributeError):
        return 0
    return max(0, int(version))


def write_rights(abi: int) -> int:
    """Every file-system write right the given ABI version knows."""
    rights = 0
    for version, bits in _WRITE_RIGHTS.items():
        if abi >= version:
            rights |= bits
    return rights


def confine(writable: Iterable[Path | str], device_files: Iterable[str] = DEVICE_FILES) -> int:
    """Restrict this process and its future children: writes only beneath ``writable`` folders
    (and to ``device_files``), no TCP connection, no signals or abstract sockets outside.

    Binding a TCP port stays allowed: ipykernel binds one on the loopback for the output of the
    processes a notebook forks (their connecting back to it is refused, so that output is lost).

    Returns the ABI version used. Raises :class:`SandboxError` when Landlock is not available or
    refuses; nothing is restricted then.
    """
    abi = abi_version()
    if abi < 1:
        raise SandboxError("Landlock is not available on this Linux kernel (5.13 or newer, with landlock in the lsm= list)")
    libc = _libc()
    fs_rights = write_rights(abi)
    attr = _RulesetAttr(handled_access_fs=fs_rights,
                        handled_access_net=NET_CONNECT_TCP if abi >= 4 else 0,
                        scoped=(SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL) if abi >= 6 else 0)
    size = 8 if abi < 4 else 16 if abi < 6 else 24
    ruleset = libc.syscall(_SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        raise SandboxError(ctypes.get_errno(), f"Landlock refused the rule set: {os.strerror(ctypes.get_errno())}")
    try:
        rules = [(Path(p), fs_rights) for p in writable] + [(Path(p), fs_rights) for p in SHARED_FOLDERS]
        rules += [(Path(p), fs_rights & _FILE_RIGHTS) for p in device_files]
        for path, rights in rules:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue  # a folder or device this machine does not have
            try:
                if not path.is_dir():
                    rights &= _FILE_RIGHTS
                rule = _PathBeneathAttr(allowed_access=rights, parent_fd=fd)
                if libc.syscall(_SYS_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(_RULE_PATH_BENEATH),
                                ctypes.byref(rule), ctypes.c_uint32(0)) < 0:
                    error = ctypes.get_errno()
                    raise SandboxError(error, f"Landlock refused the rule for {path}: {os.strerror(error)}")
            finally:
                os.close(fd)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0:
            error = ctypes.get_errno()
            raise SandboxError(error, f"could not set no_new_privs: {os.strerror(error)}")
        if libc.syscall(_SYS_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)) < 0:
            error = ctypes.get_errno()
            raise SandboxError(error, f"Landlock could not restrict the process: {os.strerror(error)}")
    finally:
        os.close(ruleset)
    return abi
