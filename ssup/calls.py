"""Support calls: the shape of a good call, reading call transcripts, and a call simulator.

The **call checklist** (:data:`CHECKLIST`) is the shape of a good support call, by phone or in
person: opening, listening and clarifying, confirming, agreeing next steps, closing. Call
transcripts (``calls.csv``) are marked against it.

The **call simulator** plays a branching role-play script from ``ssup/data/call_scripts.yml``
(data, not code). A trainee clicks a response at each turn and reads feedback on it; code can
drive it the same way::

    sim = CallSimulator("freezer_offline")
    sim                    # shows the call with buttons A, B, C
    sim.choose("A")        # what clicking A does
    sim.report()           # every choice so far, its score and the feedback

>>> [step for step, _, _ in CHECKLIST][:3]
['greeting', 'identify', 'product']
>>> vague_words("We will fix some sensors asap.")
['asap', 'some']
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import pandas as pd
import yaml

SCRIPTS_FILE = Path(__file__).resolve().parent / "data" / "call_scripts.yml"
END_PREFIX = "end: "

__all__ = ["CHECKLIST", "STAGES", "checklist_table", "VAGUE_WORDS", "vague_words", "show_transcript", "turns", "find",
           "Option", "Node", "Script", "load_script", "script_names", "Step", "replay", "CallSimulator"]

#: The shape of a good support call: (step id, stage, what a skilled colleague does), in call order.
CHECKLIST: tuple[tuple[str, str, str], ...] = (
    ("greeting", "opening", "Greets the caller with Kestrel's name and their own."),
    ("identify", "opening", "Takes the caller's name and company, and finds the account."),
    ("product", "listening and clarifying", "Establishes exactly which product or device the call is about."),
    ("scope", "listening and clarifying", "Asks how many devices (or sites, or users) are affected."),
    ("since_when", "listening and clarifying", "Asks when the problem started."),
    ("what_changed", "listening and clarifying", "Asks what changed just before (an update, a move, a power cut, "
                                                 "building work, a network change)."),
    ("impact", "listening and clarifying", "Asks what the customer cannot do now and whether there is a "
                                           "workaround (this sets the priority)."),
    ("summary", "confirming", "Summarises the facts back and has the customer confirm them."),
    ("contact", "confirming", "Confirms the best call-back number or email."),
    ("next_steps", "next steps", "Agrees who will do what, and by when."),
    ("reference", "closing", "Gives the ticket reference."),
    ("anything_else", "closing", "Asks whether there is anything else, and thanks the customer."),
)
STAGES: tuple[str, ...] = ("opening", "listening and clarifying", "confirming", "next steps", "closing")


def checklist_table() -> pd.DataFrame:
    """The call checklist as a table, in call order."""
    return pd.DataFrame(CHECKLIST, columns=["step", "stage", "a good call..."]).set_index("step")


#: Words that make a ticket or call note vague: each hides a fact someone will have to ask for again.
VAGUE_WORDS: tuple[str, ...] = ("asap", "as soon as possible", "soon", "some", "a few", "several", "a couple",
                                "a while", "recently", "at some point", "stuff", "things", "etc",
                                "not working", "probably", "somewhere")


def vague_words(text: str) -> list[str]:
    """The vague words and phrases (:data:`VAGUE_WORDS`) a text uses, in the order of that list.

    >>> vague_words("Customer has problems with a few sensors, will call back soon.")
    ['soon', 'a few']
    """
    lowered = str(text).lower()
    return [w for w in VAGUE_WORDS if re.search(rf"(?<![\w-]){re.escape(w)}s?(?![\w-])", lowered)]


# -- transcripts ------------------------------------------------------------------------------------
def turns(transcript: str) -> pd.DataFrame:
    """A transcript as a table: one row per turn, with the speaker and what they said."""
    rows = []
    for line in str(transcript).splitlines():
        speaker, _, said = line.partition(": ")
        if said:
            rows.append((speaker.strip(), said.strip()))
    frame = pd.DataFrame(rows, columns=["speaker", "said"])
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="turn")
    return frame


def find(transcript: str, pattern: str, speaker: str | None = None) -> pd.DataFrame:
    r"""The turns of a transcript that match a regular expression (case-insensitive), optionally by one speaker.

    >>> find("Agent: How many?\nCaller: Twelve.\nAgent: Since when?", r"\?$", speaker="Agent")["said"].tolist()
    ['How many?', 'Since when?']
    """
    table = turns(transcript)
    rx = re.compile(pattern, flags=re.IGNORECASE)
    keep = table["said"].map(lambda said: bool(rx.search(said))).astype(bool)
    if speaker is not None:
        keep &= table["speaker"].str.lower() == speaker.lower()
    return table[keep]


def show_transcript(calls: pd.DataFrame, call_id: str) -> None:
    """Print one call: who, when, how, then the conversation turn by turn."""
    row = calls.set_index("call_id").loc[call_id]
    how = "phone call" if row["channel"] == "phone" else "conversation on site"
    print(f"{call_id}: {how} on {row['started_at']:%a %d %b %Y at %H:%M}, {int(row['duration_s']) // 60} min")
    print("-" * 78)
    for turn in turns(row["transcript"]).itertuples():
        print(f"{turn.speaker}: {turn.said}")


# -- the call simulator -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Option:
    """One response the trainee can pick."""

    key: str
    say: str
    score: int
    feedback: str
    next: str


@dataclass(frozen=True)
class Node:
    """One turn of a script: what the customer says (or the situation) and the options."""

    id: str
    stage: str
    situation: str
    customer: str
    options: dict[str, Option]

    @property
    def best(self) -> int:
        return max(option.score for option in self.options.values())


@dataclass(frozen=True)
class Script:
    """A branching role-play: nodes from ``start`` to one of the ``endings``."""

    id: str
    title: str
    channel: str
    setting: str
    start: str
    nodes: dict[str, Node]
    endings: dict[str, str]


def _parse_script(script_id: str, raw: dict[str, Any]) -> Script:
    nodes = {}
    for node_id, n in raw["nodes"].items():
        options = {str(k): Option(str(k), str(o["say"]), int(o["score"]), str(o["feedback"]), str(o["next"]))
                   for k, o in n["options"].items()}
        nodes[node_id] = Node(node_id, n["stage"], n.get("situation") or "", n.get("customer") or "", options)
    script = Script(script_id, raw["title"], raw["channel"], " ".join(str(raw["setting"]).split()), raw["start"],
                    nodes, dict(raw["endings"]))
    for node in script.nodes.values():
        if node.stage not in STAGES:
            raise ValueError(f"script {script_id!r}, node {node.id!r}: stage {node.stage!r} is not one of {STAGES}")
        for option in node.options.values():
            target = option.next
            known = (target[len(END_PREFIX):] in script.endings) if target.startswith(END_PREFIX) \
                else target in script.nodes
            if not known:
                raise ValueError(f"script {script_id!r}, node {node.id!r}: option {option.key} leads to unknown "
                                 f"{target!r}")
    if script.start not in script.nodes:
        raise ValueError(f"script {script_id!r} starts at unknown node {script.start!r}")
    return script


@lru_cache(maxsize=4)
def _load_all(path: str, mtime: float) -> dict[str, Script]:
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    return {sid: _parse_script(sid, s) for sid, s in raw["scripts"].items()}


def script_names(path: str | Path | None = None) -> list[str]:
    """The ids of the scripts available."""
    file = Path(path) if path is not None else SCRIPTS_FILE
    return list(_load_all(str(file), file.stat().st_mtime))


def load_script(script_id: str = "freezer_offline", path: str | Path | None = None) -> Script:
    """One script from the YAML file (default: the shipped ``call_scripts.yml``).

    >>> load_script("freezer_offline").nodes["ring"].best
    2
    """
    file = Path(path) if path is not None else SCRIPTS_FILE
    scripts = _load_all(str(file), file.stat().st_mtime)
    if script_id not in scripts:
        raise ValueError(f"no call script {script_id!r}; choose one of: {', '.join(scripts)}")
    return scripts[script_id]


@dataclass(frozen=True)
class Step:
    """One choice made in a call: where, which option, and how good it was."""

    node: Node
    option: Option

    @property
    def best(self) -> bool:
        return self.option.score == self.node.best


def _quoted(value: Any, limit: int = 40) -> str:
    """A choice as an error message quotes it: its repr, cut short (a pasted page stays out of the message)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def replay(script: Script | str, choices: Sequence[str]) -> tuple[list[Step], str | None]:
    """Play ``choices`` (e.g. ``["A", "B", ...]``) through a script from the start.

    Returns the steps taken and the ending reached (None if the call is not finished).
    Raises ValueError for a choice that is not an option at its turn, or for choices left over
    after the call has ended.
    """
    script = load_script(script) if isinstance(script, str) else script
    steps: list[Step] = []
    current: str | None = script.start
    ending = None
    for number, choice in enumerate(choices, start=1):
        if current is None:
            raise ValueError(f"the call had already ended after {number - 1} choices; "
                             f"choice {number} ({_quoted(choice)}) is one too many")
        node = script.nodes[current]
        key = str(choice).strip().upper()
        if key not in node.options:
            raise ValueError(f"choice {number} is {_quoted(choice)}; at that turn the options are "
                             f"{', '.join(node.options)}")
        option = node.options[key]
        steps.append(Step(node, option))
        if option.next.startswith(END_PREFIX):
            current, ending = None, option.next[len(END_PREFIX):]
        else:
            current = option.next
    return steps, ending


class CallSimulator:
    """Play a branching call: pick a response at each turn, read feedback on each choice.

    Properties: ``score`` (points so far), ``best_possible`` (the most the turns played could
    have given), ``finished``, ``perfect`` (every choice was the best one) and ``choices``.
    """

    def __init__(self, script: str = "freezer_offline") -> None:
        import ipywidgets as widgets

        self.script = load_script(script)
        self.choices: list[str] = []
        self._widgets = widgets
        self.view = widgets.HTML()
        self.buttons = widgets.HBox()
        self.restart_button = widgets.Button(description="Start again", icon="refresh")
        self.restart_button.on_click(lambda _: self.reset())
        self.widget = widgets.VBox([self.view, self.buttons, self.restart_button])
        self._render()

    # -- state ---------------------------------------------------------------------------------
    @property
    def steps(self) -> list[Step]:
        return replay(self.script, self.choices)[0]

    @property
    def ending(self) -> str | None:
        return replay(self.script, self.choices)[1]

    @property
    def finished(self) -> bool:
        return self.ending is not None

    @property
    def current(self) -> Node | None:
        steps, ending = replay(self.script, self.choices)
        if ending is not None:
            return None
        return self.script.nodes[steps[-1].option.next] if steps else self.script.nodes[self.script.start]

    @property
    def score(self) -> int:
        return sum(step.option.score for step in self.steps)

    @property
    def best_possible(self) -> int:
        return sum(step.node.best for step in self.steps)

    @property
    def perfect(self) -> bool:
        return self.finished and all(step.best for step in self.steps)

    # -- actions -------------------------------------------------------------------------------
    def choose(self, key: str) -> "CallSimulator":
        """Pick option ``key`` (A, B or C) at the current turn, as its button does."""
        node = self.current
        if node is None:
            raise ValueError("The call has ended: use reset() to play it again.")
        key = str(key).strip().upper()
        if key not in node.options:
            raise ValueError(f"{key!r} is not an option here; choose one of: {', '.join(node.options)}")
        self.choices.append(key)
        self._render()
        return self

    def play(self, choices: Sequence[str]) -> "CallSimulator":
        """Start again and make every choice in ``choices`` in turn."""
        self.reset()
        for key in choices:
            self.choose(key)
        return self

    def reset(self) -> "CallSimulator":
        """Start the call again from the beginning."""
        self.choices = []
        self._render()
        return self

    # -- showing ---------------------------------------------------------------------------------
    def report(self) -> pd.DataFrame:
        """Every choice so far: the stage, what you said, its score out of the best, and the feedback."""
        rows = [(s.node.stage, s.option.key, s.option.say, f"{s.option.score}/{s.node.best}", s.option.feedback)
                for s in self.steps]
        frame = pd.DataFrame(rows, columns=["stage", "choice", "you said", "score", "feedback"])
        frame.index = pd.RangeIndex(1, len(frame) + 1, name="turn")
        return frame

    def summary(self) -> str:
        """The state of the call as plain text."""
        lines = [f"{self.script.title}: {len(self.steps)} turns, score {self.score} of {self.best_possible}."]
        if self.steps:
            last = self.steps[-1]
            lines.append(f"Last choice {last.option.key} ({last.option.score}/{last.node.best}): "
                         f"{last.option.feedback}")
        node = self.current
        if node is None:
            lines.append(f"Call ended: {self.script.endings[self.ending]}")
            lines.append("Every choice was the best one." if self.perfect else
                         "Some choices could have been better: see report().")
        else:
            lines.append(f"Customer: {node.customer}" if node.customer else f"Situation: {node.situation}")
            lines += [f"  {o.key}: {o.say}" for o in node.options.values()]
        return "\n".join(lines)

    def _render(self) -> None:
        widgets = self._widgets
        esc = html.escape
        who = "Customer" if self.script.channel == "phone" else "Customer (in person)"
        parts = [f"<h4 style='margin:2px 0'>{esc(self.script.title)}</h4>"
                 f"<p style='margin:2px 0;color:#555'><i>{esc(self.script.setting)}</i></p>"]
        for step in self.steps:
            if step.node.customer:
                parts.append(f"<p style='margin:2px 0'><b>{who}:</b> {esc(step.node.customer)}</p>")
            elif step.node.situation:
                parts.append(f"<p style='margin:2px 0;color:#555'><i>{esc(step.node.situation)}</i></p>")
            colour = {2: "#1b7f3b", 1: "#8a6d00", 0: "#b3261e"}.get(step.option.score, "#555")
            parts.append(f"<p style='margin:2px 0 2px 24px'><b>You:</b> {esc(step.option.say)}<br>"
                         f"<span style='color:{colour}'>{step.option.score}/{step.node.best}: "
                         f"{esc(step.option.feedback)}</span></p>")
        node = self.current
        buttons = []
        if node is None:
            verdict = ("Every choice was the best one." if self.perfect
                       else "Some choices could have been better: press Start again and try another route.")
            parts.append("<div style='border-left:6px solid #3b5bdb;padding:4px 10px'>"
                         f"<b>Call ended.</b> {esc(self.script.endings[self.ending])}<br>"
                         f"Score {self.score} of {self.best_possible}. {verdict}</div>")
        else:
            if node.customer:
                parts.append(f"<p style='margin:6px 0 2px 0'><b>{who}:</b> {esc(node.customer)}</p>")
            else:
                parts.append(f"<p style='margin:6px 0 2px 0;color:#555'><i>{esc(node.situation)}</i></p>")
            parts.append("<p style='margin:2px 0'><b>What do you say?</b></p><ol type='A' style='margin:2px 0'>"
                         + "".join(f"<li>{esc(o.say)}</li>" for o in node.options.values()) + "</ol>")
            for key in node.options:
                button = widgets.Button(description=key, layout=widgets.Layout(width="60px"))
                button.on_click(lambda _, key=key: self.choose(key))
                buttons.append(button)
        self.buttons.children = tuple(buttons)
        self.view.value = "".join(parts)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        if isinstance(bundle, dict):
            bundle["text/plain"] = self.summary()
        return bundle

    def __repr__(self) -> str:
        return self.summary()
