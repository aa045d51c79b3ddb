"""Kestrel's service-desk rules: what the first line answers, and what goes to which team.

A Level 1 colleague answers what the catalogue and the FAQ answer, and hands on the rest with
a note a colleague can act on. The rules are deliberately short and written as data, so the
lesson can show them as a table and the checks can apply them to any inquiry.

>>> route({"category": "billing", "complaint": True, "devices_affected": 0}).team
'Billing'
>>> route({"category": "connectivity", "devices_affected": 40, "production_stopped": True}).priority
'P1'
"""

from __future__ import annotations

from typing import Any, Mapping, NamedTuple

import pandas as pd

FIRST_LINE = "Service Desk"

#: Who takes an inquiry the FAQ cannot settle, checked top to bottom; the first match wins.
ESCALATION_RULES: tuple[tuple[str, str, str], ...] = (
    ("safety or a suspected product defect affecting several customers", "safety_or_defect", "Product Engineering"),
    ("a fault that needs someone on site (damaged or failed hardware, installation)", "site_visit", "Field Engineering"),
    ("invoices, credit notes, refunds, payment terms", "billing", "Billing"),
    ("a complaint about our service, a contract change or a cancellation threat", "account", "Account Management"),
    ("a new requirement, a quote above 100 devices, or a custom integration", "presales", "Presales"),
    ("a technical problem the FAQ and knowledge base do not fix", "technical", "Technical Support"),
)

#: How urgent it is: the first matching row sets the priority.
PRIORITY_RULES: tuple[tuple[str, str], ...] = (
    ("P1", "production stopped, or 25 or more devices down, or a safety issue"),
    ("P2", "a business function degraded with no workaround, or 5 to 24 devices down"),
    ("P3", "one device or user affected, or a workaround exists"),
    ("P4", "a question, a request for information, or a commercial matter"),
)


class Routing(NamedTuple):
    """Where an inquiry goes, how urgent it is, and why."""

    team: str
    priority: str
    reason: str


def _flag(inquiry: Mapping[str, Any], key: str) -> bool:
    return bool(inquiry.get(key, False))


def priority(inquiry: Mapping[str, Any]) -> str:
    """The priority (P1-P4) of an inquiry, from :data:`PRIORITY_RULES`."""
    devices = int(inquiry.get("devices_affected", 0) or 0)
    if _flag(inquiry, "production_stopped") or _flag(inquiry, "safety") or devices >= 25:
        return "P1"
    if (devices >= 5) or (_flag(inquiry, "degraded") and not _flag(inquiry, "workaround")):
        return "P2"
    if devices >= 1 or _flag(inquiry, "degraded"):
        return "P3"
    return "P4"


def route(inquiry: Mapping[str, Any]) -> Routing:
    """Apply the rules to an inquiry described by its facts.

    Facts (all optional): ``category`` (a ticket category), ``answered_by_faq``, ``safety``,
    ``customers_affected``, ``site_visit``, ``complaint``, ``contract_change``, ``devices_quoted``,
    ``custom_integration``, ``devices_affected``, ``production_stopped``, ``degraded``, ``workaround``.
    """
    category = str(inquiry.get("category", ""))
    level = priority(inquiry)
    if _flag(inquiry, "answered_by_faq"):
        return Routing(FIRST_LINE, level, "the FAQ answers it: reply directly")
    if _flag(inquiry, "safety") or int(inquiry.get("customers_affected", 1) or 1) > 1:
        return Routing("Product Engineering", level, ESCALATION_RULES[0][0])
    if _flag(inquiry, "site_visit") or category in ("hardware_fault", "installation"):
        return Routing("Field Engineering", level, ESCALATION_RULES[1][0])
    if category == "billing":
        return Routing("Billing", level, ESCALATION_RULES[2][0])
    if _flag(inquiry, "complaint") or _flag(inquiry, "contract_change"):
        return Routing("Account Management", level, ESCALATION_RULES[3][0])
    if int(inquiry.get("devices_quoted", 0) or 0) > 100 or _flag(inquiry, "custom_integration"):
        return Routing("Presales", level, ESCALATION_RULES[4][0])
    return Routing("Technical Support", level, ESCALATION_RULES[5][0])


def rules_table() -> pd.DataFrame:
    """The escalation rules as a table, in the order they are applied."""
    return pd.DataFrame([(i + 1, when, team) for i, (when, _, team) in enumerate(ESCALATION_RULES)],
                        columns=["order", "when the inquiry is about...", "hand it to"]).set_index("order")


def priority_table() -> pd.DataFrame:
    """The priority rules as a table."""
    return pd.DataFrame(PRIORITY_RULES, columns=["priority", "when"]).set_index("priority")


#: What a handover note must contain so a colleague can act without calling the customer back.
HANDOVER_CHECKLIST: tuple[str, ...] = (
    "who: the customer (name or id) and the contact",
    "what: the product and the symptom, in the customer's words",
    "impact: how many devices or sites, and what the customer cannot do",
    "tried: what you already checked or suggested",
    "ask: what you need the team to do",
)
