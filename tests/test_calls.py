"""ssup.calls and call_transcripts.csv: the call checklist, transcripts, the branching call simulator
(scripts are data), and the generated calls' consistency with the tickets they became."""

import re
import pandas as pd
import pytest
import yaml

from ssup import calls, service
from ssup.data import load
from ssup.data.calls import STORIES, _words
from ssup.data.generate import generate


def test_checklist_is_in_call_order_with_known_stages():
    steps = [step for step, _, _ in calls.CHECKLIST]
    assert len(steps) == len(set(steps)) == 12
    stages = [stage for _, stage, _ in calls.CHECKLIST]
    assert [s for i, s in enumerate(stages) if s not in stages[:i]] == list(calls.STAGES)
    assert calls.checklist_table().index.name == "step"


def test_vague_words():
    assert calls.vague_words("Several sensors not working, will fix soon etc.") == ["soon", "several", "etc",
                                                                                   "not working"]
    assert calls.vague_words("12 sensors offline since 06:00; call back by 14:00.") == []
    assert calls.vague_words("someone") == []  # whole words only


def test_turns_find_and_show(capsys):
    text = "Agent: Hello, how can I help?\nCaller: Twelve sensors are offline.\nAgent: Since when?"
    table = calls.turns(text)
    assert list(table.speaker) == ["Agent", "Caller", "Agent"] and table.index[0] == 1
    assert calls.find(text, r"\?$", speaker="agent").said.tolist() == ["Hello, how can I help?", "Since when?"]
    assert calls.find(text, r"(twelve|ten) sensors").index.tolist() == [2]
    calls.show_transcript(load("call_transcripts"), "CALL-001")
    shown = capsys.readouterr().out
    assert shown.startswith("CALL-001: phone call on ") and "Caller: " in shown


# -- scripts ----------------------------------------------------------------------------------------------
def _best_path(script):
    choices, node = [], script.nodes[script.start]
    while True:
        key = max(node.options, key=lambda k: node.options[k].score)
        choices.append(key)
        target = node.options[key].next
        if target.startswith(calls.END_PREFIX):
            return choices
        node = script.nodes[target]


@pytest.mark.parametrize("name", calls.script_names())
def test_every_script_is_well_formed(name):
    script = calls.load_script(name)
    reached, todo = set(), [script.start]
    while todo:
        node = script.nodes[todo.pop()]
        reached.add(node.id)
        assert set(node.options) == {"A", "B", "C"} and node.best == 2
        assert node.customer or node.situation
        for option in node.options.values():
            assert option.feedback and option.say and option.score in (0, 1, 2)
            if not option.next.startswith(calls.END_PREFIX) and option.next not in reached:
                todo.append(option.next)
    assert reached == set(script.nodes), "every node can be reached"
    best = _best_path(script)
    assert len(set(best)) > 1, "the best answer is not always the same letter"
    steps, ending = calls.replay(script, best)
    assert ending is not None and all(step.best for step in steps)


def test_replay_explains_bad_choices():
    with pytest.raises(ValueError, match="options are A, B, C"):
        calls.replay("freezer_offline", ["A", "D"])
    with pytest.raises(ValueError, match="one too many"):
        calls.replay("door_alarms_visit", list("BACBCA"))
    assert calls.replay("freezer_offline", []) == ([], None)
    with pytest.raises(ValueError, match="no call script"):
        calls.load_script("nonexistent")


def test_script_files_are_validated(tmp_path):
    raw = yaml.safe_load(calls.SCRIPTS_FILE.read_text(encoding="utf-8"))
    raw["scripts"]["freezer_offline"]["nodes"]["ring"]["options"]["A"]["next"] = "nowhere"
    broken = tmp_path / "broken.yml"
    broken.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(ValueError, match="unknown 'nowhere'"):
        calls.load_script("freezer_offline", path=broken)


def test_simulator_driven_from_code_and_by_its_buttons():
    sim = calls.CallSimulator("freezer_offline")
    assert sim.current.id == "ring" and not sim.finished and sim.score == 0
    sim.choose("c")
    assert sim.score == 0 and sim.best_possible == 2 and sim.current.id == "listen"
    assert "Asking for a number" in sim.summary()
    sim.buttons.children[0].click()  # the "A" button: jumping to a fix
    assert sim.choices == ["C", "A"] and sim.current.id == "annoyed"
    with pytest.raises(ValueError, match="not an option"):
        sim.choose("D")
    sim.play(_best_path(sim.script))
    assert sim.finished and sim.perfect and sim.score == sim.best_possible == 18
    assert sim.buttons.children == () and "Call ended" in sim.view.value
    with pytest.raises(ValueError, match="has ended"):
        sim.choose("A")
    report = sim.report()
    assert list(report.columns) == ["stage", "choice", "you said", "score", "feedback"] and len(report) == 9
    sim.restart_button.click()
    assert sim.choices == [] and sim.current.id == "ring"
    bundle = sim._repr_mimebundle_()
    assert bundle["text/plain"] == sim.summary()


def test_a_transfer_ends_the_call_badly():
    sim = calls.CallSimulator("freezer_offline").play(["A", "A", "C"])
    assert sim.finished and not sim.perfect and sim.ending == "cold_transfer"


# -- the generated calls ---------------------------------------------------------------------------------
@pytest.fixture(scope="module", params=["committed", "seed7"])
def data(request, tmp_path_factory):
    if request.param == "committed":
        return {name: load(name) for name in ("call_transcripts", "tickets", "installed_base", "customers")}
    folder = tmp_path_factory.mktemp("seed7calls")
    frames = generate(folder, seed=7, readme=False)
    return {name: frames[name] for name in ("call_transcripts", "tickets", "installed_base", "customers")}


def test_calls_match_the_tickets_they_became(data):
    transcripts = data["call_transcripts"]
    assert transcripts.call_id.tolist() == list(STORIES)
    tickets = data["tickets"].set_index("ticket_id")
    owned = data["installed_base"].set_index(["customer_id", "product_id"]).quantity
    for row in transcripts.itertuples():
        ticket = tickets.loc[row.ticket_id]
        for field in ("customer_id", "contact_id", "agent_id", "product_id", "category", "priority"):
            assert getattr(row, field) == ticket[field], (row.call_id, field)
        assert row.started_at + pd.Timedelta(seconds=row.duration_s) == ticket.created_at
        assert (row.channel == "in_person") == (ticket.channel == "in_person")
        if row.product_id.startswith("SNS-"):
            assert row.devices_affected <= owned[(row.customer_id, row.product_id)]
        facts = {"devices_affected": row.devices_affected, "production_stopped": row.production_stopped,
                 "degraded": True, "workaround": row.workaround}
        assert service.priority(facts) == row.priority


def test_missed_steps_are_the_steps_missing_from_the_transcript(data):
    step_ids = [s for s, _, _ in calls.CHECKLIST]
    for row in data["call_transcripts"].itertuples():
        missed = [] if pd.isna(row.missed_steps) else row.missed_steps.split(";")
        story, allowed, (low, high) = STORIES[row.call_id]
        assert set(missed) <= set(allowed) and low <= len(missed) <= high
        assert missed == [s for s in step_ids if s in missed], "listed in checklist order"
        text = row.transcript
        assert ("reference" in missed) == (row.ticket_id not in text)
        assert ("anything_else" in missed) == ("anything else" not in text)
        assert ("summary" in missed) == (not re.search(r"Is that right\?", text))
        assert ("since_when" in missed) == pd.isna(row.problem_since)
        assert ("next_steps" in missed) == pd.isna(row.next_step)
        if "scope" not in missed:
            said = rf"\b({row.devices_affected}|{_words(row.devices_affected)}|just (the |this )?one)\b"
            assert not calls.find(text, said, speaker="Caller" if row.channel == "phone" else "Customer").empty


def test_callers_name_a_company_that_identifies_one_account(data):
    customers = data["customers"]
    for row in data["call_transcripts"].itertuples():
        name = customers.set_index("customer_id").loc[row.customer_id, "name"]
        spoken = name.rsplit(" ", 1)[0]
        if "identify" not in str(row.missed_steps):
            assert spoken in row.transcript
        assert customers.name.str.lower().str.contains(spoken.lower(), regex=False).sum() == 1
