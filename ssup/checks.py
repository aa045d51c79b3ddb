"""Grader factories: the kinds of answer a question can ask for.

Each factory takes a way to compute the expected answer *at check time* (a function of no
arguments, so the check stays right for a dataset generated with another seed) and returns a
grader for :class:`ssup.exercise.Question`. Graders return a :class:`~ssup.exercise.Verdict`
that says what the trainee gave and what is wrong with it, never the expected answer.

Kinds: :func:`number`, :func:`text_value`, :func:`choice`, :func:`collection`, :func:`frame`,
:func:`sql`, :func:`function`, :func:`writing`, :func:`database`. A level's own grader reads a date
the trainee gave with :func:`timestamp`, and cuts what it quotes back with :func:`quote` or :func:`clip`.

Common mistakes can be diagnosed with ``mistakes``: a list of ``(test, message)`` pairs; when
``test(answer)`` is true the trainee reads ``message`` instead of the generic reason.

>>> grade = number(lambda: 1250.0, tolerance=0.5)
>>> grade(1250).status
'correct'
>>> print(grade(1000).detail)
You gave 1,000. That is too low.
"""

from __future__ import annotations

import math
import numbers
import re
import signal
import sqlite3
import threading
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from ssup.exercise import DATABASE, NotAttempted, Verdict, correct, incorrect, unattempted

Expected = Callable[[], Any]
Mistakes = Sequence[tuple[Callable[[Any], bool], str]]

__all__ = [
    "DATABASE", "describe", "number", "text_value", "choice", "collection", "frame", "sql",
    "function", "writing", "Fact", "database", "call_with_timeout", "CallTimeout", "join_words", "quote", "clip",
    "timestamp", "MAX_DATE_TEXT",
]


# -- describing what the trainee gave -------------------------------------------------------
def describe(value: Any, limit: int = 80) -> str:
    """A short, plain description of a value for feedback messages.

    >>> describe("fax")
    "the text 'fax'"
    >>> describe([1, 2, 3])
    'a list of 3 items'
    """
    if value is None:
        return "None (nothing)"
    if isinstance(value, bool):
        return f"the boolean {value}"
    if isinstance(value, numbers.Number):
        return _fmt_number(value)
    if isinstance(value, str):
        text = value if len(value) <= limit else value[: limit - 3] + "..."
        return f"the text {text!r}"
    if isinstance(value, pd.DataFrame):
        return f"a table with {len(value)} rows and columns {list(map(str, value.columns))[:8]}"
    if isinstance(value, pd.Series):
        return f"a Series of {len(value)} values"
    if isinstance(value, (list, tuple, set, frozenset)):
        kind = type(value).__name__
        return f"a {kind} of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return f"a dict with {len(value)} keys"
    if callable(value):
        return f"the function {getattr(value, '__name__', 'given')}"
    return f"a value of type {type(value).__name__}"


def quote(value: Any, limit: int = 60) -> str:
    """A trainee's value as feedback quotes it: its repr, cut short.

    >>> quote("x" * 100, limit=10)
    "'xxxxxx..."
    """
    text = repr(value.strip() if isinstance(value, str) else value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def clip(value: Any, limit: int = 60) -> str:
    """A trainee's value as plain text (no quotes), cut short: for feedback that names what they wrote.

    >>> clip("2026-10-01")
    '2026-10-01'
    >>> clip("x" * 100, limit=10)
    'xxxxxxx...'
    """
    text = str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


#: No date or time written as text is longer than this. pandas hands a text it does not recognise to
#: dateutil, whose tokenizer is quadratic in the length of a run of letters (about 30 s for a 1 MB word),
#: so a longer text is refused without being parsed.
MAX_DATE_TEXT = 64


def timestamp(value: Any) -> pd.Timestamp | None:
    """A date or time the trainee gave (a text like '2025-03-14', a date, a Timestamp), or None when it is
    not one: unparseable, missing (NaT) or a text too long to be a date.

    >>> timestamp("2025-03-14")
    Timestamp('2025-03-14 00:00:00')
    >>> timestamp("a" * 1_000_000) is None
    True
    """
    if isinstance(value, str) and len(value) > MAX_DATE_TEXT:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        return None
    return None if pd.isna(stamp) else stamp


def _fmt_number(value: Any) -> str:
    try:
        number_ = float(value)
    except (TypeError, ValueError, OverflowError):
        return repr(value)
    if math.isnan(number_):
        return "NaN (not a number)"
    if math.isinf(number_):
        return "infinity" if number_ > 0 else "minus infinity"
    if number_.is_integer() and abs(number_) < 1e15:
        return f"{int(number_):,}"
    return f"{number_:,.4g}" if abs(number_) < 1e-3 or abs(number_) >= 1e6 else f"{number_:,.4f}".rstrip("0").rstrip(".")


def _diagnose(value: Any, mistakes: Mistakes) -> str | None:
    for test, message in mistakes:
        try:
            if test(value):
                return message
        except Exception:  # a diagnosis that cannot be applied simply does not match
            continue
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, (numbers.Real, np.number)) and not isinstance(value, (bool, np.bool_))


# -- single values ----------------------------------------------------------------------------
def number(expected: Expected, tolerance: float = 1e-6, relative: float = 0.0,
           mistakes: Mistakes = (), unit: str = "") -> Callable[[Any], Verdict]:
    """Grade a single number: within ``tolerance`` (absolute) or ``relative`` (fraction) of expected."""

    def grade(value: Any) -> Verdict:
        if not _is_number(value):
            if isinstance(value, (pd.Series, np.ndarray)) and np.size(value) == 1:
                value = np.asarray(value).reshape(-1)[0]
            else:
                return incorrect(f"You gave {describe(value)}; the answer should be a number, for example 12 or 3.5.")
        value = float(value)
        if math.isnan(value) or math.isinf(value):
            return incorrect(f"You gave {describe(value)}; the answer should be a finite number. "
                             "Check for a division by zero or an empty selection.")
        target = float(expected())
        allowed = max(tolerance, abs(target) * relative)
        if abs(value - target) <= allowed:
            return correct(f"{_fmt_number(value)}{unit} is right.")
        reason = _diagnose(value, mistakes)
        given = f"You gave {_fmt_number(value)}{unit}."
        if reason:
            return incorrect(f"{given} {reason}")
        return incorrect(f"{given} That is too {'high' if value > target else 'low'}.")

    return grade


def text_value(expected: Expected, mistakes: Mistakes = ()) -> Callable[[Any], Verdict]:
    """Grade a short text (an id, a name): compared ignoring case and surrounding spaces."""

    def grade(value: Any) -> Verdict:
        if not isinstance(value, str):
            return incorrect(f"You gave {describe(value)}; the answer should be a text in quotes, like 'GW-LRW-IN'.")
        if value.strip().casefold() == str(expected()).strip().casefold():
            return correct(f"{quote(value)} is right.")
        reason = _diagnose(value, mistakes)
        return incorrect(f"You gave {quote(value)}. {reason or 'That is not the one the question asks for.'}")

    return grade


def choice(expected: Expected, options: Iterable[str], mistakes: Mistakes = ()) -> Callable[[Any], Verdict]:
    """Grade a pick from a fixed list of options (case-insensitive)."""
    allowed = [str(option) for option in options]

    def grade(value: Any) -> Verdict:
        if not isinstance(value, str) or value.strip().casefold() not in {o.casefold() for o in allowed}:
            return incorrect(f"You gave {describe(value)}; choose one of: {', '.join(allowed)}.")
        return text_value(expected, mistakes)(value)

    return grade


def collection(expected: Expected, ordered: bool = False, item: str = "item",
               mistakes: Mistakes = ()) -> Callable[[Any], Verdict]:
    """Grade a list or set of ids/names, ignoring order unless ``ordered``.

    Feedback names the wrong items the trainee included and how many they missed.
    """

    def grade(value: Any) -> Verdict:
        if isinstance(value, (pd.Series, pd.Index, np.ndarray)):
            value = list(value.tolist())
        if isinstance(value, str) or not isinstance(value, (list, tuple, set, frozenset)):
            return incorrect(f"You gave {describe(value)}; the answer should be a list, like ['A', 'B'].")
        given = [_norm(v) for v in value]
        target = [_norm(v) for v in expected()]
        reason = _diagnose(value, mistakes)
        if reason and sorted(map(str, given)) != sorted(map(str, target)):
            return incorrect(f"You gave {describe(value)}. {reason}")
        if len(set(given)) != len(given):
            return incorrect(f"Your list has repeated {item}s: list each {item} once.")
        extra = [v for v in given if v not in target]
        missing = [v for v in target if v not in given]
        if extra:
            return incorrect(f"Your list includes {_list_words(extra)}, which should not be there.")
        if missing:
            return incorrect(f"Your list has {len(given)} {item}s, but {len(missing)} more belong in it.")
        if ordered and given != target:
            return incorrect(f"You have the right {item}s, but not in the order the question asks for.")
        return correct(f"All {len(target)} {item}s are right.")

    return grade


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip().upper()
    if isinstance(value, (np.integer,)):
        return int(value)
    return value


def _list_words(values: Sequence[Any], limit: int = 5, width: int = 60) -> str:
    shown = ", ".join(_short(v, width) for v in values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


# -- tables -----------------------------------------------------------------------------------
def frame(expected: Expected, sort_by: Sequence[str] | None = None, check_order: bool = False,
          rtol: float = 1e-6, atol: float = 1e-6, ignore_extra_columns: bool = False,
          mistakes: Mistakes = ()) -> Callable[[Any], Verdict]:
    """Grade a DataFrame (or Series) against the expected one.

    Row order and harmless dtype differences (int vs float, object vs string) are ignored unless
    ``check_order``. Column names are compared case-insensitively.
    """

    def grade(value: Any) -> Verdict:
        return compare_frames(value, expected(), sort_by=sort_by, check_order=check_order, rtol=rtol,
                              atol=atol, ignore_extra_columns=ignore_extra_columns, mistakes=mistakes)

    return grade


def _as_frame(value: Any) -> pd.DataFrame | None:
    """A table with any named index turned into ordinary columns (a groupby result, say)."""
    if isinstance(value, pd.Series):
        value = value.to_frame(value.name if value.name is not None else "value")
    if not isinstance(value, pd.DataFrame):
        return None
    if any(name is not None for name in value.index.names):
        return value.reset_index()
    return value.reset_index(drop=True)


def compare_frames(value: Any, target: pd.DataFrame | pd.Series, sort_by: Sequence[str] | None = None,
                   check_order: bool = False, rtol: float = 1e-6, atol: float = 1e-6,
                   ignore_extra_columns: bool = False, mistakes: Mistakes = ()) -> Verdict:
    """Compare a trainee's table with the expected one and explain the first difference."""
    given = _as_frame(value)
    if given is None:
        return incorrect(f"You gave {describe(value)}; the answer should be a pandas DataFrame (a table).")
    expected = _as_frame(target)
    if isinstance(value, pd.Series) and given.shape[1] == expected.shape[1]:
        # a Series' own name (None, 'count', 'size' ...) need not agree with the expected value column
        given = given.rename(columns={given.columns[-1]: expected.columns[-1]})
    reason = _diagnose(value, mistakes)
    if reason:
        return incorrect(f"You gave {describe(value)}. {reason}")
    given_cols = {str(c).strip().lower(): c for c in given.columns}
    target_cols = [str(c).strip().lower() for c in expected.columns]
    missing = [c for c in target_cols if c not in given_cols]
    if missing:
        return incorrect(f"Your table has columns {list(map(str, given.columns))}; it is missing {missing}.")
    extra = [str(given_cols[c]) for c in given_cols if c not in target_cols]
    if extra and not ignore_extra_columns:
        return incorrect(f"Your table has extra columns {extra}: keep only the columns the question asks for.")
    given = given[[given_cols[c] for c in target_cols]].copy()
    given.columns = target_cols
    expected = expected.copy()
    expected.columns = target_cols
    if len(given) != len(expected):
        more = "more" if len(given) > len(expected) else "fewer"
        return incorrect(f"Your table has {len(given)} rows; that is {more} than it should have. Check your filter.")
    if not check_order:
        keys = [k.lower() for k in sort_by] if sort_by else target_cols
        given = _sorted(given, keys)
        expected = _sorted(expected, keys)
    for column in target_cols:
        problem = _column_difference(given[column], expected[column], rtol, atol)
        if problem:
            return incorrect(f"Column '{column}': {problem}")
    return correct(f"Your table of {_rows(len(given))} matches.")


def _sorted(df: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    try:
        return df.sort_values(list(keys), kind="mergesort").reset_index(drop=True)
    except TypeError:  # mixed types in a key column: sort on their text
        order = df[list(keys)].astype(str).sort_values(list(keys), kind="mergesort").index
        return df.loc[order].reset_index(drop=True)


def _column_difference(given: pd.Series, target: pd.Series, rtol: float, atol: float) -> str | None:
    if pd.api.types.is_numeric_dtype(target) and not pd.api.types.is_bool_dtype(target):
        numeric = pd.to_numeric(given, errors="coerce")
        if numeric.isna().sum() > target.isna().sum():
            return "some values are not numbers."
        close = np.isclose(numeric.to_numpy(dtype=float), target.to_numpy(dtype=float), rtol=rtol, atol=atol,
                           equal_nan=True)
        if not close.all():
            row = int(np.argmax(~close))
            return f"{int((~close).sum())} value(s) differ, for example {_fmt_number(numeric.iloc[row])} in row {row + 1}."
        return None
    left = given.astype("string").str.strip().fillna("<missing>").to_numpy()
    right = target.astype("string").str.strip().fillna("<missing>").to_numpy()
    different = left != right
    if different.any():
        row = int(np.argmax(different))
        return f"{int(different.sum())} value(s) differ, for example {left[row]!r} in row {row + 1}."
    return None


# -- SQL --------------------------------------------------------------------------------------
def sql(expected: Expected, sort_by: Sequence[str] | None = None, check_order: bool = False,
        rtol: float = 1e-6, mistakes: Mistakes = ()) -> Callable[[Any], Verdict]:
    """Grade an SQL SELECT string: run it read-only against the trainee's database and compare
    the result with the expected table (which ``expected`` may also compute with SQL)."""

    def grade(value: Any) -> Verdict:
        if not isinstance(value, str):
            return incorrect(f"You gave {describe(value)}; the answer should be an SQL query in quotes.")
        text = value.strip().rstrip(";").strip()
        if not text:
            return unattempted("Your query is empty: write a SELECT statement.")
        if not re.match(r"(?is)^\s*(select|with)\b", text):
            return incorrect(f"Your query starts with {text.split()[0][:40]!r}; this question needs a SELECT query.")
        reason = _diagnose(text, mistakes)
        if reason:
            return incorrect(reason)
        from ssup import db

        try:
            result = db.read_only_query(text)
        except (sqlite3.Error, pd.errors.DatabaseError) as error:
            return incorrect(f"Your query did not run: {_sqlite_message(error)}.")
        verdict = compare_frames(result, expected(), sort_by=sort_by, check_order=check_order, rtol=rtol)
        if verdict.status == "incorrect":
            return incorrect(f"Your query ran and returned {_rows(len(result))}. {verdict.detail}")
        return correct(f"Your query returns the right {_rows(len(result))}.")

    return grade


def _rows(count: int) -> str:
    return f"{count} row{'' if count == 1 else 's'}"


def _sqlite_message(error: BaseException) -> str:
    message = str(error)
    match = re.search(r"Execution failed on sql .*?: (.*)$", message, flags=re.S)
    text = (match.group(1) if match else message).strip()
    first = text.splitlines()[0] if text else "the database gave no reason"
    return first if len(first) <= 200 else first[:197] + "..."


# -- functions --------------------------------------------------------------------------------
class CallTimeout(Exception):
    """A trainee's function took longer than allowed."""


def call_with_timeout(func: Callable[..., Any], args: Sequence[Any] = (), seconds: float = 2.0) -> Any:
    """Call ``func(*args)``; raise :class:`CallTimeout` if it has not returned within ``seconds``.

    Uses a timer signal on the main thread (as in a Jupyter kernel), else a watchdog thread.
    """
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        def on_alarm(signum: int, frame: Any) -> None:
            raise CallTimeout

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return func(*args)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = func(*args)
        except BaseException as error:  # noqa: BLE001 - handed back to the caller
            outcome["error"] = error

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise CallTimeout
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def function(reference: Callable[..., Any], cases: Callable[[], Iterable[Sequence[Any]]] | Iterable[Sequence[Any]],
             compare: Callable[[Any, Any], bool] | None = None, name: str = "function",
             seconds: float = 2.0, show: Callable[[Any], str] = repr) -> Callable[[Any], Verdict]:
    """Grade a trainee's function: call it on every case and compare with ``reference``.

    ``cases`` is a list of argument tuples (or a function returning one, for generated cases).
    The first failing case is shown with its inputs and what the trainee's function returned.
    """
    compare = compare or _close

    def grade(value: Any) -> Verdict:
        if not callable(value):
            return incorrect(f"You gave {describe(value)}; the answer should be a function defined with `def`.")
        all_cases = list(cases() if callable(cases) else cases)
        for args in all_cases:
            shown = ", ".join(show(a) for a in args)
            try:
                got = call_with_timeout(value, [_copy(a) for a in args], seconds)
            except (NotImplementedError, NotAttempted):
                raise NotAttempted
            except CallTimeout:
                return incorrect(f"Your {name} did not finish within {seconds:g} s for input ({shown}). "
                                 "Look for a loop that never ends.")
            except SystemExit:
                return incorrect(f"Your {name} called sys.exit() (or exit()) for input ({shown}): return a value "
                                 "instead.")
            except RecursionError:
                return incorrect(f"Your {name} called itself without end for input ({shown}).")
            except Exception as error:
                return incorrect(f"Your {name} raised {_err(error)} for input ({shown}).")
            want = reference(*[_copy(a) for a in args])
            try:
                same = compare(got, want)
            except Exception:
                same = False
            if not same:
                return incorrect(f"For input ({shown}) your {name} returned {_short(got)}, which is not right.")
        return correct(f"Your {name} gives the right result on all {len(all_cases)} test cases.")

    return grade


def _err(error: BaseException) -> str:
    try:
        text = str(error).strip()
    except Exception:  # an exception whose message itself fails
        text = ""
    text = text.splitlines()[0][:150] if text else ""
    return f"{type(error).__name__} ({text})" if text else type(error).__name__


def _short(value: Any, width: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def _copy(value: Any) -> Any:
    return value.copy() if hasattr(value, "copy") and not isinstance(value, (str, bytes)) else value


def _close(got: Any, want: Any) -> bool:
    if isinstance(want, pd.DataFrame):
        return compare_frames(got, want).status == "correct"
    if isinstance(want, tuple) and not isinstance(got, (str, bytes)):
        try:
            return len(got) == len(want) and all(_close(g, w) for g, w in zip(got, want))
        except TypeError:
            return False
    if isinstance(want, (list, np.ndarray)):
        try:
            return np.allclose(np.asarray(got, dtype=float), np.asarray(want, dtype=float), rtol=1e-6, atol=1e-6)
        except (TypeError, ValueError):
            return list(got) == list(want)
    if _is_number(want):
        return _is_number(got) and math.isclose(float(got), float(want), rel_tol=1e-6, abs_tol=1e-6)
    return bool(got == want)


# -- writing ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Fact:
    """Something a piece of writing must (or must not) say.

    ``patterns`` are regular expressions (case-insensitive); the fact is present when any matches.
    ``label`` is how feedback names it, e.g. "the lead time in days".
    """

    label: str
    patterns: tuple[str, ...]

    def present_in(self, text: str) -> bool:
        return any(re.search(p, text, flags=re.I) for p in self.patterns)


def money_patterns(amount: float) -> tuple[str, ...]:
    """Regular expressions that find a money amount written as 1250, 1,250, 1250.00 or £1,250.

    >>> any(re.search(p, "It costs £1,250.00 a year") for p in money_patterns(1250))
    True
    """
    whole = int(round(amount))
    plain = str(whole)
    grouped = f"{whole:,}"
    cents = f"{amount:.2f}".split(".")[1]
    forms = {re.escape(plain), re.escape(grouped)}
    if cents != "00":
        forms = {re.escape(f"{amount:.2f}"), re.escape(f"{amount:,.2f}")}
    return tuple(rf"(?<![\d,.]){form}(?:\.{cents})?(?![\d,]|\.\d)" for form in forms)


#: Characters allowed per word of a piece of writing's word limit: generous for long words, links and ids,
#: but a text within the word limit and longer than this holds something that is not prose (a pasted dump).
CHARS_PER_WORD = 40


def writing(required: Callable[[], Sequence[Fact]], forbidden: Callable[[], Sequence[Fact]] = lambda: (),
            min_words: int = 15, max_words: int = 250, subject: str = "reply") -> Callable[[Any], Verdict]:
    """Grade a piece of writing on what can be checked honestly: the facts it must state, the
    wrong or unwanted things it must not say, and a sensible length (in words, and in characters:
    at most ``CHARS_PER_WORD`` per word of ``max_words``, so a huge paste is refused before any fact is
    searched for in it)."""

    def grade(value: Any) -> Verdict:
        if not isinstance(value, str):
            return incorrect(f"You gave {describe(value)}; your {subject} should be text in quotes.")
        words = len(value.split())
        if words == 0:
            return unattempted(f"Your {subject} is empty: write it between the quotes.")
        if words < min_words:
            return incorrect(f"Your {subject} has {words} words: too short to be helpful (aim for {min_words}+).")
        if words > max_words:
            return incorrect(f"Your {subject} has {words} words: too long (keep it under {max_words}).")
        if len(value) > max_words * CHARS_PER_WORD:
            return incorrect(f"Your {subject} is {len(value):,} characters long: too long for {words} words (keep it "
                             f"under {max_words} words of ordinary length).")
        wrong = [fact.label for fact in forbidden() if fact.present_in(value)]
        if wrong:
            return incorrect(f"Your {subject} says {join_words(wrong)}, which is wrong or should not be there.")
        missing = [fact.label for fact in required() if not fact.present_in(value)]
        if missing:
            return incorrect(f"Your {subject} does not yet state {join_words(missing)}.")
        return correct(f"Your {subject} states every fact it needs and nothing wrong.")

    return grade


def join_words(items: Sequence[str]) -> str:
    """Join phrases as a sentence does: 'a', 'a and b', 'a, b and c'.

    >>> join_words(["price", "lead time", "VAT"])
    'price, lead time and VAT'
    """
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# -- the database -----------------------------------------------------------------------------
def database(inspect: Callable[[sqlite3.Connection], Verdict]) -> Callable[[Any], Verdict]:
    """Grade the state of the trainee's database: ``inspect`` gets a read-only connection."""

    def grade(_: Any) -> Verdict:
        from ssup import db

        with db.read_only() as connection:
            return inspect(connection)

    return grade
