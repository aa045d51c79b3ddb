"""Hostile answers: arbitrary values thrown at every question's check.

Every ``Question`` of every curriculum level module (found through ``curriculum.yml``, so a level
is covered the moment its module exists) and of ``ssup.questions.welcome`` gets at least 200
hypothesis examples: None, wrong types, NaN and infinities, empty and huge tables, functions
that raise, return the wrong type or call ``sys.exit``, objects whose every method raises,
strings with SQL injection, huge strings and nested containers. Questions whose answer is the
state of the database get hostile rows written straight into the trainee's database instead.

Whatever the answer, ``Question.evaluate`` returns a ``Result`` (no exception escapes), its
status is correct, incorrect or unattempted, and its detail is a plain sentence, never a
traceback. A function that never returns is stopped by the check's own timeout; a long answer
gets short feedback within seconds.

Speed: one hypothesis run per question module (200 examples, each given to every question of the
module), with the module's expected-answer helpers remembered for the run (see
:func:`expected_answers_remembered`), so each example costs milliseconds. Runs are derandomized:
the same examples every time, so CI is repeatable.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import decimal
import functools
import inspect
import fractions
import importlib
import math
import os
import re
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssup.config import curriculum
from ssup.exercise import DATABASE, Question, Result

STATUSES = {"correct", "incorrect", "unattempted"}
EXAMPLES = 200
#: Feedback is a sentence or two for a person to read, not a dump of what they gave.
MAX_DETAIL = 2_000
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|^\s*File \"", re.M)


# -- which questions exist ------------------------------------------------------------------
def question_modules() -> list[tuple[str, str]]:
    """(module name, why) for the welcome practice question and every unit with questions."""
    found = [("ssup.questions.welcome", "welcome")]
    for unit in curriculum()["units"]:
        if unit.get("questions"):
            found.append((unit["questions"], f"Level {unit['level']}"))
    return found


MODULE_OF: dict[str, Any] = {}


def collect_questions() -> tuple[list[Any], list[Any]]:
    """Parameters: one per question module (the hypothesis runs) and one per question."""
    modules, questions = [], []
    for name, label in question_modules():
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:  # the module exists but something it imports does not: a real failure
                raise
            skip = pytest.mark.skip(reason=f"{name} does not exist yet ({label} is still being written)")
            modules.append(pytest.param(None, id=name.rsplit(".", 1)[-1], marks=skip))
            questions.append(pytest.param(None, id=f"{label}-missing", marks=skip))
            continue
        modules.append(pytest.param(module, id=name.rsplit(".", 1)[-1]))
        for question in module.QUESTIONS:
            MODULE_OF[question.id] = module
            questions.append(pytest.param(question, id=question.id))
    return modules, questions


MODULES, QUESTIONS = collect_questions()
#: The same, split by where the answer is: in a variable, or in the trainee's database.
VALUE_QUESTIONS = [p for p in QUESTIONS if p.values[0] is None or p.values[0].answer != DATABASE]
DATABASE_QUESTIONS = [p for p in QUESTIONS if p.values[0] is not None and p.values[0].answer == DATABASE]
#: The question modules with at least one question of each kind.
VALUE_MODULES = [p for p in MODULES if p.values[0] is None or any(q.answer != DATABASE for q in p.values[0].QUESTIONS)]
DATABASE_MODULES = [p for p in MODULES if p.values[0] is not None
                    and any(q.answer == DATABASE for q in p.values[0].QUESTIONS)]


@pytest.fixture(scope="module", autouse=True)
def trainee_home(tmp_path_factory):
    """Every check here reads and writes a throw-away trainee folder."""
    saved = os.environ.get("SSUP_HOME")
    os.environ["SSUP_HOME"] = str(tmp_path_factory.mktemp("hostile-home"))
    from ssup import db

    db.reset()
    yield
    if saved is None:
        os.environ.pop("SSUP_HOME", None)
    else:
        os.environ["SSUP_HOME"] = saved


# -- hostile values -------------------------------------------------------------------------
SQL_INJECTION = [
    "'; DROP TABLE customers; --",
    "SELECT * FROM customers; DROP TABLE products",
    "SELECT 1; ATTACH DATABASE '/tmp/pwn.sqlite' AS pwn; CREATE TABLE pwn.t(x)",
    "WITH x AS (SELECT 1) DELETE FROM tickets",
    "SELECT load_extension('/tmp/evil.so')",
    "SELECT * FROM customers WHERE name = '' OR '1'='1'",
    "SELECT writefile('/tmp/x', 'y')",
    "SELECT \x00 FROM customers",
    "SELECT * FROM customers UNION SELECT sql, 1, 1 FROM sqlite_master --",
    "PRAGMA writable_schema = 1",
    "select count(*) from customers c1, customers c2, customers c3, customers c4",  # a huge cross join
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r",  # never ends
    ")))(((", "SELECT", "select * from", ";;;;", "--", "/*",
]


class Boom(Exception):
    pass


class BadStr(Exception):
    """An exception whose message cannot even be turned into text."""

    def __str__(self) -> str:
        raise BadStr()

    __repr__ = __str__


class Evil:
    """An object every one of whose methods raises."""

    def _raise(self, *args: Any, **kwargs: Any) -> Any:
        raise Boom("evil")

    __repr__ = __str__ = __eq__ = __ne__ = __lt__ = __gt__ = __le__ = __ge__ = _raise  # type: ignore[assignment]
    __bool__ = __len__ = __iter__ = __float__ = __int__ = __index__ = __hash__ = _raise  # type: ignore[assignment]
    __getitem__ = __contains__ = __format__ = __abs__ = __neg__ = __round__ = _raise  # type: ignore[assignment]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        raise Boom(f"no {name} for you")


class EvilList(list):
    def __len__(self) -> int:
        raise Boom("len")

    def __iter__(self):
        raise Boom("iter")


class EvilDict(dict):
    def __getitem__(self, key: Any) -> Any:
        raise Boom("getitem")

    def values(self):  # type: ignore[override]
        raise Boom("values")


class FakeNumber(float):
    """A float subclass whose arithmetic and comparisons raise."""

    def __float__(self) -> float:
        raise Boom("float")

    def __sub__(self, other: Any) -> Any:
        raise Boom("sub")

    __rsub__ = __add__ = __radd__ = __mul__ = __rmul__ = __truediv__ = __sub__


def recursive_list() -> list:
    items: list = [1, 2]
    items.append(items)
    return items


def recursive_dict() -> dict:
    items: dict = {"A": "Billing"}
    items["self"] = items
    return items


def raising(error: BaseException):
    def answer(*_args: Any, **_kwargs: Any) -> Any:
        raise error

    answer.__name__ = f"raises_{type(error).__name__}"
    return answer


def returning(value: Any):
    def answer(*_args: Any, **_kwargs: Any) -> Any:
        return value

    answer.__name__ = f"returns_{type(value).__name__}"
    return answer


def recursing(*args: Any, **kwargs: Any) -> Any:
    return recursing(*args, **kwargs)


def generator_function(*_args: Any) -> Any:
    yield 1


def takes_nothing() -> int:
    return 1


def calls_exit(*_args: Any) -> Any:
    sys.exit("bye")


def brief_sleep(*_args: Any) -> Any:
    time.sleep(0.01)
    return None


def big_frame() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame({"channel": rng.choice(["email", "phone", None], 100_000),
                         "tickets": rng.integers(0, 10, 100_000),
                         "value": rng.normal(size=100_000)})


_BIG = big_frame()
FUNCTIONS = [
    raising(Boom("boom")), raising(ValueError("bad value")), raising(ZeroDivisionError("division by zero")),
    raising(KeyError("customer_id")), raising(MemoryError()), raising(RecursionError()),
    raising(NotImplementedError()), raising(StopIteration()), raising(TypeError()),
    returning(None), returning("42"), returning([1, 2]), returning({"x": 1}), returning(float("nan")),
    returning(float("inf")), returning(Evil()), returning(pd.DataFrame()), returning(_BIG), returning(EvilList([1])),
    returning(np.array([np.nan, np.inf])), returning(b"bytes"), returning(1j), recursing, generator_function,
    takes_nothing, brief_sleep, print, len, lambda *a, **k: a, lambda x: x, int, str, pd.DataFrame,
    Question, type, object,
]

#: Trainee functions that once got past the checks (now also tested on their own below).
EXITING = [raising(SystemExit("bye")), calls_exit, raising(BadStr())]
FUNCTIONS += EXITING

FRAMES = [
    pd.DataFrame(), pd.DataFrame(columns=["channel", "tickets"]), _BIG, _BIG.head(3),
    pd.DataFrame({"channel": [np.nan, None, pd.NA], "tickets": [np.inf, -np.inf, np.nan]}),
    pd.DataFrame([[1, 2]], columns=["channel", "channel"]),  # duplicate column names
    pd.DataFrame({("a", "b"): [1], ("a", "c"): [2]}),  # MultiIndex columns
    pd.DataFrame({"x": [Evil()]}), pd.DataFrame({"x": [[1, 2], {"a": 1}]}),
    pd.DataFrame({1: [1], None: [2]}), pd.DataFrame(index=range(5)),
    pd.DataFrame({"when": pd.to_datetime(["2025-01-01", None])}).set_index("when"),
    pd.Series(dtype=float), pd.Series([np.nan] * 3), _BIG["value"], pd.Series([1], name=("a", "b")),
    pd.Series({"email": 1, "phone": "two"}), pd.Index(["a", "b"]), pd.Categorical(["a", "b"]),
]

SCALARS = [
    None, ..., True, False, 0, -0.0, 1, -1, 10**400, -(10**400), 2**63, float("nan"), float("inf"), float("-inf"),
    1e308, 5e-324, 1j, complex(float("nan"), 1), decimal.Decimal("NaN"), decimal.Decimal("1e999999"),
    decimal.Decimal("sNaN"), fractions.Fraction(1, 3), np.float64("nan"), np.float32("inf"), np.int64(-1),
    np.uint8(255), np.bool_(True), np.datetime64("NaT"), np.array([]), np.array([np.nan]), np.array([[1, 2], [3, 4]]),
    np.array(["a", None], dtype=object), np.ma.masked, pd.NA, pd.NaT, pd.Timestamp("2262-04-11"),
    dt.date(1, 1, 1), dt.timedelta(days=-1), b"\x00\xff", bytearray(b"abc"), memoryview(b"abc"), FakeNumber(3.0),
    Evil(), EvilList([1, 2]), EvilDict(A="Billing"), recursive_list(), recursive_dict(), object(), type, math,
    range(10**12), iter([1, 2]), (x for x in range(3)), slice(1, 2), NotImplemented, Path("/etc/passwd"),
    BaseException("x"), Boom("x"),
]

class Huge(str):
    """A long text whose repr stays short (so a failing example can be read)."""

    def __repr__(self) -> str:
        return f"<text of {len(self):,} characters starting {str.__repr__(self[:20])}>"


def pick(items: list[Any]) -> st.SearchStrategy:
    """One of ``items``, drawn by position (hypothesis never needs their repr, which may raise)."""
    return st.integers(0, len(items) - 1).map(lambda index: items[index])


STRINGS = st.one_of(
    st.text(max_size=200),
    st.sampled_from(SQL_INJECTION),
    st.sampled_from(["", " ", "\n\t", "...", "None", "nan", "inf", "-1e309", "0x10", "١٢٣", "1,250.00", "£1,250",
                     "\x00", "\u202e\u0041", "🙂" * 50, Huge("a" * 1_000_000), Huge("word " * 100_000), Huge("'" * 10_000),
                     "SNS-TMP-100", "GW-LRW-IN", "CUS-0042", "P1", "Billing", "correct"]),
)

LEAVES = st.one_of(
    pick(SCALARS),
    st.integers(), st.floats(allow_nan=True, allow_infinity=True), STRINGS, st.binary(max_size=50),
    pick(FRAMES), pick(FUNCTIONS),
)


KEYS = st.one_of(st.text(max_size=5), st.integers(), st.sampled_from(["A", "B", "C", "D", "E", ""]), st.none())
DEEP = [[[[[[[[[[[[["deep"]]]]]]]]]]]], {"A": {"B": {"C": {"D": {"E": ["P1"]}}}}}, ((((((1,),),),),),)]
#: Values and containers of them two levels deep (st.recursive is several times slower to draw, and
#: every question of a module is checked against each drawn value, so drawing must be cheap).
HOSTILE = st.one_of(
    LEAVES,
    st.lists(LEAVES, max_size=5),
    st.lists(LEAVES, max_size=5).map(tuple),
    st.dictionaries(KEYS, LEAVES, max_size=5),
    st.frozensets(st.one_of(st.integers(), st.text(max_size=5)), max_size=5),
    st.lists(st.lists(LEAVES, max_size=3), max_size=3),
    st.dictionaries(KEYS, st.lists(LEAVES, max_size=3), max_size=3),
    st.lists(LEAVES, max_size=4).map(lambda items: pd.Series(items, dtype=object)),
    pick(DEEP),
)


# -- what every result must look like ---------------------------------------------------------
def assert_sound(question: Question, result: Any, given: str, limit: bool = True) -> None:
    assert isinstance(result, Result), f"{question.id}: evaluate returned {type(result).__name__} for {given}"
    assert result.status in STATUSES, f"{question.id}: status {result.status!r} for {given}"
    assert isinstance(result.detail, str) and result.detail.strip(), f"{question.id}: empty feedback for {given}"
    assert not TRACEBACK.search(result.detail), f"{question.id}: traceback in feedback for {given}: {result.detail}"
    assert not limit or len(result.detail) <= MAX_DETAIL, (f"{question.id}: feedback of {len(result.detail):,} characters for "
                                              f"{given}: {result.detail[:200]}...")


def shown(value: Any) -> str:
    try:
        text = repr(value)
    except BaseException:  # noqa: BLE001 - Evil and friends
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 200 else text[:200] + "..."


HOSTILE_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                            suppress_health_check=list(HealthCheck))


# -- keeping each example cheap -------------------------------------------------------------------
def _fresh(value: Any) -> Any:
    if isinstance(value, (pd.DataFrame, pd.Series, pd.Index, np.ndarray)):
        return value.copy()
    if isinstance(value, (list, dict, set)):
        return copy.deepcopy(value)
    return value


def _freeze(value: Any) -> Any:
    """A hashable key for plain arguments (texts, numbers and lists or dicts of them)."""
    if value is None or isinstance(value, (str, bytes, int, float, bool)):
        return (type(value).__name__, value)
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_freeze(item) for item in value))
    if isinstance(value, dict):
        return ("dict", tuple((_freeze(k), _freeze(v)) for k, v in value.items()))
    raise TypeError("not a plain argument")


def _memo(function: Any) -> Any:
    results: dict[Any, Any] = {}

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            key = _freeze((list(args), dict(sorted(kwargs.items()))))
        except (TypeError, RecursionError):  # e.g. called with the trainee's answer: nothing to remember
            return function(*args, **kwargs)
        if key not in results:
            results[key] = function(*args, **kwargs)
        return _fresh(results[key])

    wrapper.__wrapped_original__ = function  # type: ignore[attr-defined]
    return wrapper


@contextlib.contextmanager
def expected_answers_remembered(module: Any, questions: list[Question]):
    """Compute each expected answer once per test instead of once per example.

    Expected answers are computed from the data when a check runs (a design rule: the data can be
    regenerated with another seed), and some take a tenth of a second or more. Here the data and
    the database do not change between examples, so the question module's own functions (and those
    its graders hold) remember their results for the duration of one test: the checks run exactly
    as in a notebook, only without recomputing the same answer key hundreds of times. A function
    called with the trainee's answer (anything but plain texts, numbers and lists of them) is
    called every time.
    """
    patched_globals: dict[str, Any] = {}
    patched_cells: list[tuple[Any, Any]] = []

    def ours(obj: Any) -> bool:
        return inspect.isfunction(obj) and obj.__module__ == module.__name__

    for name, obj in list(vars(module).items()):
        if ours(obj) and not name.startswith("__"):
            patched_globals[name] = obj
            setattr(module, name, _memo(obj))
    for question in questions:
        for cell in question.grader.__closure__ or ():
            try:
                contents = cell.cell_contents
            except ValueError:
                continue
            if ours(contents):
                patched_cells.append((cell, contents))
                cell.cell_contents = _memo(contents)
    try:
        yield
    finally:
        for name, obj in patched_globals.items():
            setattr(module, name, obj)
        for cell, contents in reversed(patched_cells):
            cell.cell_contents = contents


def evaluate_soundly(question: Question, value: Any = None, describe: Any = None) -> None:
    escaped = None
    try:
        result = question.evaluate() if question.answer == DATABASE else question.evaluate(value)
    except BaseException as error:  # noqa: BLE001 - reported by type, outside the handler: it may not print
        escaped = type(error).__name__
    if escaped:
        pytest.fail(f"{question.id}: {escaped} escaped evaluate for {describe()}")
    if not (isinstance(result, Result) and result.status in STATUSES and isinstance(result.detail, str)
            and result.detail.strip() and not TRACEBACK.search(result.detail)):
        assert_sound(question, result, describe(), limit=False)


# -- answers held in a variable -----------------------------------------------------------------
@pytest.mark.parametrize("module", VALUE_MODULES)
def test_no_hostile_answer_breaks_a_check(module):
    """Each drawn value is given to every question of the module: 200 values per question."""
    questions = [q for q in module.QUESTIONS if q.answer != DATABASE]

    @HOSTILE_SETTINGS
    @given(value=HOSTILE)
    def check(value: Any) -> None:
        for question in questions:
            evaluate_soundly(question, value, lambda: shown(value))

    with expected_answers_remembered(module, questions):
        check()


@pytest.mark.parametrize("question", QUESTIONS)
def test_answers_read_from_a_hostile_namespace(question):
    """The grader reads answers from the notebook's namespace: a missing or odd name is no crash."""
    for namespace in ({}, {question.answer: Evil()}, {question.answer: ...}, {"ex": None, question.answer: None}):
        result = question.evaluate(namespace=namespace)
        assert_sound(question, result, f"namespace {sorted(map(str, namespace))}")
    if question.answer != DATABASE:
        assert question.evaluate(namespace={}).status == "unattempted"


@pytest.mark.parametrize("question", VALUE_QUESTIONS)
def test_a_function_that_never_returns_is_stopped(question):
    """Given as the answer, a function that loops is stopped by the check's timeout (or never called)."""
    give_up = time.monotonic() + 20.0

    def forever(*_args: Any, **_kwargs: Any) -> Any:
        while time.monotonic() < give_up:  # "never" for the check; ends in 20 s so a hung check still ends
            pass
        return None

    started = time.monotonic()
    result = question.evaluate(forever)
    elapsed = time.monotonic() - started
    assert_sound(question, result, "a function that never returns")
    assert elapsed < 15.0, f"{question.id}: the check waited {elapsed:.0f} s on a function that never returns"
    if elapsed > 1.0:  # the check did call it: it must say so
        assert result.status == "incorrect" and "did not finish" in result.detail, result.detail


# -- inputs that found gaps, kept as regression tests ---------------------------------------------
GAP_EXIT = ("a trainee function that calls sys.exit() raises SystemExit, which is not an Exception: the check "
            "must catch it and say so (closed in ssup/checks.py function() and ssup/exercise.py evaluate)")
GAP_BADSTR = ("an exception whose message cannot be made into text must not escape while the feedback is written "
              "(closed in ssup/checks.py _err() and ssup/exercise.py _describe_error())")
#: Questions whose check takes many seconds on a long answer (found by the test below, reported with
#: the fix). Strict: the case fails loudly once the question is fixed, and its entry can go.
LONG_ANSWER_GAPS: dict[str, str] = {}  # question id -> why its check is still slow on a huge answer
LONG_ANSWERS = {"a 200 kB word": "a" * 200_000, "200 kB of words": "word " * 40_000, "1 MB of words": "word " * 200_000,
                # one 1 MB word: the case that took L2.q11 30 s (dateutil's tokenizer is quadratic on a run of letters)
                "a 1 MB word": "a" * 1_000_000,
                "a list of 1,000 texts": ["SNS-TMP-100 " * 8] * 1_000,
                "a list with a 1 MB text": ["Z" * 1_000_000],
                "a 10,000-item list": [f"SNS-{i:05d}" for i in range(10_000)],
                "a dict with a 100 kB key": {"A" * 100_000: "Billing"}, "a 100,000-row table": _BIG}
#: Feedback may quote the start of what the trainee gave (a describe() or quote() of 60-80 characters), never more.
MAX_ECHO = 100


def longest_text(value: Any) -> str:
    """The longest text in an answer, or among its items, keys and values: what feedback must not repeat."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        parts = [*value.keys(), *value.values()]
    elif isinstance(value, (list, tuple, set, frozenset)):
        parts = list(value)
    else:
        return ""
    return max((part for part in parts if isinstance(part, str)), key=len, default="")


def assert_not_echoed(question: Question, result: Result, value: Any, given: str) -> None:
    text = longest_text(value)
    assert len(text) <= MAX_ECHO or text[:MAX_ECHO] not in result.detail, (
        f"{question.id}: the feedback for {given} repeats more than {MAX_ECHO} characters of it: {result.detail[:200]}...")


@pytest.mark.parametrize("question", VALUE_QUESTIONS)
@pytest.mark.parametrize("answer,gap", [(EXITING[0], GAP_EXIT), (EXITING[1], GAP_EXIT), (EXITING[2], GAP_BADSTR)],
                         ids=["raises-SystemExit", "calls-sys.exit", "broken-message"])
def test_a_function_answer_that_exits_or_breaks_its_message_gets_feedback(question, answer, gap):
    """Checks that call the trainee's function (checks.function or a level's own grader) must survive
    it calling sys.exit() or raising an exception whose message cannot be printed."""
    escaped = None
    try:
        result = question.evaluate(answer)
    except BaseException as error:  # noqa: BLE001 - reported by type, outside the handler: it may not print
        escaped = type(error).__name__
    if escaped:
        pytest.fail(f"{gap} ({escaped} escaped evaluate)")
    assert_sound(question, result, answer.__name__)


CORE_FUNCTION_QUESTION = Question(
    id="core.function", prompt="Write with_vat(price).", behaviours=("1.3",), answer="with_vat",
    grader=__import__("ssup.checks", fromlist=["function"]).function(lambda price: round(price * 1.2, 2),
                                                                      [(10.0,), (0,)], name="with_vat"),
    hints=("Multiply by 1.2.", "return round(price * 1.2, 2)"), solution_code="def with_vat(price): ...")


@pytest.mark.parametrize("answer,gap", [
    pytest.param(EXITING[0], GAP_EXIT),
    pytest.param(EXITING[1], GAP_EXIT),
    pytest.param(EXITING[2], GAP_BADSTR),
], ids=["raises-SystemExit", "calls-sys.exit", "broken-message"])
def test_the_core_function_grader_survives_exit_and_broken_messages(answer, gap):
    """ssup.checks.function, which any level may use, survives a trainee function that exits or raises an
    exception whose message cannot be printed (gaps this suite found, closed in ssup/checks.py)."""
    escaped = None
    try:
        result = CORE_FUNCTION_QUESTION.evaluate(answer)
    except BaseException as error:  # noqa: BLE001 - reported by type, outside the handler: it may not print
        escaped = type(error).__name__
    if escaped:
        pytest.fail(f"{escaped} escaped evaluate")
    assert_sound(CORE_FUNCTION_QUESTION, result, answer.__name__)


def long_answer_params() -> list[Any]:
    params = []
    for param in QUESTIONS:
        question = param.values[0]
        if question is None or question.answer == DATABASE:
            continue
        marks = list(param.marks)
        if question.id in LONG_ANSWER_GAPS:
            marks.append(pytest.mark.xfail(strict=True, reason=LONG_ANSWER_GAPS[question.id]))
        params.append(pytest.param(question, id=question.id, marks=marks))
    return params


@pytest.mark.parametrize("question", long_answer_params())
def test_long_answers_get_short_feedback_quickly(question):
    """Pasting a huge answer gets a sentence back, within seconds, not the answer repeated. Timed as in a
    notebook (nothing remembered between calls), after one call that warms the data caches."""
    question.evaluate(None)
    for label, value in LONG_ANSWERS.items():
        started = time.monotonic()
        result = question.evaluate(value)
        elapsed = time.monotonic() - started
        assert_sound(question, result, label)
        assert_not_echoed(question, result, value, label)
        assert elapsed < 3.0, f"{question.id}: {elapsed:.1f} s to check {label}"


def _level(number: int) -> Any:
    return importlib.import_module(f"ssup.questions.level{number}")


def _ticket(field: str) -> dict[str, Any]:
    """L2.q1's ticket, with one field a 1 MB paste."""
    ticket = dict(_level(2)._expected_ticket())
    ticket[field] = "Z" * 1_000_000
    return ticket


def _decisions(change: str) -> list[Any]:
    """L6.q9's decisions: one per proposal, then one part made huge."""
    from ssup.investment import Decision

    reasons = "Scores 12 on the weighted criteria with an NPV of 1,000 GBP and a payback of 2 years."
    ids = list(_level(6)._appraisal().index)
    decisions = [Decision(pid, "reject", reasons) for pid in ids]
    if change == "proposal_id":
        decisions[0] = Decision("Z" * 1_000_000, "approve", reasons)
    elif change == "decision":
        decisions[0] = Decision(ids[0], "Z" * 1_000_000, reasons)
    elif change == "unknown ids":
        decisions += [Decision(f"Z-{i:05d}" + "Z" * 100, "reject", reasons) for i in range(10_000)]
    else:  # every decision repeated: 10,000 of them
        decisions = decisions * (10_000 // len(decisions))
    return decisions


def _charter(**changes: Any) -> Any:
    """An L6.q10 charter for the approved proposal, starting on the right day, with one part made huge."""
    from ssup.investment import Charter

    level6 = _level(6)
    milestones = pd.DataFrame({"task": ["Design", "Build", "Pilot", "Go-live"], "duration": [4, 8, 4, 0],
                               "predecessors": ["", "Design", "Build", "Pilot"]})
    metrics = pd.DataFrame({"kpi": ["reopen_pct", "csat_pct"], "baseline": [6.0, 80.0], "target": [5.0, 85.0],
                            "by": ["2027-09-30", "2027-09-30"]})
    values = dict(project="Portal", proposal_id=level6._best(), sponsor="AGT-001", objectives=["O1"], budget_gbp=1.0,
                  start=level6.CHARTER_START, milestones=milestones, success_metrics=metrics)
    values.update(changes)
    return Charter(**values)


def _metrics(rows: int = 2, by: str = "2027-09-30") -> pd.DataFrame:
    return pd.DataFrame({"kpi": ["reopen_pct"] * rows, "baseline": [6.0] * rows, "target": [5.0] * rows,
                         "by": [by] * rows})


#: Answers of the right shape with one part pasted huge: each check must still answer in a sentence, at once.
HUGE_PARTS = {
    ("L2.q1", "a 1 MB customer_id"): lambda: _ticket("customer_id"),
    ("L2.q1", "a 1 MB product_id"): lambda: _ticket("product_id"),
    ("L2.q1", "a 1 MB category"): lambda: _ticket("category"),
    ("L2.q1", "a 1 MB priority"): lambda: _ticket("priority"),
    ("L2.q4", "a 1 MB sixth choice"): lambda: ["B", "A", "C", "B", "C", "Z" * 1_000_000],
    ("L6.q9", "a 1 MB proposal id"): lambda: _decisions("proposal_id"),
    ("L6.q9", "a 1 MB decision"): lambda: _decisions("decision"),
    ("L6.q9", "10,000 unknown proposals"): lambda: _decisions("unknown ids"),
    ("L6.q9", "10,000 repeated decisions"): lambda: _decisions("repeated"),
    ("L6.q10", "a 1 MB proposal id"): lambda: _charter(proposal_id="Z" * 1_000_000),
    ("L6.q10", "a 1 MB start"): lambda: _charter(start="Z" * 1_000_000),
    ("L6.q10", "a 1 MB budget"): lambda: _charter(budget_gbp="Z" * 1_000_000),
    ("L6.q10", "a 1 MB task name"): lambda: _charter(milestones=pd.DataFrame(
        {"task": ["Design", "Go-live"], "duration": [4, 0], "predecessors": ["", "Z" * 1_000_000]})),
    ("L6.q10", "a 1 MB KPI name"): lambda: _charter(success_metrics=_metrics().assign(kpi=["Z" * 1_000_000] * 2)),
    ("L6.q10", "a 1 MB due date"): lambda: _charter(success_metrics=_metrics(by="Z" * 1_000_000)),
    ("L6.q10", "100,000 success metrics"): lambda: _charter(success_metrics=_metrics(rows=100_000)),
}
QUESTION_BY_ID = {p.values[0].id: p.values[0] for p in QUESTIONS if p.values[0] is not None}


@pytest.mark.parametrize("question_id,label", list(HUGE_PARTS), ids=[f"{q}-{label}" for q, label in HUGE_PARTS])
def test_a_huge_part_of_a_well_formed_answer_gets_short_feedback_quickly(question_id, label):
    """A dict, list or object of the right kind with one field pasted huge (or thousands of items) gets a sentence
    back within seconds that does not repeat the paste: found by inflating each model answer in turn."""
    if question_id not in QUESTION_BY_ID:
        pytest.skip(f"{question_id} does not exist")
    question = QUESTION_BY_ID[question_id]
    value = HUGE_PARTS[question_id, label]()
    question.evaluate(value)  # warms the data caches, as the long-answer test's first call does
    started = time.monotonic()
    result = question.evaluate(value)
    elapsed = time.monotonic() - started
    assert_sound(question, result, label)
    assert "Z" * MAX_ECHO not in result.detail, f"{question_id}: the feedback repeats the paste: {result.detail[:200]}"
    assert elapsed < 3.0, f"{question_id}: {elapsed:.1f} s to check {label}"


# -- answers that are the state of the database -------------------------------------------------
def writable_tables() -> list[str]:
    """Tables the trainee writes to: those the data folder does not fill (they start empty)."""
    from ssup import db
    from ssup.config import data_dir

    return [table for table in db.table_names() if not (data_dir() / f"{table}.csv").exists()]


DB_TEXT = st.one_of(STRINGS.filter(lambda s: "\x00" not in s and len(s) < 50_000), st.sampled_from(SQL_INJECTION))
DB_VALUE = st.one_of(DB_TEXT, st.none(), st.integers(min_value=-(2**63), max_value=2**63 - 1),
                     st.floats(allow_nan=False), st.sampled_from(["CUS-0042", "SNS-LVL-100", "TKT-00001", "AGT-001",
                                                                  "phone", "battery", "P1", "Field Engineering",
                                                                  "2026-07-01 09:00:00", "open"]))


@st.composite
def hostile_rows(draw: Any) -> list[tuple[str, dict[str, Any]]]:
    from ssup import db

    rows = []
    for _ in range(draw(st.integers(0, 3))):
        table = draw(st.sampled_from(writable_tables()))
        columns = [name for name, column in db.columns(table).items() if not column.primary_key]
        chosen = draw(st.lists(st.sampled_from(columns), unique=True, min_size=1, max_size=len(columns)))
        rows.append((table, {name: draw(DB_VALUE) for name in chosen}))
    return rows


def write_raw(rows: list[tuple[str, dict[str, Any]]]) -> None:
    """Write rows with a raw connection, as a trainee's own sqlite3 code can: only the schema's
    constraints (with foreign keys off, as in a plain ``sqlite3.connect``) stand in the way."""
    from ssup import db

    connection = sqlite3.connect(db.database_path())
    try:
        for table, values in rows:
            names = ", ".join(f'"{name}"' for name in values)
            marks = ", ".join("?" for _ in values)
            try:
                with connection:
                    connection.execute(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', tuple(values.values()))
            except sqlite3.Error:
                continue
    finally:
        connection.close()


@pytest.mark.parametrize("module", DATABASE_MODULES)
def test_no_hostile_database_breaks_a_database_check(module):
    """Each drawn database state is graded by every database question of the module."""
    questions = [q for q in module.QUESTIONS if q.answer == DATABASE]
    from ssup import db

    @HOSTILE_SETTINGS
    @given(rows=hostile_rows())
    def check(rows: list[tuple[str, dict[str, Any]]]) -> None:
        db.reset()
        write_raw(rows)
        for question in questions:
            evaluate_soundly(question, describe=lambda: f"rows {shown(rows)}")

    check()
    db.reset()


@pytest.mark.parametrize("question", DATABASE_QUESTIONS)
def test_a_missing_or_broken_database_is_explained(question):
    """A deleted, emptied or corrupted database file is rebuilt or reported, never a traceback."""
    from ssup import db

    path = db.database_path()
    for damage in ("delete", "empty", "garbage", "drop-table"):
        db.reset()
        if damage == "delete":
            path.unlink()
        elif damage == "empty":
            path.write_bytes(b"")
        elif damage == "garbage":
            path.write_bytes(b"not a database" * 1000)
        else:
            with sqlite3.connect(path) as connection:
                for table in writable_tables():
                    connection.execute(f'DROP TABLE "{table}"')
        result = question.evaluate()
        assert_sound(question, result, f"a database that is {damage}")
    db.reset()
