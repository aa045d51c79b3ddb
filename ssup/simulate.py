"""Feasibility models a presales engineer can run in front of a prospect (Level 4).

Two small physical models:

- :func:`simulate_ingestion` - uplinks from a gateway's sensors, with alarm *bursts* (a defrost cycle, a
  door left open, a power blip that makes every sensor rejoin), queued and forwarded by the gateway: how
  many are lost and how long alarms take to reach Kestrel Cloud (percentiles), to compare with the SLA.
- :func:`battery_life_years` - how the battery life of a sensor changes with its reporting interval.

and the tools to show them: :func:`sweep` (one parameter varied, everything else fixed),
:func:`sensitivity_plot`, and :func:`feasibility_demo`, an ipywidgets panel with sliders.

The ingestion model, second by second
-------------------------------------
Each second, routine uplinks arrive (Poisson, ``sensors / interval_s`` a second on average) and, when an
alarm burst starts (``bursts_per_hour`` on average, at random moments), a share ``burst_fraction`` of the
gateway's sensors send an alarm spread over ``burst_window_s`` seconds. The gateway forwards at most
``capacity_per_s`` uplinks a second (``max_messages_per_minute / 60`` in the catalogue) and queues the
rest; its queue holds ``queue`` uplinks and an uplink that finds it full is lost. A queued uplink waits
(queue ahead of it) / capacity seconds, then crosses the backhaul (log-normal, median
``network_latency_s``). So a burst of ``s`` uplinks within ``w`` seconds loses about
``max(0, s - queue - capacity_per_s * w)`` of them. Firmware 3.2.0 of the LoRaWAN gateways has the
message-drop defect: its queue holds only :data:`DEFECT_QUEUE` uplinks.

>>> result = simulate_ingestion(sensors=200, interval_s=300, capacity_per_s=10, queue=256,
...                             bursts_per_hour=3, burst_fraction=0.6, hours=4, seed=1)
>>> result.loss_pct
0.0
>>> 2 < result.alarm_p95_s < 15
True
"""

from __future__ import annotations

import functools
import math
import numbers
from dataclasses import dataclass, field, replace
from typing import Any, Sequence

import numpy as np
import pandas as pd

__all__ = [
    "QUEUE", "DEFECT_QUEUE", "NETWORK_LATENCY_S", "GatewayProfile", "gateway_profile", "IngestionResult",
    "simulate_ingestion", "sweep", "largest_meeting_sla", "sensitivity_plot", "battery_life_years",
    "feasibility_demo", "burst_profile",
]

#: Uplinks each gateway model can queue with healthy firmware (packet-forwarder queue; the Edge 500
#: buffers to local storage, so its queue is effectively unlimited for bursts).
QUEUE = {"GW-LRW-IN": 256, "GW-LRW-OUT": 512, "GW-LTE-M": 64, "GW-EDGE-500": 100_000}
#: Firmware versions with the message-drop defect, and the queue they really have.
DEFECT_QUEUE = {"3.2.0": 16}
#: Median one-way latency from gateway to Kestrel Cloud by backhaul, in seconds (log-normal, sigma 0.5).
NETWORK_LATENCY_S = {"ethernet": 0.25, "wifi": 0.4, "cellular_only": 1.2}
NETWORK_SIGMA = 0.5
SECONDS_PER_HOUR = 3600
#: Alarm uplinks sampled per parameter value to estimate latency percentiles.
LATENCY_SAMPLE = 4000
#: Relative spread (standard deviation / mean) of the share of sensors in one burst.
BURST_SPREAD = 0.25
#: The parameter columns of one simulated row, in the order the engine reads them.
_PARAMETERS = ("sensors", "interval_s", "capacity_per_s", "queue", "bursts_per_hour", "burst_fraction",
               "network_latency_s")


@dataclass(frozen=True)
class GatewayProfile:
    """What the ingestion model needs to know about a gateway: forwarding rate and queue."""

    product_id: str
    capacity_per_s: float
    queue: int
    firmware: str = ""


def gateway_profile(product_id: str, firmware: str = "", products: pd.DataFrame | None = None) -> GatewayProfile:
    """The model parameters of a catalogue gateway, with the firmware's defect applied if it has one.

    >>> gateway_profile("GW-LRW-IN", firmware="3.2.0")
    GatewayProfile(product_id='GW-LRW-IN', capacity_per_s=10.0, queue=16, firmware='3.2.0')
    """
    if products is None:
        from ssup.data import load

        products = load("products")
    row = products.loc[products["product_id"] == product_id]
    if row.empty or row["category"].iloc[0] != "gateway":
        raise ValueError(f"{product_id!r} is not a gateway in the catalogue.")
    capacity = float(row["max_messages_per_minute"].iloc[0]) / 60
    queue = QUEUE.get(product_id, 256)
    if firmware in DEFECT_QUEUE and product_id.startswith("GW-LRW"):
        queue = DEFECT_QUEUE[firmware]
    return GatewayProfile(product_id, capacity, int(queue), firmware)


@dataclass(frozen=True)
class IngestionResult:
    """The outcome of :func:`simulate_ingestion` (uplink counts over all simulated hours)."""

    uplinks: float
    lost: float
    alarms: float
    alarm_p50_s: float
    alarm_p95_s: float
    alarm_p99_s: float
    alarm_latencies_s: np.ndarray = field(repr=False, compare=False)

    @property
    def loss_pct(self) -> float:
        """Lost uplinks as a percentage of all uplinks sent (rounded to 4 decimals)."""
        return round(100 * self.lost / self.uplinks, 4) if self.uplinks else 0.0

    def meets(self, max_loss_pct: float, alarm_p95_s: float) -> bool:
        """True when both SLA figures are met."""
        return self.loss_pct <= max_loss_pct and self.alarm_p95_s <= alarm_p95_s

    def summary(self) -> pd.Series:
        """The headline figures as a Series (uplinks per hour are not shown: they depend on ``hours``)."""
        return pd.Series({"loss_pct": self.loss_pct, "alarm_p50_s": round(self.alarm_p50_s, 2),
                          "alarm_p95_s": round(self.alarm_p95_s, 2), "alarm_p99_s": round(self.alarm_p99_s, 2)})


def _positive(value: Any, name: str, allow_zero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a number, not {value!r}.")
    if value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{name} must be {'0 or more' if allow_zero else 'more than 0'}, not {value!r}.")
    return float(value)


def _engine(rng: np.random.Generator, hour: np.ndarray, sensors: np.ndarray, interval_s: np.ndarray,
            capacity: np.ndarray, queue: np.ndarray, bursts_per_hour: np.ndarray, burst_fraction: np.ndarray,
            window: int) -> dict[str, np.ndarray]:
    """Simulate one hour for every row of the parameter arrays (shape (k,)), second by second.

    Rows with the same ``hour`` index share their random burst times and sizes (common random numbers),
    so a sweep compares parameter values under the same alarms and its curve is smooth.
    """
    k, t_len = sensors.size, SECONDS_PER_HOUR
    n_hours = int(hour.max()) + 1
    u_start = rng.random((n_hours, t_len))[hour]
    z_size = rng.standard_normal((n_hours, t_len))[hour]
    base = rng.poisson((sensors / interval_s)[:, None], size=(k, t_len)).astype(float)
    starts = u_start < (bursts_per_hour / t_len)[:, None]
    share = np.clip(burst_fraction[:, None] * (1 + BURST_SPREAD * z_size), 0, 1)
    sizes = np.where(starts, np.round(sensors[:, None] * share), 0.0)
    alarm = np.zeros((k, t_len))
    for lag in range(window):
        alarm[:, lag:] += sizes[:, : t_len - lag] / window
    arrivals = np.ascontiguousarray((base + alarm).T)  # (seconds, rows): each step reads one contiguous row
    ahead = np.empty((t_len, k))  # uplinks already queued when the second starts
    spread = np.empty((t_len, k))  # uplinks accepted during the second
    room = queue + capacity  # the gateway forwards while uplinks arrive
    q = np.zeros(k)
    for t in range(t_len):
        ahead[t] = q
        taken = np.minimum(arrivals[t], room - q, out=spread[t])
        q = np.maximum(q + taken - capacity, 0.0)
    share = np.divide(spread, arrivals, out=np.ones_like(spread), where=arrivals > 0)
    return {"uplinks": arrivals.sum(axis=0), "lost": (arrivals - spread).sum(axis=0), "alarms": alarm.sum(axis=1),
            "accepted_alarm": alarm * share.T, "ahead": ahead.T, "spread": spread.T}


def _latencies(rng: np.random.Generator, accepted_alarm: np.ndarray, ahead: np.ndarray, spread: np.ndarray,
               capacity: float, network_latency_s: float) -> np.ndarray:
    """A sample of alarm latencies (queue wait + backhaul) for one parameter value (rows = hours)."""
    weights = accepted_alarm.ravel()
    total = weights.sum()
    size = LATENCY_SAMPLE
    network = network_latency_s * np.exp(rng.normal(0, NETWORK_SIGMA, size))
    if total <= 0:
        return network
    picks = rng.choice(weights.size, size=size, p=weights / total)
    wait = (ahead.ravel()[picks] + rng.random(size) * spread.ravel()[picks]) / capacity
    return wait + network


def _run(rows: pd.DataFrame, hours: int, seed: int | None, window: int) -> list[IngestionResult]:
    """Simulate each row of parameters (columns as :func:`simulate_ingestion`) for ``hours`` hours.

    A seeded run always gives the same results, so it is simulated once and then remembered: re-running a
    notebook, or moving a demo slider back, costs nothing. Each caller gets its own copy of the latencies."""
    values = tuple(tuple(float(v) for v in row) for row in rows[list(_PARAMETERS)].itertuples(index=False))
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        return [replace(result, alarm_latencies_s=result.alarm_latencies_s.copy())
                for result in _run_seeded(values, hours, int(seed), window)]
    return _simulate(values, hours, seed, window)


@functools.lru_cache(maxsize=64)
def _run_seeded(values: tuple[tuple[float, ...], ...], hours: int, seed: int, window: int) -> tuple[IngestionResult, ...]:
    return tuple(_simulate(values, hours, seed, window))


def _simulate(values: tuple[tuple[float, ...], ...], hours: int, seed: Any, window: int) -> list[IngestionResult]:
    rng = np.random.default_rng(seed)
    table = np.array(values, dtype=float).reshape(len(values), len(_PARAMETERS))
    rep = np.repeat(np.arange(len(values)), hours)
    hour = np.tile(np.arange(hours), len(values))
    col = {name: table[rep, i] for i, name in enumerate(_PARAMETERS)}
    out = _engine(rng, hour, col["sensors"], col["interval_s"], col["capacity_per_s"], col["queue"],
                  col["bursts_per_hour"], col["burst_fraction"], window)
    results = []
    for i in range(len(values)):
        mine = rep == i
        lat = _latencies(rng, out["accepted_alarm"][mine], out["ahead"][mine], out["spread"][mine],
                         float(table[i, 2]), float(table[i, 6]))
        p50, p95, p99 = np.percentile(lat, [50, 95, 99])
        results.append(IngestionResult(float(out["uplinks"][mine].sum()), float(out["lost"][mine].sum()),
                                       float(out["alarms"][mine].sum()), float(p50), float(p95), float(p99), lat))
    return results


def _parameters(sensors: Any, interval_s: Any, capacity_per_s: Any, queue: Any, bursts_per_hour: Any,
                burst_fraction: Any, network_latency_s: Any) -> dict[str, float]:
    params = {
        "sensors": _positive(sensors, "sensors"),
        "interval_s": _positive(interval_s, "interval_s"),
        "capacity_per_s": _positive(capacity_per_s, "capacity_per_s"),
        "queue": _positive(queue, "queue"),
        "bursts_per_hour": _positive(bursts_per_hour, "bursts_per_hour", allow_zero=True),
        "burst_fraction": _positive(burst_fraction, "burst_fraction", allow_zero=True),
        "network_latency_s": _positive(network_latency_s, "network_latency_s", allow_zero=True),
    }
    if params["burst_fraction"] > 1:
        raise ValueError(f"burst_fraction is a share of the sensors from 0 to 1, not {burst_fraction!r}.")
    return params


def burst_profile(telemetry: pd.DataFrame, interval_s: float) -> dict[str, Any]:
    """The alarm-burst load of the busiest hour, measured on healthy gateways (no firmware defect).

    Uses gateway-hour telemetry with the columns ``hour``, ``site``, ``sensors``, ``firmware_version``,
    ``alarm_bursts`` and ``uplinks_expected``. Returns ``busy_hour`` (hour of day) and ``busy_site`` with
    the highest mean bursts per gateway-hour, that mean as ``bursts_per_hour``, and ``burst_fraction``:
    the mean share of a gateway's sensors in one burst, from the uplinks beyond the routine reports
    (``sensors * 3600 // interval_s`` an hour).
    """
    interval = _positive(interval_s, "interval_s")
    healthy = telemetry[~telemetry["firmware_version"].isin(list(DEFECT_QUEUE))]
    if healthy.empty:
        raise ValueError("Every gateway-hour runs a defective firmware: there is no healthy load to measure.")
    by_hour = healthy.groupby([healthy["site"], healthy["hour"].dt.hour])["alarm_bursts"].mean()
    busy_site, busy_hour = by_hour.idxmax()
    routine = healthy["sensors"] * (SECONDS_PER_HOUR // interval)
    extra = (healthy["uplinks_expected"] - routine).clip(lower=0).sum()
    exposure = (healthy["alarm_bursts"] * healthy["sensors"]).sum()
    return {"busy_site": busy_site, "busy_hour": int(busy_hour), "bursts_per_hour": round(float(by_hour.max()), 2),
            "burst_fraction": round(float(extra / exposure), 3) if exposure else 0.0}


def simulate_ingestion(sensors: int, interval_s: float, capacity_per_s: float, queue: int,
                       bursts_per_hour: float, burst_fraction: float, network_latency_s: float = 0.25,
                       hours: int = 20, seed: int | None = 0, burst_window_s: int = 2) -> IngestionResult:
    """Simulate ``hours`` independent hours of one gateway's traffic; see the module docstring.

    ``sensors`` is the number of sensors behind the gateway; ``gateway_profile`` gives ``capacity_per_s``
    and ``queue``. Design for the *busy* hour: pass the burst rate of the busiest hours.

    >>> healthy = simulate_ingestion(150, 300, 10, 256, 2, 0.6, hours=4, seed=0)
    >>> defect = simulate_ingestion(150, 300, 10, 16, 2, 0.6, hours=4, seed=0)
    >>> healthy.loss_pct < defect.loss_pct
    True
    """
    params = _parameters(sensors, interval_s, capacity_per_s, queue, bursts_per_hour, burst_fraction,
                         network_latency_s)
    if isinstance(hours, bool) or not isinstance(hours, numbers.Integral) or hours < 1:
        raise ValueError(f"hours must be a whole number of 1 or more, not {hours!r}.")
    return _run(pd.DataFrame([params]), int(hours), seed, int(burst_window_s))[0]


def sweep(parameter: str, values: Sequence[float], base: dict[str, float], max_loss_pct: float,
          alarm_p95_s: float, hours: int = 12, seed: int | None = 0, burst_window_s: int = 2) -> pd.DataFrame:
    """Sensitivity: simulate once per value of ``parameter`` with everything else as in ``base``.

    ``base`` holds the keyword arguments of :func:`simulate_ingestion` (sensors, interval_s, capacity_per_s,
    queue, bursts_per_hour, burst_fraction, network_latency_s). Returns one row per value: ``value``,
    ``loss_pct``, ``alarm_p95_s`` and ``meets_sla`` (both SLA figures met). All values are simulated in one
    vectorised run with the same ``seed``, so the curve is smooth and repeatable.

    >>> base = dict(sensors=200, interval_s=300, capacity_per_s=10, queue=256, bursts_per_hour=3,
    ...             burst_fraction=0.6, network_latency_s=0.25)
    >>> table = sweep("sensors", [100, 400], base, max_loss_pct=0.1, alarm_p95_s=15, hours=4)
    >>> table["meets_sla"].tolist()
    [True, False]
    """
    defaults = dict(network_latency_s=0.25)
    defaults.update(base)
    missing = [k for k in ("sensors", "interval_s", "capacity_per_s", "queue", "bursts_per_hour", "burst_fraction")
               if k not in defaults]
    if missing:
        raise ValueError(f"base is missing {', '.join(missing)}.")
    if parameter not in defaults:
        raise ValueError(f"Unknown parameter {parameter!r}; choose one of: {', '.join(sorted(defaults))}.")
    values = list(values)
    if not values:
        raise ValueError("values must list at least one value to simulate.")
    rows = [_parameters(**dict(defaults, **{parameter: v})) for v in values]
    results = _run(pd.DataFrame(rows), int(hours), seed, int(burst_window_s))
    return pd.DataFrame({
        "value": values,
        "loss_pct": [r.loss_pct for r in results],
        "alarm_p95_s": [round(r.alarm_p95_s, 2) for r in results],
        "meets_sla": [r.meets(max_loss_pct, alarm_p95_s) for r in results],
    })


def largest_meeting_sla(table: pd.DataFrame) -> float | None:
    """The largest swept value below which every value meets the SLA (None if even the first fails).

    >>> largest_meeting_sla(pd.DataFrame({"value": [100, 200, 300], "meets_sla": [True, True, False]}))
    200
    """
    ordered = table.sort_values("value")
    best = None
    for value, ok in zip(ordered["value"], ordered["meets_sla"]):
        if not ok:
            break
        best = value.item() if isinstance(value, np.generic) else value
    return best


def sensitivity_plot(table: pd.DataFrame, label: str, max_loss_pct: float, alarm_p95_s: float,
                     title: str = "Where does the design stop meeting the SLA?") -> np.ndarray:
    """Two panels from a :func:`sweep` table: alarm P95 latency and loss against the swept value, each with
    its SLA line, and the last value that meets both marked. Returns the two Axes; ``plt.show()`` is not
    called."""
    import matplotlib.pyplot as plt

    # Room above the panels for the figure title over the two panel titles, and between the panels for the
    # right one's axis labels (ssup.figures fits the outer margins when the notebook renders it).
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), gridspec_kw={"left": 0.07, "right": 0.985, "top": 0.84, "wspace": 0.2})
    x = table["value"].to_numpy(dtype=float)
    limit = largest_meeting_sla(table)
    panels = ((axes[0], "alarm_p95_s", alarm_p95_s, "Alarm latency P95 (seconds)", "#1f77b4"),
              (axes[1], "loss_pct", max_loss_pct, "Uplinks lost (%)", "#d62728"))
    for ax, column, sla, ylabel, colour in panels:
        ax.plot(x, table[column], marker="o", color=colour, label="simulated")
        ax.axhline(sla, color="black", linestyle="--", linewidth=1, label=f"SLA {sla:g}")
        if limit is not None:
            ax.axvline(limit, color="green", linestyle=":", linewidth=1.5, label=f"last value meeting SLA: {limit:g}")
        ax.set_xlabel(label)
        ax.set_ylabel(ylabel)
        ax.legend(fontsize="small", loc="upper left")
    axes[0].set_title("Alarm latency")
    axes[1].set_title("Message loss")
    fig.suptitle(title, fontweight="bold")
    return axes


def battery_life_years(life_at_default_years: float, default_interval_s: float, interval_s: float,
                       sleep_share: float = 0.25) -> float:
    """Battery life at another reporting interval, scaled from the catalogue figure.

    At the default interval a share ``sleep_share`` of the energy goes on sleeping and housekeeping (it does
    not change with the interval) and the rest on measuring and transmitting (it scales with the number of
    uplinks). So life(i) = L0 / (s + (1 - s) * i0 / i): halving the interval does not halve the life, and
    even a very long interval cannot beat L0 / s.

    >>> battery_life_years(5.0, 600, 600)
    5.0
    >>> round(battery_life_years(5.0, 600, 300), 2)
    2.86
    """
    life = _positive(life_at_default_years, "life_at_default_years")
    default = _positive(default_interval_s, "default_interval_s")
    interval = _positive(interval_s, "interval_s")
    share = _positive(sleep_share, "sleep_share")
    if share >= 1:
        raise ValueError(f"sleep_share must be below 1, not {sleep_share!r}.")
    return life / (share + (1 - share) * default / interval)


def _verdict_text(result: IngestionResult, max_loss_pct: float, alarm_p95_s: float) -> str:
    ok = result.meets(max_loss_pct, alarm_p95_s)
    return (f"{'MEETS' if ok else 'MISSES'} the SLA: {result.loss_pct:.2f}% lost (limit {max_loss_pct:g}%), "
            f"95% of alarms within {result.alarm_p95_s:.1f} s (limit {alarm_p95_s:g} s)")


def _demo_figure(result: IngestionResult, sensors: int, gateway: str, firmware: str, max_loss_pct: float,
                 alarm_p95_s: float) -> str:
    """The demo's chart as SVG markup, with its text kept as text (so the title can be read and searched)."""
    import io

    import matplotlib.pyplot as plt

    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "ssup-demo"}):
        fig, ax = plt.subplots(figsize=(8, 4))
        upper = max(float(np.percentile(result.alarm_latencies_s, 99.5)), alarm_p95_s) * 1.1
        ax.hist(np.clip(result.alarm_latencies_s, 0, upper), bins=40, range=(0, upper), color="#1f77b4")
        ax.axvline(alarm_p95_s, color="black", linestyle="--", label=f"SLA: 95% within {alarm_p95_s:g} s")
        ax.axvline(result.alarm_p95_s, color="#d62728", label=f"simulated P95: {result.alarm_p95_s:.1f} s")
        ok = result.meets(max_loss_pct, alarm_p95_s)
        ax.set_title(f"{sensors} sensors per {gateway} ({firmware}): {result.loss_pct:.2f}% lost - "
                     f"{'meets' if ok else 'misses'} the SLA", color="#1b7f3b" if ok else "#b3261e")
        ax.set_xlabel("Alarm latency, sensor to Kestrel Cloud (seconds)")
        ax.set_ylabel("Simulated alarms")
        ax.legend(loc="upper right")
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", bbox_inches="tight")
        plt.close(fig)
    markup = buffer.getvalue()
    return markup[markup.index("<svg"):]  # inline SVG: no XML declaration or doctype


@functools.lru_cache(maxsize=128)
def _demo_panel(sensors: int, interval_s: int, profile: GatewayProfile, bursts_per_hour: float, burst_fraction: float,
                network_latency_s: float, hours: int, seed: int, max_loss_pct: float,
                alarm_p95_s: float) -> tuple[str, str]:
    """The demo's verdict line (HTML) and chart (SVG) for one setting of its controls. Remembered, so a
    slider moved back to a value shown before (or the cell run again) redraws at once."""
    result = simulate_ingestion(sensors, interval_s, profile.capacity_per_s, profile.queue, bursts_per_hour,
                                burst_fraction, network_latency_s, hours=hours, seed=seed)
    ok = result.meets(max_loss_pct, alarm_p95_s)
    verdict = (f"<b style='color:{'#1b7f3b' if ok else '#b3261e'}'>"
               f"{_verdict_text(result, max_loss_pct, alarm_p95_s)}</b>")
    return verdict, _demo_figure(result, sensors, profile.product_id, profile.firmware, max_loss_pct,
                                 alarm_p95_s)


def feasibility_demo(sensors: int, interval_s: int, bursts_per_hour: float, burst_fraction: float,
                     max_loss_pct: float, alarm_p95_s: float, gateways: Sequence[str] = ("GW-LRW-IN", "GW-LRW-OUT"),
                     backhaul: str = "ethernet", hours: int = 6, seed: int = 0) -> Any:
    """An ipywidgets panel for a live demo: sliders for sensors per gateway, reporting interval and alarm
    bursts, a gateway and a firmware choice. Every change re-runs :func:`simulate_ingestion` and redraws the
    alarm-latency histogram (a matplotlib chart shown as SVG, its title naming the settings and whether the
    SLA is met) and the verdict line above it.

    Returns the panel (a ``VBox``); display it as the last line of a cell. Nothing is printed or displayed
    when it is built, so the cell's stored output is just the panel.
    """
    import ipywidgets as widgets

    from ssup.data import load

    products = load("products")
    style = {"description_width": "initial"}
    layout = widgets.Layout(width="460px")
    controls = {
        "sensors": widgets.IntSlider(value=int(sensors), min=25, max=600, step=25, description="Sensors per gateway",
                                     style=style, layout=layout, continuous_update=False),
        "interval_s": widgets.IntSlider(value=int(interval_s), min=60, max=900, step=60,
                                        description="Reporting interval (s)", style=style, layout=layout,
                                        continuous_update=False),
        "bursts_per_hour": widgets.FloatSlider(value=float(bursts_per_hour), min=0, max=8, step=0.5,
                                               description="Alarm bursts per hour", style=style, layout=layout,
                                               continuous_update=False),
        "gateway": widgets.Dropdown(options=list(gateways), value=gateways[0], description="Gateway", style=style),
        "firmware": widgets.Dropdown(options=["3.2.1", "3.2.0"], value="3.2.1", description="Gateway firmware",
                                     style=style),
    }
    verdict = widgets.HTML()
    chart = widgets.HTML(layout=widgets.Layout(width="820px"))

    def redraw(_change: Any = None) -> None:
        profile = gateway_profile(controls["gateway"].value, controls["firmware"].value, products)
        verdict.value, chart.value = _demo_panel(
            controls["sensors"].value, controls["interval_s"].value, profile, controls["bursts_per_hour"].value,
            burst_fraction, NETWORK_LATENCY_S.get(backhaul, 0.25), hours, seed, max_loss_pct, alarm_p95_s)

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox([controls["sensors"], controls["gateway"]]),
                         widgets.HBox([controls["interval_s"], controls["firmware"]]),
                         controls["bursts_per_hour"], verdict, chart])
