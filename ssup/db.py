"""The trainee's own SQLite database, built from the company data, and safe data entry.

The schema (``ssup/schema.sql``) has real constraints: primary keys, enforced foreign keys,
NOT NULL, CHECK and UNIQUE. Each trainee gets their own database file in ``SSUP_HOME``;
:func:`connect` builds it on first use and :func:`reset` restores it to the original data.

Data entry goes through :func:`insert` (and the friendlier :func:`log_inquiry` and
:func:`create_escalation`): parameterised statements only, one transaction per logical write,
and a rejected write leaves the database exactly as it was and says in one plain sentence which
field is wrong and why.

>>> reset()
>>> with connect() as connection:
...     connection.execute("SELECT COUNT(*) FROM inquiries").fetchone()[0]
0
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import hashlib
import re
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import pandas as pd

from ssup.config import PACKAGE_DIR, data_dir, home_dir

SCHEMA_FILE = PACKAGE_DIR / "schema.sql"
_BUILD_TABLE = "ssup_build"


class DataEntryError(ValueError):
    """A write was rejected. The message is one plain sentence a trainee can act on."""


# -- building -------------------------------------------------------------------------------
def database_path() -> Path:
    """The trainee's database file: ``SSUP_HOME/ssup.sqlite``."""
    return home_dir() / "ssup.sqlite"


def schema_sql() -> str:
    """The text of the schema file."""
    return SCHEMA_FILE.read_text(encoding="utf-8")


def table_names() -> list[str]:
    """The tables of the schema, in the order they are created (referenced tables first)."""
    return re.findall(r"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)", schema_sql(), flags=re.I)


def build(path: Path | str | None = None, source: Path | str | None = None,
          cache_dir: Path | str | None = None) -> Path:
    """Build a fresh database at ``path`` (default :func:`database_path`) from the data folder.

    The first build of a data folder is kept as a pristine copy in a cache folder
    (``cache_dir``, else ``SSUP_CACHE_DIR``, else a folder in the system's temporary directory), so
    later builds and every :func:`reset` are a file copy. The file is written next to its
    destination and moved into place in one step, so a half-built database is never seen.
    """
    target = Path(path) if path is not None else database_path()
    pristine = pristine_build(source, cache_dir)
    _write_atomically(target, lambda temp: shutil.copyfile(pristine, temp))
    return target


def pristine_build(source: Path | str | None = None, cache_dir: Path | str | None = None) -> Path:
    """The cached pristine database of a data folder, built from its CSV files the first time."""
    folder = (Path(source) if source is not None else data_dir()).resolve()
    pristine = _cache_dir(cache_dir) / f"{_data_fingerprint(folder)}.sqlite"
    if not pristine.exists():
        _write_atomically(pristine, lambda temp: _build_from_csv(temp, folder))
    return pristine


def _cache_dir(configured: Path | str | None = None) -> Path:
    configured = configured or os.environ.get("SSUP_CACHE_DIR")
    folder = Path(configured) if configured else Path(tempfile.gettempdir()) / "ssup-cache"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _data_fingerprint(folder: Path) -> str:
    """Changes whenever the schema, the data folder or any file in it changes."""
    digest = hashlib.sha256(schema_sql().encode())
    digest.update(str(folder).encode())
    for csv_path in sorted(folder.glob("*.csv")):
        stat = csv_path.stat()
        digest.update(f"{csv_path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:20]


def _write_atomically(target: Path, write: Any) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".building-", suffix=".sqlite", dir=target.parent)
    os.close(handle)
    try:
        write(temp_name)
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise


def _build_from_csv(file_name: str, folder: Path) -> None:
    connection = sqlite3.connect(file_name)
    try:
        connection.executescript(schema_sql())
        # A fresh file nobody else sees yet: no journal needed; keys are checked once at the end.
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        with connection:
            for table in table_names():
                _load_table(connection, table, folder / f"{table}.csv")
            connection.execute(f"CREATE TABLE {_BUILD_TABLE} (data_dir TEXT NOT NULL)")
            connection.execute(f"INSERT INTO {_BUILD_TABLE} VALUES (?)", (str(folder),))
        problems = connection.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"The data in {folder} breaks {len(problems)} foreign keys, e.g. {problems[0]}.")
        connection.execute("PRAGMA journal_mode = DELETE")
    finally:
        connection.close()


def _load_table(connection: sqlite3.Connection, table: str, csv_path: Path) -> None:
    if not csv_path.exists():
        return  # tables trainees write to start empty
    with open(csv_path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        columns = ", ".join(f'"{name}"' for name in header)
        marks = ", ".join("?" for _ in header)
        rows = ([None if cell == "" else cell for cell in row] for row in reader)
        connection.executemany(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', rows)


def _is_current(path: Path) -> bool:
    if not path.exists():
        return False
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            built_from = connection.execute(f"SELECT data_dir FROM {_BUILD_TABLE}").fetchone()[0]
    except sqlite3.Error:
        return False
    return built_from == str(data_dir().resolve())


def connect() -> sqlite3.Connection:
    """A connection to the trainee's database (built first if missing or from other data).

    Foreign keys are enforced on it. Use it in a ``with`` block for one transaction.
    """
    path = database_path()
    if not _is_current(path):
        build(path)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def reset() -> None:
    """Restore the trainee's database to the original company data (every write undone)."""
    build(database_path())


@contextlib.contextmanager
def read_only() -> Iterator[sqlite3.Connection]:
    """A read-only connection: nothing run through it can change the database."""
    path = database_path()
    if not _is_current(path):
        build(path)
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        yield connection
    finally:
        connection.close()


def query(sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> pd.DataFrame:
    """Run a SELECT (read-only, parameterised) and return the result as a DataFrame.

    >>> int(query("SELECT COUNT(*) AS n FROM products WHERE category = ?", ("gateway",))["n"][0]) > 0
    True
    """
    with read_only() as connection:
        return pd.read_sql_query(sql, connection, params=params)


def read_only_query(sql: str) -> pd.DataFrame:
    """Run a trainee's SQL text read-only (used by checks)."""
    return query(sql)


# -- what the schema allows -------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """One column of a table, as the schema declares it."""

    name: str
    type: str
    required: bool
    has_default: bool
    primary_key: bool
    allowed: tuple[str, ...] | None
    min_length: int | None
    max_length: int | None
    references: tuple[str, str] | None


@lru_cache(maxsize=None)
def _columns_cached(table: str, schema_text: str) -> dict[str, Column]:
    connection = sqlite3.connect(":memory:")
    try:
        connection.executescript(schema_text)
        info = connection.execute(f'PRAGMA table_info("{table}")').fetchall()
        if not info:
            raise DataEntryError(f"There is no table called {table!r}.")
        key_rows = connection.execute(f'PRAGMA foreign_key_list("{table}")').fetchall()
        width = {}
        for row in key_rows:
            width[row[0]] = width.get(row[0], 0) + 1
        keys = {row[3]: (row[2], row[4]) for row in key_rows if width[row[0]] == 1}
        composite: dict[int, list[tuple[str, str, str]]] = {}
        for row in key_rows:
            if width[row[0]] > 1:
                composite.setdefault(row[0], []).append((row[2], row[3], row[4]))
    finally:
        connection.close()
    body = _table_body(schema_text, table)
    columns = {}
    for _, name, type_, notnull, default, pk in info:
        allowed = _allowed_values(body, name)
        lo, hi = _length_limits(body, name)
        columns[name] = Column(name, type_.upper(), bool(notnull), default is not None, bool(pk), allowed, lo, hi,
                               keys.get(name))
    _COMPOSITE_KEYS[table] = [tuple(group) for group in composite.values()]
    return columns


#: Foreign keys over several columns, per table: (referenced table, column, referenced column) each.
_COMPOSITE_KEYS: dict[str, list[tuple[tuple[str, str, str], ...]]] = {}


def columns(table: str) -> dict[str, Column]:
    """The columns of ``table`` with their types and constraints, read from the schema."""
    if not isinstance(table, str) or table not in table_names():
        raise DataEntryError(f"There is no table called {_quote(table)}; the tables are {', '.join(table_names())}.")
    return _columns_cached(table, schema_sql())


def _table_body(schema_text: str, table: str) -> str:
    match = re.search(rf"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?{table}\s*\((.*?)\n\);", schema_text,
                      flags=re.I | re.S)
    return match.group(1) if match else ""


def _allowed_values(body: str, column: str) -> tuple[str, ...] | None:
    match = re.search(rf"\b{column}\s+IN\s*\(([^)]*)\)", body, flags=re.I)
    return tuple(re.findall(r"'([^']*)'", match.group(1))) if match else None


def _length_limits(body: str, column: str) -> tuple[int | None, int | None]:
    measured = rf"length\(\s*(?:trim\(\s*)?{column}\s*\)?\s*\)"
    between = re.search(rf"{measured}\s+BETWEEN\s+(\d+)\s+AND\s+(\d+)", body, flags=re.I)
    if between:
        return int(between.group(1)), int(between.group(2))
    at_least = re.search(rf"{measured}\s*>=\s*(\d+)", body, flags=re.I)
    at_most = re.search(rf"{measured}\s*<=\s*(\d+)", body, flags=re.I)
    return (int(at_least.group(1)) if at_least else None, int(at_most.group(1)) if at_most else None)


def allowed_values(table: str, column: str) -> tuple[str, ...]:
    """The values a CHECK (... IN (...)) constraint allows for ``table.column``.

    >>> "email" in allowed_values("inquiries", "channel")
    True
    """
    found = columns(table)[column].allowed
    return found if found is not None else ()


# -- safe writes --------------------------------------------------------------------------------
def _label(column: str) -> str:
    if column.endswith("_at"):
        return column[:-3].replace("_", " ") + " time"
    return column.replace("_", " ")


def validate(table: str, values: dict[str, Any], connection: sqlite3.Connection) -> dict[str, Any]:
    """Check ``values`` for a new row of ``table``; return them cleaned, or raise DataEntryError."""
    schema = columns(table)
    unknown = [name for name in values if name not in schema]
    if unknown:
        raise DataEntryError(f"{table} has no field called {unknown[0]!r}; its fields are {', '.join(schema)}.")
    cleaned: dict[str, Any] = {}
    for name, column in schema.items():
        value = values.get(name)
        if isinstance(value, str):
            value = value.strip()
            if value == "":
                value = None
        if not isinstance(value, float) and _missing(value):
            value = None  # pandas' NA and NaT: missing; a float NaN is refused below as "not a number"
        if value is None:
            if column.required and not column.has_default and not column.primary_key:
                raise DataEntryError(f"The {_label(name)} is required: it cannot be left empty.")
            continue
        cleaned[name] = _check_value(table, column, value, connection)
    for group in _COMPOSITE_KEYS.get(table, []):
        if all(cleaned.get(column) is not None for _, column, _ in group):
            ref_table = group[0][0]
            where = " AND ".join(f'"{ref}" = ?' for _, _, ref in group)
            found = connection.execute(f'SELECT 1 FROM "{ref_table}" WHERE {where}',
                                       tuple(cleaned[column] for _, column, _ in group)).fetchone()
            if found is None:
                pairs = " and ".join(f"{_label(column)} {cleaned[column]!r}" for _, column, _ in group)
                raise DataEntryError(f"The {pairs} do not belong together in {ref_table}: check that you picked "
                                     "the right record.")
    return cleaned


def _check_value(table: str, column: Column, value: Any, connection: sqlite3.Connection) -> Any:
    label = _label(column.name)
    if isinstance(value, float) and value != value:
        raise DataEntryError(f"The {label} is not a number (NaN): give a real value.")
    if column.type.startswith("INT"):
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            elif isinstance(value, str) and re.fullmatch(r"-?\d{1,18}", value):
                value = int(value)
            else:
                raise DataEntryError(f"The {label} must be a whole number, not {_quote(value)}.")
        if not -_SQLITE_INT <= value < _SQLITE_INT:
            raise DataEntryError(f"The {label} {_quote(value)} is too large to store.")
    elif column.type in ("REAL", "NUMERIC", "FLOAT", "DOUBLE"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise DataEntryError(f"The {label} must be a number, not {_quote(value)}.")
        if value in (float("inf"), float("-inf")):
            raise DataEntryError(f"The {label} must be a finite number.")
    else:
        if not isinstance(value, str):
            if isinstance(value, (dt.datetime, dt.date)):
                value = value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
            else:
                raise DataEntryError(f"The {label} must be text, not {type(value).__name__} {_quote(value)}.")
        if column.name.endswith("_at"):
            if not _is_timestamp(value):
                raise DataEntryError(f"The {label} {_quote(value)} is not a date and time like 2026-03-14 09:30:00.")
            value = dt.datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M:%S")  # the one stored format
    if column.allowed is not None and str(value) not in column.allowed:
        raise DataEntryError(f"{_quote(value)} is not an allowed {label}; use one of: {', '.join(column.allowed)}.")
    if column.min_length is not None and len(str(value)) < column.min_length:
        raise DataEntryError(f"The {label} is too short ({len(str(value))} characters); "
                             f"it needs at least {column.min_length}.")
    if column.max_length is not None and len(str(value)) > column.max_length:
        raise DataEntryError(f"The {label} is too long ({len(str(value))} characters); "
                             f"the most allowed is {column.max_length}.")
    if column.references is not None:
        ref_table, ref_column = column.references
        found = connection.execute(f'SELECT 1 FROM "{ref_table}" WHERE "{ref_column}" = ?', (value,)).fetchone()
        if found is None:
            raise DataEntryError(f"There is no {ref_table[:-1] if ref_table.endswith('s') else ref_table} "
                                 f"with {_label(ref_column)} {_quote(value)}: look it up before you enter it.")
    return value


def _quote(value: Any, limit: int = 60) -> str:
    """A value as feedback shows it: its repr, cut short so a pasted novel stays one readable sentence."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _missing(value: Any) -> bool:
    """None, NaN or pandas' NA: a value that is not there."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


_SQLITE_INT = 2**63


def _is_timestamp(value: str) -> bool:
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?", value))


def explain_integrity_error(error: sqlite3.IntegrityError) -> str:
    """Turn SQLite's constraint message into a plain sentence.

    >>> explain_integrity_error(sqlite3.IntegrityError("UNIQUE constraint failed: contacts.email"))
    'That email is already used by another contact: each contact needs their own.'
    """
    message = str(error)
    if message.startswith("UNIQUE constraint failed"):
        field = message.split(":")[-1].strip().split(",")[0]
        table, _, column = field.partition(".")
        noun = table[:-1] if table.endswith("s") else table
        return f"That {_label(column)} is already used by another {noun}: each {noun} needs their own."
    if message.startswith("NOT NULL constraint failed"):
        column = message.split(".")[-1]
        return f"The {_label(column)} is required: it cannot be left empty."
    if message.startswith("CHECK constraint failed"):
        name = message.split(":")[-1].strip()
        return f"The values break the rule {name!r}: {_check_rule_sentence(name)}"
    if "FOREIGN KEY" in message:
        return "One of the ids refers to a record that does not exist: look it up before you enter it."
    return f"The database rejected the write: {message}."


def _check_rule_sentence(name: str) -> str:
    words = name.replace("_", " ")
    return f"check the {words.rsplit(' ', 1)[0]} against the data dictionary."


def insert(table: str, **values: Any) -> int:
    """Insert one row after checking every field; return its id (rowid).

    A rejected row raises :class:`DataEntryError` with one plain sentence and the database is
    left exactly as it was.
    """
    with contextlib.closing(connect()) as connection:
        cleaned = validate(table, values, connection)
        names = ", ".join(f'"{name}"' for name in cleaned)
        marks = ", ".join("?" for _ in cleaned)
        try:
            with connection:
                cursor = connection.execute(f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
                                            tuple(cleaned.values()))
        except sqlite3.IntegrityError as error:
            raise DataEntryError(explain_integrity_error(error)) from None
        return int(cursor.lastrowid)


def update(table: str, key: Any, **changes: Any) -> None:
    """Change fields of the row whose primary key is ``key``, with the same checks as :func:`insert`."""
    schema = columns(table)
    primary = next(name for name, column in schema.items() if column.primary_key)
    if isinstance(key, bool) or not isinstance(key, (int, str)) or (isinstance(key, int) and not
                                                                    -_SQLITE_INT <= key < _SQLITE_INT):
        raise DataEntryError(f"There is no row in {table} with {_label(primary)} {_quote(key)}.")
    with contextlib.closing(connect()) as connection:
        row = connection.execute(f'SELECT * FROM "{table}" WHERE "{primary}" = ?', (key,)).fetchone()
        if row is None:
            raise DataEntryError(f"There is no row in {table} with {_label(primary)} {_quote(key)}.")
        current = dict(zip(schema, row))
        unknown = [name for name in changes if name not in schema]
        if unknown:
            raise DataEntryError(f"{table} has no field called {unknown[0]!r}; its fields are {', '.join(schema)}.")
        cleaned = validate(table, {**current, **changes}, connection)
        assignments = ", ".join(f'"{name}" = ?' for name in changes)
        try:
            with connection:
                connection.execute(f'UPDATE "{table}" SET {assignments} WHERE "{primary}" = ?',
                                   (*[cleaned.get(name) for name in changes], key))
        except sqlite3.IntegrityError as error:
            raise DataEntryError(explain_integrity_error(error)) from None


def _now() -> str:
    return dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")


def log_inquiry(customer_id: Any, question: str, channel: str, category: str, product_id: str | None = None,
                contact_id: Any = None, received_at: str | None = None) -> int:
    """Record a customer inquiry; return its ``inquiry_id``.

    ``received_at`` defaults to now. Raises :class:`DataEntryError` naming the wrong field.
    """
    return insert("inquiries", customer_id=customer_id, contact_id=contact_id, channel=channel,
                  product_id=product_id, category=category, question=question,
                  received_at=_now() if _missing(received_at) else received_at)


def create_escalation(team: str, priority: str, handover_note: str, created_by: Any,
                      inquiry_id: int | None = None, ticket_id: Any = None, created_at: str | None = None) -> int:
    """Hand an inquiry or ticket to a specialist team; return the ``escalation_id``.

    Give exactly one of ``inquiry_id`` and ``ticket_id``. The handover note should let a
    colleague act without calling the customer back.
    """
    if (inquiry_id is None) == (ticket_id is None):
        raise DataEntryError("Give exactly one of inquiry_id and ticket_id: the escalation is about one record.")
    return insert("escalations", inquiry_id=inquiry_id, ticket_id=ticket_id, team=team, priority=priority,
                  handover_note=handover_note, created_by=created_by, created_at=_now() if _missing(created_at) else created_at)
