"""Guided troubleshooting: symptom -> likely cause -> check -> fix, held as data and walked through.

The trees live in ``ssup/data/troubleshooting.yml`` (data, not code). This module reads them,
summarises a site's device data (``device_telemetry.csv``) into the figures the checks ask for,
answers the checks from that data (:func:`diagnose`), and offers a widget a trainee clicks
through (:class:`Walkthrough`), which code can drive too::

    walk = Walkthrough("missing_data")
    walk                      # shows the first check with one button per answer
    walk.answer("some")       # what clicking "Only one or a few" does
    walk.cause                # the cause reached, once the walk is finished

>>> guide = load_guide()
>>> guide.trees["missing_data"].start
'how_many'
>>> sorted(guide.trees)
['battery', 'missing_data']
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd
import yaml

GUIDE_FILE = Path(__file__).resolve().parent / "data" / "troubleshooting.yml"
CAUSE_PREFIX = "cause: "

__all__ = ["Check", "Tree", "Cause", "Guide", "load_guide", "tree_table", "show_tree", "device_summary", "MEASURES",
           "Diagnosis", "diagnose", "kb_article_for", "Walkthrough", "plot_delivery", "first_gap_day"]


@dataclass(frozen=True)
class Check:
    """One question in a tree: what to find out, where to look, and where each answer leads."""

    id: str
    question: str
    how: str
    answers: dict[str, tuple[str, str]]  # key -> (label, next: a check id or "cause: <id>")
    auto: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Tree:
    """The checks for one symptom, starting at ``start``."""

    id: str
    title: str
    symptom: str
    start: str
    checks: dict[str, Check]


@dataclass(frozen=True)
class Cause:
    """Where a walk ends: what is wrong, how to fix it, which article to send, whom to hand it to."""

    id: str
    name: str
    fix: str
    kb_title: str
    escalate_to: str | None


@dataclass(frozen=True)
class Guide:
    """Every tree and cause, with the thresholds the automatic checks use."""

    thresholds: dict[str, float]
    trees: dict[str, Tree]
    causes: dict[str, Cause]


def _parse(raw: dict[str, Any]) -> Guide:
    causes = {cid: Cause(cid, c["name"], " ".join(str(c["fix"]).split()), c["kb_title"], c.get("escalate_to"))
              for cid, c in raw["causes"].items()}
    trees = {}
    for tid, t in raw["trees"].items():
        checks = {}
        for cid, c in t["checks"].items():
            answers = {str(k): (str(v["label"]), str(v["next"])) for k, v in c["answers"].items()}
            checks[cid] = Check(cid, c["question"], c["how"], answers, dict(c.get("auto") or {}))
        trees[tid] = Tree(tid, t["title"], t["symptom"], t["start"], checks)
    guide = Guide({k: float(v) for k, v in raw["thresholds"].items()}, trees, causes)
    _validate(guide)
    return guide


def _validate(guide: Guide) -> None:
    """Every answer leads to an existing check or cause, and every check can be reached."""
    for tree in guide.trees.values():
        if tree.start not in tree.checks:
            raise ValueError(f"tree {tree.id!r} starts at unknown check {tree.start!r}")
        reached, todo = set(), [tree.start]
        while todo:
            check = tree.checks[todo.pop()]
            reached.add(check.id)
            for key, (_, target) in check.answers.items():
                if target.startswith(CAUSE_PREFIX):
                    if target[len(CAUSE_PREFIX):] not in guide.causes:
                        raise ValueError(f"{tree.id}.{check.id}: answer {key!r} leads to unknown {target!r}")
                elif target not in tree.checks:
                    raise ValueError(f"{tree.id}.{check.id}: answer {key!r} leads to unknown check {target!r}")
                elif target not in reached:
                    todo.append(target)
            if check.auto and (check.auto["measure"] not in MEASURES
                               or {check.auto["if_true"], check.auto["if_false"]} - set(check.answers)):
                raise ValueError(f"{tree.id}.{check.id}: its automatic check is not consistent")
        unreachable = set(tree.checks) - reached
        if unreachable:
            raise ValueError(f"tree {tree.id!r}: checks {sorted(unreachable)} cannot be reached")


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> Guide:
    with open(path, encoding="utf-8") as handle:
        return _parse(yaml.safe_load(handle))


def load_guide(path: str | Path | None = None) -> Guide:
    """Read (and check) the troubleshooting trees from YAML (default: the shipped file)."""
    file = Path(path) if path is not None else GUIDE_FILE
    return _load(str(file), file.stat().st_mtime)


def tree_table(tree_id: str) -> pd.DataFrame:
    """A tree as a table: one row per (check, answer) with where the answer leads.

    >>> tree_table("battery").iloc[0]["check"]
    'signal'
    """
    guide = load_guide()
    tree = guide.trees[tree_id]
    rows = []
    for check in tree.checks.values():
        for key, (label, target) in check.answers.items():
            leads = (f"CAUSE: {guide.causes[target[len(CAUSE_PREFIX):]].name}" if target.startswith(CAUSE_PREFIX)
                     else f"check '{target}'")
            rows.append((check.id, check.question, label, leads))
    return pd.DataFrame(rows, columns=["check", "question", "answer", "leads to"])


def show_tree(tree_id: str) -> None:
    """Print a tree as an indented outline: each check, then where each answer leads."""
    guide = load_guide()
    tree = guide.trees[tree_id]
    print(f"{tree.title}\n{tree.symptom}\n")
    for number, check in enumerate(tree.checks.values(), start=1):
        print(f"{number}. [{check.id}] {check.question}")
        for label, target in check.answers.values():
            leads = (f"CAUSE: {guide.causes[target[len(CAUSE_PREFIX):]].name}" if target.startswith(CAUSE_PREFIX)
                     else f"go to [{target}]")
            print(f"     {label} -> {leads}")


# -- device data --------------------------------------------------------------------------------------
def device_summary(telemetry: pd.DataFrame, days: int = 7) -> pd.DataFrame:
    """One row per device over its last ``days`` days: the figures the checks ask about.

    Columns: device_id, product_id, role, delivery (share of expected uplinks received),
    rssi_dbm and snr_db (medians), spreading_factor (highest), battery_v (latest),
    firmware_version (latest) and firmware_changed_on (the day it changed, if it did).
    """
    data = telemetry.sort_values(["device_id", "date"])
    last_day = data["date"].max()
    recent = data[data["date"] > last_day - pd.Timedelta(days=days)]
    grouped = recent.groupby("device_id", sort=False)
    summary = pd.DataFrame({
        "product_id": grouped["product_id"].first(),
        "role": grouped["role"].first(),
        "delivery": (grouped["uplinks_received"].sum() / grouped["uplinks_expected"].sum()).round(3),
        "rssi_dbm": grouped["rssi_dbm"].median().round(1),
        "snr_db": grouped["snr_db"].median().round(1),
        "spreading_factor": grouped["spreading_factor"].max(),
        "battery_v": grouped["battery_v"].last().round(2),
        "firmware_version": grouped["firmware_version"].last(),
    })
    changed = {}
    for device, rows in data.groupby("device_id", sort=False):
        versions = rows["firmware_version"].to_numpy()
        switch = np.flatnonzero(versions[1:] != versions[:-1])
        changed[device] = rows["date"].iloc[switch[-1] + 1] if len(switch) else pd.NaT
    summary["firmware_changed_on"] = pd.Series(changed)
    order = summary["role"].map({"gateway": 0, "sensor": 1})
    return summary.assign(_o=order).sort_values(["_o", "delivery"]).drop(columns="_o").reset_index()


def first_gap_day(telemetry: pd.DataFrame, healthy: float | None = None) -> pd.Timestamp:
    """The first day on which the sensors together delivered less than the healthy share of uplinks."""
    healthy = load_guide().thresholds["healthy_delivery"] if healthy is None else healthy
    sensors = telemetry[telemetry["role"] == "sensor"]
    daily = sensors.groupby("date")[["uplinks_received", "uplinks_expected"]].sum()
    below = daily.index[(daily["uplinks_received"] / daily["uplinks_expected"]) < healthy]
    return pd.Timestamp(below.min()) if len(below) else pd.NaT


def _sensors(summary: pd.DataFrame) -> pd.DataFrame:
    return summary[summary["role"] == "sensor"]


def _weak(row: pd.Series, t: dict[str, float]) -> bool:
    """A weak radio link: low RSSI, low SNR or a high spreading factor (missing figures count as not weak)."""
    checks = ((row["rssi_dbm"], lambda v: v < t["weak_rssi_dbm"]), (row["snr_db"], lambda v: v < t["weak_snr_db"]),
              (row["spreading_factor"], lambda v: v >= t["weak_spreading_factor"]))
    return any(pd.notna(value) and bool(test(float(value))) for value, test in checks)


def _worst_sensor(summary: pd.DataFrame) -> pd.Series:
    return _sensors(summary).sort_values(["delivery", "device_id"]).iloc[0]


def _lowest_battery(summary: pd.DataFrame) -> pd.Series:
    return _sensors(summary).dropna(subset=["battery_v"]).sort_values(["battery_v", "device_id"]).iloc[0]


def _gateway_last_day(telemetry: pd.DataFrame, summary: pd.DataFrame, t: dict[str, float]) -> float:
    gateway = telemetry[telemetry["role"] == "gateway"]
    last = gateway[gateway["date"] == gateway["date"].max()]
    return float(last["uplinks_received"].sum() / max(1, last["uplinks_expected"].sum()))


#: The figures an automatic check can measure: name -> function(telemetry, summary, thresholds).
MEASURES: dict[str, Callable[[pd.DataFrame, pd.DataFrame, dict[str, float]], float]] = {
    "share_of_sensors_affected": lambda tel, s, t: float((_sensors(s)["delivery"] < t["healthy_delivery"]).mean()),
    "gateway_last_day_delivery": _gateway_last_day,
    "gateway_on_320": lambda tel, s, t: float((s.loc[s["role"] == "gateway", "firmware_version"] == "3.2.0").any()),
    "weak_link_on_affected": lambda tel, s, t: float(_weak(_worst_sensor(s), t)),
    "low_battery_on_affected": lambda tel, s, t: float(_worst_sensor(s)["battery_v"] < t["low_battery_v"]),
    "weak_link_on_battery_device": lambda tel, s, t: float(_weak(_lowest_battery(s), t)),
    "low_battery_on_battery_device": lambda tel, s, t: float(_lowest_battery(s)["battery_v"] < t["low_battery_v"]),
}


@dataclass(frozen=True)
class Diagnosis:
    """The outcome of :func:`diagnose`: the cause reached and each check on the way."""

    tree: str
    cause: str
    steps: tuple[tuple[str, str, float], ...]  # (check id, answer key, measured value)

    def table(self) -> pd.DataFrame:
        """The walk as a table: check, what was measured, the answer it gives."""
        tree = load_guide().trees[self.tree]
        return pd.DataFrame([(c, tree.checks[c].question, round(v, 3), tree.checks[c].answers[a][0])
                             for c, a, v in self.steps], columns=["check", "question", "measured", "answer"])

    def __str__(self) -> str:
        return f"{self.tree}: " + " -> ".join(f"{c}={a}" for c, a, _ in self.steps) + f" -> {self.cause}"


def diagnose(telemetry: pd.DataFrame, tree_id: str = "missing_data") -> Diagnosis:
    """Walk a tree automatically, answering every check from the device data."""
    guide = load_guide()
    tree = guide.trees[tree_id]
    summary = device_summary(telemetry)
    current, steps = tree.start, []
    for _ in range(len(tree.checks) + 1):
        check = tree.checks[current]
        rule = check.auto
        value = MEASURES[rule["measure"]](telemetry, summary, guide.thresholds)
        key = rule["if_true"] if value >= float(rule["threshold"]) else rule["if_false"]
        steps.append((check.id, key, value))
        target = check.answers[key][1]
        if target.startswith(CAUSE_PREFIX):
            return Diagnosis(tree_id, target[len(CAUSE_PREFIX):], tuple(steps))
        current = target
    raise RuntimeError(f"tree {tree_id!r} loops")  # pragma: no cover - _validate forbids it


def kb_article_for(cause_id: str, product_id: str | None = None, articles: pd.DataFrame | None = None) -> pd.Series:
    """The knowledge-base article a cause points to (preferring one about ``product_id``)."""
    if articles is None:
        from ssup.data import load

        articles = load("kb_articles")
    cause = load_guide().causes[cause_id]
    found = articles[articles["title"].str.contains(cause.kb_title, regex=False, case=False)]
    if product_id is not None and (found["product_id"] == product_id).any():
        found = found[found["product_id"] == product_id]
    if found.empty:
        raise KeyError(f"no knowledge-base article has {cause.kb_title!r} in its title")
    return found.sort_values("article_id").iloc[0]


# -- the plot the lesson uses -----------------------------------------------------------------------
def plot_delivery(telemetry: pd.DataFrame, title: str = "Share of expected readings received, per sensor") -> Any:
    """Daily delivery rate (%) of each sensor, with a line where the gateway firmware changed."""
    import matplotlib.pyplot as plt

    sensors = telemetry[telemetry["role"] == "sensor"]
    daily = (sensors.assign(pct=100 * sensors["uplinks_received"] / sensors["uplinks_expected"])
             .pivot_table(index="date", columns="device_id", values="pct"))
    fig, ax = plt.subplots()
    daily.plot(ax=ax, marker="o", markersize=3, linewidth=1)
    gateway = telemetry[telemetry["role"] == "gateway"].sort_values("date")
    versions = gateway["firmware_version"].to_numpy()
    middle = gateway["date"].iloc[len(gateway) // 2] if len(gateway) else None
    for i in np.flatnonzero(versions[1:] != versions[:-1]):
        day = gateway["date"].iloc[i + 1]
        ax.axvline(day, color="#b3261e", linestyle="--", linewidth=1)
        right_half = middle is not None and day > middle
        ax.annotate(f"gateway firmware {versions[i]} -> {versions[i + 1]} ", (day, 101), color="#b3261e",
                    fontsize=9, ha="right" if right_half else "left", va="bottom")
    ax.set(title=title, xlabel="Day", ylabel="Readings received (% of expected)", ylim=(0, 108))
    ax.legend(title="Sensor", fontsize=8, loc="lower left", ncols=3)
    return ax


# -- the widget -------------------------------------------------------------------------------------
class Walkthrough:
    """Click through a troubleshooting tree; code can drive it with :meth:`answer`.

    ``path`` lists (check id, answer key) so far; ``cause`` is the :class:`Cause` reached, or
    None while the walk is still going.
    """

    def __init__(self, tree_id: str = "missing_data", product_id: str | None = None) -> None:
        import ipywidgets as widgets

        guide = load_guide()
        if tree_id not in guide.trees:
            raise ValueError(f"no tree {tree_id!r}; choose one of: {', '.join(sorted(guide.trees))}")
        self.guide, self.tree, self.product_id = guide, guide.trees[tree_id], product_id
        self.path: list[tuple[str, str]] = []
        self.current: str | None = self.tree.start
        self.cause: Cause | None = None
        self._widgets = widgets
        self.view = widgets.HTML()
        self.buttons = widgets.HBox()
        self.back_button = widgets.Button(description="Back", icon="undo")
        self.back_button.on_click(lambda _: self.back())
        self.widget = widgets.VBox([self.view, self.buttons, self.back_button])
        self._render()

    @property
    def finished(self) -> bool:
        return self.cause is not None

    def answer(self, key: str) -> "Walkthrough":
        """Give the answer ``key`` (e.g. ``"some"``) to the current check, as its button does."""
        if self.current is None:
            raise ValueError("The walk has reached a cause: use back() or reset() to change an answer.")
        check = self.tree.checks[self.current]
        if key not in check.answers:
            raise ValueError(f"{key!r} is not an answer to '{check.question}'; "
                             f"choose one of: {', '.join(check.answers)}")
        self.path.append((check.id, key))
        target = check.answers[key][1]
        if target.startswith(CAUSE_PREFIX):
            self.current, self.cause = None, self.guide.causes[target[len(CAUSE_PREFIX):]]
        else:
            self.current = target
        self._render()
        return self

    def back(self) -> "Walkthrough":
        """Undo the last answer."""
        if self.path:
            self.current, _ = self.path.pop()
            self.cause = None
            self._render()
        return self

    def reset(self) -> "Walkthrough":
        """Start again from the first check."""
        self.path, self.current, self.cause = [], self.tree.start, None
        self._render()
        return self

    def summary(self) -> str:
        """The walk so far as plain text (what a handover note would record)."""
        lines = [f"Symptom: {self.tree.title}"]
        for check_id, key in self.path:
            check = self.tree.checks[check_id]
            lines.append(f"- {check.question} -> {check.answers[key][0]}")
        if self.cause is not None:
            lines.append(f"Cause: {self.cause.name}")
            lines.append(f"Fix: {self.cause.fix}")
            article = self._article()
            if article is not None:
                lines.append(f"Article: {article['article_id']} {article['title']}")
            lines.append(f"Hand to: {self.cause.escalate_to or 'nobody - the Service Desk can fix this'}")
        else:
            check = self.tree.checks[self.current]
            lines.append(f"Next check: {check.question}")
        return "\n".join(lines)

    def _article(self) -> pd.Series | None:
        try:
            return kb_article_for(self.cause.id, self.product_id) if self.cause is not None else None
        except (KeyError, ValueError, OSError):
            return None

    def _render(self) -> None:
        widgets = self._widgets
        done = "".join(f"<li>{html.escape(self.tree.checks[c].question)} "
                       f"<b>{html.escape(self.tree.checks[c].answers[k][0])}</b></li>" for c, k in self.path)
        parts = [f"<h4 style='margin:2px 0'>{html.escape(self.tree.title)}</h4>"]
        if done:
            parts.append(f"<ol style='margin:2px 0'>{done}</ol>")
        if self.cause is None:
            check = self.tree.checks[self.current]
            parts.append(f"<p style='margin:4px 0'><b>Check:</b> {html.escape(check.question)}<br>"
                         f"<i>Where to look:</i> {html.escape(check.how)}</p>")
            buttons = []
            for key, (label, _) in check.answers.items():
                button = widgets.Button(description=label, tooltip=f"answer {key!r}",
                                        layout=widgets.Layout(width="auto"))
                button.on_click(lambda _, key=key: self.answer(key))
                buttons.append(button)
            self.buttons.children = tuple(buttons)
        else:
            article = self._article()
            link = (f"<br><b>Send:</b> {article['article_id']} {html.escape(article['title'])}"
                    if article is not None else "")
            team = self.cause.escalate_to or "nobody: the Service Desk can fix this"
            parts.append("<div style='border-left:6px solid #1b7f3b;padding:4px 10px'>"
                         f"<b>Likely cause:</b> {html.escape(self.cause.name)}<br>"
                         f"<b>Fix:</b> {html.escape(self.cause.fix)}{link}<br>"
                         f"<b>Hand to:</b> {html.escape(team)}</div>")
            self.buttons.children = ()
        self.view.value = "".join(parts)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        if isinstance(bundle, dict):
            bundle["text/plain"] = self.summary()
        return bundle

    def __repr__(self) -> str:
        return self.summary()
