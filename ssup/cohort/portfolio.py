"""A trainee's SFIA evidence summary for the skill Sales support (SSUP).

For each SSUP level the cohort covered, every behaviour statement of that level (quoted from
``curriculum.yml``) with: whether the trainee demonstrated it in the graded exercises (at least
:data:`ssup.cohort.report.MASTERY` of its questions correct), the evidence (notebook, question,
result, feedback, date graded) and space for the assessor's sign-off. Behaviours no exercise
assesses (the communication behaviours are assessed in the role-plays of the trainer guide) are
listed with space for observed evidence.

Written as Markdown (to edit or paste into an e-portfolio) and as printable HTML.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

import pandas as pd

from ssup.cohort.folder import Cohort, CohortError
from ssup.cohort.report import MASTERY, _behaviour_key
from ssup.cohort.results import table
from ssup.config import curriculum

STATUS_WORDS = {"correct": "Correct", "incorrect": "Not yet correct", "unattempted": "Not attempted",
                "not_run": "Not run (notebook problem)"}


def evidence(cohort: Cohort, trainee_id: str, db_url: str | None = None) -> dict[str, Any]:
    """The portfolio's content as data (also used by the tests)."""
    roster = {t.trainee_id: t for t in cohort.roster()}
    if trainee_id not in roster:
        raise CohortError(f"There is no trainee {trainee_id!r} in the roster of {cohort.name}.")
    trainee = roster[trainee_id]
    frame = table(cohort, db_url)
    mine = frame[frame["trainee"] == trainee_id]
    skill = curriculum().get("skill", {})
    levels_covered = sorted({int(unit.level) for unit in cohort.units if unit.level})
    graded = mine["graded_at"].dropna()
    levels = []
    for level in curriculum()["levels"]:
        if level["level"] not in levels_covered:
            continue
        items = []
        for behaviour in level["behaviours"]:
            code = behaviour["id"]
            rows = mine[mine["behaviours"].str.split(";").apply(lambda codes, c=code: c in codes)]
            proofs = [{"notebook": r.notebook, "question": r.question, "title": r.title, "status": r.status,
                       "result": STATUS_WORDS.get(r.status, r.status), "detail": r.detail,
                       "graded": r.graded_at.strftime("%Y-%m-%d") if isinstance(r.graded_at, (dt.datetime, pd.Timestamp))
                       and not pd.isna(r.graded_at) else "not graded"} for r in rows.itertuples()]
            correct = sum(p["status"] == "correct" for p in proofs)
            if not proofs:
                outcome = "Not assessed by exercises: assess by observation (role-play, workplace evidence)"
            elif correct / len(proofs) >= MASTERY - 1e-9:
                outcome = f"Demonstrated ({correct} of {len(proofs)} exercise questions correct)"
            else:
                outcome = f"Not yet demonstrated ({correct} of {len(proofs)} exercise questions correct)"
            items.append({"code": code, "statement": behaviour["statement"], "outcome": outcome,
                          "demonstrated": bool(proofs) and correct / len(proofs) >= MASTERY - 1e-9,
                          "evidence": proofs})
        levels.append({"level": level["level"], "behaviours": sorted(items, key=lambda i: _behaviour_key(i["code"]))})
    return {
        "skill_code": skill.get("code", "SSUP"), "skill_name": skill.get("name", "Sales support"),
        "framework": skill.get("framework", "SFIA"), "description": skill.get("description", ""),
        "trainee": trainee.trainee_id, "name": trainee.name, "email": trainee.email, "cohort": cohort.name,
        "date_graded": max(graded).strftime("%Y-%m-%d") if len(graded) else "not graded yet",
        "levels": levels,
    }


SIGN_OFF = ("Assessor name: ______________________  Signature: ______________________  Date: ____________\n\n"
            "Assessor's decision: [ ] Agreed  [ ] Not yet agreed  Comments: "
            "________________________________________________")


def to_markdown(data: dict[str, Any]) -> str:
    lines = [
        f"# SFIA evidence summary: {data['skill_name']} ({data['skill_code']})",
        "",
        f"- **Trainee:** {data['name']} ({data['trainee']}), {data['email']}",
        f"- **Skill:** {data['skill_code']} {data['skill_name']}: {data['description']}",
        f"- **Framework:** {data['framework']}",
        f"- **Cohort:** {data['cohort']}",
        f"- **Levels covered:** {', '.join(str(level['level']) for level in data['levels']) or 'none'}",
        f"- **Date graded:** {data['date_graded']}",
        "",
        f"A behaviour is *demonstrated* in the exercises when at least {MASTERY:.0%} of the questions assessing it "
        "are correct. Evidence was produced in the SSUP training notebooks and graded automatically; the "
        "assessor confirms or overrides each behaviour below.",
    ]
    for level in data["levels"]:
        lines += ["", f"## {data['skill_code']} level {level['level']}"]
        for item in level["behaviours"]:
            lines += ["", f"### {data['skill_code']} level {level['level']}, behaviour {item['code']}",
                      "", f"> {item['statement']}", "", f"**Outcome:** {item['outcome']}", "", "**Evidence:**", ""]
            if item["evidence"]:
                lines += ["| Exercise | Question | Result | Feedback | Date graded |", "| --- | --- | --- | --- | --- |"]
                for proof in item["evidence"]:
                    cells = [proof["notebook"], f"{proof['question']} {proof['title']}", proof["result"],
                             proof["detail"], proof["graded"]]
                    lines.append("| " + " | ".join(c.replace("|", "/").replace("\n", " ") for c in cells) + " |")
            else:
                lines.append("No exercise assesses this behaviour in this cohort.")
            lines += ["", "Observed evidence (role-play or workplace, with date): "
                          "______________________________________________", "", SIGN_OFF]
    lines += ["", "## Declaration", "",
              "Trainee: I confirm the exercise work above is my own. Signature: ______________  Date: ________", "",
              "Assessor: I have reviewed the evidence above against the SFIA SSUP behaviour statements. "
              "Signature: ______________  Date: ________", ""]
    return "\n".join(lines)


def to_html(data: dict[str, Any]) -> str:
    e = html.escape
    out = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
           f"<title>SFIA evidence: {e(data['name'])} ({e(data['skill_code'])})</title><style>",
           "body{font-family:system-ui,sans-serif;max-width:960px;margin:24px auto;padding:0 16px;color:#222}",
           "table{border-collapse:collapse;font-size:13px;width:100%}th,td{border:1px solid #bbb;padding:4px 6px;"
           "text-align:left;vertical-align:top}th{background:#eef1fb}blockquote{border-left:4px solid #3b5bdb;"
           "margin:6px 0;padding:2px 10px;background:#f6f7fb}.sign{border:1px dashed #888;padding:8px;margin:8px 0 20px}"
           ".behaviour{page-break-inside:avoid}</style></head><body>",
           f"<h1>SFIA evidence summary: {e(data['skill_name'])} ({e(data['skill_code'])})</h1>",
           "<table>",
           f"<tr><th>Trainee</th><td>{e(data['name'])} ({e(data['trainee'])}), {e(data['email'])}</td></tr>",
           f"<tr><th>Skill</th><td>{e(data['skill_code'])} {e(data['skill_name'])}: {e(data['description'])}</td></tr>",
           f"<tr><th>Framework</th><td>{e(data['framework'])}</td></tr>",
           f"<tr><th>Cohort</th><td>{e(data['cohort'])}</td></tr>",
           f"<tr><th>Date graded</th><td>{e(data['date_graded'])}</td></tr></table>",
           f"<p>A behaviour is <i>demonstrated</i> in the exercises when at least {MASTERY:.0%} of the questions "
           "assessing it are correct. The assessor confirms or overrides each behaviour.</p>"]
    for level in data["levels"]:
        out.append(f"<h2>{e(data['skill_code'])} level {level['level']}</h2>")
        for item in level["behaviours"]:
            out.append(f"<div class='behaviour'><h3>{e(data['skill_code'])} level {level['level']}, behaviour {e(item['code'])}</h3>"
                       f"<blockquote>{e(item['statement'])}</blockquote><p><b>Outcome:</b> {e(item['outcome'])}</p>")
            if item["evidence"]:
                out.append("<table><tr><th>Exercise</th><th>Question</th><th>Result</th><th>Feedback</th><th>Date graded</th></tr>")
                for proof in item["evidence"]:
                    out.append(f"<tr><td>{e(proof['notebook'])}</td><td>{e(proof['question'])} {e(proof['title'])}</td>"
                               f"<td>{e(proof['result'])}</td><td>{e(proof['detail'])}</td><td>{e(proof['graded'])}</td></tr>")
                out.append("</table>")
            else:
                out.append("<p>No exercise assesses this behaviour in this cohort.</p>")
            out.append("<p>Observed evidence (role-play or workplace, with date): "
                       "____________________________________________</p>")
            out.append("<div class='sign'>Assessor name: ____________________ Signature: ____________________ "
                       "Date: ____________<br>Decision: &#9744; Agreed &#9744; Not yet agreed<br>Comments:</div></div>")
    out.append("<h2>Declaration</h2><p>Trainee: I confirm the exercise work above is my own. "
               "Signature: ______________ Date: ________</p><p>Assessor: I have reviewed the evidence above against "
               "the SFIA SSUP behaviour statements. Signature: ______________ Date: ________</p></body></html>")
    return "\n".join(out)


def write_portfolio(cohort: Cohort, trainee_id: str, out: Path | str | None = None,
                    db_url: str | None = None) -> list[Path]:
    """Write ``<out>.md`` and ``<out>.html`` (default ``DIR/portfolios/<trainee_id>``)."""
    data = evidence(cohort, trainee_id, db_url)
    base = Path(out) if out else cohort.root / "portfolios" / trainee_id
    if base.suffix in (".md", ".html"):
        base = base.with_suffix("")
    base.parent.mkdir(parents=True, exist_ok=True)
    markdown, page = base.with_suffix(".md"), base.with_suffix(".html")
    markdown.write_text(to_markdown(data), encoding="utf-8")
    page.write_text(to_html(data), encoding="utf-8")
    return [markdown, page]
