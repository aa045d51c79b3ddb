"""Level 3 questions: clarifying requirements (3.1), contributing to bids (3.2), advising on complex products (3.3).

The exercise works on documents the lesson did not use: discovery call DSC-02 (machine condition and
energy monitoring), RFP-02 (a pharmaceutical distributor's tender) and presales' draft answer to it.
Every expected answer is computed from the data when the check runs, so the questions stay right
for a data set generated with another seed.
"""

from __future__ import annotations

import math
import re
from typing import Any, Callable

import numpy as np
import pandas as pd

from ssup import bids, checks, requirements, sizing
from ssup.checks import Fact, money_patterns
from ssup.data import load, text
from ssup.exercise import Question, Verdict, correct, incorrect, unattempted

CALL = "presales/discovery_DSC-02"
RFP = "presales/rfp_RFP-02"
DRAFT = "presales/proposal_RFP-02_draft"
#: The four quantitative requirements of RFP-02 that question 7 asks about.
COMPLIANCE_REFS = ("3.2", "4.2", "4.3", "5.1")
STATUS_OPTIONS = ("comply", "partial", "non-comply")
#: KB-0043's figure for steel-framed halls: one indoor gateway per 5,000 m2.
M2_PER_GATEWAY = 5_000

# -- facts from the data ---------------------------------------------------------------------------


def _notes() -> str:
    return text(CALL)


def _reqs() -> pd.DataFrame:
    return requirements.parse_notes(_notes())


def _answers() -> dict[int, str]:
    return requirements.parse_answers(_notes())


def _customer() -> str:
    return _notes().splitlines()[0].split(": ", 1)[1].strip()


def _vague_notes() -> list[int]:
    reqs = _reqs()
    return [int(n) for n in reqs.loc[reqs["vague"] != "", "note"]]


def _open_note() -> int:
    return [n for n in _vague_notes() if n not in _answers()][0]


def _must_notes() -> list[int]:
    reqs = _reqs()
    return [int(n) for n in reqs.loc[reqs["moscow"] == "Must", "note"]]


def _quantity(answer: str, unit_start: str) -> float:
    found = requirements.quantities(answer)
    values = found.loc[found["unit"].str.lower().str.startswith(unit_start), "value"]
    return float(values.iloc[-1])


def dsc02_facts() -> dict[str, float]:
    """The numbers DSC-02 agreed: sensors, reporting interval (minutes), retention (years), plants, floor area
    per plant (m2) and the Power BI refresh interval (minutes)."""
    answers, notes = _answers(), _notes()
    plants = re.search(r"runs (\d+) plants? of about ([\d,]+) m2", notes)
    refresh = re.search(r"refreshed every (\d+) minutes?", notes)
    return {
        "devices": _quantity(answers[1], "sensor"),
        "interval_min": _quantity(answers[3], "minute"),
        "retention_years": _quantity(answers[4], "year"),
        "sites": float(plants.group(1)),
        "area_m2": float(plants.group(2).replace(",", "")),
        "refresh_min": float(refresh.group(1)),
    }


def _sizing_inputs() -> tuple[float, float, float]:
    f = dsc02_facts()
    devices = f["devices"]
    return devices, sizing.messages_per_day(devices, f["interval_min"] * 60), f["retention_years"] * 365


def _dsc02_tier() -> str:
    devices, per_day, retention = _sizing_inputs()
    return str(sizing.choose_tier(devices, per_day, retention, features=("rest_api",)))


def _dsc02_gateways_per_site() -> int:
    f = dsc02_facts()
    per_site = math.ceil(f["devices"] / f["sites"])
    return sizing.gateways_needed(per_site, f["interval_min"] * 60, "GW-LRW-IN", area_m2_per_site=f["area_m2"],
                                  m2_per_gateway=M2_PER_GATEWAY)


def _dsc02_gateways() -> int:
    return int(_dsc02_gateways_per_site() * dsc02_facts()["sites"])


def _rfp() -> pd.DataFrame:
    return bids.split_requirements(text(RFP))


def _products() -> pd.DataFrame:
    return load("products").set_index("product_id")


def _probe_range() -> tuple[float, float]:
    description = _products().loc["SNS-TMP-200", "description"]
    low, high = re.search(r"\((-?\d+) to \+?(-?\d+) C\)", description).groups()
    return float(low), float(high)


def expected_compliance() -> dict[str, str]:
    """The status of each requirement in :data:`COMPLIANCE_REFS`, by the rules in the question's prompt."""
    rows = _rfp().set_index("ref")["text"]
    p = _products()
    tiers = p[p["category"] == "platform"]
    plans = p[p["category"] == "support"]
    probe = bids.threshold(rows["3.2"])[0]
    years = bids.threshold(rows["4.2"])[0]
    battery = bids.threshold(rows["4.3"])[0]
    minutes = bids.threshold(rows["5.1"])[0]
    return {
        "3.2": "comply" if probe >= _probe_range()[0] else "non-comply",
        "4.2": "comply" if years * 365 <= tiers["retention_days"].max() else "partial",
        "4.3": "comply" if battery <= p.loc["SNS-TMP-200", "battery_life_years"] else "non-comply",
        "5.1": "comply" if minutes >= plans["p1_response_hours"].min() * 60 else "non-comply",
    }


def _contradicted_products() -> list[str]:
    claims = bids.check_claims(text(DRAFT), load("products"))
    return sorted(set(claims.loc[claims["contradicts"], "product_id"]))


# -- graders written for this level ----------------------------------------------------------------------


def _is_whole(value: Any) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, np.integer)):
        return True
    return isinstance(value, (float, np.floating)) and float(value).is_integer()


def _note_list(expected: Callable[[], list[int]], why_not: Callable[[int], str], what: str,
               mistakes: checks.Mistakes = ()) -> Callable[[Any], Verdict]:
    """Grade a list of note numbers; a wrong note gets a reason from ``why_not`` (about that note only)."""

    def grade(value: Any) -> Verdict:
        if isinstance(value, (pd.Series, pd.Index, np.ndarray)):
            value = value.tolist()
        if isinstance(value, str) or not isinstance(value, (list, tuple, set)):
            return incorrect(f"You gave {checks.describe(value)}; the answer should be a list of note numbers, "
                             "like [1, 4].")
        items = list(value)
        if not all(_is_whole(v) for v in items):
            odd = next(v for v in items if not _is_whole(v))
            return incorrect(f"Your list contains {checks.describe(odd)}: give the note numbers as whole numbers, "
                             "like [1, 4].")
        given = [int(v) for v in items]
        if len(set(given)) != len(given):
            return incorrect("Your list has repeated notes: list each note once.")
        target = sorted(expected())
        if sorted(given) == target:
            return correct(f"All {len(target)} {what} are right.")
        for test, message in mistakes:
            if test(sorted(given)):
                return incorrect(message)
        notes = set(_reqs()["note"])
        unknown = [n for n in given if n not in notes]
        if unknown:
            return incorrect(f"There is no note {unknown[0]} in DSC-02: its needs are numbered "
                             f"{min(notes)} to {max(notes)}.")
        extra = [n for n in sorted(given) if n not in target]
        if extra:
            return incorrect(f"Note {extra[0]} is in your list, but {why_not(extra[0])}")
        return incorrect(f"Your list has {len(given)} notes, but {len(target) - len(given)} more belong in it.")

    return grade


def _statement(note: int) -> str:
    reqs = _reqs().set_index("note")
    return str(reqs.loc[note, "statement"])


def _not_vague(note: int) -> str:
    return (f"it says something a person can check (\"{_statement(note)}\"): no word in it needs a number "
            "before it can be tested.")


def _not_must(note: int) -> str:
    row = _reqs().set_index("note").loc[note]
    return (f"the customer's words (\"{row['cue']}\") make it a {row['moscow']}, not a Must: read the cue words "
            "of each note again.")


def _grade_compliance(value: Any) -> Verdict:
    if not isinstance(value, dict):
        return incorrect(f"You gave {checks.describe(value)}; the answer should be a dict like "
                         "{'3.2': 'comply', '4.2': '...', ...}.")
    if all(v is ... for v in value.values()):
        return unattempted("Replace each ... with comply, partial or non-comply, run the cell, then check again.")
    keys = {str(k).strip(): v for k, v in value.items()}
    missing = [r for r in COMPLIANCE_REFS if r not in keys]
    if missing:
        return incorrect(f"Your dict has no status for requirement {', '.join(missing)}: give one for each of "
                         f"{', '.join(COMPLIANCE_REFS)}.")
    given = {}
    for ref in COMPLIANCE_REFS:
        status = keys[ref]
        normal = str(status).strip().lower().replace("_", "-").replace(" ", "-") if isinstance(status, str) else ""
        normal = {"noncomply": "non-comply", "non-compliant": "non-comply", "partially-comply": "partial",
                  "partly": "partial"}.get(normal, normal)
        if normal not in STATUS_OPTIONS:
            return incorrect(f"For requirement {ref} you gave {checks.describe(status)}; choose one of: "
                             f"{', '.join(STATUS_OPTIONS)}.")
        given[ref] = normal
    wanted = expected_compliance()
    wrong = [ref for ref in COMPLIANCE_REFS if given[ref] != wanted[ref]]
    if not wrong:
        return correct("All four statuses are right, and each rests on a figure from the catalogue.")
    compare = {
        "3.2": "the temperature the RFP asks the probes to reach with the probe range in the T2's description",
        "4.2": "the years the RFP asks for (x 365) with the longest retention_days of any Kestrel Cloud tier",
        "4.3": "the years the RFP asks for with the T2's battery_life_years (rated at its default 5-minute interval)",
        "5.1": "the minutes the RFP asks for with the fastest P1 response of any support plan (hours x 60)",
    }
    first = wrong[0]
    return incorrect(f"{len(wrong)} of 4 are not right yet. For {first} you chose {given[first]!r}: compare "
                     f"{compare[first]}, then apply the rules in the prompt.")


def _grade_tier(value: Any) -> Verdict:
    tiers = sizing.tier_table()["product_id"].tolist()
    if not isinstance(value, str) or value.strip().upper() not in tiers:
        return incorrect(f"You gave {checks.describe(value)}; choose one of: {', '.join(tiers)}.")
    choice = value.strip().upper()
    expected = _dsc02_tier()
    if choice == expected:
        return correct(f"{choice} is the cheapest tier that carries every agreed need.")
    devices, per_day, retention = _sizing_inputs()
    gaps = sizing.tier_gaps(choice, devices, per_day, retention, features=("rest_api",))
    if gaps:
        return incorrect(f"{choice} does not fit what DSC-02 agreed: {'; '.join(gaps)}.")
    return incorrect(f"{choice} fits, but a cheaper tier fits too: advise the cheapest tier that meets every agreed "
                     "need, and mention the bigger one only as an option.")


def _grade_summary(value: Any) -> Verdict:
    if not isinstance(value, str):
        return incorrect(f"You gave {checks.describe(value)}; the summary should be text (a Markdown string).")
    if not value.strip():
        return unattempted("Your summary is empty: build it and put the Markdown text in summary_md.")
    lowered = value.lower()
    customer = _customer()
    if customer.lower() not in lowered:
        return incorrect(f"Your summary does not name the customer ({customer}): the person signing must see "
                         "whose requirements these are.")
    position = lowered.find("open question")
    if position < 0:
        return incorrect("Your summary has no 'Open questions' section: the customer must see what is still "
                         "undecided before signing.")
    agreed_part, open_part = value[:position], value[position:]
    vague = requirements.find_vague(agreed_part)
    if vague:
        return incorrect(f"The agreed part of your summary still uses vague words ({', '.join(vague)}): agreed "
                         "requirements take the customer's answers as their acceptance criteria.")
    agreed = requirements.agree(_reqs(), _answers())
    flat = re.sub(r"\s+", " ", agreed_part)
    for row in agreed[agreed["status"] == "agreed"].itertuples(index=False):
        if row.req_id not in agreed_part and re.sub(r"\s+", " ", row.acceptance_criterion) not in flat:
            return incorrect(f"Your agreed requirements leave out note {row.note} (or its acceptance criterion): "
                             "every agreed need belongs in the summary, Won't-haves included.")
    for note, answer in _answers().items():
        phrases = requirements.quantities(answer)["phrase"].tolist()
        if phrases and not all(p in agreed_part for p in phrases):
            return incorrect(f"Your summary does not yet use the customer's answer to note {note} as its "
                             "acceptance criterion (its figures are missing).")
    row = agreed.set_index("note").loc[_open_note()]
    if row["req_id"] not in open_part and row["statement"] not in open_part:
        return incorrect("Your open questions do not list the vague need the customer has not answered yet.")
    if not re.search(r"sign[- ]?off|signature|signed", lowered):
        return incorrect("Your summary has no sign-off section: leave room for the customer and Kestrel to sign.")
    return correct("Your summary has every agreed requirement with its criterion, the open question and a sign-off.")


# -- facts for the writing tasks ----------------------------------------------------------------------------

_YES_NO = Fact("a yes/no question the customer can answer without a number (\"Do you want ...?\")",
               (r"^\W*(do|does|would|will|is|are|can|could|should|shall)\s+(you|it|they|the|this|we)\b",))
_VAGUE_WORDS = Fact("vague marketing words (seamless, easy, user-friendly, fast, ...)",
                    (r"\bseamless(ly)?\b", r"\beas(y|ily)\b", r"\buser[- ]friendly\b", r"\bfast\b", r"\binstant(ly)?\b",
                     r"\breal[- ]time\b", r"\brobust\b"))


def _question_required() -> list[Fact]:
    return [
        Fact("a question mark (it must be a question)", (r"\?",)),
        Fact("what the note is about (readings, sensors or the condition of the machines)",
             (r"\bread(ing|ings)\b", r"\bsensors?\b", r"\bmachines?\b", r"\bcondition\b", r"\bdata\b")),
        Fact("the unit that makes it measurable (minutes or seconds, or how often / how old)",
             (r"\bminutes?\b", r"\bseconds?\b", r"\bhow often\b", r"\bhow old\b", r"\binterval\b")),
    ]


def _question_forbidden() -> list[Fact]:
    return [_YES_NO, Fact("the vague word as the thing to measure (\"how real-time ...?\")",
                          (r"\bhow real[- ]time\b", r"\bhow (fast|quick|live)\b"))]


def _warning_numbers() -> tuple[str, str]:
    answer = _answers()[2]
    minutes = re.search(r"within (\d+) minutes", answer).group(1)
    velocity = re.search(r"(\d+(?:\.\d+)?) mm/s", answer).group(1)
    return minutes, velocity


def _warning_required() -> list[Fact]:
    minutes, velocity = _warning_numbers()
    return [
        Fact("a requirement word (shall or must)", (r"\bshall\b", r"\bmust\b")),
        Fact("who receives the warning (the maintenance planner)", (r"maintenance planner",)),
        Fact("how it is sent (SMS and email)", (r"\bSMS\b.*\be-?mail\b|\be-?mail\b.*\bSMS\b",)),
        Fact(f"the agreed time limit ({minutes} minutes)", (rf"(?<![\d.]){minutes}\s*(-\s*)?min(ute)?s?\b",)),
        Fact(f"the agreed threshold ({velocity} mm/s)", (rf"(?<![\d.]){re.escape(velocity)}\s*mm/s",)),
    ]


def _warning_forbidden() -> list[Fact]:
    minutes, _ = _warning_numbers()
    return [Fact("a vague word (fast, quick, real time ...)", tuple(t.pattern for t in requirements.VAGUE_TERMS)),
            Fact("a time limit the customer did not agree", (rf"within (?!{minutes}\b)\d+\s*min",))]


def _erp_required() -> list[Fact]:
    p = _products()
    price = float(p.loc["SVC-INT-ERP", "list_price_gbp"])
    return [
        Fact("whether we comply (for example 'Comply:' or 'We fully meet')", (r"\bcompl(y|ies|iant|iance)\b", r"\bmeets?\b")),
        Fact("the service that delivers it (ERP Integration, SVC-INT-ERP)", (r"SVC-INT-ERP", r"ERP Integration")),
        Fact("the customer's system (SAP S/4HANA)", (r"S/?4\s?HANA", r"\bSAP\b")),
        Fact(f"the service's list price (£{price:,.2f})", money_patterns(price)),
        Fact("the Kestrel Cloud tier whose REST API it uses (Professional or Enterprise)",
             (r"PLT-(PRO|ENT)\b", r"\bProfessional\b", r"\bEnterprise\b")),
    ]


def _erp_forbidden() -> list[Fact]:
    p = _products()
    erp = float(p.loc["SVC-INT-ERP", "list_price_gbp"])
    others = [Fact(f"the price of another service ({p.loc[pid, 'name']}, £{float(p.loc[pid, 'list_price_gbp']):,.2f})",
                   money_patterns(float(p.loc[pid, "list_price_gbp"])))
              for pid in ("SVC-INT-SCADA", "SVC-INT-MQTT", "SVC-DASH") if abs(float(p.loc[pid, "list_price_gbp"]) - erp) > 0.005]
    return [_VAGUE_WORDS, *others]


def _number_forms(value: float) -> tuple[str, ...]:
    """Patterns for a figure written as 7, 7.3, 7.33 or 8 (rounded either way), or with thousands commas."""
    forms = {f"{math.floor(value):,}", f"{math.ceil(value):,}", f"{math.floor(value)}", f"{math.ceil(value)}",
             f"{value:.1f}", f"{value:.2f}", f"{round(value):,}"}
    return tuple(rf"(?<![\d.,]){re.escape(form)}(?![\d,]|\.\d)" for form in sorted(forms))


def _bi_calls() -> float:
    f = dsc02_facts()
    return sizing.api_calls_per_minute(f["devices"], f["refresh_min"] * 60)


def _bi_required() -> list[Fact]:
    tier = _dsc02_tier()
    limit = int(_products().loc[tier, "api_calls_per_minute"])
    calls = _bi_calls()
    return [
        Fact(f"what polling sensor by sensor would need ({calls:,.4g} calls a minute)", _number_forms(calls)),
        Fact(f"the API limit of the tier you advise ({tier}: {limit:,} calls a minute)", _number_forms(limit)),
        Fact("a better way than polling sensor by sensor (MQTT forwarding, or reading up to 200 devices per call)",
             (r"\bMQTT\b", r"\bbatch", r"\b200\b", r"/v2/readings", r"many (devices|sensors) (per|in one|in each) call")),
    ]


def _bi_forbidden() -> list[Fact]:
    tier = _dsc02_tier()
    p = _products()
    tiers = p[p["category"] == "platform"]
    mine = int(tiers.loc[tier, "api_calls_per_minute"])
    others = sorted({int(v) for v in tiers["api_calls_per_minute"] if int(v) != mine})
    return [Fact(f"another tier's API limit ({v:,} calls a minute) as if it applied here",
                 (rf"(?<![\d.,]){v:,}(?![\d,])\s*(API\s+)?calls", rf"(?<![\d.,]){v}(?![\d,])\s*(API\s+)?calls"))
            for v in others]


# -- 3.1 helping the customer clarify requirements -----------------------------------------------------------

q1 = Question(
    id="L3.q1", title="Which needs in DSC-02 are vague?", behaviours=("3.1",), answer="vague_notes",
    prompt="List the numbers of the notes in DSC-02's 'What they need' whose wording cannot be tested as it stands.",
    grader=_note_list(_vague_notes, _not_vague, "vague notes", mistakes=[
        (lambda v: sorted(v) == sorted(_answers()),
         "Those are the notes the customer has answered; one vague need is still waiting for an answer, and it is "
         "just as vague.")]),
    hints=("A need is vague when it has a word nobody can test at acceptance: 'fast', 'lots of', 'real time', "
           "'easy to use', 'secure' ... Precise needs have a number and a unit, or a clear yes/no test.",
           "requirements.parse_notes(notes) gives one row per note; keep the rows whose 'vague' column is not "
           "empty and take their 'note' numbers."),
    solution_code=('reqs = requirements.parse_notes(notes)\n'
                   'vague_notes = reqs.loc[reqs.vague != "", "note"].tolist()'),
)

q2 = Question(
    id="L3.q2", title="A clarifying question for 'real time'", behaviours=("3.1", "3.3"), answer="clarifying_question",
    prompt=("Note 3 of DSC-02 asks to 'see the condition of every machine in real time'. Write the clarifying "
            "question you send the customer: one that they can only answer with a number."),
    grader=checks.writing(_question_required, _question_forbidden, min_words=8, max_words=80, subject="question"),
    hints=("'Real time' means different things to different people: for a vibration trend, 5 minutes is real time; "
           "for a safety trip, 1 second is too slow. Ask for the number that decides the design.",
           "Ask how many minutes old a reading may be, or how often each sensor must report, and name what it is "
           "about (the machines' readings). Avoid yes/no questions such as 'Do you need real time?'."),
    solution_code=('clarifying_question = ("You said you want to see the condition of every machine in real time. "\n'
                   '                       "How many minutes old may a reading be when a technician looks at it: "\n'
                   '                       "would a reading from each sensor every 5 or 15 minutes be enough?")'),
)

q3 = Question(
    id="L3.q3", title="The Must-haves of DSC-02", behaviours=("3.1",), answer="must_notes",
    prompt="List the numbers of the DSC-02 notes that are Must-haves (MoSCoW), judged by the customer's own words.",
    grader=_note_list(_must_notes, _not_must, "Must-have notes"),
    hints=("MoSCoW follows the customer's words: 'must', 'need to', 'have to' are Musts; 'should', 'would really "
           "like', 'important, but not a show-stopper' are Shoulds; 'nice to have', 'could' are Coulds; 'not this "
           "phase', 'out of scope' are Won'ts.",
           "requirements.parse_notes(notes) has a 'moscow' column (and a 'cue' column with the words that decided "
           "it): keep the rows where moscow == 'Must'."),
    solution_code='must_notes = reqs.loc[reqs.moscow == "Must", "note"].tolist()',
)

q4 = Question(
    id="L3.q4", title="Note 2 as an agreed, measurable requirement", behaviours=("3.1",),
    answer="warning_requirement",
    prompt=("Rewrite note 2 ('fast warnings when a bearing starts to fail') as one requirement statement that uses "
            "the customer's answer, so that it can be tested at acceptance."),
    grader=checks.writing(_warning_required, _warning_forbidden, min_words=12, max_words=80, subject="requirement"),
    hints=("A testable requirement says who gets what, how, and within which limit: 'The system shall ... within N "
           "minutes of ...'. The figures come from the customer's answer, not from you.",
           "requirements.parse_answers(notes)[2] is the customer's answer to note 2: keep its recipient, channels, "
           "time limit and vibration threshold, and drop the word 'fast'."),
    solution_code=('answer = requirements.parse_answers(notes)[2]\n'
                   'warning_requirement = "The system shall send " + answer[0].lower() + answer[1:]'),
)

q5 = Question(
    id="L3.q5", title="A requirements summary the customer can sign", behaviours=("3.1",), answer="summary_md",
    prompt=("Build the requirements summary of DSC-02 for sign-off (Markdown text in summary_md): every agreed "
            "requirement with its acceptance criterion, the open question, and a sign-off section."),
    grader=_grade_summary,
    hints=("Agree first, then summarise: requirements.agree(reqs, answers) gives each requirement its acceptance "
           "criterion (the customer's answer for a vague need) and marks what is still open.",
           "summary_md = requirements.summary_markdown(agreed, customer=..., prepared_by=...), with the customer's "
           "name from the first line of the notes."),
    solution_code=('answers = requirements.parse_answers(notes)\n'
                   'agreed = requirements.agree(reqs, answers)\n'
                   'customer = notes.splitlines()[0].split(": ", 1)[1]\n'
                   'summary_md = requirements.summary_markdown(agreed, customer=customer,\n'
                   '                                           prepared_by="Kestrel Presales")'),
)

# -- 3.2 contributing to bids and proposals ------------------------------------------------------------------

q6 = Question(
    id="L3.q6", title="How many requirements does RFP-02 contain?", behaviours=("3.2",),
    answer="rfp_requirement_count",
    prompt="How many requirement rows (one per sentence with shall, must or will) does RFP-02 give?",
    grader=checks.number(lambda: len(_rfp()), tolerance=0.1, mistakes=[
        (lambda v: v == _rfp()["clause"].nunique(),
         "That is the number of numbered clauses: some clauses hold two requirement sentences, and each is a row."),
        (lambda v: v == int((_rfp()["applies_to"] == "supplier").sum()),
         "You left out the buyer's own statements ('The Buyer will ...'): they are rows too, answered 'noted'."),
        (lambda v: v == int((_rfp()["keyword"] == "shall").sum()),
         "You counted only 'shall': sentences with 'must' or 'will' are requirements too.")]),
    hints=("Every sentence with shall, must or will is one row of the compliance matrix, even when two share a "
           "clause number (they become 3.4a and 3.4b).",
           "len(bids.split_requirements(rfp))"),
    solution_code="rfp_requirement_count = len(bids.split_requirements(rfp))",
)

q7 = Question(
    id="L3.q7", title="Comply, partial or non-comply?", behaviours=("3.2",), answer="compliance",
    prompt=("For RFP-02 requirements 3.2, 4.2, 4.3 and 5.1 give the status Kestrel can honestly claim: comply (a "
            "catalogue product meets the figure), partial (it does not, but a documented workaround covers the "
            "rest) or non-comply (nothing we sell meets it)."),
    grader=_grade_compliance,
    hints=("Find the figure each requirement asks for (bids.threshold(text) reads it), then the matching figure in "
           "products.csv: the T2's probe range is in its description; retention_days of the platform tiers; "
           "battery_life_years of SNS-TMP-200; p1_response_hours of the support plans.",
           "Raw data cannot stay online longer than the best tier's retention_days, but KB-0029 documents a monthly "
           "scheduled export to the customer's archive: that is a workaround. No product measures colder than the "
           "T2 probes, lasts longer than its rated battery, or answers faster than the fastest plan."),
    solution_code=('rows = bids.split_requirements(rfp).set_index("ref")["text"]\n'
                   'catalogue = products.set_index("product_id")\n'
                   'probe_min = -80   # from the T2 description: "PT1000 probes (-80 to +150 C)"\n'
                   'best_retention = catalogue.loc[catalogue.category == "platform", "retention_days"].max()\n'
                   'fastest_p1 = catalogue.loc[catalogue.category == "support", "p1_response_hours"].min() * 60\n'
                   'compliance = {\n'
                   '    "3.2": "comply" if bids.threshold(rows["3.2"])[0] >= probe_min else "non-comply",\n'
                   '    "4.2": "comply" if bids.threshold(rows["4.2"])[0] * 365 <= best_retention else "partial",\n'
                   '    "4.3": "comply" if bids.threshold(rows["4.3"])[0] <= catalogue.loc["SNS-TMP-200", '
                   '"battery_life_years"] else "non-comply",\n'
                   '    "5.1": "comply" if bids.threshold(rows["5.1"])[0] >= fastest_p1 else "non-comply",\n'
                   '}'),
)

q8 = Question(
    id="L3.q8", title="Draft the technical answer to 3.6 (SAP)", behaviours=("3.2", "3.3"), answer="answer_3_6",
    prompt=("Draft Kestrel's answer to RFP-02 requirement 3.6 (excursions sent to SAP S/4HANA to block stock): "
            "status, how we meet it, with which service and tier, and the service's list price."),
    grader=checks.writing(_erp_required, _erp_forbidden, min_words=25, max_words=150, subject="answer"),
    hints=("A technical answer starts with the status, then says how (which product or service does it), and "
           "gives evidence a buyer can check: product ids and catalogue figures. No marketing adjectives.",
           "The ERP Integration service (SVC-INT-ERP) connects to SAP S/4HANA through the REST API of Kestrel "
           "Cloud Professional or Enterprise; take its list_price_gbp from products.csv. bids.answer_section(...) "
           "lays it out."),
    solution_code=('erp = products.set_index("product_id").loc["SVC-INT-ERP"]\n'
                   'answer_3_6 = bids.answer_section(\n'
                   '    "3.6", "The system must send an excursion to SAP S/4HANA ...", "comply",\n'
                   '    f"Kestrel\'s {erp[\'name\']} service (SVC-INT-ERP, £{erp.list_price_gbp:,.2f}) connects Kestrel "\n'
                   '    "Cloud Enterprise (PLT-ENT) to SAP S/4HANA through its REST API: every excursion creates a "\n'
                   '    "stock block on the affected storage area, tested with the Buyer before go-live.",\n'
                   '    "products.csv (SVC-INT-ERP, PLT-ENT); KB-0045 on the REST API.")'),
)

q9 = Question(
    id="L3.q9", title="What does the draft proposal get wrong?", behaviours=("3.2",), answer="contradicted_products",
    prompt=("List the product ids about which presales' draft answer to RFP-02 makes at least one claim that "
            "contradicts the catalogue."),
    grader=checks.collection(_contradicted_products, item="product"),
    hints=("Check every figure the draft states about a product (price, capacity, retention, battery life, delivery, "
           "IP rating, response time) against products.csv: a proposal is a contract, and the catalogue wins.",
           "claims = bids.check_claims(draft, products); keep the rows where contradicts is True and list their "
           "distinct product_id values."),
    solution_code=('claims = bids.check_claims(draft, products)\n'
                   'contradicted_products = sorted(set(claims.loc[claims.contradicts, "product_id"]))'),
)

# -- 3.3 technical advice on complex products --------------------------------------------------------------------

q10 = Question(
    id="L3.q10", title="Which Kestrel Cloud tier for DSC-02?", behaviours=("3.3",), answer="dsc02_tier",
    prompt=("From the numbers DSC-02 agreed (sensors, reporting interval, years of history; the SAP work orders "
            "and Power BI need the REST API), which is the cheapest Kestrel Cloud tier that fits? Give its product id."),
    grader=_grade_tier,
    hints=("Three numbers decide the tier: sensors, messages a day (sensors x 1,440 / interval in minutes) and days "
           "of retention; then the features. Compare each with tier_table().",
           "sizing.choose_tier(devices, sizing.messages_per_day(devices, interval_min * 60), years * 365, "
           "features=['rest_api']), with the numbers from the customer's answers to notes 1, 3 and 4."),
    solution_code=('answers = requirements.parse_answers(notes)\n'
                   'devices = requirements.quantities(answers[1]).query("unit == \'sensors\'").value.iloc[-1]\n'
                   'interval_min = requirements.quantities(answers[3]).query("unit == \'minutes\'").value.iloc[-1]\n'
                   'years = requirements.quantities(answers[4]).value.iloc[0]\n'
                   'per_day = sizing.messages_per_day(devices, interval_min * 60)\n'
                   'dsc02_tier = sizing.choose_tier(devices, per_day, years * 365, features=["rest_api"])'),
)

q11 = Question(
    id="L3.q11", title="How many indoor gateways for DSC-02?", behaviours=("3.3",), answer="dsc02_gateways",
    prompt=("How many LoRaWAN Indoor Gateways (GW-LRW-IN) does DSC-02 need in total? Per plant: enough for the "
            "sensors and the busiest minute, and one per 5,000 m2 of steel-framed hall (KB-0043), at least one."),
    grader=checks.number(_dsc02_gateways, tolerance=0.1, mistakes=[
        (lambda v: v == dsc02_facts()["sites"],
         "That is one gateway per plant: the floor area needs more gateways for radio coverage."),
        (lambda v: v == _dsc02_gateways_per_site(),
         "That is the count for one plant: every plant needs its own gateways."),
        (lambda v: v == math.ceil(dsc02_facts()["devices"] / 500),
         "That covers the device limit only: radio coverage of each plant's floor area needs more.")]),
    hints=("Work per plant: sensors per plant / 500, the busiest minute / 600 messages a minute, floor area / 5,000 "
           "m2, and at least 1; round the largest up; then multiply by the number of plants.",
           "sizing.gateways_needed(sensors_per_plant, interval_min * 60, 'GW-LRW-IN', area_m2_per_site=..., "
           "m2_per_gateway=5000) x plants, or sizing.size(...).gateways. The plants and their area are in the "
           "Background."),
    solution_code=('plants, area = re.search(r"runs (\\d+) plants? of about ([\\d,]+) m2", notes).groups()\n'
                   'plants, area = int(plants), float(area.replace(",", ""))\n'
                   'dsc02 = sizing.size(devices, interval_min * 60, years * 365, sites=plants, gateway="GW-LRW-IN",\n'
                   '                    area_m2_per_site=area, m2_per_gateway=5000, features=["rest_api"])\n'
                   'dsc02_gateways = dsc02.gateways'),
)

q12 = Question(
    id="L3.q12", title="Advice to the IT manager on Power BI", behaviours=("3.3",), answer="bi_advice",
    prompt=("DSC-02's IT manager plans a script that asks the API for each sensor's latest reading, one sensor at a "
            "time, at every Power BI refresh. Write your advice: the calls a minute that needs, the API limit of "
            "the tier you advise, and a better way."),
    grader=checks.writing(_bi_required, _bi_forbidden, min_words=25, max_words=150, subject="advice"),
    hints=("One call per sensor per refresh: calls a minute = sensors / refresh interval in minutes. The tier's "
           "limit is api_calls_per_minute in tier_table(). KB-0027 and KB-0046 describe the better ways.",
           "sizing.api_calls_per_minute(devices, refresh_min * 60) gives the load; say whether it fits the limit of "
           "the tier from question 10, and recommend MQTT forwarding or reading up to 200 devices per call."),
    solution_code=('refresh_min = int(re.search(r"refreshed every (\\d+) minutes", notes).group(1))\n'
                   'calls = sizing.api_calls_per_minute(devices, refresh_min * 60)\n'
                   'limit = sizing.tier_table().set_index("product_id").loc[dsc02_tier, "api_calls_per_minute"]\n'
                   'bi_advice = (f"Polling each of the {devices:.0f} sensors one by one every {refresh_min} minutes "\n'
                   '             f"needs {calls:.1f} API calls a minute; {dsc02_tier} allows {limit:,} calls a minute. "\n'
                   '             "Rather than polling sensor by sensor, use MQTT forwarding into your database, or ask "\n'
                   '             "/v2/readings for up to 200 devices per call, so the load stays small as you grow.")'),
)

QUESTIONS = [q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11, q12]
