"""Bids and proposals: split an RFP into requirements, build a compliance matrix, check a draft (Level 3).

- :func:`split_requirements`  one row per requirement sentence (every *shall*, *must* or *will*) of an RFP
- :func:`compliance_matrix`   the requirements with a status, evidence and gap action for each
- :func:`matrix_problems`     what a bid manager would send back: unanswered rows, claims without evidence,
                              gaps without an action
- :func:`compliance_summary`  how many requirements we comply with, partly or not at all
- :func:`answer_section`      a technical answer in the house layout (requirement, response, evidence)
- :func:`check_claims`        every checkable claim a draft makes about a product, compared with the catalogue

An RFP (request for proposal) numbers its clauses (``3.4``); one clause may hold several
requirement sentences, which become ``3.4a``, ``3.4b``. The issuer's own commitments ("The
Authority will evaluate ...") are requirements too but are answered "noted", not "comply".

>>> rfp = '''## 3 Technical requirements
... 3.1 Sensors shall be rated IP67. They shall operate down to -25 C.
... 3.2 The Authority will provide network access at each site.'''
>>> split_requirements(rfp)[["ref", "keyword", "applies_to"]].values.tolist()
[['3.1a', 'shall', 'supplier'], ['3.1b', 'shall', 'supplier'], ['3.2', 'will', 'buyer']]
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Mapping

import pandas as pd

__all__ = [
    "STATUSES", "KEYWORDS", "Assessment", "split_requirements", "sentences", "compliance_matrix",
    "matrix_problems", "compliance_summary", "answer_section", "check_claims", "CLAIM_ATTRIBUTES", "threshold",
    "compare",
]

#: The words that make a sentence a requirement.
KEYWORDS = ("shall", "must", "will")
#: Statuses in a compliance matrix. "noted" is only for the issuer's own statements.
STATUSES = ("comply", "partial", "non-comply", "noted")
#: How RFPs name the organisation that issues them (a sentence with this subject binds the buyer, not us).
BUYER_SUBJECTS = ("the authority", "the buyer", "the client", "the purchaser", "the customer", "the employer")

_KEYWORD = re.compile(r"\b(shall|must|will)\b", flags=re.I)
_CLAUSE = re.compile(r"^\s*(\d+(?:\.\d+)+)\.?\s+(.*\S)\s*$")
_SECTION = re.compile(r"^#+\s*(\d+)\.?\s+(.*\S)\s*$")


def sentences(text: str) -> list[str]:
    """Split text into sentences at ., ; ! or ? followed by a space and a capital letter or a digit.

    >>> sentences("Sensors shall be IP67. They shall work at -25 C; gateways shall buffer data.")
    ['Sensors shall be IP67.', 'They shall work at -25 C; gateways shall buffer data.']
    """
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(£])", re.sub(r"\s+", " ", str(text)).strip())
    return [p.strip() for p in parts if p.strip()]


def _applies_to(sentence: str) -> str:
    lowered = sentence.lower().lstrip("(\"' ")
    return "buyer" if lowered.startswith(BUYER_SUBJECTS) else "supplier"


def split_requirements(text: str) -> pd.DataFrame:
    """One row per requirement sentence of an RFP: every sentence with *shall*, *must* or *will*.

    Columns: ``ref`` (the clause number, with a, b, ... when a clause holds several requirements),
    ``section`` (the heading of the section it is in), ``clause``, ``keyword`` (the first of
    shall/must/will in the sentence), ``applies_to`` (``supplier`` or ``buyer``), ``compound`` (True when
    the sentence holds more than one requirement word: ask for it to be split, or answer each part), ``text``.
    Clause lines start with their number (``3.4 The platform shall ...``); continuation lines are joined.

    >>> split_requirements("1.1 Responses must be in English. Late responses will not be opened.").ref.tolist()
    ['1.1a', '1.1b']
    """
    clauses: list[tuple[str, str, str]] = []
    section = ""
    current: list[str] | None = None
    for line in str(text).splitlines():
        heading = _SECTION.match(line)
        if heading or line.lstrip().startswith("#"):
            current = None
            if heading:
                section = f"{heading.group(1)} {heading.group(2)}"
            continue
        clause = _CLAUSE.match(line)
        if clause:
            clauses.append((section, clause.group(1), clause.group(2)))
            current = [clause.group(2)]
            continue
        if current is not None and line.strip() and not line.lstrip().startswith(("|", "-", "*")):
            section_, number, body = clauses[-1]
            clauses[-1] = (section_, number, body + " " + line.strip())
        elif not line.strip():
            current = None
    rows = []
    for section_, number, body in clauses:
        found = [s for s in sentences(body) if _KEYWORD.search(s)]
        for i, sentence in enumerate(found):
            ref = number if len(found) == 1 else f"{number}{'abcdefghijklmnopqrstuvwxyz'[i]}"
            rows.append({"ref": ref, "section": section_, "clause": number,
                         "keyword": _KEYWORD.search(sentence).group(1).lower(),
                         "applies_to": _applies_to(sentence), "compound": len(_KEYWORD.findall(sentence)) > 1,
                         "text": sentence})
    return pd.DataFrame(rows, columns=["ref", "section", "clause", "keyword", "applies_to", "compound", "text"])


def threshold(text: str) -> tuple[float, str] | None:
    """The limit a requirement sets: the first number after "at least", "within", "down to", "up to",
    "no more than" or "every", with its unit; None if there is none.

    >>> threshold("Raw readings shall be retained online for at least 5 years.")
    (5.0, 'years')
    >>> threshold("Freezer probes shall measure temperatures down to -86 C.")
    (-86.0, 'C')
    >>> threshold("Deliver all hardware within 20 working days of the order.")
    (20.0, 'working days')
    >>> threshold("The system shall raise an alarm.") is None
    True
    """
    match = re.search(r"\b(?:at least|at most|within|down to|up to|no more than|every)\s+(-?\d[\d,]*(?:\.\d+)?)"
                      r"\s*(%|working days?|[A-Za-z]+)?", str(text), flags=re.I)
    if not match:
        return None
    return float(match.group(1).replace(",", "")), (match.group(2) or "")


# -- the compliance matrix -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Assessment:
    """Our answer to one requirement: a status, the evidence for it, and how we close any gap."""

    status: str
    evidence: str = ""
    gap_action: str = ""


def _as_assessment(value: Any) -> Assessment:
    if isinstance(value, Assessment):
        return value
    if isinstance(value, str):
        return Assessment(value)
    if isinstance(value, Mapping):
        return Assessment(str(value.get("status", "")), str(value.get("evidence", "") or ""),
                          str(value.get("gap_action", "") or ""))
    if isinstance(value, (tuple, list)) and 1 <= len(value) <= 3:
        return Assessment(*[str(v) for v in value])
    raise TypeError(f"an assessment is a status, (status, evidence, gap_action) or a dict, not {value!r}")


def compare(required: float, offered: float, evidence: str, gap_action: str, better: str = "higher",
            otherwise: str = "non-comply") -> Assessment:
    """Assess a requirement that sets a figure: comply when what we offer meets it, else ``otherwise``.

    ``better="higher"`` when more is better (retention, battery life), ``"lower"`` when less is better
    (response time, delivery days). The evidence is kept either way; the gap action only when we fall short.

    >>> compare(5 * 365, 1095, "Enterprise keeps 1,095 days", "Monthly export (KB-0029)", otherwise="partial")
    Assessment(status='partial', evidence='Enterprise keeps 1,095 days', gap_action='Monthly export (KB-0029)')
    >>> compare(60, 30, "Critical: 30-minute P1 response", "-", better="lower").status
    'comply'
    """
    if better not in ("higher", "lower"):
        raise ValueError(f"better must be 'higher' or 'lower', not {better!r}")
    if otherwise not in ("partial", "non-comply"):
        raise ValueError(f"otherwise must be 'partial' or 'non-comply', not {otherwise!r}")
    meets = float(offered) >= float(required) if better == "higher" else float(offered) <= float(required)
    return Assessment("comply", evidence) if meets else Assessment(otherwise, evidence, gap_action)


def compliance_matrix(requirements: pd.DataFrame, assessments: Mapping[str, Any]) -> pd.DataFrame:
    """The compliance matrix: every requirement row with ``status``, ``evidence`` and ``gap_action``.

    ``assessments`` maps a ``ref`` to an :class:`Assessment`, a ``(status, evidence, gap_action)`` tuple,
    a dict with those keys, or just a status. Requirements not assessed get an empty status, so
    :func:`matrix_problems` finds them. Statuses are stored in lower case.

    >>> reqs = split_requirements("3.1 Sensors shall be IP67. 3.2 x")
    >>> compliance_matrix(reqs, {"3.1": ("Comply", "T1 is IP67 (products.csv)")})[["ref", "status"]].values.tolist()
    [['3.1', 'comply']]
    """
    unknown = sorted(set(assessments) - set(requirements["ref"]))
    if unknown:
        raise ValueError(f"no requirement with ref {', '.join(map(repr, unknown))} in this RFP")
    table = requirements[["ref", "applies_to", "text"]].rename(columns={"text": "requirement"}).copy()
    parsed = {ref: _as_assessment(value) for ref, value in assessments.items()}
    table["status"] = [parsed[r].status.strip().lower() if r in parsed else "" for r in table["ref"]]
    table["evidence"] = [parsed[r].evidence.strip() if r in parsed else "" for r in table["ref"]]
    table["gap_action"] = [parsed[r].gap_action.strip() if r in parsed else "" for r in table["ref"]]
    return table.reset_index(drop=True)


def matrix_problems(matrix: pd.DataFrame) -> pd.DataFrame:
    """Rows a bid manager would send back, with the reason: one row per problem (``ref``, ``problem``).

    * no status, or a status that is not one of :data:`STATUSES`;
    * "noted" on a requirement that binds us (only the buyer's own statements are "noted");
    * "comply" or "partial" without evidence (a product, a specification, a document);
    * "partial" or "non-comply" without a gap action (how we close or mitigate the gap).

    >>> m = pd.DataFrame({"ref": ["1", "2"], "applies_to": ["supplier"] * 2, "requirement": ["a", "b"],
    ...                   "status": ["comply", "partial"], "evidence": ["", "spec"], "gap_action": ["", ""]})
    >>> matrix_problems(m).values.tolist()
    [['1', 'comply without evidence'], ['2', 'partial without a gap action']]
    """
    problems = []
    for row in matrix.itertuples(index=False):
        status = str(row.status).strip().lower()
        evidence = str(row.evidence).strip() if isinstance(row.evidence, str) else ""
        gap = str(row.gap_action).strip() if isinstance(row.gap_action, str) else ""
        if not status:
            problems.append((row.ref, "not answered"))
            continue
        if status not in STATUSES:
            problems.append((row.ref, f"unknown status {row.status!r} (use {', '.join(STATUSES)})"))
            continue
        if status == "noted" and getattr(row, "applies_to", "supplier") != "buyer":
            problems.append((row.ref, "'noted' on a requirement that binds us: answer comply, partial or non-comply"))
        if status in ("comply", "partial") and not evidence:
            problems.append((row.ref, f"{status} without evidence"))
        if status in ("partial", "non-comply") and not gap:
            problems.append((row.ref, f"{status} without a gap action"))
    return pd.DataFrame(problems, columns=["ref", "problem"])


def compliance_summary(matrix: pd.DataFrame) -> pd.DataFrame:
    """Requirements per status, with their share of the requirements that bind us (``noted`` excluded).

    >>> m = pd.DataFrame({"status": ["comply", "comply", "partial", "noted"]})
    >>> compliance_summary(m).values.tolist()
    [['comply', 2, 66.7], ['partial', 1, 33.3], ['non-comply', 0, 0.0], ['noted', 1, nan]]
    """
    counts = matrix["status"].str.lower().value_counts()
    binding = sum(int(counts.get(s, 0)) for s in STATUSES if s != "noted")
    rows = []
    for status in STATUSES:
        n = int(counts.get(status, 0))
        share = math.nan if status == "noted" or binding == 0 else round(100 * n / binding, 1)
        rows.append((status, n, share))
    unanswered = int((matrix["status"].fillna("").str.strip() == "").sum())
    if unanswered:
        rows.append(("not answered", unanswered, math.nan))
    return pd.DataFrame(rows, columns=["status", "requirements", "percent_of_binding"])


def answer_section(ref: str, requirement: str, status: str, response: str, evidence: str = "") -> str:
    """A technical answer in the layout Kestrel's bids use: the requirement, our status, the answer, evidence.

    >>> print(answer_section("3.9", "The platform shall provide a REST API.", "comply",
    ...                      "Kestrel Cloud Enterprise (PLT-ENT) includes the REST API.", "KB-0045"))
    **3.9** The platform shall provide a REST API.
    <BLANKLINE>
    *Response:* **Comply.** Kestrel Cloud Enterprise (PLT-ENT) includes the REST API.
    <BLANKLINE>
    *Evidence:* KB-0045
    """
    label = {"comply": "Comply", "partial": "Partially comply", "non-comply": "Do not comply",
             "noted": "Noted"}.get(status.strip().lower())
    if label is None:
        raise ValueError(f"status {status!r} is not one of {', '.join(STATUSES)}")
    text = f"**{ref}** {requirement.strip()}\n\n*Response:* **{label}.** {response.strip()}"
    if evidence.strip():
        text += f"\n\n*Evidence:* {evidence.strip()}"
    return text


# -- claims in a draft compared with the catalogue --------------------------------------------------------
_PRODUCT_ID = re.compile(r"\b(?:SNS|GW|PLT|SVC|SUP)-[A-Z0-9]+(?:-[A-Z0-9]+)*\b")
_NUMBER = r"(\d[\d,]*(?:\.\d+)?)"
_MONEY = re.compile(r"£\s?" + _NUMBER)
_UNIT_WORDS = {"each": "each", "per unit": "each", "a month": "month", "per month": "month", "/month": "month",
               "a year": "year", "per year": "year", "/year": "year", "a day": "day", "per day": "day",
               "/day": "day", "an engineer day": "day", "per engineer day": "day"}

#: The attributes :func:`check_claims` knows, how a claim contradicts the catalogue, and the catalogue column.
CLAIM_ATTRIBUTES = {
    "price": ("differs from the list price", "list_price_gbp"),
    "price_unit": ("quotes a different price unit", "price_unit"),
    "max_devices": ("promises more devices than the product supports", "max_devices"),
    "messages_per_day": ("promises more messages a day than the tier ingests", "messages_per_day"),
    "retention_days": ("promises longer data retention than the tier keeps", "retention_days"),
    "battery_life_years": ("promises a longer battery life than the rated life", "battery_life_years"),
    "lead_time_days": ("promises faster delivery than the lead time", "lead_time_days"),
    "ip_rating": ("states a different IP rating", "ip_rating"),
    "p1_response_minutes": ("promises a faster P1 response than the plan", "p1_response_hours"),
}


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def _units(segment: str) -> list[tuple[int, str, float | str]]:
    """(position, attribute, claimed value) for every claim pattern found in ``segment``."""
    found: list[tuple[int, str, float | str]] = []
    for match in _MONEY.finditer(segment):
        after = segment[match.end(): match.end() + 22].lower()
        unit = next((u for w, u in _UNIT_WORDS.items() if after.lstrip().startswith(w)), None)
        found.append((match.start(), "price", _num(match.group(1))))
        if unit:
            found.append((match.start(), "price_unit", unit))
    for match in re.finditer(r"\b(?:up to|supports?|serves?|serving|handles?|handling|connects?|for)\s+(?:up to\s+)?"
                             + _NUMBER + r"\s+(?:sensors|devices)\b", segment, flags=re.I):
        found.append((match.start(), "max_devices", _num(match.group(1))))
    for match in re.finditer(_NUMBER + r"\s*(million\s+)?messages\s+(?:a|per)\s+day", segment, flags=re.I):
        found.append((match.start(), "messages_per_day", _num(match.group(1)) * (1e6 if match.group(2) else 1)))
    for match in re.finditer(_NUMBER + r"\s*(days?|months?|years?)\s+of\s+(?:raw\s+)?(?:data|readings|history)",
                             segment, flags=re.I):
        factor = {"d": 1, "m": 30, "y": 365}[match.group(2)[0].lower()]
        found.append((match.start(), "retention_days", _num(match.group(1)) * factor))
    for pattern in (r"battery life of (?:up to |about )?" + _NUMBER + r"\s*years?",
                    _NUMBER + r"[- ]years?(?: of)? battery",
                    r"runs? for " + _NUMBER + r"\s*years? on (?:its|one|a|their) batter"):
        for match in re.finditer(pattern, segment, flags=re.I):
            found.append((match.start(), "battery_life_years", _num(match.group(1))))
    for match in re.finditer(r"\b(?:within|in)\s+" + _NUMBER + r"\s+working days", segment, flags=re.I):
        found.append((match.start(), "lead_time_days", _num(match.group(1))))
    for match in re.finditer(r"\bIP(\d\d)\b", segment):
        found.append((match.start(), "ip_rating", f"IP{match.group(1)}"))
    for match in re.finditer(_NUMBER + r"[- ](minutes?|hours?)\s+(?:P1\s+)?response", segment, flags=re.I):
        minutes = _num(match.group(1)) * (60 if match.group(2).lower().startswith("h") else 1)
        found.append((match.start(), "p1_response_minutes", minutes))
    return sorted(found, key=lambda item: item[0])


def _contradicts(attribute: str, claimed: Any, product: pd.Series) -> tuple[bool, Any]:
    column = CLAIM_ATTRIBUTES[attribute][1]
    actual = product.get(column)
    if actual is None or (not isinstance(actual, str) and pd.isna(actual)):
        return False, None
    if attribute == "price":
        return abs(float(claimed) - float(actual)) > 0.005, float(actual)
    if attribute in ("price_unit", "ip_rating"):
        return str(claimed) != str(actual), str(actual)
    if attribute == "lead_time_days":
        return float(claimed) < float(actual), int(actual)
    if attribute == "p1_response_minutes":
        return float(claimed) < float(actual) * 60, float(actual) * 60
    return float(claimed) > float(actual), float(actual)


def check_claims(text: str, products: pd.DataFrame) -> pd.DataFrame:
    """Every checkable claim in ``text`` about a catalogue product, and whether it contradicts the catalogue.

    The text is read sentence by sentence (each Markdown table row counts as one). A claim belongs to the
    product id mentioned closest before it (``... Indoor Gateway (GW-LRW-IN) at £399.00 each ...``).
    Claims checked: price and price unit, device capacity, messages a day, data retention, battery life,
    delivery in working days, IP rating and P1 response time (see :data:`CLAIM_ATTRIBUTES`). A claim
    contradicts the catalogue when it differs from the list price, or promises more than the product does.

    Columns: ``sentence`` (its number), ``product_id``, ``attribute``, ``claimed``, ``catalogue``,
    ``contradicts``, ``problem`` (empty when the claim agrees), ``text`` (the sentence).

    >>> products = pd.DataFrame({"product_id": ["GW-LRW-IN"], "list_price_gbp": [399.0], "max_devices": [500]})
    >>> claims = check_claims("Two gateways (GW-LRW-IN) at £349.00 each serve up to 500 sensors.", products)
    >>> claims[["attribute", "claimed", "catalogue", "contradicts"]].values.tolist()
    [['price', 349.0, 399.0, True], ['max_devices', 500.0, 500.0, False]]
    """
    catalogue = products.set_index("product_id")
    rows = []
    units: list[str] = []
    for line in str(text).splitlines():
        if line.lstrip().startswith("|"):
            units.append(line.strip())
        elif line.strip() and not line.lstrip().startswith("#"):
            units.extend(sentences(line))
    for number, unit in enumerate(units, start=1):
        mentions = [(m.start(), m.group(0)) for m in _PRODUCT_ID.finditer(unit) if m.group(0) in catalogue.index]
        if not mentions:
            continue
        seen_price: set[str] = set()
        for position, attribute, claimed in _units(unit):
            before = [pid for start, pid in mentions if start < position]
            product_id = before[-1] if before else mentions[0][1]
            if attribute in ("price", "price_unit"):
                # only the first price after a product is its unit price; later ones are totals
                key = f"{attribute}:{product_id}"
                if key in seen_price:
                    continue
                seen_price.add(key)
            contradicts, actual = _contradicts(attribute, claimed, catalogue.loc[product_id])
            if actual is None:
                continue
            rows.append({"sentence": number, "product_id": product_id, "attribute": attribute,
                         "claimed": claimed, "catalogue": actual, "contradicts": contradicts,
                         "problem": CLAIM_ATTRIBUTES[attribute][0] if contradicts else "", "text": unit})
    columns = ["sentence", "product_id", "attribute", "claimed", "catalogue", "contradicts", "problem", "text"]
    return pd.DataFrame(rows, columns=columns)
