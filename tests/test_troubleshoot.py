"""ssup.troubleshoot and device_telemetry.csv: the trees are valid data, the automatic diagnosis finds the cause
built into every case (on the committed data and on another seed), and the walk-through widget works by code
and by click."""

import pandas as pd
import pytest
import yaml

from ssup import troubleshoot
from ssup.data import load
from ssup.data.generate import FIRMWARE_BAD, generate
from ssup.data.troubleshooting import CASES, DAYS


def test_guide_is_valid_and_every_cause_has_an_article():
    guide = troubleshoot.load_guide()
    assert set(guide.trees) == {"missing_data", "battery"}
    articles = load("kb_articles")
    for cause in guide.causes.values():
        article = troubleshoot.kb_article_for(cause.id, articles=articles)
        assert cause.kb_title.lower() in article.title.lower()
    assert troubleshoot.kb_article_for("weak_signal", "SNS-LVL-100").product_id == "SNS-LVL-100"
    table = troubleshoot.tree_table("missing_data")
    assert list(table.columns) == ["check", "question", "answer", "leads to"]
    assert table["leads to"].str.startswith("CAUSE").sum() == 6


@pytest.mark.parametrize("change,message", [
    (lambda raw: raw["trees"]["battery"]["checks"]["signal"]["answers"]["weak"].update(next="cause: gremlins"),
     "unknown 'cause: gremlins'"),
    (lambda raw: raw["trees"]["battery"]["checks"].update(orphan=raw["trees"]["battery"]["checks"]["voltage"]),
     "cannot be reached"),
    (lambda raw: raw["trees"]["battery"]["checks"]["voltage"]["auto"].update(measure="magic"), "not consistent"),
])
def test_broken_trees_are_refused(tmp_path, change, message):
    raw = yaml.safe_load(troubleshoot.GUIDE_FILE.read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "guide.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        troubleshoot.load_guide(path)


@pytest.fixture(scope="module", params=["committed", "seed7"])
def data(request, tmp_path_factory):
    if request.param == "committed":
        return {name: load(name) for name in ("device_telemetry", "tickets", "installed_base")}
    frames = generate(tmp_path_factory.mktemp("seed7tel"), seed=7, readme=False)
    return {name: frames[name] for name in ("device_telemetry", "tickets", "installed_base")}


def test_diagnosis_finds_the_cause_built_into_every_case(data):
    telemetry = data["device_telemetry"]
    assert sorted(telemetry.case_id.unique()) == sorted(CASES)
    for case_id, (_, tree, cause) in CASES.items():
        case = telemetry[telemetry.case_id == case_id]
        diagnosis = troubleshoot.diagnose(case, tree)
        assert diagnosis.cause == cause, (case_id, str(diagnosis))
        assert list(diagnosis.table().columns) == ["check", "question", "measured", "answer"]


def test_telemetry_is_consistent_with_tickets_and_installed_base(data):
    telemetry, tickets = data["device_telemetry"], data["tickets"].set_index("ticket_id")
    owned = set(zip(data["installed_base"].customer_id, data["installed_base"].product_id))
    assert (telemetry.uplinks_received <= telemetry.uplinks_expected).all()
    assert telemetry.groupby(["case_id", "device_id", "date"]).size().max() == 1
    for (case_id, ticket_id), case in telemetry.groupby(["case_id", "ticket_id"]):
        ticket = tickets.loc[ticket_id]
        assert (case.customer_id == ticket.customer_id).all()
        assert case.date.max() == ticket.created_at.normalize() - pd.Timedelta(days=1)
        assert case.date.nunique() == DAYS
        assert all((ticket.customer_id, p) in owned for p in case.product_id.unique())
        gateway = case[case.role == "gateway"].set_index("date")
        sensors = case[case.role == "sensor"].groupby("date")[["uplinks_expected", "uplinks_received"]].sum()
        assert (gateway[["uplinks_expected", "uplinks_received"]] == sensors).all().all()
        assert case.loc[case.role == "sensor", "gateway_id"].eq(gateway.device_id.iloc[0]).all()
    dx1 = telemetry[telemetry.case_id == "DX-1"]
    update = dx1[(dx1.role == "gateway") & (dx1.firmware_version == FIRMWARE_BAD)].date.min()
    assert troubleshoot.first_gap_day(dx1) == update
    assert tickets.loc[dx1.ticket_id.iloc[0], "firmware_version"] == FIRMWARE_BAD


def test_device_summary_and_plot():
    telemetry = load("device_telemetry")
    case = telemetry[telemetry.case_id == "DX-2"]
    summary = troubleshoot.device_summary(case)
    assert summary.role.iloc[0] == "gateway" and summary.device_id.is_unique
    worst = summary[summary.role == "sensor"].iloc[0]
    assert worst.delivery < 0.95 and worst.rssi_dbm < -120 and worst.spreading_factor >= 11
    ax = troubleshoot.plot_delivery(telemetry[telemetry.case_id == "DX-1"])
    assert ax.get_title() and ax.get_xlabel() == "Day" and "%" in ax.get_ylabel()
    assert any("firmware" in text.get_text() for text in ax.texts)
    import matplotlib.pyplot as plt

    plt.close("all")


def test_walkthrough_by_code_and_by_click():
    walk = troubleshoot.Walkthrough("missing_data", product_id="SNS-TMP-200")
    assert walk.current == "how_many" and not walk.finished
    labels = [b.description for b in walk.buttons.children]
    assert labels == ["All (or nearly all) of them", "Only one or a few"]
    walk.buttons.children[1].click()
    assert walk.path == [("how_many", "some")] and walk.current == "signal"
    walk.answer("weak")
    assert walk.finished and walk.cause.id == "weak_signal" and walk.buttons.children == ()
    assert "Likely cause" in walk.view.value and "signal strength" in walk.view.value
    summary = walk.summary()
    assert "Cause: Weak radio link" in summary and "Article: KB-" in summary
    with pytest.raises(ValueError, match="reached a cause"):
        walk.answer("weak")
    walk.back()
    assert walk.current == "signal" and walk.cause is None
    with pytest.raises(ValueError, match="choose one of: weak, good"):
        walk.answer("maybe")
    walk.reset()
    assert walk.path == [] and walk.current == "how_many"
    assert walk._repr_mimebundle_()["text/plain"].startswith("Symptom: Readings missing")
    with pytest.raises(ValueError, match="no tree"):
        troubleshoot.Walkthrough("smoke")
