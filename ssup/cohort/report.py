"""The cohort report: one self-contained HTML file (figures embedded as PNG, no external files).

Sections: summary; trainee x question heatmap; mastery per SFIA SSUP behaviour; results per
question; the most common wrong answers per question (feedback texts grouped); who needs help
now (lowest scores, notebook problems, and, when attempts logs exist, who is stuck in the live
session); notebook problems; scores per trainee.

A behaviour counts as *demonstrated* by a trainee when at least :data:`MASTERY` of the questions
assessing it are correct (with up to four questions per behaviour, that means all of them).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
from pathlib import Path
from typing import Any

import pandas as pd

from ssup.cohort.folder import Cohort
from ssup.cohort.results import table
from ssup.config import behaviours as behaviour_statements

MASTERY = 0.8
COLOURS = {"correct": "#1b7f3b", "incorrect": "#b3261e", "unattempted": "#e0b000", "not_run": "#7a7a7a"}
NEEDS_HELP_SCORE = 0.5


def behaviour_evidence(frame: pd.DataFrame) -> pd.DataFrame:
    """Per trainee x behaviour: questions, correct, share correct, demonstrated (>= MASTERY)."""
    rows = []
    for record in frame.itertuples():
        for behaviour in filter(None, str(record.behaviours).split(";")):
            rows.append({"trainee": record.trainee, "behaviour": behaviour, "correct": record.status == "correct"})
    if not rows:
        return pd.DataFrame(columns=["trainee", "behaviour", "questions", "correct", "share", "demonstrated"])
    long = pd.DataFrame(rows)
    grouped = long.groupby(["trainee", "behaviour"], sort=False).agg(questions=("correct", "size"),
                                                                     correct=("correct", "sum")).reset_index()
    grouped["share"] = grouped["correct"] / grouped["questions"]
    grouped["demonstrated"] = grouped["share"] >= MASTERY - 1e-9
    return grouped


def _behaviour_key(code: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in code.split("."))
    except ValueError:
        return (99,)


def _figure_png(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def heatmap_figure(frame: pd.DataFrame) -> Any:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    codes = {status: index for index, status in enumerate(COLOURS)}
    trainees = list(dict.fromkeys(frame["trainee"]))
    questions = list(dict.fromkeys(frame["question"]))
    grid = (frame.assign(code=frame["status"].map(codes))
            .pivot(index="trainee", columns="question", values="code").reindex(index=trainees, columns=questions))
    width = min(16.0, 2.5 + 0.45 * len(questions))
    height = min(24.0, 1.5 + 0.32 * len(trainees))
    fig, ax = plt.subplots(figsize=(width, height))
    ax.imshow(grid.to_numpy(dtype=float), cmap=ListedColormap(list(COLOURS.values())), vmin=-0.5,
              vmax=len(COLOURS) - 0.5, aspect="auto", interpolation="nearest")
    ax.set_xticks(range(len(questions)), questions, rotation=90, fontsize=8)
    ax.set_yticks(range(len(trainees)), trainees, fontsize=8)
    ax.set_xlabel("Question")
    ax.set_ylabel("Trainee")
    ax.set_title("Result of every trainee on every question")
    ax.set_xticks([x - 0.5 for x in range(1, len(questions))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(trainees))], minor=True)
    ax.grid(which="minor", color="white", linewidth=1)
    ax.tick_params(which="minor", length=0)
    ax.legend(handles=[Patch(color=c, label=s.replace("_", " ")) for s, c in COLOURS.items()],
              loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
    return fig


def mastery_figure(mastery: pd.DataFrame, statements: dict[str, str]) -> Any:
    import matplotlib.pyplot as plt

    labels = [f"{b}  {_short(statements.get(b, ''), 60)}" for b in mastery["behaviour"]]
    fig, ax = plt.subplots(figsize=(9.0, 1.0 + 0.45 * len(mastery)))
    positions = list(range(len(mastery)))[::-1]
    ax.barh(positions, mastery["percent_correct"], color="#3b5bdb", label="answers correct")
    ax.scatter(mastery["percent_demonstrated"], positions, color="#111", zorder=3, label="trainees who demonstrated it")
    ax.set_yticks(positions, labels, fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Percent")
    ax.set_title("Mastery per SFIA SSUP behaviour")
    ax.legend(loc="lower right", fontsize=8)
    return fig


def questions_figure(frame: pd.DataFrame) -> Any:
    import matplotlib.pyplot as plt

    counts = (frame.groupby(["question", "status"], sort=False).size().unstack(fill_value=0)
              .reindex(columns=list(COLOURS), fill_value=0).reindex(list(dict.fromkeys(frame["question"]))))
    fig, ax = plt.subplots(figsize=(min(16.0, 2.5 + 0.45 * len(counts)), 3.6))
    bottom = pd.Series(0, index=counts.index)
    for status, colour in COLOURS.items():
        ax.bar(counts.index, counts[status], bottom=bottom, color=colour, label=status.replace("_", " "))
        bottom = bottom + counts[status]
    ax.set_ylabel("Trainees")
    ax.set_xlabel("Question")
    ax.set_title("Results per question")
    ax.tick_params(axis="x", rotation=90, labelsize=8)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
    return fig


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _table(frame: pd.DataFrame, columns: dict[str, str] | None = None, empty: str = "None.") -> str:
    if frame.empty:
        return f"<p class='muted'>{html.escape(empty)}</p>"
    columns = columns or {c: c for c in frame.columns}
    head = "".join(f"<th>{html.escape(label)}</th>" for label in columns.values())
    body = []
    for record in frame[list(columns)].itertuples(index=False):
        cells = []
        for value in record:
            if isinstance(value, float):
                value = f"{value:.0f}" if value == int(value) else f"{value:.1f}"
            cells.append(f"<td>{html.escape(str(value))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def common_wrong_answers(frame: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    """Per question, the ``top`` most common feedback texts of incorrect answers."""
    wrong = frame[frame["status"] == "incorrect"].copy()
    if wrong.empty:
        return pd.DataFrame(columns=["question", "title", "detail", "trainees", "who"])
    wrong["text"] = wrong["detail"].str.replace(r"\s*\[notebook .*\]$", "", regex=True)
    grouped = (wrong.groupby(["question", "title", "text"], sort=False)
               .agg(trainees=("trainee", "nunique"), who=("trainee", lambda s: ", ".join(sorted(set(s))[:8])))
               .reset_index().rename(columns={"text": "detail"}))
    order = {q: i for i, q in enumerate(dict.fromkeys(frame["question"]))}
    grouped["order"] = grouped["question"].map(order)
    grouped = grouped.sort_values(["order", "trainees", "detail"], ascending=[True, False, True])
    return grouped.groupby("question", sort=False).head(top).drop(columns="order").reset_index(drop=True)


def needs_help(frame: pd.DataFrame, evidence: pd.DataFrame, live: Any = None) -> pd.DataFrame:
    """Trainees to go and see first: low score, a notebook that failed, or stuck right now."""
    rows = []
    stuck = {}
    if live is not None and not live.stuck.empty:
        stuck = {r.trainee: f"stuck on {r.question} for {r.minutes_on_question:g} min" for r in live.stuck.itertuples()}
    for trainee, group in frame.groupby("trainee", sort=False):
        score = (group["status"] == "correct").mean()
        problems = sorted({p for p in group["problems"] if p})
        missing = evidence[(evidence["trainee"] == trainee) & ~evidence["demonstrated"]]["behaviour"].tolist()
        reasons = []
        if set(group["notebook_status"]) == {"missing"}:
            reasons.append("no notebook collected")
        elif score < NEEDS_HELP_SCORE:
            reasons.append(f"{score:.0%} of answers correct")
        if problems:
            reasons.append("; ".join(_short(p, 140) for p in problems))
        if trainee in stuck:
            reasons.append(stuck[trainee])
        if reasons:
            rows.append({"trainee": trainee, "name": group["name"].iloc[0], "score": round(100 * score),
                         "not_yet": ", ".join(sorted(missing, key=_behaviour_key)) or "-",
                         "why": " | ".join(reasons)})
    result = pd.DataFrame(rows, columns=["trainee", "name", "score", "not_yet", "why"])
    return result.sort_values(["score", "trainee"]).reset_index(drop=True)


STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
h1{margin-bottom:0}h2{border-bottom:2px solid #3b5bdb;padding-bottom:4px;margin-top:36px}
table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef1fb}.muted{color:#666}.cards{display:flex;gap:12px;flex-wrap:wrap}
.card{border:1px solid #ccc;border-radius:6px;padding:8px 14px;min-width:120px}.card b{font-size:22px;display:block}
img{max-width:100%;height:auto;border:1px solid #eee}
@media print{h2{page-break-before:auto}img{max-width:100%}}
"""


def build_report(cohort: Cohort, db_url: str | None = None, now: dt.datetime | None = None,
                 include_live: bool = True) -> str:
    """The report's HTML text."""
    import matplotlib

    matplotlib.use("Agg")
    frame = table(cohort, db_url)
    statements = behaviour_statements()
    evidence = behaviour_evidence(frame)
    trainees = frame["trainee"].nunique()
    answered = frame[frame["status"] != "unattempted"]
    now = now or dt.datetime.now(dt.timezone.utc)

    live = None
    if include_live:
        try:
            from ssup.cohort.live import snapshot

            if any(path.is_file() for path in cohort.attempts_logs().values()):
                live = snapshot(cohort.root)
        except Exception:  # noqa: BLE001 - the report never fails for the live part
            live = None

    mastery_rows = []
    for behaviour, group in evidence.groupby("behaviour"):
        mastery_rows.append({"behaviour": behaviour, "statement": statements.get(behaviour, ""),
                             "questions": int(group["questions"].max()),
                             "percent_correct": 100 * group["correct"].sum() / max(1, group["questions"].sum()),
                             "percent_demonstrated": 100 * group["demonstrated"].mean(),
                             "demonstrated": f"{int(group['demonstrated'].sum())} of {len(group)}"})
    mastery = pd.DataFrame(mastery_rows, columns=["behaviour", "statement", "questions", "percent_correct",
                                                  "percent_demonstrated", "demonstrated"])
    mastery = mastery.sort_values("behaviour", key=lambda s: s.map(_behaviour_key)).reset_index(drop=True)

    scores = (frame.groupby(["trainee", "name"], sort=False)
              .agg(correct=("status", lambda s: int((s == "correct").sum())), questions=("status", "size"),
                   unattempted=("status", lambda s: int((s == "unattempted").sum())),
                   not_run=("status", lambda s: int((s == "not_run").sum())))
              .reset_index())
    scores["score"] = (100 * scores["correct"] / scores["questions"]).round().astype(int)
    problems = (frame[frame["problems"] != ""][["trainee", "notebook", "notebook_status", "problems"]]
                .drop_duplicates().reset_index(drop=True))
    graded = frame["graded_at"].dropna()
    last_graded = max(graded).strftime("%Y-%m-%d %H:%M UTC") if len(graded) else "not graded yet"
    help_now = needs_help(frame, evidence, live)
    wrong = common_wrong_answers(frame)

    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Cohort report: {html.escape(cohort.name)}</title><style>{STYLE}</style></head><body>",
        f"<h1>Cohort report: {html.escape(cohort.name)}</h1>",
        f"<p class='muted'>SFIA skill SSUP (Sales support). Notebooks: {html.escape(', '.join(cohort.notebooks))}. "
        f"Last graded: {last_graded}. Report written {now.strftime('%Y-%m-%d %H:%M UTC')}.</p>",
        "<div class='cards'>",
        f"<div class='card'><b>{trainees}</b>trainees</div>",
        f"<div class='card'><b>{frame['question'].nunique()}</b>questions</div>",
        f"<div class='card'><b>{(frame['status'] == 'correct').mean():.0%}</b>of answers correct</div>",
        f"<div class='card'><b>{(answered['status'] == 'correct').mean() if len(answered) else 0:.0%}</b>of attempted answers correct</div>",
        f"<div class='card'><b>{len(help_now)}</b>need help</div>",
        f"<div class='card'><b>{len(problems)}</b>notebook problems</div>",
        "</div>",
        "<h2>Who needs help now</h2>",
        "<p>Lowest scores first. A trainee is listed when under "
        f"{NEEDS_HELP_SCORE:.0%} of their answers are correct, a notebook of theirs had a problem, or the live "
        "attempts logs show them stuck.</p>",
        _table(help_now, {"trainee": "Trainee", "name": "Name", "score": "Score %", "not_yet": "Behaviours not yet shown",
                          "why": "Why"}, "Nobody: every trainee is on track."),
        "<h2>Trainee x question</h2>",
        f"<img alt='Heatmap of every trainee on every question' src='{_figure_png(heatmap_figure(frame))}'>",
        "<h2>Mastery per SFIA behaviour</h2>",
        f"<p>Bars: share of answers assessing the behaviour that are correct. Dots: share of trainees who "
        f"demonstrated it (at least {MASTERY:.0%} of its questions correct).</p>",
    ]
    if not mastery.empty:
        parts.append(f"<img alt='Mastery per behaviour' src='{_figure_png(mastery_figure(mastery, statements))}'>")
    parts += [
        _table(mastery, {"behaviour": "SSUP", "statement": "Behaviour", "questions": "Questions",
                         "percent_correct": "Answers correct %", "demonstrated": "Trainees who demonstrated it"}),
        "<h2>Results per question</h2>",
        f"<img alt='Results per question' src='{_figure_png(questions_figure(frame))}'>",
        "<h2>Most common wrong answers</h2>",
        "<p>The feedback trainees got for incorrect answers, grouped: the top three per question. "
        "Use them as discussion prompts.</p>",
        _table(wrong, {"question": "Question", "title": "Topic", "detail": "Feedback", "trainees": "Trainees",
                       "who": "Who"}, "No incorrect answers."),
        "<h2>Notebook problems</h2>",
        "<p>Timeouts, crashes, unreadable notebooks and changed given cells. The grader restored given cells "
        "and re-ran every check itself; questions it could not run are marked <i>not run</i>.</p>",
        _table(problems, {"trainee": "Trainee", "notebook": "Notebook", "notebook_status": "Status",
                          "problems": "Detail"}, "No problems."),
        "<h2>Scores per trainee</h2>",
        _table(scores, {"trainee": "Trainee", "name": "Name", "correct": "Correct", "questions": "Questions",
                        "unattempted": "Unattempted", "not_run": "Not run", "score": "Score %"}),
    ]
    if live is not None:
        parts += ["<h2>Live session (attempts logs)</h2>",
                  _table(live.trainees, {"trainee": "Trainee", "question": "Current question", "state": "State",
                                         "attempts": "Attempts", "minutes_on_question": "Minutes on it"})]
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(cohort: Cohort, path: Path | str | None = None, db_url: str | None = None) -> Path:
    target = Path(path) if path else cohort.root / "report.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(build_report(cohort, db_url), encoding="utf-8")
    return target
