"""The Kestrel Telemetry data set: load its tables and text files.

>>> from ssup.data import load, names
>>> "tickets" in names()
True
>>> tickets = load("tickets")
>>> str(tickets["created_at"].dtype).startswith("datetime64")
True

``load(name)`` reads ``data_dir()/f"{name}.csv"`` (see :func:`ssup.config.data_dir`; the environment variable
``SSUP_DATA_DIR`` points it at another generated copy) with the types declared by the generator: dates and
timestamps parsed, ``0``/``1`` columns as ``bool``, integer columns that have gaps as ``Int64``, empty cells as
missing values. Results are cached per file (path and modification time) and every call returns a fresh copy,
so changing the returned frame never changes what the next caller gets.

The data set is written by :mod:`ssup.data.generate` (``python -m ssup.data generate``); ``data/README.md``
documents every file and column.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd

from ssup.config import data_dir

__all__ = ["load", "names", "text", "text_files", "describe", "clear_cache"]

_CACHE: dict[tuple[str, int, int], pd.DataFrame] = {}
_LOCK = threading.Lock()
_CACHE_LIMIT = 64


def names() -> list[str]:
    """Names of the tables available in the data folder (CSV files without ``.csv``), sorted."""
    folder = data_dir()
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.csv") if p.is_file())


def _columns_for(name: str):
    """The generator's column declarations for ``name``, or None for a table it does not know."""
    try:
        from ssup.data.generate import table
    except ImportError:  # pragma: no cover - the generator ships with this package
        return None
    try:
        return table(name).columns or None
    except KeyError:
        return None


def _read(path: Path, name: str) -> pd.DataFrame:
    columns = _columns_for(name)
    if columns is not None:
        from ssup.data.generate import read_csv_typed

        return read_csv_typed(path, columns)
    # A CSV the generator does not declare: pandas' own inference, plus ISO dates in *_at / *_date columns.
    frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    for column in frame.columns:
        if column.endswith(("_at", "_date")) and pd.api.types.is_string_dtype(frame[column]):
            try:
                frame[column] = pd.to_datetime(frame[column], format="ISO8601")
            except (ValueError, TypeError):
                pass
    return frame


def load(name: str) -> pd.DataFrame:
    """The table ``name`` (e.g. ``"tickets"``) as a DataFrame with proper types; a fresh copy each call.

    Raises ValueError, listing the available names, if there is no such table.
    """
    key_name = str(name).strip()
    if key_name.endswith(".csv"):
        key_name = key_name[: -len(".csv")]
    path = data_dir() / f"{key_name}.csv"
    if not key_name or "/" in key_name or "\\" in key_name or not path.is_file():
        available = names()
        listing = ", ".join(available) if available else f"none (is {data_dir()} generated?)"
        raise ValueError(f"unknown table {name!r}; available tables: {listing}")
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    with _LOCK:
        cached = _CACHE.get(key)
    if cached is None:
        cached = _read(path, key_name)
        with _LOCK:
            for old in [k for k in _CACHE if k[0] == key[0]]:
                del _CACHE[old]
            if len(_CACHE) >= _CACHE_LIMIT:
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[key] = cached
    return cached.copy()


def clear_cache() -> None:
    """Forget every cached table (the next :func:`load` reads the file again)."""
    with _LOCK:
        _CACHE.clear()


def text_files() -> list[str]:
    """Text and Markdown files in the data folder (relative paths, sorted), e.g. ``README.md``."""
    folder = data_dir()
    if not folder.is_dir():
        return []
    found = [p for suffix in ("*.md", "*.txt") for p in folder.rglob(suffix) if p.is_file()]
    return sorted(p.relative_to(folder).as_posix() for p in found)


def text(name: str) -> str:
    """The contents of a text/Markdown file in the data folder.

    ``name`` is a path relative to the data folder; ``.md`` or ``.txt`` may be left off
    (``text("README")`` reads ``README.md``). Raises ValueError, listing the files, if there is none.
    """
    folder = data_dir().resolve()
    candidates = [name] if Path(name).suffix else [f"{name}.md", f"{name}.txt", name]
    for candidate in candidates:
        path = (folder / candidate).resolve()
        if folder in path.parents and path.is_file():
            return path.read_text(encoding="utf-8")
    available = text_files()
    raise ValueError(f"unknown text file {name!r}; available: {', '.join(available) if available else 'none'}")


def describe(name: str) -> pd.DataFrame:
    """The data dictionary of a generated table: one row per column (name, type, nullable, units, meaning)."""
    columns = _columns_for(str(name).removesuffix(".csv"))
    if columns is None:
        raise ValueError(f"no column documentation for {name!r}; documented tables: "
                         f"{', '.join(t for t in names() if _columns_for(t) is not None)}")
    return pd.DataFrame(
        [{"column": c.name, "type": c.kind, "nullable": c.nullable, "units": c.units, "allowed": c.allowed,
          "meaning": c.doc} for c in columns]
    )
