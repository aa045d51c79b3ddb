"""Requirements from discovery calls: structure them, find vague wording, document what was agreed (Level 3).

A discovery call leaves notes in the customer's words. Before anyone can design, price or test a
solution, each need has to become a **requirement**: one statement, functional or non-functional,
with a MoSCoW priority and an **acceptance criterion** someone could check with a yes or a no.

- :func:`parse_notes`         the numbered needs of a call's notes -> one row per requirement
- :func:`find_vague`          vague or untestable words in a statement ("fast", "lots of", "user-friendly")
- :func:`clarifying_question` the question that turns one vague word into a number
- :func:`is_measurable`       does a statement contain a quantity with a unit?
- :func:`requirement_type`    functional (what it does) or non-functional (how well, how long, how safe)
- :func:`moscow`              Must / Should / Could / Won't, from the words the customer used
- :func:`parse_answers`       the customer's answers to our questions (``- Note 3 (fast): ...``)
- :func:`agree`               requirements + answers -> acceptance criteria and what is still open
- :func:`summary_markdown`, :func:`summary_html`, :func:`export`  a summary the customer can sign off

The rules are deliberately simple and transparent (a word list and a few patterns), so a person can
see why a row was classified as it was and correct it: they support judgement, they do not replace it.

>>> reqs = parse_notes('''## What they need
... 1. They must monitor 40 freezers across 3 depots.
... 2. They would really like fast alarms.
... ''')
>>> reqs[["note", "moscow", "vague", "measurable"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
[{'note': 1, 'moscow': 'Must', 'vague': '', 'measurable': True},
 {'note': 2, 'moscow': 'Should', 'vague': 'fast', 'measurable': False}]
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

import pandas as pd

__all__ = [
    "VagueTerm", "VAGUE_TERMS", "MOSCOW", "find_vague", "clarifying_question", "is_measurable",
    "requirement_type", "moscow", "parse_notes", "parse_answers", "agree", "summary_markdown",
    "summary_html", "export", "markdown_table", "quantities", "strip_cue",
]

#: MoSCoW priorities, most important first.
MOSCOW = ("Must", "Should", "Could", "Won't")


@dataclass(frozen=True)
class VagueTerm:
    """A vague word or phrase: how to find it, what it leaves open, and the question that closes it.

    ``question`` is the question itself; :func:`clarifying_question` puts the customer's words in front of it.
    """

    term: str
    pattern: str
    asks_for: str
    question: str


#: Words that cannot be tested as they stand. Each maps to what is missing and the clarifying question.
VAGUE_TERMS: tuple[VagueTerm, ...] = (
    VagueTerm("fast", r"\b(fast|quick(ly)?|rapid(ly)?|instant(ly)?|promptly)\b", "a time limit",
              'Within how many minutes (or seconds) must it happen, counted from which '
              "event, and who must it reach?"),
    VagueTerm("real time", r"\breal[- ]time\b|\blive (data|view|readings?)\b", "a maximum age of the data",
              'How many minutes old may a reading be when someone looks at it, and how '
              "often must each sensor report?"),
    VagueTerm("lots of", r"\b(lots of|loads of|many|a large number of|a lot of|plenty of (sensors|devices|rooms|machines))\b",
              "a count", 'How many exactly, per site and in total, today and in three '
              "years?"),
    VagueTerm("user-friendly", r"\b(user[- ]friendly|easy[- ]to[- ]use|intuitive|simple to use)\b",
              "who does which task, how quickly, after how much training",
              'Who will use it, for which task, and how long may that task take after '
              "how many minutes of training?"),
    VagueTerm("reliable", r"\b(reliable|robust|always on|never (goes|go) down)\b",
              "an availability or data-completeness percentage",
              'What share of readings (in %) must arrive each month, and how long may '
              "the system be unavailable?"),
    VagueTerm("long battery life", r"\b(long|good|decent) battery( life)?\b|\blong[- ]lasting\b",
              "years between battery changes at a stated reporting interval",
              'How many years between battery changes do you need, at which reporting '
              "interval?"),
    VagueTerm("cheap", r"\b(cheap|inexpensive|affordable|low[- ]cost|budget[- ]friendly)\b", "a budget in GBP",
              'What budget, in pounds, do you have for hardware and per year for the '
              "platform and support?"),
    VagueTerm("as soon as possible", r"\b(as soon as possible|asap|a\.s\.a\.p\.?)\b", "a date",
              'By which date must it be running, and what happens on that date?'),
    VagueTerm("secure", r"\b(secure|safe from hackers)\b", "a named standard or policy",
              'Which security requirements must it meet: single sign-on, encryption, a '
              "standard such as ISO 27001, or your IT department's checklist?"),
    VagueTerm("scalable", r"\b(scalable|future[- ]proof)\b", "a future size",
              'How many devices and sites do you expect in three years?'),
    VagueTerm("enough history", r"\b(enough|plenty of|lots of) (history|data history|records)\b|\bfor a long time\b",
              "a retention period",
              'How many months or years of readings must stay available, and who needs '
              "them (auditors, engineers)?"),
    VagueTerm("accurate", r"\b(accurate|precise)\b(?! to)", "a tolerance with a unit",
              'Accurate to within how many degrees (or units)?'),
    VagueTerm("seamless", r"\b(seamless(ly)?|easy integration|easily integrated?|plug[- ]and[- ]play)\b",
              "the systems, data and direction of the integration",
              'Which system must receive which data, how often, and by which method?'),
)

_TERMS = {t.term: t for t in VAGUE_TERMS}

#: A quantity with a unit: "15 minutes", "-18 C", "99.5%", "£20,000", "240 sensors", "by 09:00".
_QUANTITY = re.compile(
    r"(£\s?\d[\d,]*(\.\d+)?)"
    r"|(\b\d{1,2}:\d{2}\b)"
    r"|(\b20\d\d-\d\d-\d\d\b)"
    r"|(\b\d{1,2} (january|february|march|april|may|june|july|august|september|october|november|december) 20\d\d\b)"
    r"|((?<![\w.])[-+]?\d[\d,]*(\.\d+)?[\s-]*(%|percent\b|°?\s?C\b|degrees?\b|mm/s\b|ppm\b|kwh\b|bar\b|m2\b|m\b|"
    r"seconds?\b|s\b|minutes?\b|mins?\b|hours?\b|h\b|days?\b|weeks?\b|months?\b|years?\b|"
    r"working days?\b|clicks?\b|gbp\b))"
    r"|((?<![\w.])\d[\d,]*\s+([a-z-]+\s+){0,3}(sensors?|devices?|sites?|depots?|plants?|buildings?|rooms?|"
    r"freezers?|machines?|motors?|pumps?|boards?|meters?|users?|gateways?|vans?|vehicles?|lines?|"
    r"classrooms?|offices?|staff|people|readings?|messages?)\b)",
    flags=re.I,
)

_NON_FUNCTIONAL = re.compile(
    r"\b(within \d|in under \d|no more than|at least|never more than|minutes? old|every \d+ (seconds?|minutes?|hours?)|"
    r"reliab|availab|uptime|complete|secure|security|encrypt|single sign-on|sso|gdpr|iso ?27001|"
    r"battery|batteries|retain|retention|history|records for|years? of|months? of|"
    r"fast|quick|real[- ]time|latency|user[- ]friendly|easy[- ]to[- ]use|intuitive|accura|"
    r"scalab|future[- ]proof|budget|cheap|afford|cost|price|by 20\d\d|as soon as possible|running at|"
    r"audit trail|part 11|annex 11|ip6\d|operat\w+ (from|between)|support)|£\s?\d",
    flags=re.I,
)

#: Cue phrases for each MoSCoW priority, checked in this order (Won't first: "do not need to" is not a Must).
_MOSCOW_CUES: tuple[tuple[str, str], ...] = (
    ("Won't", r"\b(do not|don't|does not|doesn't|won't|will not) need\b|\bnot (in )?this (phase|year)\b|"
              r"\bout of scope\b|\bwill not\b|\bwon't\b|\bnot now\b|\blater phase\b"),
    ("Could", r"\bnice to have\b|\bwould be nice\b|\bcould\b|\bif (it is|it's) easy\b|\bbonus\b"),
    ("Should", r"\bshould\b|\bwould (really )?like\b|\bimportant\b|\bprefer"),
    ("Must", r"\bmust\b|\bneeds? to\b|\bha(ve|s) to\b|\bessential\b|\brequired?\b|\bnon-negotiable\b|"
             r"\bmandatory\b|\bcritical\b"),
)


def find_vague(text: str) -> list[str]:
    """The vague terms in ``text`` (canonical names from :data:`VAGUE_TERMS`), in order of appearance.

    >>> find_vague("Alarms must be fast and the dashboard user-friendly.")
    ['fast', 'user-friendly']
    >>> find_vague("An SMS within 5 minutes of a freezer above -18 C.")
    []
    """
    found: list[tuple[int, str]] = []
    for term in VAGUE_TERMS:
        match = re.search(term.pattern, str(text), flags=re.I)
        if match:
            found.append((match.start(), term.term))
    return [term for _, term in sorted(found)]


def clarifying_question(term: str, statement: str = "") -> str:
    """The question that turns a vague ``term`` into something measurable, after the need in the customer's words.

    The need is quoted without its priority words (see :func:`strip_cue`), so the customer recognises it.

    >>> clarifying_question("fast", "They must get fast alarms.")
    'You asked to "get fast alarms". Within how many minutes (or seconds) must it happen, counted from which event, and who must it reach?'
    """
    if term not in _TERMS:
        raise ValueError(f"unknown vague term {term!r}; known terms: {', '.join(_TERMS)}")
    need = strip_cue(statement).rstrip(".")
    if not need:
        return _TERMS[term].question
    return f'You asked to "{need[:1].lower() + need[1:]}". {_TERMS[term].question}'


def is_measurable(text: str) -> bool:
    """True if ``text`` states a quantity with a unit (a number of minutes, %, C, GBP, sensors, a date...).

    >>> is_measurable("Keep 2 years of records")
    True
    >>> is_measurable("Keep enough history for the auditors")
    False
    """
    return bool(_QUANTITY.search(str(text)))


def quantities(text: str) -> pd.DataFrame:
    """Every quantity with a unit in ``text``, in order: ``value`` (a number), ``unit`` and the ``phrase`` found.

    Money has the unit ``GBP``; clock times and dates have ``value`` NaN and the unit ``time`` or ``date``.

    >>> quantities("96 motors and 14 boards: 110 sensors in total, every 5 minutes, £6,000")[["value", "unit"]].values.tolist()
    [[96.0, 'motors'], [14.0, 'boards'], [110.0, 'sensors'], [5.0, 'minutes'], [6000.0, 'GBP']]
    """
    rows = []
    for match in _QUANTITY.finditer(str(text)):
        phrase = match.group(0).strip()
        if phrase.startswith("£"):
            rows.append((float(phrase[1:].strip().replace(",", "")), "GBP", phrase))
        elif re.fullmatch(r"\d{1,2}:\d{2}", phrase):
            rows.append((float("nan"), "time", phrase))
        elif re.fullmatch(r"20\d\d-\d\d-\d\d|\d{1,2} [A-Za-z]+ 20\d\d", phrase):
            rows.append((float("nan"), "date", phrase))
        else:
            number = re.match(r"[-+]?\d[\d,]*(\.\d+)?", phrase)
            unit = phrase[number.end():].strip(" -").split()[-1] if phrase[number.end():].strip(" -") else ""
            rows.append((float(number.group(0).replace(",", "")), unit, phrase))
    return pd.DataFrame(rows, columns=["value", "unit", "phrase"])


def requirement_type(text: str) -> str:
    """``"non-functional"`` when the statement is about how well, how fast, how long, how safe or how much;
    otherwise ``"functional"`` (something the solution does). A rule of thumb: check the result.

    >>> requirement_type("Send an SMS when a freezer is too warm")
    'functional'
    >>> requirement_type("Keep 3 years of readings")
    'non-functional'
    """
    return "non-functional" if _NON_FUNCTIONAL.search(str(text)) else "functional"


def moscow(text: str) -> tuple[str, str]:
    """(priority, cue): the MoSCoW priority the customer's words imply, and the words that decided it.

    With no cue at all the priority is ``"Should"`` and the cue says to confirm it with the customer.

    >>> moscow("They must keep 2 years of records.")
    ('Must', 'must')
    >>> moscow("Nice to have: a league table.")
    ('Could', 'Nice to have')
    >>> moscow("Not this phase: they do not need to track the vans yet.")
    ("Won't", 'Not this phase')
    """
    for priority, pattern in _MOSCOW_CUES:
        match = re.search(pattern, str(text), flags=re.I)
        if match:
            return priority, match.group(0)
    return "Should", "(no cue: confirm the priority)"


_CUE_PREFIXES = (
    r"^(important|essential|non-negotiable|nice to have|not this phase|out of scope for now|not now)\b[^:]*:\s*",
    r"^it would be nice if (they|we) could\s+",
    r"^if it is easy,?\s+(they|we) could( also)?\s+",
    r"^(they|we)\s+(must|should|could|need to|needs to|have to|has to|would (really )?like to|want to|"
    r"do not need to|don't need to|will not|won't)\s+(also\s+)?",
)
_CUE_SUFFIXES = (r";?\s*this is non-negotiable$", r"\s+(yet|this year)$")


def strip_cue(statement: str) -> str:
    """The need itself, without the words that only set its priority ("They must", "Nice to have:", "yet").

    >>> strip_cue("Important, but not a show-stopper: they want to raise a work order in SAP.")
    'Raise a work order in SAP.'
    >>> strip_cue("They need to keep 2 years of records; this is non-negotiable.")
    'Keep 2 years of records.'
    """
    text = _clean(statement).rstrip(".")
    changed = True
    while changed:
        before = text
        for pattern in _CUE_PREFIXES:
            text = re.sub(pattern, "", text, flags=re.I)
        for pattern in _CUE_SUFFIXES:
            text = re.sub(pattern, "", text, flags=re.I)
        changed = text != before
    text = text.strip()
    return (text[:1].upper() + text[1:] + ".") if text else ""


# -- the notes of a discovery call --------------------------------------------------------------------
def _section(text: str, heading: str) -> str | None:
    """The body of the first Markdown section whose heading matches ``heading`` (a regex), or None."""
    lines = str(text).splitlines()
    start = None
    level = 0
    for i, line in enumerate(lines):
        match = re.match(r"^(#+)\s+(.*)$", line)
        if match and start is None and re.search(heading, match.group(2), flags=re.I):
            start, level = i + 1, len(match.group(1))
        elif match and start is not None and len(match.group(1)) <= level:
            return "\n".join(lines[start:i])
    return "\n".join(lines[start:]) if start is not None else None


def _clean(statement: str) -> str:
    return re.sub(r"\s+", " ", statement).strip()


def parse_notes(text: str) -> pd.DataFrame:
    """One row per numbered need in the notes' "What they need" section (the whole text if there is none).

    Columns: ``req_id`` (REQ-01 ...), ``note`` (the note's number), ``statement``, ``type``, ``moscow``,
    ``cue`` (the words that set the priority), ``measurable``, ``vague`` (vague terms, comma-separated,
    empty if none).

    >>> parse_notes("1. They need to log door openings.").iloc[0][["req_id", "type", "moscow"]].tolist()
    ['REQ-01', 'functional', 'Must']
    """
    body = _section(text, r"need|requirement")
    body = text if body is None else body
    rows = []
    for line in str(body).splitlines():
        match = re.match(r"^\s*(\d+)[.)]\s+(.*\S)\s*$", line)
        if not match:
            continue
        note, statement = int(match.group(1)), _clean(match.group(2))
        priority, cue = moscow(statement)
        rows.append({
            "req_id": f"REQ-{len(rows) + 1:02d}", "note": note, "statement": statement,
            "type": requirement_type(statement), "moscow": priority, "cue": cue,
            "measurable": is_measurable(statement), "vague": ", ".join(find_vague(statement)),
        })
    columns = ["req_id", "note", "statement", "type", "moscow", "cue", "measurable", "vague"]
    return pd.DataFrame(rows, columns=columns)


def parse_answers(text: str) -> dict[int, str]:
    """The customer's answers in the notes' "Answers" section: ``{note number: answer}``.

    An answer is a bullet line ``- Note 3 (fast): An SMS within 10 minutes ...``.

    >>> parse_answers('''## Answers to our questions
    ... - Note 2 (fast): An SMS within 10 minutes of a freezer above -18 C.
    ... ''')
    {2: 'An SMS within 10 minutes of a freezer above -18 C.'}
    """
    body = _section(text, r"answer")
    if body is None:
        return {}
    answers: dict[int, str] = {}
    for line in body.splitlines():
        match = re.match(r"^\s*[-*]\s+Note\s+(\d+)\s*(?:\([^)]*\))?\s*:\s*(.*\S)\s*$", line, flags=re.I)
        if match:
            answers[int(match.group(1))] = _clean(match.group(2))
    return answers


def agree(requirements: pd.DataFrame, answers: Mapping[int, str]) -> pd.DataFrame:
    """Add what was agreed: an ``acceptance_criterion`` and a ``status`` (``agreed`` or ``open``) per row.

    * A vague requirement the customer answered takes the answer as its criterion (``agreed``).
    * A vague requirement without an answer stays ``open``; ``question`` holds what to ask.
    * A requirement that was clear already is its own criterion, without its priority words (``agreed``).

    >>> reqs = parse_notes("1. They must get fast alarms.\\n2. They should keep 2 years of records.")
    >>> agree(reqs, {1: "An SMS within 5 minutes."})[["note", "status", "acceptance_criterion"]].values.tolist()
    [[1, 'agreed', 'An SMS within 5 minutes.'], [2, 'agreed', 'Keep 2 years of records.']]
    """
    table = requirements.copy()
    criteria, statuses, questions = [], [], []
    for row in table.itertuples(index=False):
        terms = [t.strip() for t in str(row.vague).split(",") if t.strip()]
        answer = answers.get(int(row.note))
        if terms and answer:
            criteria.append(answer)
            statuses.append("agreed")
            questions.append("")
        elif terms:
            criteria.append("")
            statuses.append("open")
            questions.append(" ".join(clarifying_question(t, row.statement) for t in terms))
        else:
            criteria.append(strip_cue(row.statement))
            statuses.append("agreed")
            questions.append("")
    table["acceptance_criterion"] = criteria
    table["status"] = statuses
    table["question"] = questions
    return table


# -- the summary the customer signs off ---------------------------------------------------------------
def markdown_table(frame: pd.DataFrame) -> str:
    """A DataFrame as a Markdown table (pipes in cells escaped), without extra dependencies.

    >>> print(markdown_table(pd.DataFrame({"a": [1], "b": ["x|y"]})))
    | a | b |
    |---|---|
    | 1 | x\\|y |
    """
    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    header = "| " + " | ".join(map(cell, frame.columns)) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


def _ordered(agreed: pd.DataFrame) -> pd.DataFrame:
    order = {p: i for i, p in enumerate(MOSCOW)}
    return agreed.assign(_o=agreed["moscow"].map(order)).sort_values(["_o", "note"], kind="mergesort")


def summary_markdown(agreed: pd.DataFrame, customer: str, title: str = "Requirements summary",
                     prepared_by: str = "", context: str = "", sign_off: Iterable[str] = ()) -> str:
    """A requirements summary in Markdown that a customer can read and sign off.

    ``agreed`` is the result of :func:`agree`. Agreed requirements are grouped by MoSCoW with their
    acceptance criteria; open points are listed with the question that closes them; the last section
    has a line for each person in ``sign_off`` (default: the customer and Kestrel).

    >>> reqs = agree(parse_notes("1. They must monitor 12 freezers."), {})
    >>> print(summary_markdown(reqs, "Acme Foods").splitlines()[0])
    # Requirements summary: Acme Foods
    """
    required = {"req_id", "statement", "type", "moscow", "acceptance_criterion", "status", "question"}
    missing = required - set(agreed.columns)
    if missing:
        raise ValueError(f"the table is missing {sorted(missing)}: pass the result of requirements.agree(...)")
    ordered = _ordered(agreed)
    done = ordered[ordered["status"] == "agreed"]
    still_open = ordered[ordered["status"] != "agreed"]
    parts = [f"# {title}: {customer}", ""]
    if prepared_by:
        parts += [f"Prepared by {prepared_by}.", ""]
    if context:
        parts += [context.strip(), ""]
    parts += ["## Agreed requirements", "",
              f"{len(done)} requirements are agreed. Each has an acceptance criterion: the test that shows it is met.", ""]
    for priority in MOSCOW:
        group = done[done["moscow"] == priority]
        if group.empty:
            continue
        label = {"Must": "Must have", "Should": "Should have", "Could": "Could have",
                 "Won't": "Won't have (this phase)"}[priority]
        parts += [f"### {label}", "",
                  markdown_table(group[["req_id", "type", "acceptance_criterion"]].rename(columns={
                      "req_id": "ID", "type": "Type", "acceptance_criterion": "Acceptance criterion"})), ""]
    parts += ["## Open questions", ""]
    if still_open.empty:
        parts += ["None: every requirement is agreed.", ""]
    else:
        parts += [f"- **{r.req_id}** ({r.moscow}): {r.question}" for r in still_open.itertuples(index=False)]
        parts += [""]
    names = list(sign_off) or [f"For {customer}", "For Kestrel Telemetry Ltd"]
    parts += ["## Sign-off", "", "By signing, both parties agree that the requirements above are complete and "
              "correct for this phase, and that the open questions will be answered before the proposal.", ""]
    parts += [f"- {name}: name ____________________  signature ____________________  date __________" for name in names]
    return "\n".join(parts) + "\n"


def summary_html(agreed: pd.DataFrame, customer: str, title: str = "Requirements summary",
                 prepared_by: str = "", context: str = "", sign_off: Iterable[str] = ()) -> str:
    """The same summary as :func:`summary_markdown`, as a stand-alone HTML page (for email or print).

    >>> reqs = agree(parse_notes("1. They must monitor 12 freezers."), {})
    >>> "<h1>Requirements summary: Acme Foods</h1>" in summary_html(reqs, "Acme Foods")
    True
    """
    markdown = summary_markdown(agreed, customer, title, prepared_by, context, sign_off)
    body: list[str] = []
    table: list[list[str]] = []
    items: list[str] = []

    def flush() -> None:
        if table:
            head, *rest = table
            body.append("<table><thead><tr>" + "".join(f"<th>{c}</th>" for c in head) + "</tr></thead><tbody>"
                        + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rest)
                        + "</tbody></table>")
            table.clear()
        if items:
            body.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
            items.clear()

    def inline(text: str) -> str:
        return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", html.escape(text))

    for line in markdown.splitlines():
        if line.startswith("|"):
            if items:
                flush()
            if re.match(r"^\|(-+\|)+$", line):
                continue
            cells = [inline(c.strip().replace("\\|", "|")) for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            table.append(cells)
            continue
        if line.startswith("- "):
            if table:
                flush()
            items.append(inline(line[2:]))
            continue
        flush()
        heading = re.match(r"^(#+)\s+(.*)$", line)
        if heading:
            level = len(heading.group(1))
            body.append(f"<h{level}>{inline(heading.group(2))}</h{level}>")
        elif line.strip():
            body.append(f"<p>{inline(line)}</p>")
    flush()
    style = ("body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse}"
             "td,th{border:1px solid #999;padding:4px 8px;text-align:left;vertical-align:top}")
    return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{html.escape(title)}: "
            f"{html.escape(customer)}</title><style>{style}</style></head>\n<body>\n" + "\n".join(body)
            + "\n</body></html>\n")


def export(text: str, name: str, folder: str | Path | None = None) -> Path:
    """Write a summary to ``folder/name`` (default folder: the trainee's own ``SSUP_HOME/exports``).

    Returns the path written. ``name`` is a plain file name such as ``"DSC-01_requirements.html"``.

    >>> export("# Hello", "hello.md").name
    'hello.md'
    """
    if Path(name).name != name or not name.strip():
        raise ValueError(f"give a plain file name such as 'summary.md', not {name!r}")
    if folder is None:
        from ssup.config import home_dir

        folder = home_dir() / "exports"
    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return path
