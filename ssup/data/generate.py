"""Generate the Kestrel Telemetry data set: every CSV file, plus ``README.md``, from one seed.

Run ``python -m ssup.data generate --seed 2026 --out data`` (2026 is the committed default).

How it is built
---------------
* :data:`REGISTRY` lists the tables in generation order. Each entry is a :class:`Table` (or the
  dotted path ``"package.module:NAME"`` of one, imported when the data set is generated, so a
  Level 2-6 module such as ``ssup/data/transcripts.py`` only needs one line added here).
* A table's ``writer(rng, out_dir, frames)`` gets its OWN random generator, derived from the seed
  and the table's name (:func:`child_rng`), so adding or changing one table never changes another.
  ``frames`` holds every table generated so far, exactly as :func:`ssup.data.load` would return it.
* A writer of a CSV table returns a DataFrame and declares its columns (:class:`Column`): the
  framework checks it against the declaration and writes it with :func:`write_csv` (stdlib ``csv``,
  fixed decimals, ISO timestamps, ``\\n`` endings), so the output is byte-identical run to run.
  A writer of other files (Markdown transcripts, say) writes them into ``out_dir`` itself and
  returns ``None``; it describes them in ``Table.files``.
* Writers may record deliberately wrong ("messy") records with ``frames.note(...)``; they are
  listed in the generated ``README.md`` so trainers know what the data-quality lessons can find.

Adding a table (Levels 2-6), e.g. ``ssup/data/transcripts.py``::

    from ssup.data.generate import Column, Table

    COLUMNS = (Column("transcript_id", "str", "Call id."), Column("ticket_id", "str", "tickets.ticket_id."))

    def write(rng, out_dir, frames):
        tickets = frames["tickets"]            # any table generated earlier, typed as load() returns it
        ...                                    # may also write Markdown files into out_dir
        return pd.DataFrame(rows)              # or None if the table has no CSV (then columns=())

    TABLE = Table("call_transcripts", write, COLUMNS, key="transcript_id", doc="What the file holds.")

then add ``"ssup.data.transcripts:TABLE",`` to :data:`REGISTRY`, add the table to ``ssup/schema.sql`` if it
belongs in the database, and regenerate ``data/``. The README documents it automatically.

Only ``numpy.random.default_rng`` is used for randomness: no Faker, no network.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import math
import time
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence, TypeVar

import numpy as np
import pandas as pd

DEFAULT_SEED = 2026
COMPANY = "Kestrel Telemetry Ltd"

#: Every timestamp in the data set is earlier than this moment (the extract was taken then).
AS_OF = datetime(2026, 7, 1, 0, 0, 0)
#: The ticket history covers these days (inclusive).
TICKETS_START = date(2024, 7, 1)
TICKETS_END = date(2026, 6, 30)
#: Opportunities are created from this day on (the CRM migration).
OPPS_START = date(2024, 1, 1)
#: The old CRM was switched off at the end of this day; legacy_inquiries.csv comes from it.
LEGACY_CRM_END = date(2024, 6, 30)

TS_FORMAT = "%Y-%m-%d %H:%M:%S"
DATE_FORMAT = "%Y-%m-%d"

# --------------------------------------------------------------------------------------------
# Shared vocabularies (schema.sql repeats them in its CHECK constraints; tests compare them)
# --------------------------------------------------------------------------------------------
PRODUCT_CATEGORIES = ("sensor", "gateway", "platform", "service", "support")
PRICE_UNITS = ("each", "month", "day", "year")
CHANNELS = ("phone", "email", "in_person", "portal")
TICKET_CATEGORIES = (
    "connectivity", "battery", "configuration", "data_quality", "hardware_fault",
    "installation", "platform_access", "billing", "how_to", "product_info",
)
PRIORITIES = ("P1", "P2", "P3", "P4")
TICKET_STATUSES = ("open", "in_progress", "waiting_customer", "resolved", "closed")
TEAMS = (
    "Service Desk", "Technical Support", "Field Engineering", "Product Engineering",
    "Presales", "Account Management", "Billing",
)
ESCALATION_TEAMS = TEAMS[1:]
SENIORITIES = ("junior", "mid", "senior", "lead")
INDUSTRIES = (
    "manufacturing", "food_beverage", "logistics", "pharma", "utilities", "water", "mining",
    "building_management", "agriculture",
)
REGIONS = ("UK & Ireland", "Nordics", "DACH", "Benelux", "France", "Iberia", "North America")
SEGMENTS = ("SMB", "Mid-market", "Enterprise")
OPP_STAGES = ("qualify", "discover", "propose", "negotiate", "closed_won", "closed_lost")
OPP_OUTCOMES = ("open", "won", "lost")
OPP_TYPES = ("new_logo", "expansion", "upgrade", "services")
LOSS_REASONS = ("price", "competitor", "no_decision", "technical_fit", "timing")
PROJECT_TYPES = ("standard_install", "retrofit", "integration_heavy", "multi_site_rollout", "pilot")
PROJECT_STATUSES = ("planned", "in_progress", "completed")
FAQ_TOPICS = (
    "pricing", "lead_time", "compatibility", "battery", "support_plans", "warranty", "returns",
    "platform", "services",
)
LINK_TYPES = ("sensor_gateway", "gateway_platform", "sensor_platform")
INQUIRY_STATUSES = ("open", "answered", "escalated")


# --------------------------------------------------------------------------------------------
# The registry machinery
# --------------------------------------------------------------------------------------------
KINDS = ("str", "int", "float", "bool", "date", "datetime")


@dataclass(frozen=True)
class Column:
    """One CSV column: its name, kind, meaning and (for the README) units and allowed values.

    ``kind`` is one of ``str int float bool date datetime``; ``decimals`` applies to floats.
    A column with ``nullable=False`` may never be empty; the framework checks it when writing.
    """

    name: str
    kind: str
    doc: str
    nullable: bool = False
    units: str = ""
    allowed: str = ""
    decimals: int = 2

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.name!r}: kind {self.kind!r} is not one of {KINDS}")


Writer = Callable[[np.random.Generator, Path, "Frames"], "pd.DataFrame | None"]


@dataclass(frozen=True)
class Table:
    """One entry of the registry: a file name (without ``.csv``), its writer and its documentation.

    ``columns`` non-empty -> the writer returns a DataFrame and the framework writes ``name.csv``.
    ``columns`` empty     -> the writer writes its own files and ``files`` says what they are.
    """

    name: str
    writer: Writer
    columns: tuple[Column, ...] = ()
    doc: str = ""
    key: str = ""
    files: str = ""

    @property
    def is_csv(self) -> bool:
        return bool(self.columns)


@dataclass(frozen=True)
class Messy:
    """A record that is deliberately wrong (but still satisfies schema.sql)."""

    file: str
    key: str
    problem: str


class Frames(dict):
    """The tables generated so far (name -> DataFrame as ``ssup.data.load`` returns it).

    Also carries the seed and the list of deliberately messy records (:meth:`note`).
    """

    def __init__(self, seed: int) -> None:
        super().__init__()
        self.seed = seed
        self.messy: list[Messy] = []
        self.seconds: dict[str, float] = {}
        #: Facts one writer hands to later ones that are not columns (e.g. the duplicate accounts).
        self.extra: dict[str, Any] = {}

    def note(self, file: str, key: str, problem: str) -> None:
        self.messy.append(Messy(file, key, problem))


def child_rng(seed: int, name: str) -> np.random.Generator:
    """The random generator of one table: seeded by (seed, a stable hash of the table's name)."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return np.random.default_rng(np.random.SeedSequence([int(seed), int.from_bytes(digest[:8], "big")]))


def _format(value: Any, col: Column) -> str:
    """One value as CSV text: '' for missing; fixed decimals; ISO dates and timestamps; 0/1."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    kind = col.kind
    if kind == "str":
        return str(value)
    if kind == "int":
        if isinstance(value, (float, np.floating)) and float(value) != int(value):
            raise ValueError(f"column {col.name!r}: {value!r} is not a whole number")
        return str(int(value))
    if kind == "float":
        text = f"{float(value):.{col.decimals}f}"
        return "0" + text[2:] if text.startswith("-0") and float(text) == 0 else text
    if kind == "bool":
        if value in (True, 1, "1") or (isinstance(value, (np.bool_,)) and bool(value)):
            return "1"
        if value in (False, 0, "0") or (isinstance(value, (np.bool_,)) and not bool(value)):
            return "0"
        raise ValueError(f"column {col.name!r}: {value!r} is not a boolean")
    if kind == "date":
        if isinstance(value, str):
            return value
        return pd.Timestamp(value).strftime(DATE_FORMAT)
    if kind == "datetime":
        if isinstance(value, str):
            return value
        return pd.Timestamp(value).strftime(TS_FORMAT)
    raise AssertionError(kind)


def _column_text(values: list[Any], col: Column, table: str) -> list[str]:
    """Format one column's values as CSV text (see :func:`_format`), quickly."""
    out: list[str] = []
    append = out.append
    kind = col.kind
    for v in values:
        if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
            if not col.nullable:
                raise ValueError(f"{table}: column {col.name!r} is not nullable")
            append("")
        elif kind == "str":
            append(v if isinstance(v, str) else str(v))
        elif kind == "datetime" and isinstance(v, datetime):
            append(v.strftime(TS_FORMAT))
        elif kind == "date" and isinstance(v, date) and not isinstance(v, datetime):
            append(v.strftime(DATE_FORMAT))
        elif kind == "bool" and isinstance(v, (bool, np.bool_)):
            append("1" if v else "0")
        else:
            append(_format(v, col))
    return out


def write_csv(path: Path, columns: Sequence[Column], frame: pd.DataFrame, table: str = "") -> Path:
    """Write ``frame`` to ``path`` in the declared column order; check names and non-null columns."""
    names = [c.name for c in columns]
    missing = [n for n in names if n not in frame.columns]
    extra = [n for n in frame.columns if n not in names]
    if missing or extra:
        raise ValueError(f"{table or path.name}: columns missing {missing}, undeclared {extra}")
    texts = []
    for c in columns:
        series = frame[c.name]
        if c.kind in ("date", "datetime") and pd.api.types.is_datetime64_any_dtype(series):
            if not c.nullable and series.isna().any():
                raise ValueError(f"{table or path.name}: column {c.name!r} is not nullable")
            texts.append(series.dt.strftime(TS_FORMAT if c.kind == "datetime" else DATE_FORMAT)
                         .astype(object).where(series.notna(), "").tolist())
        else:
            texts.append(_column_text(series.astype(object).tolist(), c, table or path.name))
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(names)
        out.writerows(zip(*texts))
    return path


def read_csv_typed(path: Path, columns: Sequence[Column]) -> pd.DataFrame:
    """Read a CSV written by :func:`write_csv` back with the declared types.

    str -> pandas string, int -> int64 (``Int64`` when nullable), float -> float64,
    bool -> bool (``boolean`` when nullable), date/datetime -> datetime64.
    """
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    for col in columns:
        if col.name not in frame.columns:
            continue
        series = frame[col.name]
        if col.kind == "str":
            continue
        if col.kind == "int":
            numbers = pd.to_numeric(series)
            frame[col.name] = numbers.astype("Int64" if col.nullable else "int64")
        elif col.kind == "float":
            frame[col.name] = pd.to_numeric(series).astype("float64")
        elif col.kind == "bool":
            mapped = series.map({"1": True, "0": False, "true": True, "false": False})
            frame[col.name] = mapped.astype("boolean" if col.nullable else "bool")
        elif col.kind == "date":
            frame[col.name] = pd.to_datetime(series, format=DATE_FORMAT)
        elif col.kind == "datetime":
            frame[col.name] = pd.to_datetime(series, format=TS_FORMAT)
    return frame


def tables() -> list[Table]:
    """The registry with dotted-path entries imported: every table, in generation order."""
    resolved: list[Table] = []
    for entry in REGISTRY:
        if isinstance(entry, str):
            module_name, _, attribute = entry.partition(":")
            entry = getattr(importlib.import_module(module_name), attribute or "TABLE")
        if not isinstance(entry, Table):
            raise TypeError(f"registry entry {entry!r} is not a Table")
        resolved.append(entry)
    names = [t.name for t in resolved]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate table names in the registry: {names}")
    return resolved


def table(name: str) -> Table:
    """The registry entry called ``name`` (KeyError if there is none)."""
    for entry in tables():
        if entry.name == name:
            return entry
    raise KeyError(name)


def generate(out_dir: str | Path, seed: int = DEFAULT_SEED, readme: bool = True) -> Frames:
    """Write the complete data set for ``seed`` into ``out_dir``; return the generated frames."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    frames = Frames(int(seed))
    for entry in tables():
        started = time.perf_counter()
        result = entry.writer(child_rng(seed, entry.name), out, frames)
        if entry.is_csv:
            if not isinstance(result, pd.DataFrame):
                raise TypeError(f"writer of {entry.name!r} must return a DataFrame")
            path = write_csv(out / f"{entry.name}.csv", entry.columns, result, entry.name)
            frames[entry.name] = read_csv_typed(path, entry.columns)
        frames.seconds[entry.name] = time.perf_counter() - started
    if readme:
        (out / "README.md").write_text(render_readme(frames), encoding="utf-8", newline="\n")
    return frames


# --------------------------------------------------------------------------------------------
# Small helpers used by the writers
# --------------------------------------------------------------------------------------------
def _cum(weights: Iterable[float]) -> list[float]:
    total = 0.0
    out = []
    for w in weights:
        total += float(w)
        out.append(total)
    return out


def _pick(items: Sequence[Any], weights: Sequence[float], u: float) -> Any:
    """Inverse-CDF choice with a pre-drawn uniform ``u`` (fast inside Python loops)."""
    cum = _cum(weights)
    index = bisect_right(cum, u * cum[-1])
    return items[min(index, len(items) - 1)]


def _choice(rng: np.random.Generator, items: Sequence[Any], weights: Sequence[float] | None = None) -> Any:
    if weights is None:
        return items[int(rng.integers(len(items)))]
    return _pick(items, weights, float(rng.random()))


class _Draws:
    """Buffered scalar draws from a Generator: the same interface as the few Generator methods the
    per-row loops use, but ~10x faster than one numpy call per value. Deterministic for a given rng."""

    def __init__(self, rng: np.random.Generator, block: int = 1 << 15) -> None:
        self._rng = rng
        self._block = block
        self._u: list[float] = []
        self._ui = 0
        self._z: list[float] = []
        self._zi = 0

    def random(self) -> float:
        if self._ui >= len(self._u):
            self._u, self._ui = self._rng.random(self._block).tolist(), 0
        value = self._u[self._ui]
        self._ui += 1
        return value

    def normal(self, loc: float = 0.0, scale: float = 1.0) -> float:
        if self._zi >= len(self._z):
            self._z, self._zi = self._rng.standard_normal(self._block).tolist(), 0
        value = self._z[self._zi]
        self._zi += 1
        return loc + scale * value

    def integers(self, low: int, high: int | None = None) -> int:
        if high is None:
            low, high = 0, low
        return low + min(high - low - 1, int(self.random() * (high - low)))

    def exponential(self, scale: float = 1.0) -> float:
        return -scale * math.log(1.0 - self.random())

    def sample(self, n: int, k: int) -> list[int]:
        """k distinct indices out of range(n)."""
        chosen: list[int] = []
        while len(chosen) < k:
            index = self.integers(n)
            if index not in chosen:
                chosen.append(index)
        return chosen


def format_gbp(amount: float) -> str:
    """An amount of money as documents print it: ``£1,234.50`` (pound sign, thousands commas, two decimals)."""
    return f"£{amount:,.2f}"


DateLike = TypeVar("DateLike", bound=date)


def weekday_on_or_after(day: DateLike) -> DateLike:
    """``day`` itself if it is a Monday to Friday, else the Monday after it (a ``datetime`` keeps its time)."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def weekday_on_or_before(day: DateLike) -> DateLike:
    """``day`` itself if it is a Monday to Friday, else the Friday before it (a ``datetime`` keeps its time)."""
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def installed_quantities(installed_base: pd.DataFrame) -> dict[str, dict[str, int]]:
    """What each customer has installed: ``customer_id -> {product_id: quantity}`` from ``installed_base``.

    Customers appear in the order of their first row, products in the order of their rows.
    """
    owned: dict[str, dict[str, int]] = {}
    for row in installed_base.itertuples(index=False):
        owned.setdefault(row.customer_id, {})[row.product_id] = int(row.quantity)
    return owned


def team_agents(agents: pd.DataFrame, team: str) -> pd.DataFrame:
    """The rows of ``agents`` (the agents table) that belong to ``team``, in ``agent_id`` order."""
    return agents[agents["team"] == team].sort_values("agent_id")


def team_lead(agents: pd.DataFrame, team: str) -> str:
    """The ``agent_id`` of the lead of ``team`` (every team has exactly one agent of seniority ``lead``)."""
    members = team_agents(agents, team)
    return str(members.loc[members["seniority"] == "lead", "agent_id"].iloc[0])


# --------------------------------------------------------------------------------------------
# products.csv: the catalogue (the same for every seed: the company sells what it sells)
# --------------------------------------------------------------------------------------------
def _sensor(pid, name, short, protocol, battery, interval, fw, ip, tmin, tmax, price, lead, description,
            active=True, battery_type=None, **extra):
    return dict(product_id=pid, name=name, category="sensor", description=description,
                list_price_gbp=price, price_unit="each", lead_time_days=lead, active=active,
                warranty_months=24, protocol=protocol, battery_life_years=battery,
                reporting_interval_s=interval, firmware_version=fw, ip_rating=ip,
                operating_temp_min_c=tmin, operating_temp_max_c=tmax, _short=short,
                _battery_type=battery_type, **extra)


def _gateway(pid, name, short, protocol, fw, ip, tmin, tmax, max_devices, mpm, price, lead, description, **extra):
    return dict(product_id=pid, name=name, category="gateway", description=description,
                list_price_gbp=price, price_unit="each", lead_time_days=lead, active=True,
                warranty_months=36, protocol=protocol, firmware_version=fw, ip_rating=ip,
                operating_temp_min_c=tmin, operating_temp_max_c=tmax, max_devices=max_devices,
                max_messages_per_minute=mpm, _short=short, **extra)


PRODUCTS: list[dict[str, Any]] = [
    _sensor("SNS-TMP-100", "Kestrel T1 LoRaWAN Temperature Sensor", "T1 temperature sensor", "LoRaWAN", 5.0, 600,
            "1.8.2", "IP67", -40, 85, 89.00, 5,
            "Battery-powered LoRaWAN temperature sensor with an internal NTC element (accuracy +/-0.3 C) for "
            "rooms, chillers and freezers. Two AA lithium cells, screw or adhesive mounting.",
            battery_type="two 3.6 V AA lithium-thionyl chloride cells"),
    _sensor("SNS-TMP-150", "Kestrel B1 BLE Temperature Beacon", "B1 BLE beacon", "BLE", 3.0, 60,
            "1.0.6", "IP65", -30, 60, 39.00, 5,
            "Low-cost Bluetooth Low Energy temperature beacon for cabinets, totes and pallets. Read by the "
            "LTE-M Cellular Gateway or the Edge 500 within about 30 m indoors.",
            battery_type="one CR2477 coin cell"),
    _sensor("SNS-TMP-200", "Kestrel T2 Dual-Probe Cold Chain Sensor", "T2 cold-chain sensor", "LoRaWAN", 4.0, 300,
            "1.8.2", "IP67", -40, 70, 149.00, 7,
            "Two external PT1000 probes (-80 to +150 C) for freezers, blast chillers and pharmaceutical "
            "stores; the probe cables pass through door seals so the radio stays outside the cold space.",
            battery_type="two 3.6 V AA lithium-thionyl chloride cells"),
    _sensor("SNS-TMP-300", "Kestrel T3 LTE-M Temperature Logger", "T3 LTE-M logger", "LTE-M", 3.0, 900,
            "2.1.0", "IP65", -30, 70, 169.00, 10,
            "Cellular (LTE-M, 2G fallback) temperature logger that sends directly to Kestrel Cloud without a "
            "gateway; buffers 10,000 readings when out of coverage. Built for reefer trailers and remote sites.",
            battery_type="a 3.6 V 13 Ah D-size lithium pack"),
    _sensor("SNS-HUM-100", "Kestrel H1 Temperature & Humidity Sensor", "H1 humidity sensor", "LoRaWAN", 5.0, 600,
            "1.8.2", "IP54", -20, 60, 109.00, 5,
            "Combined temperature (+/-0.3 C) and relative humidity (+/-2 %RH) sensor for warehouses, "
            "greenhouses, offices and clean rooms.",
            battery_type="two 3.6 V AA lithium-thionyl chloride cells"),
    _sensor("SNS-CO2-100", "Kestrel A1 CO2 & Air Quality Sensor", "A1 CO2 sensor", "LoRaWAN", 4.0, 600,
            "1.2.0", "IP30", 0, 50, 189.00, 7,
            "NDIR CO2 (400-5,000 ppm), temperature, humidity and TVOC sensor for offices, schools and "
            "laboratories. Self-calibrates against 400 ppm over 8 days.",
            battery_type="two 3.6 V AA lithium-thionyl chloride cells"),
    _sensor("SNS-VIB-100", "Kestrel V1 Vibration Sensor (legacy)", "V1 vibration sensor", "LoRaWAN", 2.0, 600,
            "1.4.7", "IP66", -20, 70, 299.00, 30,
            "First-generation single-axis vibration sensor, replaced by the V2 in 2023. Sold only as a like-for-"
            "like replacement for existing installations.", active=False,
            battery_type="a 3.6 V C-size lithium cell"),
    _sensor("SNS-VIB-200", "Kestrel V2 Triaxial Vibration Sensor", "V2 vibration sensor", "LoRaWAN", 3.0, 300,
            "2.0.3", "IP68", -40, 85, 389.00, 14,
            "Triaxial MEMS accelerometer (0-3 kHz) reporting RMS velocity, peak acceleration and surface "
            "temperature for motors, pumps, fans and gearboxes. Stud or magnetic mount.",
            battery_type="a 3.6 V C-size lithium cell"),
    _sensor("SNS-PRS-100", "Kestrel P1 Pressure Transmitter", "P1 pressure transmitter", "LoRaWAN", 5.0, 600,
            "1.3.1", "IP67", -40, 85, 289.00, 10,
            "Piezo-resistive pressure transmitter, 0-16 bar (other ranges to order), G1/4 thread, for "
            "water mains, compressed air and process lines.",
            battery_type="two 3.6 V AA lithium-thionyl chloride cells"),
    _sensor("SNS-LVL-100", "Kestrel L1 Ultrasonic Tank Level Sensor", "L1 tank level sensor", "LoRaWAN", 6.0, 1800,
            "1.2.4", "IP68", -30, 70, 329.00, 10,
            "Ultrasonic level sensor (0.25-10 m range, +/-5 mm) for fuel, chemical and water tanks; mounts on a "
            "2-inch BSP port in the tank roof.",
            battery_type="a 3.6 V C-size lithium cell"),
    _sensor("SNS-NRG-100", "Kestrel E1 CT-Clamp Energy Meter", "E1 energy meter", "LoRaWAN", None, 900,
            "1.6.0", "IP40", -10, 55, 249.00, 7,
            "Three-phase energy meter with split-core CT clamps (100 A, 250 A or 600 A), powered from the "
            "measured circuit; reports kWh, kW, power factor and per-phase current."),
    _sensor("SNS-NRG-200", "Kestrel E2 Modbus Energy Meter Interface", "E2 Modbus meter interface", "Modbus", None, 60,
            "1.1.2", "IP20", -10, 55, 199.00, 7,
            "DIN-rail interface that reads existing Modbus RTU energy meters (up to 8 per interface) and "
            "passes the registers to an LTE-M Cellular Gateway or Edge 500; powered at 24 V DC."),
    _sensor("SNS-DOR-100", "Kestrel D1 Door/Contact Sensor", "D1 door sensor", "LoRaWAN", 7.0, 3600,
            "1.5.0", "IP65", -30, 70, 49.00, 3,
            "Magnetic reed door/contact sensor: sends an event on every open/close plus an hourly heartbeat. "
            "Used on cold-room doors, gates and cabinets.",
            battery_type="one 3.6 V AA lithium-thionyl chloride cell"),
    _sensor("SNS-LEK-100", "Kestrel W1 Water Leak Detector", "W1 leak detector", "LoRaWAN", 7.0, 3600,
            "1.5.0", "IP67", -20, 60, 69.00, 3,
            "Floor-standing leak detector with gold-plated contacts and an optional 2 m sensing cable; alarms "
            "within 10 seconds of water contact, hourly heartbeat otherwise.",
            battery_type="one 3.6 V AA lithium-thionyl chloride cell"),
    _sensor("SNS-FLW-100", "Kestrel F1 Pulse Counter", "F1 pulse counter", "LoRaWAN", 8.0, 3600,
            "1.3.0", "IP68", -20, 60, 99.00, 7,
            "Two-channel pulse counter for water, gas and heat meters with reed or open-collector outputs; "
            "counts are kept through power loss.",
            battery_type="a 3.6 V C-size lithium cell"),
    _sensor("SNS-GPS-100", "Kestrel G1 LTE-M GPS Asset Tracker", "G1 GPS tracker", "LTE-M", 2.0, 900,
            "2.3.1", "IP67", -20, 60, 179.00, 10,
            "LTE-M/NB-IoT asset tracker with GPS, motion-triggered reporting and a temperature sensor, for "
            "trailers, roll cages and mobile plant. Connects directly to Kestrel Cloud.",
            battery_type="a 3.6 V 13 Ah D-size lithium pack"),
    _gateway("GW-LRW-IN", "Kestrel LoRaWAN Indoor Gateway", "indoor gateway", "LoRaWAN", "3.2.1", "IP40", 0, 45, 500, 600,
             399.00, 7,
             "Eight-channel LoRaWAN gateway for indoor use, Ethernet with PoE (802.3af) or Wi-Fi backhaul. "
             "Typical indoor range 100-300 m through walls."),
    _gateway("GW-LRW-OUT", "Kestrel LoRaWAN Outdoor Gateway", "outdoor gateway", "LoRaWAN", "3.2.1", "IP67", -40, 60, 1000,
             1200, 899.00, 21,
             "Sixteen-channel carrier-grade LoRaWAN gateway in an IP67 enclosure with an N-type antenna "
             "connector, Ethernet/PoE+ and LTE-M backhaul. Range up to 5 km in open country."),
    _gateway("GW-LTE-M", "Kestrel LTE-M Cellular Gateway", "LTE-M gateway", "BLE;Modbus", "1.9.3", "IP65", -30, 60, 50, 120,
             459.00, 10,
             "Cellular gateway with a BLE receiver and a Modbus RTU (RS-485) port for sites without a usable "
             "network connection; multi-operator roaming SIM included."),
    _gateway("GW-EDGE-500", "Kestrel Edge 500 Gateway", "Edge 500 gateway", "LoRaWAN;Modbus;BLE", "2.4.1", "IP54", -20, 55,
             2000, 3000, 1950.00, 28,
             "Industrial edge gateway: LoRaWAN (16 channels), BLE and Modbus RTU/TCP inputs, a local rules "
             "engine and 30 days of local buffering; exposes an OPC UA server for SCADA systems."),
    dict(product_id="PLT-STARTER", name="Kestrel Cloud Starter", category="platform", list_price_gbp=149.00,
         price_unit="month", lead_time_days=1, active=True, max_devices=50, messages_per_day=50_000,
         retention_days=90, api_calls_per_minute=60, _short="Starter tier",
         description="Hosted platform for small deployments: dashboards, email/SMS alerts, CSV export, "
                     "5 users."),
    dict(product_id="PLT-PRO", name="Kestrel Cloud Professional", category="platform", list_price_gbp=590.00,
         price_unit="month", lead_time_days=1, active=True, max_devices=500, messages_per_day=1_000_000,
         retention_days=365, api_calls_per_minute=600, _short="Professional tier",
         description="Adds the REST API and MQTT data forwarding, alert escalation chains, scheduled reports, "
                     "single sign-on and 50 users."),
    dict(product_id="PLT-ENT", name="Kestrel Cloud Enterprise", category="platform", list_price_gbp=2450.00,
         price_unit="month", lead_time_days=5, active=True, max_devices=10_000, messages_per_day=25_000_000,
         retention_days=1095, api_calls_per_minute=3000, _short="Enterprise tier",
         description="Multi-site hierarchy, unlimited users, audit trail for GxP/FDA 21 CFR Part 11, "
                     "dedicated tenant and 99.9 % availability commitment."),
    dict(product_id="SVC-SURVEY", name="Site Survey", category="service", list_price_gbp=950.00, price_unit="day",
         lead_time_days=10, active=True, _short="site survey",
         description="An engineer measures radio coverage, agrees sensor and gateway positions and writes a "
                     "survey report with a bill of materials. One day covers a typical site up to 10,000 m2."),
    dict(product_id="SVC-INSTALL-DAY", name="Installation (per engineer day)", category="service",
         list_price_gbp=850.00, price_unit="day", lead_time_days=10, active=True, _short="installation day",
         description="Installation and commissioning by a Kestrel field engineer; about 30-40 sensors or "
                     "3 gateways a day on a prepared site."),
    dict(product_id="SVC-INT-MQTT", name="MQTT/REST Integration Package", category="service",
         list_price_gbp=4500.00, price_unit="each", lead_time_days=15, active=True, _short="MQTT/REST integration",
         description="Configures data forwarding to the customer's MQTT broker or REST endpoint, payload "
                     "mapping and a tested hand-over."),
    dict(product_id="SVC-INT-SCADA", name="SCADA Integration", category="service", list_price_gbp=9800.00,
         price_unit="each", lead_time_days=20, active=True, _short="SCADA integration",
         description="Connects Kestrel data to a SCADA or historian through OPC UA (Edge 500) or Modbus TCP, "
                     "including tag lists and a site acceptance test."),
    dict(product_id="SVC-INT-ERP", name="ERP Integration", category="service", list_price_gbp=12500.00,
         price_unit="each", lead_time_days=30, active=True, _short="ERP integration",
         description="Integration with SAP S/4HANA or Microsoft Dynamics 365 for maintenance orders and asset "
                     "records."),
    dict(product_id="SVC-TRAIN", name="Training Day", category="service", list_price_gbp=1200.00, price_unit="day",
         lead_time_days=10, active=True, _short="training day",
         description="On-site or remote training for up to 8 attendees: dashboards, alerts, reports and "
                     "first-line troubleshooting."),
    dict(product_id="SVC-DASH", name="Custom Dashboard", category="service", list_price_gbp=2400.00,
         price_unit="each", lead_time_days=15, active=True, _short="custom dashboard",
         description="A dashboard designed with the customer, e.g. an energy league table or a HACCP "
                     "temperature log, delivered in Kestrel Cloud."),
    dict(product_id="SVC-PILOT", name="90-Day Pilot Package", category="service", list_price_gbp=3900.00,
         price_unit="each", lead_time_days=10, active=True, _short="pilot package",
         description="Ten sensors of the customer's choice, one indoor gateway, Kestrel Cloud Starter for 90 "
                     "days, a remote commissioning session and a results review."),
    dict(product_id="SUP-STANDARD", name="Standard Support", category="support", list_price_gbp=0.00,
         price_unit="year", lead_time_days=0, active=True, support_hours="Mon-Fri 09:00-17:30",
         p1_response_hours=4.0, p2_response_hours=8.0, p3_response_hours=24.0, p4_response_hours=72.0,
         _short="Standard support",
         description="Included with every Kestrel Cloud subscription: email, portal and phone support in UK "
                     "business hours, return-to-base hardware replacement."),
    dict(product_id="SUP-PREMIUM", name="Premium Support", category="support", list_price_gbp=4800.00,
         price_unit="year", lead_time_days=0, active=True, support_hours="Mon-Fri 08:00-18:00",
         p1_response_hours=1.0, p2_response_hours=4.0, p3_response_hours=8.0, p4_response_hours=24.0,
         _short="Premium support",
         description="Extended hours, faster response targets, next-business-day advance hardware "
                     "replacement and a named technical contact."),
    dict(product_id="SUP-CRITICAL", name="Critical Support", category="support", list_price_gbp=14500.00,
         price_unit="year", lead_time_days=0, active=True, support_hours="24x7",
         p1_response_hours=0.5, p2_response_hours=2.0, p3_response_hours=8.0, p4_response_hours=24.0,
         _short="Critical support",
         description="24x7 phone line for P1/P2, 30-minute P1 response, same-day advance replacement in the "
                     "UK and quarterly service reviews with a technical account manager."),
]
PRODUCT_BY_ID = {p["product_id"]: p for p in PRODUCTS}
SENSOR_IDS = [p["product_id"] for p in PRODUCTS if p["category"] == "sensor"]
GATEWAY_IDS = [p["product_id"] for p in PRODUCTS if p["category"] == "gateway"]
TIER_IDS = ["PLT-STARTER", "PLT-PRO", "PLT-ENT"]
PLAN_IDS = ["SUP-STANDARD", "SUP-PREMIUM", "SUP-CRITICAL"]

#: When each support plan's clock runs: (weekdays, opening minute, closing minute); None = 24x7.
PLAN_SCHEDULE: dict[str, tuple[tuple[int, ...], int, int] | None] = {
    "SUP-STANDARD": ((0, 1, 2, 3, 4), 9 * 60, 17 * 60 + 30),
    "SUP-PREMIUM": ((0, 1, 2, 3, 4), 8 * 60, 18 * 60),
    "SUP-CRITICAL": None,
}
#: Gateway firmware history for the LoRaWAN gateways (the 3.2.0 message-drop defect).
FIRMWARE_GOOD_OLD = "3.1.4"
FIRMWARE_BAD = "3.2.0"
FIRMWARE_FIX = "3.2.1"
FIRMWARE_BAD_RELEASED = date(2025, 3, 10)
FIRMWARE_FIX_RELEASED = date(2025, 4, 28)
LORAWAN_GATEWAYS = ("GW-LRW-IN", "GW-LRW-OUT")
#: The LoRaWAN sensors of the catalogue (they need a gateway), in product-id order; and those of them that run on
#: batteries (the energy meters are powered from the circuit they measure).
LORAWAN_SENSORS: tuple[str, ...] = tuple(sorted(pid for pid, p in PRODUCT_BY_ID.items()
                                                if p["category"] == "sensor" and p["protocol"] == "LoRaWAN"))
LORAWAN_BATTERY_SENSORS: tuple[str, ...] = tuple(pid for pid in LORAWAN_SENSORS
                                                 if PRODUCT_BY_ID[pid]["battery_life_years"] is not None)

PRODUCT_COLUMNS = (
    Column("product_id", "str", "Catalogue code: SNS- sensors, GW- gateways, PLT- platform tiers, SVC- services, "
           "SUP- support plans.", allowed="unique"),
    Column("name", "str", "Product name as it appears on quotes."),
    Column("category", "str", "Product family.", allowed=", ".join(PRODUCT_CATEGORIES)),
    Column("description", "str", "One- or two-sentence description for customers."),
    Column("list_price_gbp", "float", "List price excluding VAT, per price_unit.", units="GBP"),
    Column("price_unit", "str", "What list_price_gbp buys: one unit, one month or year of subscription, one "
           "engineer day.", allowed=", ".join(PRICE_UNITS)),
    Column("lead_time_days", "int", "Working days from order to dispatch (hardware) or to first available "
           "date (services); 0 for support plans.", units="working days"),
    Column("active", "bool", "1 if the product is still sold; 0 = discontinued (sold only as a replacement).",
           allowed="0, 1"),
    Column("warranty_months", "int", "Hardware warranty (sensors 24, gateways 36).", nullable=True, units="months"),
    Column("protocol", "str", "Sensors: the radio or bus they use. Gateways: the sensor-side protocols they "
           "accept, separated by ';'.", nullable=True, allowed="LoRaWAN, BLE, Modbus, LTE-M"),
    Column("battery_life_years", "float", "Expected battery life at the default reporting interval and 20 C "
           "(sensors; empty for mains-powered ones).", nullable=True, units="years", decimals=1),
    Column("reporting_interval_s", "int", "Default reporting interval (sensors).", nullable=True, units="seconds"),
    Column("firmware_version", "str", "Current firmware of sensors and gateways.", nullable=True),
    Column("ip_rating", "str", "Ingress protection rating (IEC 60529).", nullable=True, allowed="IP20 ... IP68"),
    Column("operating_temp_min_c", "int", "Lowest operating ambient temperature.", nullable=True, units="deg C"),
    Column("operating_temp_max_c", "int", "Highest operating ambient temperature.", nullable=True, units="deg C"),
    Column("max_devices", "int", "Gateways: sensors one gateway can serve. Platform tiers: sensors the "
           "subscription allows.", nullable=True, units="devices"),
    Column("max_messages_per_minute", "int", "Gateways: sustained uplink messages per minute.", nullable=True,
           units="messages/minute"),
    Column("messages_per_day", "int", "Platform tiers: messages ingested per day before throttling.",
           nullable=True, units="messages/day"),
    Column("retention_days", "int", "Platform tiers: days of raw data kept online.", nullable=True, units="days"),
    Column("api_calls_per_minute", "int", "Platform tiers: REST API rate limit (HTTP 429 above it).",
           nullable=True, units="calls/minute"),
    Column("support_hours", "str", "Support plans: when the plan's clock runs (UK time).", nullable=True,
           allowed="Mon-Fri 09:00-17:30, Mon-Fri 08:00-18:00, 24x7"),
    Column("p1_response_hours", "float", "Support plans: first-response target for P1 tickets, in hours "
           "within support_hours.", nullable=True, units="hours", decimals=1),
    Column("p2_response_hours", "float", "Support plans: first-response target for P2.", nullable=True,
           units="hours", decimals=1),
    Column("p3_response_hours", "float", "Support plans: first-response target for P3.", nullable=True,
           units="hours", decimals=1),
    Column("p4_response_hours", "float", "Support plans: first-response target for P4.", nullable=True,
           units="hours", decimals=1),
)


def write_products(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    rows = [{k: v for k, v in p.items() if not k.startswith("_")} for p in PRODUCTS]
    return pd.DataFrame(rows, columns=[c.name for c in PRODUCT_COLUMNS])


# --------------------------------------------------------------------------------------------
# compatibility.csv
# --------------------------------------------------------------------------------------------
COMPATIBILITY_COLUMNS = (
    Column("product_id", "str", "A sensor, gateway or platform tier (products.product_id)."),
    Column("compatible_with", "str", "A product it works with (products.product_id). Every pair is listed "
           "in both directions."),
    Column("link_type", "str", "Kind of link.", allowed=", ".join(LINK_TYPES)),
    Column("notes", "str", "Conditions or limits of the combination.", nullable=True),
)


def compatibility_pairs() -> list[tuple[str, str, str, str | None]]:
    """(a, b, link_type, note) for each compatible pair, one direction."""
    pairs: list[tuple[str, str, str, str | None]] = []
    for sid in SENSOR_IDS:
        protocol = PRODUCT_BY_ID[sid]["protocol"]
        if protocol == "LTE-M":
            for tier in TIER_IDS:
                note = "connects directly over LTE-M; no gateway needed; SIM data included for 5 years"
                pairs.append((sid, tier, "sensor_platform", note))
            continue
        for gid in GATEWAY_IDS:
            if protocol not in PRODUCT_BY_ID[gid]["protocol"].split(";"):
                continue
            note = None
            if sid == "SNS-VIB-100" and gid == "GW-EDGE-500":
                continue  # legacy V1 codec is not supported by the Edge 500 rules engine
            if sid == "SNS-VIB-100":
                note = "legacy V1 payload codec; supported on LoRaWAN gateways firmware 3.x only"
            if sid == "SNS-TMP-150":
                note = "BLE range about 30 m indoors; up to 50 beacons per LTE-M gateway"
            if sid == "SNS-NRG-200":
                note = "RS-485 cable up to 1,200 m; up to 8 meters per E2 interface"
            if sid == "SNS-TMP-200" and gid == "GW-LRW-IN":
                note = "inside cold rooms mount the gateway outside the insulated envelope"
            pairs.append((sid, gid, "sensor_gateway", note))
    for gid in GATEWAY_IDS:
        for tier in TIER_IDS:
            note = None
            if gid == "GW-EDGE-500":
                if tier == "PLT-STARTER":
                    continue
                note = "local rules engine and OPC UA server need Professional or Enterprise"
            pairs.append((gid, tier, "gateway_platform", note))
    return pairs


def write_compatibility(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    rows = []
    for a, b, link, note in compatibility_pairs():
        rows.append(dict(product_id=a, compatible_with=b, link_type=link, notes=note))
        rows.append(dict(product_id=b, compatible_with=a, link_type=link, notes=note))
    frame = pd.DataFrame(rows)
    return frame.sort_values(["product_id", "compatible_with"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# faq.csv
# --------------------------------------------------------------------------------------------
FAQ_COLUMNS = (
    Column("faq_id", "str", "FAQ entry id (FAQ-001 ...).", allowed="unique"),
    Column("topic", "str", "What the question is about.", allowed=", ".join(FAQ_TOPICS)),
    Column("product_id", "str", "The product the entry is about, if one (products.product_id).", nullable=True),
    Column("question", "str", "The question as customers ask it."),
    Column("answer", "str", "The approved answer the Service Desk may give."),
)

#: The FAQ entry that still quotes the old price of the T1 (a documented messy record).
FAQ_STALE_PRICE = 79.00


def _unit_text(p: dict[str, Any]) -> str:
    return {"each": "each", "month": "per month", "day": "per day", "year": "per year"}[p["price_unit"]]


def faq_entries() -> list[tuple[str, str | None, str, str]]:
    """(topic, product_id, question, answer) in FAQ order, built from the catalogue."""
    P = PRODUCT_BY_ID
    out: list[tuple[str, str | None, str, str]] = []
    for pid in ("SNS-TMP-100", "SNS-TMP-200", "SNS-VIB-200", "SNS-DOR-100", "SNS-GPS-100", "GW-LRW-IN",
                "GW-LRW-OUT", "GW-EDGE-500"):
        p = P[pid]
        price = FAQ_STALE_PRICE if pid == "SNS-TMP-100" else p["list_price_gbp"]
        out.append(("pricing", pid, f"How much does the {p['name']} cost?",
                    f"The {p['name']} ({pid}) lists at {format_gbp(price)} {_unit_text(p)}, excluding VAT and "
                    "delivery. Orders of 100 units or more qualify for volume pricing; your account manager can quote."))
    for tier in TIER_IDS:
        p = P[tier]
        out.append(("pricing", tier, f"What does {p['name']} cost?",
                    f"{p['name']} is {format_gbp(p['list_price_gbp'])} per month, billed annually in advance, for up "
                    f"to {p['max_devices']:,} sensors. Standard Support is included; Premium and Critical Support "
                    "are extra."))
    for pid in ("SNS-TMP-100", "SNS-VIB-200", "GW-LRW-OUT", "GW-EDGE-500", "SVC-INSTALL-DAY"):
        p = P[pid]
        what = "dispatch" if p["category"] in ("sensor", "gateway") else "the first available engineer date"
        out.append(("lead_time", pid, f"What is the lead time for the {p['name']}?",
                    f"Normally {p['lead_time_days']} working days from order to {what}. Orders above 500 units or "
                    "urgent replacements under a Premium or Critical plan are confirmed by the Service Desk."))
    for sid, gid in (("SNS-TMP-100", "GW-LRW-IN"), ("SNS-TMP-150", "GW-LRW-IN"), ("SNS-NRG-200", "GW-LTE-M"),
                     ("SNS-GPS-100", None), ("SNS-VIB-100", "GW-EDGE-500"), ("GW-EDGE-500", "PLT-STARTER")):
        a = P[sid]
        if sid == "SNS-TMP-150":
            answer = (f"No. The {a['name']} uses Bluetooth Low Energy, which the LoRaWAN Indoor Gateway cannot "
                      "receive. Use the LTE-M Cellular Gateway (GW-LTE-M) or the Edge 500 (GW-EDGE-500).")
            question = f"Does the {a['name']} work with the LoRaWAN Indoor Gateway?"
        elif sid == "SNS-GPS-100":
            answer = ("No gateway is needed: the G1 tracker connects directly to Kestrel Cloud over LTE-M or "
                      "NB-IoT with the roaming SIM that is included for five years.")
            question = f"Which gateway do I need for the {a['name']}?"
        elif sid == "SNS-VIB-100":
            answer = ("No. The legacy V1 payload codec is not supported by the Edge 500 rules engine. Keep V1 "
                      "sensors on a LoRaWAN Indoor or Outdoor Gateway, or replace them with the V2 (SNS-VIB-200).")
            question = f"Can I connect my {a['name']} to an Edge 500?"
        elif sid == "GW-EDGE-500":
            answer = ("The Edge 500 connects to every tier, but its local rules engine and OPC UA server need "
                      "Kestrel Cloud Professional or Enterprise; on Starter it is not supported.")
            question = "Can I use the Edge 500 gateway with Kestrel Cloud Starter?"
        else:
            b = P[gid]
            answer = (f"Yes. The {a['name']} uses {a['protocol']} and the {b['name']} accepts "
                      f"{b['protocol'].replace(';', ', ')}; one gateway serves up to {b['max_devices']} sensors.")
            question = f"Does the {a['name']} work with the {b['name']}?"
        out.append(("compatibility", sid, question, answer))
    for pid in ("SNS-TMP-100", "SNS-VIB-200", "SNS-LVL-100", "SNS-GPS-100", "SNS-NRG-100"):
        p = P[pid]
        if p["battery_life_years"] is None:
            answer = (f"The {p['name']} has no battery: it is powered from the circuit it measures, so it "
                      "stops reporting if that circuit is isolated.")
            question = f"How often do I need to change the battery in the {p['name']}?"
        else:
            answer = (f"About {p['battery_life_years']:.0f} years at the default reporting interval of "
                      f"{p['reporting_interval_s'] // 60} minutes and 20 C. Shorter intervals, weak signal and "
                      f"sustained cold shorten it. It uses {p['_battery_type']}.")
            question = f"How long does the battery last in the {p['name']}?"
        out.append(("battery", pid, question, answer))
    for plan in PLAN_IDS:
        p = P[plan]
        price = ("included with every subscription" if p["list_price_gbp"] == 0
                 else f"{format_gbp(p['list_price_gbp'])} per year")
        out.append(("support_plans", plan, f"What does {p['name']} cover?",
                    f"{p['name']} ({price}) covers {p['support_hours']}. First-response targets: P1 "
                    f"{p['p1_response_hours']:g} h, P2 {p['p2_response_hours']:g} h, P3 {p['p3_response_hours']:g} h, "
                    f"P4 {p['p4_response_hours']:g} h, counted within the support hours. {p['description']}"))
    out += [
        ("support_plans", None, "What counts as a P1 ticket?",
         "P1 means a complete loss of monitoring at a site, or of alarms for stock or safety, with no workaround. "
         "P2 is a major loss with a workaround, P3 a fault affecting some devices, P4 a question or request."),
        ("support_plans", None, "Can I call you at the weekend?",
         "The phone line is open Mon-Fri 08:00-18:00 UK time. Customers on Critical Support have a 24x7 number "
         "for P1 and P2 issues; everyone else can raise tickets in the portal at any time."),
        ("warranty", None, "What warranty do sensors and gateways have?",
         "Sensors carry a 24-month and gateways a 36-month return-to-base warranty from dispatch. Premium and "
         "Critical plans add advance replacement."),
        ("warranty", None, "Are batteries covered by the warranty?",
         "No. Batteries are consumables; a battery that fails within 6 months of dispatch is replaced free."),
        ("warranty", "GW-LRW-OUT", "Is lightning damage to an outdoor gateway covered?",
         "No. Install the surge arrester supplied with the Outdoor Gateway and earth the mast; damage from "
         "lightning or from an unearthed installation is not covered."),
        ("returns", None, "Can I return devices I no longer need?",
         "Unused devices in unopened packaging can be returned within 30 days of delivery, less a 15% "
         "restocking fee. Ask the Service Desk for a returns number first."),
        ("returns", None, "How do I return a faulty device?",
         "Raise a hardware_fault ticket with the serial number and a photo. The Service Desk issues an RMA "
         "number; send the device with the RMA label and a replacement is dispatched on receipt."),
        ("returns", None, "Do you take back old devices for recycling?",
         "Yes. Kestrel takes back any of its devices free of charge under the WEEE regulations; remove "
         "lithium batteries first and tape their terminals."),
        ("platform", "PLT-STARTER", "How many devices can I connect on the Starter tier?",
         "Up to 50 sensors, 50,000 messages a day and 90 days of data retention. Gateways do not count "
         "towards the device limit."),
        ("platform", "PLT-PRO", "What happens if I go over my daily message limit?",
         "Messages above the tier's daily limit are queued and ingested after midnight UTC; alarms are still "
         "evaluated. Three days over the limit in a month trigger a call from your account manager."),
        ("platform", "PLT-ENT", "How long is my data kept?",
         "Starter keeps 90 days, Professional 365 days and Enterprise 1,095 days (three years) of raw data. "
         "Daily aggregates are kept for the life of the subscription on every tier."),
        ("platform", "PLT-PRO", "Is there an API?",
         "Yes, from Professional up: a REST API (600 calls a minute on Professional, 3,000 on Enterprise) "
         "and MQTT forwarding. Starter has a 60 calls a minute read-only API."),
        ("services", "SVC-SURVEY", "Do I need a site survey?",
         "We recommend one for sites over 5,000 m2, cold stores, basements and anything with a lot of steel. "
         "A survey day is charged at the SVC-SURVEY rate and deducted from an order placed within 90 days."),
        ("services", "SVC-INSTALL-DAY", "Can you install the sensors for us?",
         "Yes. A field engineer installs and commissions about 30-40 sensors or 3 gateways a day on a "
         "prepared site; many customers install sensors themselves with the Kestrel Installer app."),
        ("services", "SVC-PILOT", "Can we trial the system first?",
         "Yes. The 90-Day Pilot Package includes ten sensors, one indoor gateway and Starter for 90 days; the "
         "pilot fee is credited if you order within 30 days of the review."),
        ("services", "SVC-INT-SCADA", "Can Kestrel data go into our SCADA system?",
         "Yes, through the OPC UA server on the Edge 500 or by Modbus TCP. The SCADA Integration service "
         "covers tag lists, testing and a site acceptance test."),
    ]
    return out


def write_faq(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    rows = []
    for i, (topic, pid, question, answer) in enumerate(faq_entries(), start=1):
        rows.append(dict(faq_id=f"FAQ-{i:03d}", topic=topic, product_id=pid, question=question, answer=answer))
        if pid == "SNS-TMP-100" and topic == "pricing":
            frames.note("faq.csv", f"FAQ-{i:03d}",
                        f"Out of date: quotes {format_gbp(FAQ_STALE_PRICE)} for SNS-TMP-100; products.csv lists "
                        f"{format_gbp(PRODUCT_BY_ID['SNS-TMP-100']['list_price_gbp'])}.")
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# kb_articles.csv: troubleshooting and configuration articles built from templates + specs
# --------------------------------------------------------------------------------------------
KB_COLUMNS = (
    Column("article_id", "str", "Knowledge-base article id (KB-0001 ...).", allowed="unique"),
    Column("title", "str", "Article title."),
    Column("product_id", "str", "The product the article is about, if one (products.product_id).", nullable=True),
    Column("category", "str", "Ticket category the article helps with (same list as tickets.category).",
           allowed=", ".join(TICKET_CATEGORIES)),
    Column("body", "str", "Article text, 80-250 words, one paragraph with numbered steps."),
    Column("updated_date", "date", "Date the article was last reviewed."),
)

_PLACEMENT = {
    "SNS-TMP-100": "Mount it at product height, away from evaporator fans and door draughts; inside a freezer the "
                   "signal loses 10-20 dB through the insulated walls, so put a gateway within 30 m of the door",
    "SNS-TMP-200": "Keep the radio housing outside the cold room and pass only the probe cables through the door "
                   "seal; a housing inside a steel-clad freezer can lose 25 dB of signal",
    "SNS-VIB-200": "Steel machine guards and motor housings reflect the signal; point the antenna end of the "
                   "housing away from the machine and towards the gateway",
    "SNS-LVL-100": "A steel tank roof shields the radio from below; mount the gateway with line of sight to the "
                   "tank tops, or use the Outdoor Gateway on a mast for tank farms",
    "SNS-DOR-100": "Door frames in cold rooms are often steel; mount the sensor body on the outside face of the "
                   "frame and only the magnet on the door leaf",
    "SNS-HUM-100": "Racking full of stock, especially liquids, absorbs the signal; mount the sensor on a pillar "
                   "at aisle ends rather than deep inside the racks",
}

def _kb_weak_signal(p: dict[str, Any]) -> tuple[str, str, str, str]:
    interval = p["reporting_interval_s"]
    body = (
        f"If a {p['name']} ({p['product_id']}) shows as offline or its readings arrive with gaps, check the radio "
        "link before replacing anything. 1) Open the device page in Kestrel Cloud and read the RSSI and SNR of the "
        "last 20 uplinks. RSSI better than -110 dBm and SNR above -7 dB is healthy; RSSI below -120 dBm or SNR "
        "below -15 dB means the link is weak and packets will be lost. 2) Check how many gateways heard each "
        "uplink: one gateway at the edge of range is the classic cause of intermittent data. "
        f"3) {_PLACEMENT[p['product_id']]}. 4) Move the sensor or add a gateway, then watch three reporting "
        f"intervals ({3 * interval // 60} minutes at the default {interval} s) before closing the ticket. "
        "5) A weak link also drains the battery, because the network raises the spreading factor and every "
        "uplink takes longer on air. Do not shorten the reporting interval to 'fix' gaps: it makes both problems worse."
    )
    return (f"{p['_short'].capitalize()} offline or intermittent: checking signal strength", p["product_id"],
            "connectivity", body)


def _kb_battery(p: dict[str, Any]) -> tuple[str, str, str, str]:
    years = p["battery_life_years"]
    interval = p["reporting_interval_s"]
    cellular = p["protocol"] == "LTE-M"
    weak = ("poor cellular coverage (RSRP below -115 dBm), which makes the modem retry and stay awake,"
            if cellular else "a weak radio link (spreading factor SF11 or SF12)")
    ident = "IMEI" if cellular else "device EUI"
    rejoin = "re-attaches to the cellular network" if cellular else "rejoins the LoRaWAN network"
    check = "RSRP on the device page" if cellular else "RSSI and spreading factor"
    body = (
        f"The {p['name']} runs on {p['_battery_type']} and is rated for about {years:.0f} years at its default "
        f"reporting interval of {interval} s at 20 C. Battery life scales roughly with the number of uplinks: "
        f"halving the interval to {interval // 2} s cuts the life to a little over half, and {weak} "
        "can cut it by two thirds. Sustained temperatures below -20 C reduce usable "
        "capacity by about 30%. Kestrel Cloud raises a low-battery warning when the reported cell voltage falls "
        "below 3.3 V, which leaves four to eight weeks of normal operation. To replace the battery: 1) note the "
        f"{ident} on the label; 2) open the housing with the T10 screws and fit new cells of the same type - "
        f"alkaline cells are not suitable; 3) the device {rejoin} within a few minutes; 4) check the "
        "voltage on the device page the next day. A device whose battery drains in months rather than years "
        f"usually has a signal problem: check {check} first."
    )
    return (f"Battery life and replacement: {p['name']}", p["product_id"], "battery", body)


def _kb_interval(p: dict[str, Any]) -> tuple[str, str, str, str]:
    interval = p["reporting_interval_s"]
    per_day = 86400 // interval
    body = (
        f"The {p['name']} reports every {interval} s by default ({per_day} messages a day). To change it: "
        "1) in Kestrel Cloud open Devices, select one or more devices and choose Settings > Reporting interval; "
        "2) enter a value between 60 s and 86,400 s; 3) the platform queues the change as a downlink on port 10 "
        "and the device applies it after its next uplink, so the first report at the new rate can take one full "
        "old interval. Check the effect on your subscription before you shorten intervals: messages per day are "
        "86,400 divided by the interval, times the number of devices. For example 300 devices at 120 s send "
        "216,000 messages a day, far above the Starter tier's 50,000 but within Professional's 1,000,000. "
        "Shorter intervals also reduce battery life roughly in proportion. Event-driven devices such as door and "
        "leak sensors still send alarms immediately; the interval only sets their heartbeat."
    )
    return (f"Changing the reporting interval on the {p['_short']}", p["product_id"], "configuration", body)


_GW_BACKHAUL = {
    "GW-LRW-IN": "Check the Ethernet link LED, that DHCP gave the gateway an address, and that the firewall allows "
                 "outbound UDP 1700 and TCP 8883 (MQTT over TLS) to Kestrel Cloud. On Wi-Fi backhaul, check the "
                 "signal in the gateway web page: below -75 dBm use Ethernet instead",
    "GW-LRW-OUT": "Check the PoE+ injector (802.3at, 30 W) and the outdoor cable run; if the gateway uses LTE-M "
                  "backhaul, check the APN setting 'kestrel.iot' and the cellular signal (RSRP better than "
                  "-110 dBm). The firewall must allow outbound UDP 1700 and TCP 8883",
    "GW-LTE-M": "Check the cellular signal on the status page (RSRP better than -110 dBm, RSRQ better than "
                "-15 dB), that the SIM is seated and that the APN is 'kestrel.iot'. Metal cabinets block the "
                "signal: fit the external antenna on top of the cabinet",
    "GW-EDGE-500": "Check both Ethernet ports: WAN must reach Kestrel Cloud on TCP 8883 and 443; LAN serves "
                   "Modbus TCP and OPC UA (port 4840). The Edge 500 buffers 30 days of data, so after a backhaul "
                   "outage it uploads the backlog at up to 3,000 messages a minute",
}


def _kb_gateway_offline(p: dict[str, Any]) -> tuple[str, str, str, str]:
    body = (
        f"When a {p['name']} ({p['product_id']}) shows offline in Kestrel Cloud, every sensor behind it stops "
        "reporting at the same time, which is the quickest way to tell a gateway fault from a sensor fault. "
        "1) Ask the customer to read the status LED: solid green is connected, flashing green means no backhaul, "
        "amber means no time sync, red means a hardware fault. 2) " + _GW_BACKHAUL[p["product_id"]] + ". "
        "3) Check the gateway clock: without NTP (UDP 123) uplinks are rejected as replays. 4) Power-cycle once; "
        "if it does not reconnect within five minutes, collect the diagnostic bundle from the local web page "
        f"(http://192.168.8.1) and escalate to Technical Support. The gateway supports up to {p['max_devices']} "
        f"sensors and {p['max_messages_per_minute']} messages a minute; a site that has grown beyond that sees "
        "gaps at busy times rather than a full outage."
    )
    return (f"{p['name']} offline: backhaul and network checks", p["product_id"], "connectivity", body)


def _kb_gateway_install(p: dict[str, Any]) -> tuple[str, str, str, str]:
    specific = {
        "GW-LRW-IN": "Mount it high on an internal wall, at least 1 m from metal ducts and 2 m from other radio "
                     "equipment, powered by PoE (802.3af). One indoor gateway typically covers 5,000-10,000 m2 of "
                     "open warehouse, far less in buildings with concrete cores or cold rooms.",
        "GW-LRW-OUT": "Mount it on a mast or roof edge with the antenna vertical and clear of obstructions for the "
                      "first 3 m, fit the supplied surge arrester and earth the mast. Rated IP67 and -40 to +60 C; "
                      "range up to 5 km in open country and 1-2 km in industrial estates.",
        "GW-EDGE-500": "Mount it on a DIN rail or wall inside a ventilated cabinet (IP54, -20 to +55 C), with the "
                       "LoRaWAN antenna outside the cabinet on the supplied 3 m cable. Connect WAN to the "
                       "corporate network and LAN to the OT network; the Edge 500 keeps them separated.",
    }[p["product_id"]]
    body = (
        f"Installing the {p['name']}: plan positions from the site survey before drilling anything. {specific} "
        "Commissioning: 1) scan the QR code on the gateway with the Kestrel Installer app and pick the customer's "
        "site; 2) power it up and wait for the status LED to turn solid green (up to 5 minutes while it updates "
        "firmware); 3) check in Kestrel Cloud that the gateway reports its location and a time-synchronised "
        "heartbeat; 4) walk the site with a test sensor and record RSSI at each planned sensor position - "
        "anything below -115 dBm needs another gateway or a different position. Leave the survey sheet with the "
        "customer and attach it to the installation ticket."
    )
    return (f"Installing and commissioning the {p['_short']}", p["product_id"], "installation", body)


def _kb_fixed() -> list[tuple[str, str | None, str, str]]:
    """Articles that are not generated per product."""
    P = PRODUCT_BY_ID
    s, pro, ent = P["PLT-STARTER"], P["PLT-PRO"], P["PLT-ENT"]
    return [
        (f"Known issue: LoRaWAN gateway firmware {FIRMWARE_BAD} drops uplinks under load", "GW-LRW-IN", "connectivity",
         f"Firmware {FIRMWARE_BAD}, released on {FIRMWARE_BAD_RELEASED:%d %B %Y} for the LoRaWAN Indoor and Outdoor "
         "Gateways, has a packet-forwarder buffer defect: when a gateway receives more than about 200 uplinks a "
         "minute it silently discards some of them. Symptoms are gaps in data from many sensors on the same "
         "gateway, worst at busy times, while the gateway itself stays online and the sensors show good RSSI. "
         "Sites with many sensors on short reporting intervals are affected most. Fix: upgrade to firmware "
         f"{FIRMWARE_FIX} (released {FIRMWARE_FIX_RELEASED:%d %B %Y}) from Gateways > Firmware in Kestrel Cloud or "
         "via the local web page; the upgrade takes about four minutes and sensors rejoin automatically. Until the "
         "upgrade, lengthening the reporting interval on non-critical sensors reduces the loss. When logging a "
         "ticket record the gateway firmware version; tickets on 3.2.0 go to Product Engineering, who track the "
         "affected sites."),
        ("Upgrading LoRaWAN gateway firmware", "GW-LRW-OUT", "configuration",
         "Kestrel recommends keeping LoRaWAN gateways on the latest firmware; current releases are listed under "
         "Gateways > Firmware in Kestrel Cloud. 1) Check the release notes for known issues and for the minimum "
         "version you can upgrade from. 2) Schedule the upgrade outside production hours: the gateway is offline "
         "for about four minutes and sensors buffer nothing in that time, so readings are lost rather than "
         "delayed. 3) Select the gateways, choose Upgrade, and confirm. 4) After the upgrade, check that the "
         "gateway reports the new version, that its heartbeat is time-synchronised and that the number of "
         "uplinks per hour has returned to its normal level. 5) If the upgrade fails twice, do not retry: "
         "collect the diagnostic bundle from the local web page and raise a ticket for Technical Support. "
         "Gateways on 3.1.x can upgrade straight to the current release."),
        ("API rate limits and HTTP 429 errors", None, "platform_access",
         f"The Kestrel Cloud REST API is rate limited per tenant: Starter {s['api_calls_per_minute']} calls a "
         f"minute (read-only), Professional {pro['api_calls_per_minute']} and Enterprise "
         f"{ent['api_calls_per_minute']}. Above the limit the API answers HTTP 429 Too Many Requests with a "
         "Retry-After header in seconds. Typical causes are integration scripts that poll every device one by "
         "one, or several systems sharing one API key. Fixes: 1) request readings for many devices in one call "
         "with the /v2/readings?devices= parameter (up to 200 devices); 2) honour Retry-After and back off "
         "exponentially; 3) use MQTT forwarding instead of polling for near-real-time data (Professional and "
         "Enterprise); 4) give each integration its own API key so usage can be traced under Settings > API keys. "
         "A sustained need above the tier limit is a conversation for the account manager, not a support fix."),
        ("Daily message quota: what happens when you exceed it", None, "billing",
         f"Each tier has a daily ingest quota: Starter {s['messages_per_day']:,}, Professional "
         f"{pro['messages_per_day']:,} and Enterprise {ent['messages_per_day']:,} messages a day, counted from "
         "midnight UTC. Messages above the quota are not lost: they are queued and ingested after midnight, and "
         "alarm rules are still evaluated in real time. Dashboards, however, show gaps until the queue is "
         "processed, which customers often report as a data fault. To check usage open Settings > Usage, which "
         "shows messages per day for the last 90 days. Messages per day equal 86,400 divided by the reporting "
         "interval, times the number of devices, plus alarms and heartbeats. Three days over the quota in a "
         "calendar month generate a notification to the account manager; there is no automatic overage charge. "
         "The usual fixes are to lengthen reporting intervals or to move to the next tier."),
        ("Data retention on each Kestrel Cloud tier", None, "platform_access",
         f"Raw readings are kept online for {s['retention_days']} days on Starter, {pro['retention_days']} on "
         f"Professional and {ent['retention_days']:,} on Enterprise. Older raw data is deleted every night; daily "
         "minimum, maximum and mean values are kept for the life of the subscription on every tier. Customers who "
         "need longer raw history for audits, for example pharmaceutical stores under GDP, should either move to "
         "Enterprise or export data regularly: use Reports > Scheduled export to send a monthly CSV to an email "
         "address or an SFTP server. Retention cannot be extended for a single device. When a customer downgrades, "
         "raw data older than the new tier's retention is deleted 30 days after the change, so export it first."),
        ("Password reset emails not arriving", None, "platform_access",
         "If a user does not receive the password reset email from Kestrel Cloud: 1) check the address in "
         "Settings > Users matches exactly - addresses are stored as typed and some customer records contain "
         "upper-case letters; 2) ask the user to check quarantine and junk folders for mail from "
         "no-reply@kestrelcloud.io and to ask IT to allow that sender; 3) reset links expire after 30 minutes, so "
         "a second request invalidates the first; 4) accounts lock for 15 minutes after five failed sign-ins. "
         "Users of a tenant with single sign-on cannot reset a Kestrel password at all: they must sign in with "
         "their company account, and a failure there belongs to the customer's identity team. The Service Desk "
         "can resend an invitation but never sets passwords on behalf of users."),
        ("Single sign-on (SAML / Entra ID) sign-in failures", "PLT-PRO", "platform_access",
         "Single sign-on is available on Professional and Enterprise. When users see 'SAML response invalid' or "
         "are sent back to the sign-in page: 1) check that the identity provider's signing certificate has not "
         "expired - certificates are usually valid for one to three years, and an expiry locks out every user at "
         "once; 2) check that the user's email claim matches the address in Kestrel Cloud exactly; 3) check the "
         "clock on any on-premises identity server, since responses more than five minutes old are rejected; "
         "4) new users must be assigned to the Kestrel enterprise application in the identity provider. A tenant "
         "administrator can always sign in with the break-glass local account created at onboarding. Escalate to "
         "Technical Support with the SAML trace if the certificate and claims are correct."),
        ("Temperature spikes and implausible readings", "SNS-TMP-100", "data_quality",
         "Single readings far from their neighbours, such as 85.0 C or -40.0 C, are almost always sensor-side "
         "events rather than real temperatures. 85.0 and -40.0 are the limits of the measuring range and appear "
         "when the NTC element is disconnected or shorted, usually from moisture inside a cracked housing. "
         "Gradual rises of 5-10 C lasting 20-40 minutes in a freezer are normally defrost cycles, not faults: "
         "compare them with the defrost schedule before raising an alarm. Short spikes when a door opens are "
         "real air temperatures; a probe in a glycol bottle (simulated product) gives a better picture of stock "
         "temperature. To correct a constant offset, enter a calibration offset under Settings > Calibration; "
         "never edit stored readings. If a sensor reports the same value for hours while others vary, its "
         "element has failed: raise a hardware_fault ticket for an RMA."),
        ("Duplicate readings in exports", None, "data_quality",
         "When a sensor is heard by two or more gateways, the network server removes duplicate uplinks within a "
         "200 ms window, so Kestrel Cloud stores each reading once. Duplicates in an export therefore come from "
         "somewhere else: 1) the export covers overlapping date ranges, for example two monthly exports that both "
         "include the last day; 2) a device was re-registered under a new name and both names are selected; "
         "3) the Edge 500 uploaded its local buffer after an outage while the gateway's own uplinks also reached "
         "the cloud - these have identical timestamps and values and are removed by the nightly job. Customers "
         "should deduplicate on device EUI plus timestamp, not on device name. All timestamps in exports are UTC; "
         "a reading that appears twice one hour apart is a time-zone conversion in the customer's spreadsheet."),
        ("Energy meter readings look wrong", "SNS-NRG-100", "data_quality",
         "Most unexpected readings from the E1 CT-clamp energy meter come from installation. 1) Negative power on "
         "one phase means that clamp is on backwards: the arrow on each clamp must point towards the load. "
         "2) Power factor near zero with sensible current means the clamps are on different phases from the "
         "voltage reference: L1 clamp with L1 voltage, and so on. 3) Readings a factor of 2.5 or 6 too high or "
         "low mean the wrong clamp size is configured: 100 A, 250 A and 600 A clamps need the matching setting "
         "under Device > Settings > CT ratio. 4) kWh counters that reset to zero mean the meter lost power: it is "
         "powered from the measured circuit, so isolating that circuit stops the meter. Correct the setting, then "
         "note the time of the change in the ticket so energy reports can be adjusted."),
        ("Tank level readings jumping or stuck", "SNS-LVL-100", "data_quality",
         "The L1 ultrasonic sensor measures the distance to the liquid surface and converts it to level using the "
         "tank height entered at commissioning. Jumps between two values usually mean the beam hits a ladder, "
         "inlet pipe or weld seam: move the sensor so there is a clear vertical path of 30 cm diameter. Readings "
         "stuck at full scale mean the liquid is inside the 25 cm dead band, or condensation has formed on the "
         "transducer - common in heated tanks in winter. Foam on the surface absorbs the pulse and gives "
         "intermittent empty readings. Check the configured tank height and offset against the tank drawing; a "
         "wrong height shifts every reading by the same amount. For diesel and heating oil the sensor works "
         "through the vapour; for acids use the chemically resistant version (order code suffix -C)."),
        ("Vibration alarms: reducing false positives", "SNS-VIB-200", "data_quality",
         "The V2 sensor reports RMS velocity (mm/s) on three axes every 300 s and raises an alarm when a threshold "
         "is crossed. False alarms usually have one of four causes. 1) Thresholds set from ISO 10816 defaults "
         "without a baseline: record two weeks of normal running and set the alert at 1.5 times and the alarm at "
         "2.5 times the baseline. 2) Start-up transients: enable 'ignore first 2 readings after start'. "
         "3) Magnetic mounting on a painted or curved surface: it reduces accuracy above 1 kHz and lets the "
         "sensor rock; use the stud mount on a machined spot face. 4) The sensor is on a guard or cover rather "
         "than the bearing housing. A steady rise over weeks is a real trend worth a maintenance visit."),
        ("Returning a faulty device (RMA process)", None, "hardware_fault",
         "Before issuing an RMA, confirm the fault is the hardware: a device that is offline may simply have a "
         "weak signal or a flat battery. Then: 1) record the serial number and device EUI, the symptom and when it "
         "started, and ask the customer for a photo of the device in place; 2) check warranty - 24 months for "
         "sensors and 36 months for gateways from dispatch, batteries excluded; 3) issue the RMA number from the "
         "ticket (Actions > Create RMA); Standard customers send the device back and receive a replacement on "
         "receipt, Premium customers receive an advance replacement next business day and Critical customers the "
         "same day in the UK; 4) remove the old device from the customer's tenant only after the replacement "
         "reports. Physical damage, water ingress above the IP rating and lightning are not covered."),
        ("Water ingress in outdoor gateways", "GW-LRW-OUT", "hardware_fault",
         "The Outdoor Gateway is rated IP67 only when both cable glands are tightened on cables of the right "
         "diameter (5-10 mm) and the unused gland is fitted with its blanking plug. Condensation or water inside "
         "the housing usually comes from a gland left loose after installation, a cable run that lets water run "
         "down into the gland (form a drip loop), or the breather vent painted over. Symptoms are intermittent "
         "reboots in wet weather and corrosion on the Ethernet port. Ask for photos of the glands and the cable "
         "run. If water has reached the board the unit needs an RMA; if the fault is installation-related, book "
         "a field engineering visit, because the replacement will fail the same way."),
        ("GPS tracker not getting a position fix", "SNS-GPS-100", "hardware_fault",
         "The G1 tracker needs a clear view of the sky: inside a steel trailer, container or building it reports "
         "only cell-based location (accuracy 500 m-2 km) and the position field shows 'cell'. 1) Check the "
         "mounting: the label side must face upwards, under a plastic or fibreglass panel, not under steel. "
         "2) A first fix after a long period in storage can take 15 minutes in the open. 3) Motion-triggered "
         "reporting means a parked trailer sends only its daily heartbeat; this is normal. 4) If the tracker "
         "reports no position for more than 48 hours while moving outdoors, and its battery is above 20%, treat "
         "it as a hardware fault. Battery life is about 2 years at a 15-minute interval, much less if motion "
         "reporting is set to every minute."),
        ("Understanding your Kestrel invoice", None, "billing",
         "Invoices are issued annually in advance for platform subscriptions and support plans, and on dispatch "
         "for hardware and on completion for services. Each line shows the product code, for example PLT-PRO or "
         "SVC-INSTALL-DAY, the quantity and the list price less any agreed discount. Common questions: 1) two "
         "subscription lines in one month normally mean a mid-term upgrade, invoiced pro rata from the upgrade "
         "date; 2) a missing purchase order number can be added by re-issuing the invoice - ask Billing, do not "
         "edit the PDF; 3) Standard Support shows at 0.00 because it is included; 4) hardware prices are "
         "excluding VAT and delivery. Queries about credit notes, payment terms or disputes go to the Billing "
         "team with the invoice number."),
        ("Changing platform tier", None, "billing",
         f"Customers can move between Starter ({format_gbp(s['list_price_gbp'])}/month), Professional "
         f"({format_gbp(pro['list_price_gbp'])}/month) and Enterprise ({format_gbp(ent['list_price_gbp'])}/month). "
         "Upgrades take effect immediately and are invoiced pro rata for the rest of the subscription year; the "
         "new device limit, message quota and retention apply at once. Downgrades take effect at renewal, and the "
         "customer must first reduce devices to the lower tier's limit (Starter 50, Professional 500) and export "
         "any raw data older than the lower tier keeps. The Service Desk does not change tiers: log the request "
         "and pass it to the account manager, who confirms price and contract terms. Typical triggers for an "
         "upgrade are more than 50 devices, the need for the API, MQTT forwarding or single sign-on, or audit "
         "retention for pharmaceutical customers."),
        ("Choosing a support plan", None, "product_info",
         "Kestrel offers three support plans. Standard is included with every subscription: Mon-Fri 09:00-17:30 UK, "
         "P1 response within 4 hours. Premium adds Mon-Fri 08:00-18:00 cover, a 1-hour P1 target, advance "
         "hardware replacement and a named technical contact. Critical adds a 24x7 line for P1 and P2 issues, a "
         "30-minute P1 target, same-day replacement in the UK and quarterly service reviews. Response targets "
         "count only the hours the plan covers, so a Standard customer who raises a P1 on Saturday is answered "
         "on Monday within target. Recommend Critical where monitoring protects stock or safety around the clock, "
         "for example vaccine stores, cold-chain logistics or water networks, and Premium for multi-site customers "
         "that rely on business-hours dashboards."),
        ("Which gateway do I need?", None, "product_info",
         "Choose the gateway from the sensors' protocol and the site. LoRaWAN sensors (most of the range) need "
         "the Indoor Gateway (up to 500 sensors, Ethernet or Wi-Fi) in buildings, or the Outdoor Gateway (up to "
         "1,000 sensors, range up to 5 km) for tank farms, yards and utilities. BLE beacons and Modbus energy "
         "meters need the LTE-M Cellular Gateway, which also suits sites with no usable network. The Edge 500 "
         "combines LoRaWAN, BLE and Modbus with a local rules engine and an OPC UA server for SCADA, and needs "
         "Professional or Enterprise. LTE-M sensors such as the T3 logger and G1 tracker need no gateway. Plan one "
         "indoor gateway per 5,000-10,000 m2 of open space, more with cold rooms or concrete walls, and a second "
         "gateway wherever data loss would be costly."),
        ("Setting up alert rules with escalation", None, "how_to",
         "Alert rules send email, SMS or voice notifications when a reading crosses a threshold. 1) Open Rules > New "
         "rule, choose the devices or a device group and the measurement. 2) Set the threshold and a delay, for "
         "example 'above 8 C for 15 minutes', so that door openings and defrost cycles do not trigger alarms. "
         "3) Add recipients in order: on Professional and Enterprise, an escalation chain notifies the next person "
         "if nobody acknowledges within the set time. 4) Add an 'offline' rule for each critical device - no data "
         "for three reporting intervals - because a silent sensor raises no temperature alarm. 5) Test with "
         "Rules > Send test notification. Alarms are evaluated on arrival, even when the daily message quota is "
         "exceeded. Keep the number of recipients small; alarm fatigue is the most common reason alarms get missed."),
        ("Exporting data to CSV and via the REST API", None, "how_to",
         "Kestrel Cloud offers three ways to get data out. 1) Ad-hoc CSV: open a dashboard or device, choose "
         "Export, pick the date range and the devices; exports up to one million rows are emailed as a zip. "
         "2) Scheduled export: Reports > Scheduled export sends a CSV daily, weekly or monthly to email or SFTP. "
         "3) REST API (Professional and Enterprise): GET /v2/readings with device ids and a time range returns "
         "JSON; paginate with the next_cursor field and stay within the tier's rate limit. All timestamps are UTC "
         "in ISO 8601 format, and values are in SI units (C, %RH, bar, kWh, mm/s). Device names can change, so "
         "join exported data on the device EUI. Raw data older than the tier's retention is no longer available; "
         "daily aggregates are."),
        ("Forwarding data to your MQTT broker", "PLT-PRO", "how_to",
         "On Professional and Enterprise, Kestrel Cloud can publish every reading to the customer's own MQTT "
         "broker. 1) Under Integrations > MQTT forwarding enter the broker host, port (8883 for TLS) and "
         "credentials or a client certificate. 2) Choose the topic template, by default "
         "kestrel/{site}/{device_eui}/{measurement}. 3) Payloads are JSON with timestamp (UTC, ISO 8601), value "
         "and unit. 4) Use Test connection, then watch the delivery log: failed deliveries are retried for 24 "
         "hours. The customer's broker must accept connections from Kestrel's published IP ranges. QoS 1 means a "
         "message can occasionally arrive twice, so consumers should deduplicate on device EUI and timestamp. "
         "For more than a few thousand messages a minute, or payload mapping into another format, sell the "
         "MQTT/REST Integration Package (SVC-INT-MQTT)."),
        ("Connecting the Edge 500 to SCADA via OPC UA", "GW-EDGE-500", "how_to",
         "The Edge 500 runs an OPC UA server (port 4840) that presents every connected sensor as a folder of "
         "variables, so a SCADA or historian can read Kestrel data without going through the cloud. 1) In Kestrel "
         "Cloud open the gateway, enable OPC UA under Local services and choose security policy "
         "Basic256Sha256 with sign and encrypt. 2) Trust the SCADA client's certificate on the gateway and the "
         "gateway's certificate in the SCADA system. 3) Browse Objects > Kestrel > site > device; values carry "
         "source timestamps in UTC and a quality code, which is Bad when the sensor has missed three intervals. "
         "4) Keep the OT network on the LAN port only. Tag naming and alarm mapping for larger systems are part "
         "of the SCADA Integration service (SVC-INT-SCADA)."),
        ("Adding users and setting roles", None, "how_to",
         "Tenant administrators add users under Settings > Users > Invite. Roles: Viewer sees dashboards and "
         "acknowledges alarms; Operator also edits devices, rules and reports; Administrator also manages users, "
         "API keys, integrations and billing contacts. Starter allows 5 users, Professional 50 and Enterprise "
         "unlimited. On tenants with single sign-on, users are created at first sign-in with the role mapped from "
         "their identity-provider group. Good practice: at least two administrators, so that one leaving does not "
         "lock the customer out; Viewer for most users; and removing leavers promptly. The Service Desk can tell "
         "a customer who their administrators are but cannot add users without a request from one of them."),
        ("Site survey checklist before installation", "SVC-SURVEY", "installation",
         "A site survey avoids most connectivity tickets after installation. Before the visit, ask the customer "
         "for floor plans, the list of assets or rooms to monitor, where network ports and PoE switches are, and "
         "site access rules (inductions, permits, cold-store PPE). On site: 1) walk the site with a test gateway "
         "and sensor and record RSSI and SNR at every planned sensor position; 2) mark gateway positions with "
         "power and network; 3) note steel structures, cold rooms, basements and tanks that block signal; "
         "4) photograph each position. The survey report lists the bill of materials, gateway positions, "
         "expected signal per sensor and any cabling the customer must provide, and states the assumptions "
         "behind the installation estimate. One survey day covers up to about 10,000 m2."),
        ("Mounting vibration sensors on rotating machines", "SNS-VIB-200", "installation",
         "Where and how a vibration sensor is mounted matters more than any setting. 1) Mount it on the bearing "
         "housing, as close to the load zone as possible, never on covers, guards or fan shrouds. 2) Use the M6 "
         "stud on a spot-faced flat surface for full accuracy to 3 kHz; the magnetic mount is acceptable for "
         "surveys but rocks on curved or painted surfaces. 3) Align the sensor's X axis with the shaft. 4) For "
         "motors above 75 kW fit one sensor on each bearing. 5) Record the machine speed and power in the device "
         "settings so the platform can apply ISO 10816 severity bands. 6) Check signal from the final position: "
         "motor frames and guards reflect the radio, and a sensor underneath a machine may need the gateway moved."),
        ("Commissioning sensors with the Kestrel Installer app", None, "installation",
         "The Kestrel Installer app (iOS and Android) commissions sensors without a laptop. 1) Sign in with a "
         "Kestrel Cloud account that has the Operator role for the customer's tenant. 2) Choose the site, then "
         "scan the QR code on each sensor; the app registers the device EUI and keys. 3) Name the device using the "
         "customer's convention, for example site-building-room-asset, and pick its group. 4) Take a photo of the "
         "device in place; the app attaches it to the device record. 5) Pull the battery tab: the device joins "
         "within two minutes and the app shows the first RSSI and SNR. Anything weaker than -115 dBm or -12 dB "
         "should be moved before leaving site. 6) At the end, export the commissioning report and attach it to "
         "the installation ticket."),
    ]


def kb_articles() -> list[tuple[str, str | None, str, str]]:
    """(title, product_id, category, body) for every article, in id order."""
    P = PRODUCT_BY_ID
    arts: list[tuple[str, str | None, str, str]] = []
    for pid in ("SNS-TMP-100", "SNS-TMP-200", "SNS-VIB-200", "SNS-LVL-100", "SNS-DOR-100", "SNS-HUM-100"):
        arts.append(_kb_weak_signal(P[pid]))
    for pid in ("SNS-TMP-100", "SNS-TMP-200", "SNS-TMP-300", "SNS-VIB-200", "SNS-LVL-100", "SNS-DOR-100",
                "SNS-GPS-100", "SNS-FLW-100"):
        arts.append(_kb_battery(P[pid]))
    for pid in ("SNS-TMP-100", "SNS-HUM-100", "SNS-CO2-100"):
        arts.append(_kb_interval(P[pid]))
    for pid in GATEWAY_IDS:
        arts.append(_kb_gateway_offline(P[pid]))
    for pid in ("GW-LRW-IN", "GW-LRW-OUT", "GW-EDGE-500"):
        arts.append(_kb_gateway_install(P[pid]))
    arts += _kb_fixed()
    return arts


def write_kb_articles(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    rows = []
    first = date(2023, 9, 1).toordinal()
    last = date(2026, 6, 15).toordinal()
    for i, (title, pid, category, body) in enumerate(kb_articles(), start=1):
        reviewed = date.fromordinal(int(rng.integers(first, last + 1)))
        if "firmware 3.2.0" in title:
            reviewed = FIRMWARE_FIX_RELEASED
        rows.append(dict(article_id=f"KB-{i:04d}", title=title, product_id=pid, category=category, body=body,
                         updated_date=reviewed))
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# Word lists for people and companies (fixed lists: no Faker, identical on every machine)
# --------------------------------------------------------------------------------------------
FIRST_NAMES = {
    "UK & Ireland": ["Oliver", "Amelia", "Harry", "Isla", "George", "Olivia", "Jack", "Emily", "Thomas", "Sophie",
                     "James", "Grace", "William", "Chloe", "Daniel", "Hannah", "Samuel", "Lucy", "Joseph", "Megan",
                     "Aoife", "Ciaran", "Niamh", "Sean", "Priya", "Rahul", "Aisha", "Tariq", "Chinedu", "Ngozi",
                     "Rhys", "Cerys", "Callum", "Eilidh", "Mark", "Claire", "Paul", "Rachel", "Stephen", "Helen"],
    "Nordics": ["Erik", "Anna", "Lars", "Ingrid", "Mikael", "Sofia", "Johan", "Maja", "Anders", "Elin", "Mathias",
                "Sara", "Jonas", "Emma", "Henrik", "Karin", "Mikko", "Aino", "Jukka", "Laura", "Nils", "Frida",
                "Magnus", "Ida", "Rasmus", "Line"],
    "DACH": ["Lukas", "Anna", "Maximilian", "Laura", "Felix", "Julia", "Jonas", "Lea", "Tobias", "Katharina",
             "Stefan", "Sabine", "Markus", "Claudia", "Andreas", "Nina", "Florian", "Sarah", "Matthias", "Lena",
             "Reto", "Corinne", "Urs", "Franziska"],
    "Benelux": ["Daan", "Sanne", "Bram", "Lotte", "Thijs", "Emma", "Jeroen", "Anouk", "Pieter", "Femke", "Wouter",
                "Lieke", "Koen", "Inge", "Thomas", "Elise", "Arnaud", "Margaux", "Luc", "Sofie"],
    "France": ["Louis", "Camille", "Hugo", "Chloé", "Lucas", "Manon", "Julien", "Léa", "Antoine", "Claire",
               "Nicolas", "Sophie", "Mathieu", "Élodie", "Pierre", "Aurélie", "Thomas", "Julie"],
    "Iberia": ["Javier", "Lucía", "Pablo", "María", "Alejandro", "Carmen", "Diego", "Laura", "Sergio", "Marta",
               "João", "Inês", "Tiago", "Beatriz", "Miguel", "Ana", "Rui", "Catarina"],
    "North America": ["Michael", "Jennifer", "David", "Jessica", "Chris", "Ashley", "Matthew", "Sarah", "Brian",
                      "Emily", "Kevin", "Megan", "Ryan", "Lauren", "Jason", "Nicole", "Tyler", "Rachel", "Marcus",
                      "Danielle", "Luis", "Gabriela", "Wei", "Mei", "Raj", "Anjali"],
}
LAST_NAMES = {
    "UK & Ireland": ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
                     "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
                     "Wood", "Jackson", "Clarke", "Hughes", "Murphy", "Kelly", "O'Brien", "Byrne", "Walsh",
                     "Campbell", "MacDonald", "Khan", "Ahmed", "Okafor", "Morgan", "Price", "Harrison", "Shaw",
                     "Fletcher", "Barnes", "Lloyd", "Kaur"],
    "Nordics": ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Hansen", "Johansen",
                "Olsen", "Nielsen", "Jensen", "Pedersen", "Korhonen", "Virtanen", "Mäkinen", "Lindqvist",
                "Berg", "Dahl", "Haugen", "Lund", "Holm", "Sørensen"],
    "DACH": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann",
             "Schulz", "Koch", "Richter", "Klein", "Wolf", "Huber", "Gruber", "Brunner", "Keller", "Meier",
             "Frei", "Baumann", "Vogel"],
    "Benelux": ["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser", "Smit",
                "Meijer", "de Boer", "Mulder", "Peeters", "Janssens", "Maes", "Jacobs", "Willems", "Claes",
                "Goossens", "Wouters", "Dubois"],
    "France": ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
               "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
               "Fournier", "Girard"],
    "Iberia": ["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez",
               "Gómez", "Ruiz", "Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues",
               "Martins"],
    "North America": ["Johnson", "Williams", "Miller", "Davis", "Garcia", "Rodriguez", "Martinez", "Anderson",
                      "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris",
                      "Clark", "Lewis", "Walker", "Chen", "Nguyen", "Patel", "Tremblay", "Roy", "Gagnon"],
}
COUNTRIES = {  # region -> [(country, weight, tld, [cities], [company suffixes])]
    "UK & Ireland": [
        ("United Kingdom", 0.86, "co.uk",
         ["London", "Bristol", "Manchester", "Birmingham", "Leeds", "Glasgow", "Sheffield", "Nottingham",
          "Cardiff", "Newcastle", "Southampton", "Norwich", "Aberdeen", "Hull", "Leicester", "Peterborough",
          "Swindon", "Preston", "Exeter", "Belfast"], ["Ltd", "Ltd", "Ltd", "plc"]),
        ("Ireland", 0.14, "ie", ["Dublin", "Cork", "Limerick", "Galway", "Waterford"], ["Ltd", "DAC"]),
    ],
    "Nordics": [
        ("Sweden", 0.40, "se", ["Stockholm", "Gothenburg", "Malmö", "Uppsala", "Västerås", "Jönköping"], ["AB"]),
        ("Norway", 0.22, "no", ["Oslo", "Bergen", "Trondheim", "Stavanger", "Ålesund"], ["AS"]),
        ("Denmark", 0.22, "dk", ["Copenhagen", "Aarhus", "Odense", "Aalborg", "Esbjerg"], ["A/S", "ApS"]),
        ("Finland", 0.16, "fi", ["Helsinki", "Tampere", "Turku", "Oulu", "Espoo"], ["Oy"]),
    ],
    "DACH": [
        ("Germany", 0.70, "de", ["Hamburg", "Munich", "Cologne", "Düsseldorf", "Stuttgart", "Hanover", "Bremen",
                                 "Leipzig", "Dortmund", "Nuremberg"], ["GmbH", "GmbH", "AG"]),
        ("Austria", 0.15, "at", ["Vienna", "Linz", "Graz", "Salzburg"], ["GmbH"]),
        ("Switzerland", 0.15, "ch", ["Zurich", "Basel", "Bern", "Lucerne", "St. Gallen"], ["AG", "GmbH"]),
    ],
    "Benelux": [
        ("Netherlands", 0.60, "nl", ["Rotterdam", "Amsterdam", "Eindhoven", "Utrecht", "Venlo", "Groningen"],
         ["B.V."]),
        ("Belgium", 0.33, "be", ["Antwerp", "Ghent", "Brussels", "Liège", "Bruges"], ["NV", "BV"]),
        ("Luxembourg", 0.07, "lu", ["Luxembourg", "Esch-sur-Alzette"], ["S.A."]),
    ],
    "France": [
        ("France", 1.0, "fr", ["Lyon", "Lille", "Toulouse", "Nantes", "Bordeaux", "Rennes", "Marseille", "Paris",
                               "Strasbourg", "Rouen"], ["SAS", "SAS", "SA"]),
    ],
    "Iberia": [
        ("Spain", 0.68, "es", ["Madrid", "Barcelona", "Valencia", "Zaragoza", "Bilbao", "Seville", "Murcia"],
         ["S.L.", "S.A."]),
        ("Portugal", 0.32, "pt", ["Lisbon", "Porto", "Braga", "Aveiro"], ["Lda", "S.A."]),
    ],
    "North America": [
        ("United States", 0.78, "com", ["Chicago", "Atlanta", "Dallas", "Columbus", "Minneapolis", "Charlotte",
                                        "Denver", "Memphis", "Pittsburgh", "Sacramento"], ["Inc.", "LLC"]),
        ("Canada", 0.22, "ca", ["Toronto", "Montreal", "Calgary", "Vancouver", "Winnipeg"], ["Inc.", "Ltd."]),
    ],
}
REGION_WEIGHTS = {"UK & Ireland": 0.40, "Nordics": 0.12, "DACH": 0.13, "Benelux": 0.10, "France": 0.08,
                  "Iberia": 0.07, "North America": 0.10}
NAME_STEMS = {
    "UK & Ireland": ["Northbrook", "Ashcombe", "Severnside", "Kingsmoor", "Blackwater", "Redfern", "Harrowgate",
                     "Whitcombe", "Larkspur", "Greywell", "Fenwick", "Oakridge", "Stonebridge", "Eastleigh",
                     "Millbank", "Thornbury", "Cairnfield", "Glenmore", "Shannonside", "Liffey Valley", "Pennine",
                     "Wessex", "Trent Valley", "Mersey", "Cotswold", "Humber", "Tamar", "Chiltern", "Solway",
                     "Brecon", "Avonmore", "Kestle", "Marlow", "Brackenridge", "Dunmore", "Hartwell"],
    "Nordics": ["Fjordvik", "Nordhav", "Solberg", "Ekholm", "Vesterby", "Skagen", "Aalto", "Lindholm", "Storå",
                "Havbris", "Norrland", "Kvarn", "Fjällbacka", "Saimaa", "Hedmark", "Jutland", "Tromsø",
                "Bjørkli"],
    "DACH": ["Rheintal", "Alpenland", "Donauwerk", "Bergmann", "Hohenfeld", "Waldkirch", "Elbmarsch",
             "Schwarzwald", "Bodensee", "Inntal", "Harzer", "Emsland", "Weserbergland", "Taunus", "Mosel",
             "Allgäu", "Zugersee", "Steiermark"],
    "Benelux": ["Zeeland", "Maasland", "Schelde", "Amstel", "Ardennes", "Kempen", "Veluwe", "Brabant", "Waal",
                "Lek", "IJssel", "Hageland", "Drenthe", "Noordzee"],
    "France": ["Loire", "Garonne", "Rhône-Alpes", "Provence", "Bretagne", "Vosges", "Normandie", "Aquitaine",
               "Jura", "Charente", "Picardie", "Sologne", "Vendée", "Cévennes"],
    "Iberia": ["Tajo", "Duero", "Mirador", "Atlântico", "Ebro", "Guadalquivir", "Cantábrico", "Montejo",
               "Algarve", "Minho", "Sierra Verde", "Alentejo", "Navarra", "Levante"],
    "North America": ["Great Lakes", "Prairie", "Cascade", "Hudson", "Pinecrest", "Red River", "Summit",
                      "Bluegrass", "Ironwood", "Lone Pine", "Silver Creek", "Granite", "Maple Leaf", "Bayview",
                      "Cedar Point", "Northstar", "Riverbend", "Ridgeline"],
}
INDUSTRY_NOUNS = {
    "manufacturing": ["Precision Engineering", "Components", "Plastics", "Metalworks", "Fabrication", "Castings",
                      "Automotive Parts", "Industries", "Packaging", "Machining"],
    "food_beverage": ["Foods", "Dairies", "Bakeries", "Brewing", "Beverages", "Fresh Produce", "Meats", "Seafood",
                      "Creamery", "Ready Meals"],
    "logistics": ["Logistics", "Cold Chain", "Freight", "Distribution", "Cold Storage", "Transport",
                  "Fulfilment"],
    "pharma": ["Pharma", "Life Sciences", "Biologics", "Laboratories", "Healthcare Supplies", "Therapeutics"],
    "utilities": ["Energy", "Power", "District Heating", "Utilities", "Grid Services", "Renewables"],
    "water": ["Water", "Water Services", "Wastewater", "Water Utilities"],
    "mining": ["Mining", "Minerals", "Quarries", "Aggregates", "Resources"],
    "building_management": ["Facilities", "Property Services", "Estates", "Building Services", "FM",
                            "Property Management"],
    "agriculture": ["Farms", "Agri", "Growers", "Greenhouses", "Horticulture"],
}
INDUSTRY_WEIGHTS = {"manufacturing": 0.21, "food_beverage": 0.16, "logistics": 0.13, "pharma": 0.08,
                    "utilities": 0.09, "water": 0.07, "mining": 0.05, "building_management": 0.13,
                    "agriculture": 0.08}
#: Sensor types each industry buys (the first is the industry's main sensor).
INDUSTRY_SENSORS = {
    "manufacturing": ["SNS-VIB-200", "SNS-NRG-100", "SNS-PRS-100", "SNS-TMP-100", "SNS-NRG-200", "SNS-VIB-100"],
    "food_beverage": ["SNS-TMP-200", "SNS-TMP-100", "SNS-DOR-100", "SNS-HUM-100", "SNS-NRG-100", "SNS-LEK-100"],
    "logistics": ["SNS-TMP-200", "SNS-GPS-100", "SNS-TMP-300", "SNS-DOR-100", "SNS-HUM-100", "SNS-TMP-150"],
    "pharma": ["SNS-TMP-200", "SNS-HUM-100", "SNS-TMP-100", "SNS-DOR-100", "SNS-CO2-100", "SNS-TMP-150"],
    "utilities": ["SNS-NRG-100", "SNS-PRS-100", "SNS-FLW-100", "SNS-NRG-200", "SNS-LVL-100"],
    "water": ["SNS-PRS-100", "SNS-LVL-100", "SNS-FLW-100", "SNS-LEK-100"],
    "mining": ["SNS-VIB-200", "SNS-LVL-100", "SNS-GPS-100", "SNS-PRS-100"],
    "building_management": ["SNS-HUM-100", "SNS-NRG-100", "SNS-CO2-100", "SNS-LEK-100", "SNS-DOR-100",
                            "SNS-FLW-100"],
    "agriculture": ["SNS-HUM-100", "SNS-LVL-100", "SNS-TMP-100", "SNS-GPS-100", "SNS-FLW-100"],
}
OUTDOOR_INDUSTRIES = ("utilities", "water", "mining", "agriculture")
CONTACT_ROLES = {
    "common": ["Operations Manager", "IT Manager", "Facilities Manager", "Procurement Manager",
               "Maintenance Engineer", "Site Manager", "Finance Manager", "Health & Safety Manager"],
    "manufacturing": ["Plant Manager", "Reliability Engineer", "Production Manager"],
    "food_beverage": ["Quality Manager", "Technical Manager", "Food Safety Lead"],
    "logistics": ["Fleet Manager", "Warehouse Manager", "Cold Chain Manager"],
    "pharma": ["Quality Assurance Manager", "Validation Engineer", "GDP Compliance Lead"],
    "utilities": ["Network Engineer", "Asset Manager", "Energy Manager"],
    "water": ["Network Engineer", "Telemetry Engineer", "Asset Manager"],
    "mining": ["Site Engineer", "Reliability Engineer", "Fleet Manager"],
    "building_management": ["Energy Manager", "Building Services Engineer", "Property Manager"],
    "agriculture": ["Farm Manager", "Growing Manager", "Technical Manager"],
}
AGENT_NAMES = [
    "Sarah Mitchell", "Tom Ellison", "Priya Nair", "Gareth Hughes", "Fiona Campbell", "Jamal Ahmed",
    "Katie Doyle", "Ben Whitaker", "Leah Morgan", "Owen Price", "Chloe Barker", "Ravi Sharma", "Emma Lindgren",
    "Dylan Reeves", "Zoe Fraser", "Marcus Bell", "Hannah Okoye", "Adam Kowalski", "Nadia Rahman", "Josh Carter",
    "Imogen Shaw", "Liam Gallagher", "Sian Roberts", "Connor Walsh", "Amira Haddad", "Peter Novak",
    "Rebecca Stone", "Euan MacLeod", "Grace Adeyemi", "Martin Frey", "Holly Turner", "Sanjay Gupta",
    "Claire Dubois", "Neil Patterson", "Lucy Fenwick", "Karl Jensen", "Rosa Martins", "Alex Thornton",
    "Bethan Lewis", "Daniel Hart", "Yasmin Ali", "Harvey Cole",
]
#: Team sizes; the first agent of each team is its lead.
TEAM_SIZES = {"Service Desk": 13, "Technical Support": 8, "Field Engineering": 6, "Product Engineering": 3,
              "Presales": 5, "Account Management": 5, "Billing": 2}


def _slug(text: str) -> str:
    table = str.maketrans({"ä": "a", "å": "a", "à": "a", "á": "a", "â": "a", "ã": "a", "ç": "c", "é": "e",
                           "è": "e", "ê": "e", "í": "i", "ñ": "n", "ó": "o", "ô": "o", "õ": "o", "ö": "o",
                           "ø": "o", "ú": "u", "ü": "u", "ß": "ss", "æ": "ae"})
    return "".join(ch for ch in text.lower().translate(table) if ch.isalnum())


# --------------------------------------------------------------------------------------------
# agents.csv
# --------------------------------------------------------------------------------------------
AGENT_COLUMNS = (
    Column("agent_id", "str", "Employee id (AGT-001 ...).", allowed="unique"),
    Column("name", "str", "Full name."),
    Column("team", "str", "Team the agent belongs to.", allowed=", ".join(TEAMS)),
    Column("seniority", "str", "Grade; each team has one lead.", allowed=", ".join(SENIORITIES)),
    Column("start_date", "date", "First working day at Kestrel; the agent handles no tickets before it."),
    Column("email", "str", "Work email address (unique).", allowed="unique"),
)

#: Service Desk joiners during the ticket period (index within the team -> start date).
_DESK_JOINERS = {10: date(2024, 10, 7), 11: date(2025, 4, 14), 12: date(2025, 11, 3)}


def write_agents(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    names = list(AGENT_NAMES)
    order = rng.permutation(len(names))
    names = [names[i] for i in order]
    rows = []
    number = 0
    for team, size in TEAM_SIZES.items():
        for k in range(size):
            name = names[number]
            number += 1
            if k == 0:
                seniority = "lead"
                start = date(2015 + int(rng.integers(0, 5)), int(rng.integers(1, 13)), 1)
            else:
                seniority = _choice(rng, ["junior", "mid", "senior"], [0.35, 0.4, 0.25])
                years_back = {"junior": (2022, 2025), "mid": (2019, 2024), "senior": (2015, 2022)}[seniority]
                start = date(int(rng.integers(years_back[0], years_back[1])), int(rng.integers(1, 13)), 1)
            if team == "Service Desk" and k in _DESK_JOINERS:
                seniority, start = "junior", _DESK_JOINERS[k]
            start = start + timedelta(days=(7 - start.weekday()) % 7)  # first Monday of the month
            if start > TICKETS_START and not (team == "Service Desk" and k in _DESK_JOINERS):
                start = date(2024, 6, 3)
            first, last = name.split(" ", 1)
            email = f"{_slug(first)}.{_slug(last)}@kestreltelemetry.co.uk"
            rows.append(dict(agent_id=f"AGT-{number:03d}", name=name, team=team, seniority=seniority,
                             start_date=start, email=email))
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# customers.csv
# --------------------------------------------------------------------------------------------
N_CUSTOMERS = 336
MIN_NORDIC_CRITICAL = 2  # Level 1 queries Nordic customers on Critical Support; every seed must have some

CUSTOMER_COLUMNS = (
    Column("customer_id", "str", "Customer account id (CUS-0001 ...), numbered in the order accounts were "
           "created.", allowed="unique"),
    Column("name", "str", "Registered company name (unique as typed; see the documented duplicates)."),
    Column("industry", "str", "Industry the customer works in.", allowed=", ".join(INDUSTRIES)),
    Column("region", "str", "Sales region.", allowed=", ".join(REGIONS)),
    Column("country", "str", "Country of the head office."),
    Column("city", "str", "City of the head office."),
    Column("employees", "int", "Number of employees (heavily skewed).", units="people"),
    Column("segment", "str", "Derived from employees: SMB < 250 <= Mid-market < 2,000 <= Enterprise.",
           allowed=", ".join(SEGMENTS)),
    Column("sites", "int", "Number of sites monitored with Kestrel equipment.", units="sites"),
    Column("platform_tier", "str", "Current Kestrel Cloud subscription (products.product_id of a PLT- "
           "product).", allowed=", ".join(TIER_IDS)),
    Column("support_plan", "str", "Current support plan (products.product_id of a SUP- product).",
           allowed=", ".join(PLAN_IDS)),
    Column("account_manager", "str", "agents.agent_id of the Account Management agent who owns the account."),
    Column("customer_since", "date", "Date of the first won order; the account has no tickets before it."),
)


def segment_for(employees: int) -> str:
    return "SMB" if employees < 250 else ("Mid-market" if employees < 2000 else "Enterprise")


def _company_name(rng: np.random.Generator, region: str, country_info: tuple, industry: str, segment: str) -> str:
    stem = _choice(rng, NAME_STEMS[region])
    noun = _choice(rng, INDUSTRY_NOUNS[industry])
    suffixes = country_info[4]
    suffix = _choice(rng, suffixes)
    if suffix == "plc" and segment != "Enterprise":
        suffix = "Ltd"
    return f"{stem} {noun} {suffix}"


def write_customers(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    agents = frames["agents"]
    managers = agents.loc[agents["team"] == "Account Management", "agent_id"].tolist()
    regions = list(REGION_WEIGHTS)
    industries = list(INDUSTRY_WEIGHTS)
    first_month = date(2016, 1, 1)
    months = [(first_month.year + (first_month.month - 1 + k) // 12, (first_month.month - 1 + k) % 12 + 1)
              for k in range(0, 125)]  # 2016-01 .. 2026-05
    month_weights = [math.exp(0.20 * k / 12) for k in range(len(months))]
    rows = []
    used_names: set[str] = set()
    for _ in range(N_CUSTOMERS):
        region = _choice(rng, regions, [REGION_WEIGHTS[r] for r in regions])
        infos = COUNTRIES[region]
        info = _choice(rng, infos, [i[1] for i in infos])
        industry = _choice(rng, industries, [INDUSTRY_WEIGHTS[i] for i in industries])
        size_boost = {"mining": 1.2, "utilities": 1.0, "water": 0.8, "pharma": 0.4}.get(industry, 0.0)
        employees = int(np.clip(round(math.exp(rng.normal(math.log(160) + size_boost, 1.45))), 8, 60000))
        segment = segment_for(employees)
        for _attempt in range(200):
            name = _company_name(rng, region, info, industry, segment)
            if name not in used_names:
                break
        else:  # pragma: no cover - the word lists are far larger than the customer count
            raise RuntimeError("ran out of company names")
        used_names.add(name)
        if segment == "SMB":
            sites = 1 + int(rng.random() < 0.3)
            tier = _choice(rng, TIER_IDS, [0.72, 0.28, 0.0])
            plan = _choice(rng, PLAN_IDS, [0.84, 0.15, 0.01])
        elif segment == "Mid-market":
            sites = int(min(12, 1 + rng.poisson(1.8)))
            tier = _choice(rng, TIER_IDS, [0.10, 0.80, 0.10])
            plan = _choice(rng, PLAN_IDS, [0.52, 0.40, 0.08])
        else:
            sites = int(min(60, 3 + rng.poisson(4) + (rng.pareto(1.8) * 4)))
            tier = _choice(rng, TIER_IDS, [0.0, 0.35, 0.65])
            plan = _choice(rng, PLAN_IDS, [0.20, 0.50, 0.30])
        if industry in ("pharma", "water") and plan == "SUP-STANDARD" and rng.random() < 0.4:
            plan = "SUP-PREMIUM"
        if plan == "SUP-CRITICAL" and tier == "PLT-STARTER":
            tier = "PLT-PRO"
        y, m = _pick(months, month_weights, float(rng.random()))
        since = date(y, m, 1) + timedelta(days=int(rng.integers(0, 28)))
        manager = managers[int(rng.integers(len(managers)))]
        rows.append(dict(name=name, industry=industry, region=region, country=info[0],
                         city=_choice(rng, info[3]), employees=employees, segment=segment, sites=sites,
                         platform_tier=tier, support_plan=plan, account_manager=manager, customer_since=since))
    # Floor the Level 1 lessons rely on, whatever the seed: some Nordic accounts on Critical Support.
    nordic = sorted((r for r in rows if r["region"] == "Nordics" and r["segment"] != "SMB"),
                    key=lambda r: -r["employees"])
    missing = MIN_NORDIC_CRITICAL - sum(r["support_plan"] == "SUP-CRITICAL" for r in nordic)
    for r in [r for r in nordic if r["support_plan"] != "SUP-CRITICAL"][: max(0, missing)]:
        r["support_plan"] = "SUP-CRITICAL"
        if r["platform_tier"] == "PLT-STARTER":
            r["platform_tier"] = "PLT-PRO"
    rows.sort(key=lambda r: (r["customer_since"], r["name"]))
    for i, row in enumerate(rows, start=1):
        row["customer_id"] = f"CUS-{i:04d}"

    # Messy: two accounts created twice by the Service Desk under a slightly different name.
    candidates = [r for r in rows if r["country"] == "United Kingdom" and r["name"].endswith(" Ltd")
                  and r["customer_since"] < date(2023, 1, 1) and r["segment"] != "Enterprise"]
    original = candidates[int(rng.integers(len(candidates)))]
    dup1 = dict(original, name=original["name"][: -len(" Ltd")] + " Limited",
                customer_since=date(2025, 2, 11), customer_id=f"CUS-{len(rows) + 1:04d}")
    candidates = [r for r in rows if r["region"] != "UK & Ireland" and r["customer_since"] < date(2023, 1, 1)
                  and r is not original]
    original2 = candidates[int(rng.integers(len(candidates)))]
    dup2 = dict(original2, name=original2["name"].upper(), customer_since=date(2025, 9, 23),
                employees=int(round(original2["employees"], -1)) or original2["employees"],
                customer_id=f"CUS-{len(rows) + 2:04d}")
    dup2["segment"] = segment_for(dup2["employees"])
    rows += [dup1, dup2]
    frames.note("customers.csv", dup1["customer_id"],
                f"Duplicate of {original['customer_id']} ('{original['name']}') entered as '{dup1['name']}'.")
    frames.note("customers.csv", dup2["customer_id"],
                f"Duplicate of {original2['customer_id']} ('{original2['name']}') entered in capitals as "
                f"'{dup2['name']}' (employees rounded).")
    frames.extra["duplicates"] = {dup1["customer_id"]: original["customer_id"],
                                  dup2["customer_id"]: original2["customer_id"]}
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# installed_base.csv
# --------------------------------------------------------------------------------------------
INSTALLED_BASE_COLUMNS = (
    Column("customer_id", "str", "customers.customer_id."),
    Column("product_id", "str", "A sensor or gateway the customer has installed (products.product_id)."),
    Column("quantity", "int", "Units installed and registered in Kestrel Cloud as of the extract.", units="units"),
    Column("first_installed", "date", "Date the first unit of this product went live at the customer."),
)

_TIER_SENSOR_RANGE = {"PLT-STARTER": (4, 48, 20), "PLT-PRO": (25, 480, 140), "PLT-ENT": (300, 6000, 900)}


def write_installed_base(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    customers = frames["customers"]
    duplicates = set(frames.extra.get("duplicates", {}))
    rows = []
    for c in customers.itertuples(index=False):
        if c.customer_id in duplicates:
            continue
        low, high, typical = _TIER_SENSOR_RANGE[c.platform_tier]
        scale = typical * (1 + 0.25 * (c.sites - 1)) ** 0.7
        total = int(np.clip(round(math.exp(rng.normal(math.log(scale), 0.55))), low, high))
        since = c.customer_since.date()
        options = [s for s in INDUSTRY_SENSORS[c.industry] if s != "SNS-VIB-100" or since < date(2022, 6, 1)]
        n_types = int(min(len(options), 1 + rng.poisson(0.6 + 0.5 * math.log10(total))))
        chosen = [options[0]]
        rest = options[1:]
        while len(chosen) < n_types and rest:
            pick = rest.pop(int(rng.integers(len(rest))))
            chosen.append(pick)
        shares = rng.dirichlet([3.0] + [1.0] * (len(chosen) - 1))
        shares = sorted(shares, reverse=True)
        qty = [max(1, int(round(total * s))) for s in shares]
        days_left = max(1, (AS_OF.date() - since).days - 1)
        items: dict[str, tuple[int, date]] = {}
        for k, (pid, q) in enumerate(zip(chosen, qty)):
            offset = int(rng.integers(0, 45)) if k == 0 else int(rng.integers(0, days_left))
            items[pid] = (q, since + timedelta(days=min(offset, days_left)))
        go_live = min(d for _, d in items.values())
        lorawan = sum(q for pid, (q, _) in items.items() if PRODUCT_BY_ID[pid]["protocol"] == "LoRaWAN")
        short_range = sum(q for pid, (q, _) in items.items() if PRODUCT_BY_ID[pid]["protocol"] in ("BLE", "Modbus"))
        edge = 0
        if c.platform_tier != "PLT-STARTER" and c.industry in ("manufacturing", "utilities", "water") \
                and rng.random() < 0.3:
            edge = max(1, min(c.sites, int(math.ceil((lorawan + short_range) / 1500))))
            items["GW-EDGE-500"] = (edge, go_live)
        if lorawan and not edge:
            needed = max(c.sites, int(math.ceil(lorawan / 150)))
            if c.industry in OUTDOOR_INDUSTRIES:
                outdoor = max(1, needed // 2)
                items["GW-LRW-OUT"] = (outdoor, go_live)
                if needed - outdoor:
                    items["GW-LRW-IN"] = (needed - outdoor, go_live)
            else:
                items["GW-LRW-IN"] = (needed, go_live)
        if short_range and not edge:
            items["GW-LTE-M"] = (max(1, int(math.ceil(short_range / 40))), go_live)
        for pid, (q, first) in items.items():
            rows.append(dict(customer_id=c.customer_id, product_id=pid, quantity=q, first_installed=first))
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# contacts.csv
# --------------------------------------------------------------------------------------------
CONTACT_COLUMNS = (
    Column("contact_id", "str", "Contact id (CON-00001 ...).", allowed="unique"),
    Column("customer_id", "str", "customers.customer_id the person works for."),
    Column("name", "str", "Full name."),
    Column("role", "str", "Job title."),
    Column("email", "str", "Email address (unique as stored; see the documented wrong-case emails)."),
    Column("phone", "str", "Phone number in international format (+country code)."),
    Column("preferred_channel", "str", "How the contact prefers to be contacted.", allowed=", ".join(CHANNELS)),
    Column("is_primary", "bool", "1 for the account's main contact (exactly one per customer).", allowed="0, 1"),
)

#: Phone number prefixes followed by N random digits. UK numbers use Ofcom's drama ranges and North
#: American ones the 555-01xx fictional range, so no real number is generated.
_PHONE_PREFIX: dict[str, list[tuple[str, int]]] = {
    "United Kingdom": [("+44 20 7946 0", 3), ("+44 117 496 0", 3), ("+44 161 496 0", 3), ("+44 113 496 0", 3),
                       ("+44 121 496 0", 3), ("+44 141 496 0", 3), ("+44 7700 900", 3)],
    "Ireland": [("+353 1 555 0", 3), ("+353 21 555 0", 3)], "Sweden": [("+46 8 555 0", 3), ("+46 31 555 0", 3)],
    "Norway": [("+47 21 55 0", 3)], "Denmark": [("+45 32 55 0", 3)], "Finland": [("+358 9 555 0", 3)],
    "Germany": [("+49 40 5550 0", 3), ("+49 89 5550 0", 3), ("+49 211 5550 0", 3)],
    "Austria": [("+43 1 5550 0", 3)], "Switzerland": [("+41 44 555 0", 3)],
    "Netherlands": [("+31 10 555 0", 3), ("+31 20 555 0", 3)], "Belgium": [("+32 3 555 0", 3)],
    "Luxembourg": [("+352 555 0", 3)], "France": [("+33 4 55 50 0", 3), ("+33 1 55 50 0", 3)],
    "Spain": [("+34 91 555 0", 3), ("+34 93 555 0", 3)], "Portugal": [("+351 21 555 0", 3)],
    "United States": [("+1 312 555 01", 2), ("+1 404 555 01", 2), ("+1 214 555 01", 2)],
    "Canada": [("+1 416 555 01", 2)],
}
_SUFFIX_WORDS = {word for infos in COUNTRIES.values() for info in infos for s in info[4] for word in s.split()}


def _domain(name: str, country: str) -> str:
    suffixes = {word.upper() for word in _SUFFIX_WORDS}
    stem_words = [w for w in name.split() if w.upper() not in suffixes]
    tld = next(i[2] for infos in COUNTRIES.values() for i in infos if i[0] == country)
    return _slug("".join(stem_words[:2]))[:24] + "." + tld


def write_contacts(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    customers = frames["customers"]
    duplicates = frames.extra.get("duplicates", {})
    rows: list[dict[str, Any]] = []
    emails: set[str] = set()
    by_customer: dict[str, list[dict[str, Any]]] = {}

    def person(region: str, industry: str, country: str, domain: str, primary: bool) -> dict[str, Any]:
        for _ in range(50):
            first = _choice(rng, FIRST_NAMES[region])
            last = _choice(rng, LAST_NAMES[region])
            email = f"{_slug(first)}.{_slug(last)}@{domain}"
            if email not in emails:
                break
        else:  # pragma: no cover
            email = f"{_slug(first)}.{_slug(last)}{len(emails)}@{domain}"
        emails.add(email)
        roles = CONTACT_ROLES[industry] + CONTACT_ROLES["common"]
        role = _choice(rng, roles)
        if "IT" in role or "Finance" in role or "Procurement" in role:
            channel = _choice(rng, CHANNELS, [0.15, 0.55, 0.0, 0.30])
        elif "Engineer" in role or "Maintenance" in role or "Site" in role:
            channel = _choice(rng, CHANNELS, [0.50, 0.20, 0.08, 0.22])
        else:
            channel = _choice(rng, CHANNELS, [0.38, 0.42, 0.04, 0.16])
        prefix, n_digits = _choice(rng, _PHONE_PREFIX[country])
        phone = prefix + str(int(rng.integers(0, 10 ** n_digits))).zfill(n_digits)
        return dict(name=f"{first} {last}", role=role, email=email, phone=phone, preferred_channel=channel,
                    is_primary=primary)

    for c in customers.itertuples(index=False):
        domain = _domain(c.name.strip(), c.country)
        if c.customer_id in duplicates:
            continue
        n = {"SMB": (1, 2), "Mid-market": (2, 3), "Enterprise": (3, 4)}[c.segment]
        count = int(rng.integers(n[0], n[1] + 1))
        people = [person(c.region, c.industry, c.country, domain, k == 0) for k in range(count)]
        for p in people:
            p["customer_id"] = c.customer_id
        by_customer[c.customer_id] = people
    for c in customers.itertuples(index=False):
        if c.customer_id not in duplicates:
            rows += by_customer[c.customer_id]
            continue
        original = by_customer[duplicates[c.customer_id]][0]
        if c.name.isupper():
            clone = person(c.region, c.industry, c.country, _domain(c.name.title(), c.country), True)
        else:
            local, _, dom = original["email"].partition("@")
            cased = ".".join(part[:1].upper() + part[1:] for part in local.split(".")) + "@" + dom
            clone = dict(original, email=cased, is_primary=True)
            emails.add(cased)
        clone["customer_id"] = c.customer_id
        rows.append(clone)
    for i, row in enumerate(rows, start=1):
        row["contact_id"] = f"CON-{i:05d}"
    # Messy contacts: the duplicate person, one address typed in capitals, one phone without +country code.
    for row in rows:
        if row["customer_id"] in duplicates:
            dup_original = by_customer[duplicates[row["customer_id"]]][0]
            if dup_original["email"].lower() == row["email"].lower() and dup_original["email"] != row["email"]:
                frames.note("contacts.csv", row["contact_id"],
                            f"Same person as {dup_original['contact_id']} on the duplicate account "
                            f"{row['customer_id']}; email differs only in letter case ({row['email']}).")
    uk = [r for r in rows if r["phone"].startswith("+44 ") and r["customer_id"] not in duplicates]
    caps = uk[int(rng.integers(len(uk)))]
    caps["email"] = caps["email"].upper()
    frames.note("contacts.csv", caps["contact_id"], f"Email typed in capitals: {caps['email']}.")
    others = [r for r in uk if r is not caps and not r["phone"].startswith("+44 7700")]
    national = others[int(rng.integers(len(others)))]
    national["phone"] = "0" + national["phone"][4:]
    frames.note("contacts.csv", national["contact_id"],
                f"Phone stored in national format without +44: {national['phone']}.")
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# opportunities.csv
# --------------------------------------------------------------------------------------------
COMPETITORS = ("Corvid Sensing", "Blueshift IoT", "Telmar Systems", "NordSense", "in-house build")

OPPORTUNITY_COLUMNS = (
    Column("opportunity_id", "str", "Opportunity id (OPP-0001 ...), in order of creation.", allowed="unique"),
    Column("customer_id", "str", "customers.customer_id (a new_logo opportunity's customer became a customer "
           "when it was won)."),
    Column("name", "str", "Opportunity name as the account manager typed it."),
    Column("opportunity_type", "str", "new_logo = first sale to the account; expansion = more devices; "
           "upgrade = higher platform tier or support plan; services = integration, dashboards, training.",
           allowed=", ".join(OPP_TYPES)),
    Column("stage", "str", "Sales stage as of the extract.", allowed=", ".join(OPP_STAGES)),
    Column("outcome", "str", "won / lost for closed opportunities, open otherwise.", allowed=", ".join(OPP_OUTCOMES)),
    Column("value_gbp", "float", "Total contract value of the first year (hardware, services, subscription "
           "or plan uplift), excluding VAT.", units="GBP"),
    Column("created_date", "date", "Date the opportunity was created in the CRM (the CRM went live on "
           "2024-01-01; earlier dates were migrated)."),
    Column("expected_close_date", "date", "Close date forecast by the owner when the opportunity was created "
           "(never updated: compare with closed_date to see slippage)."),
    Column("closed_date", "date", "Date it was won or lost; empty while open.", nullable=True),
    Column("bid_required", "bool", "1 if the customer ran a formal bid/tender (RFP) process.", allowed="0, 1"),
    Column("owner", "str", "agents.agent_id of the owning account manager."),
    Column("presales_agent_id", "str", "agents.agent_id of the presales consultant, if one was assigned.",
           nullable=True),
    Column("primary_product_id", "str", "products.product_id of the main product in the deal."),
    Column("devices", "int", "Sensors in the deal (0 for upgrades and services).", units="devices"),
    Column("competitor", "str", "Main competitor in the deal, if known.", nullable=True,
           allowed=", ".join(COMPETITORS)),
    Column("loss_reason", "str", "Why it was lost (lost opportunities only).", nullable=True,
           allowed=", ".join(LOSS_REASONS)),
)


def _short_company(name: str) -> str:
    suffixes = {word.upper() for word in _SUFFIX_WORDS} | {"LIMITED"}
    return " ".join(w for w in name.split() if w.upper() not in suffixes)


def write_opportunities(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    customers = frames["customers"]
    agents = frames["agents"]
    installed = frames["installed_base"]
    duplicates = frames.extra.get("duplicates", {})
    presales = agents.loc[agents["team"] == "Presales", "agent_id"].tolist()
    managers = agents.loc[agents["team"] == "Account Management", "agent_id"].tolist()
    sensors = installed[installed["product_id"].str.startswith("SNS-")]
    main_sensor = sensors.sort_values(["customer_id", "quantity"], ascending=[True, False]) \
        .drop_duplicates("customer_id").set_index("customer_id")["product_id"].to_dict()
    total_sensors = sensors.groupby("customer_id")["quantity"].sum().to_dict()
    end = AS_OF.date() - timedelta(days=3)
    rows: list[dict[str, Any]] = []

    def build(c: Any, kind: str, created: date | None, forced: str | None = None,
              closed: date | None = None) -> dict[str, Any]:
        segment = c.segment
        discount = {"SMB": 0.0, "Mid-market": 0.05, "Enterprise": 0.12}[segment]
        industry_sensors = [s for s in INDUSTRY_SENSORS[c.industry] if PRODUCT_BY_ID[s]["active"]]
        devices = 0
        if kind == "new_logo":
            devices = max(5, int(round(total_sensors.get(c.customer_id, 20) * rng.uniform(0.35, 1.0))))
            product = main_sensor.get(c.customer_id, industry_sensors[0])
        elif kind == "expansion":
            median = {"SMB": 14, "Mid-market": 70, "Enterprise": 320}[segment]
            devices = max(3, int(round(math.exp(rng.normal(math.log(median), 0.8)))))
            product = main_sensor.get(c.customer_id, industry_sensors[0])
            if rng.random() < 0.3 or not PRODUCT_BY_ID[product]["active"]:
                product = _choice(rng, industry_sensors)
        elif kind == "upgrade":
            tier_index = TIER_IDS.index(c.platform_tier)
            if tier_index < 2 and rng.random() < 0.6:
                product = TIER_IDS[tier_index + 1]
            else:
                product = _choice(rng, ["SUP-PREMIUM", "SUP-CRITICAL"], [0.7, 0.3])
        else:
            product = _choice(rng, ["SVC-INT-MQTT", "SVC-INT-SCADA", "SVC-INT-ERP", "SVC-DASH", "SVC-TRAIN"],
                              [0.3, 0.25, 0.15, 0.2, 0.1])
        p = PRODUCT_BY_ID[product]
        if kind in ("new_logo", "expansion"):
            hardware = devices * p["list_price_gbp"] * (1 - discount) + math.ceil(devices / 120) * 399.0
            install = math.ceil(devices / 35) * 850.0 + 950.0 * min(c.sites, 1 + devices // 200)
            value = hardware + (install if rng.random() < 0.7 else 0.0)
            if kind == "new_logo":
                value += 12 * PRODUCT_BY_ID[c.platform_tier]["list_price_gbp"]
        elif kind == "upgrade":
            if product.startswith("PLT-"):
                value = 12 * (p["list_price_gbp"] - PRODUCT_BY_ID[c.platform_tier]["list_price_gbp"])
            else:
                value = p["list_price_gbp"] * (1 + 0.5 * (segment == "Enterprise"))
        else:
            value = p["list_price_gbp"] * rng.uniform(1.0, 2.5)
        value = max(500.0, round(value * math.exp(rng.normal(0, 0.2)), -1))
        public = c.industry in ("utilities", "water")
        if value >= 100_000:
            bid = rng.random() < 0.9
        elif value >= 40_000:
            bid = rng.random() < (0.7 if public else 0.45)
        elif value >= 20_000:
            bid = rng.random() < (0.35 if public else 0.12)
        else:
            bid = rng.random() < (0.06 if public else 0.01)
        wants_presales = value >= 15_000 or bid or kind == "services"
        presales_agent = presales[int(rng.integers(len(presales)))] \
            if rng.random() < (0.85 if wants_presales else 0.12) else None
        competitor = _choice(rng, COMPETITORS, [0.3, 0.25, 0.2, 0.15, 0.1]) \
            if rng.random() < (0.65 if (kind == "new_logo" or bid) else 0.3) else None
        logit = (-0.55 + {"new_logo": -0.3, "expansion": 0.6, "upgrade": 0.4, "services": 0.1}[kind]
                 - 1.2 * bid + 0.9 * (presales_agent is not None) - 0.6 * (competitor is not None)
                 - 0.3 * math.log10(max(value, 1000) / 20_000))
        won = rng.random() < 1 / (1 + math.exp(-logit))
        cycle = max(10, int(round(48 * (value / 15_000) ** 0.35 * (1.8 if bid else 1.0)
                                  * math.exp(rng.normal(0, 0.5)))))
        if closed is not None:
            created = closed - timedelta(days=cycle)
        assert created is not None
        planned = max(5, int(round(cycle / math.exp(rng.normal(0.25, 0.2)))))
        close = closed or created + timedelta(days=cycle)
        if forced is not None:
            won = forced == "won"
        if close >= AS_OF.date():
            fraction = (AS_OF.date() - created).days / cycle
            stage = "qualify" if fraction < 0.25 else "discover" if fraction < 0.5 else \
                "propose" if fraction < 0.8 else "negotiate"
            outcome, close_out, reason = "open", None, None
        else:
            stage = "closed_won" if won else "closed_lost"
            outcome = "won" if won else "lost"
            close_out = close
            reason = None
            if not won:
                if competitor is not None and rng.random() < 0.55:
                    reason = "competitor"
                else:
                    reason = _choice(rng, ["price", "no_decision", "timing", "technical_fit"], [0.35, 0.3, 0.2, 0.15])
        label = {"new_logo": "initial deployment", "expansion": "expansion", "upgrade": "upgrade",
                 "services": "services"}[kind]
        what = f"{devices} x {p['_short']}" if devices else p["_short"]
        owner = c.account_manager if rng.random() < 0.9 else managers[int(rng.integers(len(managers)))]
        return dict(customer_id=c.customer_id, name=f"{_short_company(c.name)} - {label}: {what}",
                    opportunity_type=kind, stage=stage, outcome=outcome, value_gbp=value, created_date=created,
                    expected_close_date=created + timedelta(days=planned), closed_date=close_out,
                    bid_required=bool(bid), owner=owner, presales_agent_id=presales_agent,
                    primary_product_id=product, devices=devices, competitor=competitor, loss_reason=reason)

    for c in customers.itertuples(index=False):
        if c.customer_id in duplicates:
            continue
        since = c.customer_since.date()
        if since >= OPPS_START + timedelta(days=30):
            first = build(c, "new_logo", None, forced="won", closed=since)
            rows.append(first)
            if rng.random() < 0.45:
                earlier_close = first["created_date"] - timedelta(days=int(rng.integers(90, 400)))
                if earlier_close >= OPPS_START:
                    rows.append(build(c, "new_logo", None, forced="lost", closed=earlier_close))
        start = max(OPPS_START, since + timedelta(days=60))
        if start >= end:
            continue
        years = (end - start).days / 365.25
        rate = {"SMB": 0.6, "Mid-market": 1.15, "Enterprise": 2.0}[c.segment]
        for _ in range(int(rng.poisson(rate * years))):
            created = start + timedelta(days=int(rng.integers(0, (end - start).days + 1)))
            kind = _choice(rng, ["expansion", "upgrade", "services"], [0.58, 0.17, 0.25])
            if kind == "upgrade" and c.platform_tier == "PLT-ENT" and c.support_plan == "SUP-CRITICAL":
                kind = "expansion"
            rows.append(build(c, kind, created))
    rows.sort(key=lambda r: (r["created_date"], r["customer_id"], r["name"]))
    for i, row in enumerate(rows, start=1):
        row["opportunity_id"] = f"OPP-{i:04d}"

    # Messy: a deal entered in the CRM after it had closed, and a value typed with two extra zeros.
    won = [r for r in rows if r["opportunity_type"] == "expansion" and r["outcome"] == "won"
           and r["closed_date"] < date(2026, 1, 1)]
    late = won[int(rng.integers(len(won)))]
    late["closed_date"] = late["created_date"] - timedelta(days=int(rng.integers(5, 20)))
    frames.note("opportunities.csv", late["opportunity_id"],
                f"closed_date {late['closed_date']} is before created_date {late['created_date']} (entered after "
                "the deal had closed).")
    small = [r for r in won if r is not late and r["value_gbp"] < 20_000 and not r["bid_required"]]
    typo = small[int(rng.integers(len(small)))]
    original_value = typo["value_gbp"]
    typo["value_gbp"] = original_value * 100
    frames.note("opportunities.csv", typo["opportunity_id"],
                f"value_gbp {typo['value_gbp']:,.2f} should be {original_value:,.2f} (two extra zeros); "
                f"it is {typo['devices']} devices and no bid.")
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# projects.csv
# --------------------------------------------------------------------------------------------
PROJECT_COLUMNS = (
    Column("project_id", "str", "Delivery project id (PRJ-0001 ...).", allowed="unique"),
    Column("customer_id", "str", "customers.customer_id (same as the opportunity's)."),
    Column("opportunity_id", "str", "The won opportunity the project delivers (opportunities.opportunity_id; "
           "one project per opportunity).", allowed="unique"),
    Column("project_type", "str", "Kind of delivery.", allowed=", ".join(PROJECT_TYPES)),
    Column("status", "str", "Status as of the extract.", allowed=", ".join(PROJECT_STATUSES)),
    Column("start_date", "date", "Planned (status planned) or actual start."),
    Column("planned_end_date", "date", "End date in the plan agreed with the customer."),
    Column("end_date", "date", "Actual completion date (completed projects only).", nullable=True),
    Column("sites", "int", "Sites in scope.", units="sites"),
    Column("devices", "int", "Sensors to install (0 for pure integration work).", units="devices"),
    Column("estimated_effort_days", "float", "Effort estimated by presales before the sale.",
           units="engineer days", decimals=1),
    Column("actual_effort_days", "float", "Effort booked (completed projects only).", nullable=True,
           units="engineer days", decimals=1),
    Column("estimated_cost_gbp", "float", "Estimated delivery cost: effort at 850 GBP/day plus travel.",
           units="GBP"),
    Column("actual_cost_gbp", "float", "Actual delivery cost (completed projects only).", nullable=True,
           units="GBP"),
    Column("estimator_agent_id", "str", "agents.agent_id of the person who made the estimate (Presales or "
           "Field Engineering)."),
)

#: Log-normal overrun of actual vs estimated effort per project type: (mean, sd) of log(actual/estimate).
OVERRUN = {"standard_install": (0.03, 0.10), "pilot": (0.05, 0.14), "retrofit": (0.15, 0.18),
           "integration_heavy": (0.35, 0.25), "multi_site_rollout": (0.32, 0.22)}
DAY_RATE_GBP = 850.0
TRAVEL_PER_SITE_GBP = 420.0


def write_projects(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    opps = frames["opportunities"]
    customers = frames["customers"].set_index("customer_id")
    agents = frames["agents"]
    engineers = agents.loc[(agents["team"] == "Field Engineering") & agents["seniority"].isin(["senior", "lead"]),
                           "agent_id"].tolist()
    won = opps[(opps["outcome"] == "won") & opps["opportunity_type"].isin(["new_logo", "expansion", "services"])]
    rows = []
    for o in won.itertuples(index=False):
        if o.opportunity_type != "services" and o.devices < 8:
            continue
        if o.opportunity_type == "services" and not o.primary_product_id.startswith("SVC-INT"):
            continue  # dashboards and training are delivered without a project
        if rng.random() > 0.88:
            continue
        c = customers.loc[o.customer_id]
        devices = int(o.devices)
        if o.opportunity_type == "services":
            kind, sites = "integration_heavy", 1
        else:
            sites = int(max(1, min(c["sites"], 1 + devices // int(rng.integers(40, 160)))))
            if o.opportunity_type == "new_logo" and devices <= 40 and rng.random() < 0.6:
                kind, sites = "pilot", 1
            elif sites >= 4:
                kind = "multi_site_rollout"
            elif c["industry"] in ("manufacturing", "building_management", "utilities") and rng.random() < 0.45:
                kind = "retrofit"
            elif rng.random() < 0.12:
                kind = "integration_heavy"
            else:
                kind = "standard_install"
        per_day = {"retrofit": 22, "pilot": 30}.get(kind, 32)
        effort = 0.5 * sites + devices / per_day
        if kind == "integration_heavy":
            effort += rng.uniform(12, 35)
        elif kind == "multi_site_rollout":
            effort += 1.0 * sites
        elif kind == "pilot":
            effort += 2
        else:
            effort += rng.uniform(0.5, 3)
        estimate = max(1.0, round(effort * 1.1 * 2) / 2)
        mu, sigma = OVERRUN[kind]
        actual = max(0.5, round(estimate * math.exp(rng.normal(mu, sigma)) * 2) / 2)
        closed = o.closed_date.date()
        start = max(closed, o.created_date.date()) + timedelta(days=int(rng.integers(7, 46)))
        crew = 1 if devices < 100 and kind != "multi_site_rollout" else (3 if kind == "multi_site_rollout" else 2)
        planned_end = start + timedelta(days=int(math.ceil(estimate / crew * 1.4)))
        actual_end = start + timedelta(days=int(math.ceil(actual / crew * 1.4)))
        if start >= AS_OF.date():
            status, end_date, actual_days, actual_cost = "planned", None, None, None
        elif actual_end >= AS_OF.date():
            status, end_date, actual_days, actual_cost = "in_progress", None, None, None
        else:
            status, end_date, actual_days = "completed", actual_end, actual
            actual_cost = round(actual * DAY_RATE_GBP + sites * TRAVEL_PER_SITE_GBP * math.exp(rng.normal(0.05, 0.2)), 2)
        estimator = o.presales_agent_id if isinstance(o.presales_agent_id, str) \
            else engineers[int(rng.integers(len(engineers)))]
        rows.append(dict(customer_id=o.customer_id, opportunity_id=o.opportunity_id, project_type=kind,
                         status=status, start_date=start, planned_end_date=planned_end, end_date=end_date,
                         sites=sites, devices=devices if o.opportunity_type != "services" else 0,
                         estimated_effort_days=estimate, actual_effort_days=actual_days,
                         estimated_cost_gbp=round(estimate * DAY_RATE_GBP + sites * TRAVEL_PER_SITE_GBP, 2),
                         actual_cost_gbp=actual_cost, estimator_agent_id=estimator))
    rows.sort(key=lambda r: (r["start_date"], r["opportunity_id"]))
    for i, row in enumerate(rows, start=1):
        row["project_id"] = f"PRJ-{i:04d}"
    # Messy: effort booked in hours instead of days.
    done = [r for r in rows if r["status"] == "completed" and r["project_type"] == "standard_install"
            and 3 <= r["actual_effort_days"] <= 12]
    hours = done[int(rng.integers(len(done)))]
    days = hours["actual_effort_days"]
    hours["actual_effort_days"] = days * 8
    frames.note("projects.csv", hours["project_id"],
                f"actual_effort_days {days * 8:.1f} is hours, not days ({days:.1f} days); actual_cost_gbp is right.")
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# tickets.csv
# --------------------------------------------------------------------------------------------
TARGET_TICKETS = 9300  # expected count of ordinary tickets before the firmware spike is added
MIN_OPEN_UNESCALATED_FAULTS = 3  # Level 1 escalates the oldest of these; every seed must have some

TICKET_COLUMNS = (
    Column("ticket_id", "str", "Ticket id (TKT-00001 ...), in order of created_at.", allowed="unique"),
    Column("customer_id", "str", "customers.customer_id."),
    Column("contact_id", "str", "contacts.contact_id of the person who raised it (always a contact of the "
           "same customer)."),
    Column("product_id", "str", "products.product_id the ticket is about: one of the customer's installed "
           "sensors/gateways, its platform tier or support plan; for product_info, the product asked about."),
    Column("firmware_version", "str", "Firmware the customer's device ran when the ticket was raised (their own "
           "sensors and gateways only; empty for platform, plan and product_info questions about products they do "
           "not have).", nullable=True),
    Column("channel", "str", "How the ticket came in. Phone is answered Mon-Fri 08:00-18:00 UK (24x7 for "
           "Critical Support customers); in_person = raised by a field engineer on site.",
           allowed=", ".join(CHANNELS)),
    Column("category", "str", "Problem category chosen by the Service Desk.", allowed=", ".join(TICKET_CATEGORIES)),
    Column("priority", "str", "P1 = site down / no workaround ... P4 = question or request.",
           allowed=", ".join(PRIORITIES)),
    Column("subject", "str", "Subject line as logged."),
    Column("created_at", "datetime", "When the ticket was logged (UK local time)."),
    Column("first_response_at", "datetime", "First reply to the customer; empty only while status is open.",
           nullable=True),
    Column("resolved_at", "datetime", "When it was resolved; empty while open, in_progress or "
           "waiting_customer.", nullable=True),
    Column("status", "str", "Status as of the extract: resolved tickets become closed after 7 days.",
           allowed=", ".join(TICKET_STATUSES)),
    Column("escalated", "bool", "1 if the Service Desk escalated it to another team.", allowed="0, 1"),
    Column("escalation_team", "str", "Team it was escalated to (empty unless escalated = 1).", nullable=True,
           allowed=", ".join(ESCALATION_TEAMS)),
    Column("agent_id", "str", "agents.agent_id of the agent who took the ticket and sent the first response."),
    Column("reopened", "bool", "1 if the customer reopened it after a first resolution.", allowed="0, 1"),
    Column("csat", "int", "Customer satisfaction survey score (resolved tickets that were surveyed and "
           "answered, about 40%).", nullable=True, allowed="1-5"),
    Column("nps", "int", "Likelihood to recommend, asked in about a quarter of surveys.", nullable=True,
           allowed="0-10"),
)

WEEKDAY_FACTOR = (1.25, 1.12, 1.05, 1.0, 0.85, 0.16, 0.10)
SEASON = {
    "cold_chain": (0.85, 0.85, 0.9, 0.95, 1.05, 1.3, 1.45, 1.4, 1.05, 0.9, 0.85, 0.9),
    "heating": (1.4, 1.35, 1.15, 0.95, 0.85, 0.8, 0.75, 0.8, 0.9, 1.05, 1.25, 1.4),
    "growing": (0.8, 0.8, 1.0, 1.2, 1.25, 1.2, 1.1, 1.05, 1.1, 0.95, 0.8, 0.75),
    "flat": (1.0,) * 12,
}
INDUSTRY_SEASON = {"food_beverage": "cold_chain", "logistics": "cold_chain", "pharma": "cold_chain",
                   "utilities": "heating", "building_management": "heating", "water": "heating",
                   "agriculture": "growing", "manufacturing": "flat", "mining": "flat"}
UK_BANK_HOLIDAYS = {date(2024, 8, 26), date(2024, 12, 25), date(2024, 12, 26), date(2025, 1, 1),
                    date(2025, 4, 18), date(2025, 4, 21), date(2025, 5, 5), date(2025, 5, 26),
                    date(2025, 8, 25), date(2025, 12, 25), date(2025, 12, 26), date(2026, 1, 1),
                    date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 4), date(2026, 5, 25)}
#: Hour-of-day weights (UK time) per channel.
HOUR_PROFILE = {
    "phone": (0, 0, 0, 0, 0, 0, 0, 0, 6, 10, 12, 10, 7, 6, 9, 11, 9, 7, 0, 0, 0, 0, 0, 0),
    "email": (1, .5, .5, .5, .5, 1, 2, 5, 9, 11, 11, 10, 8, 9, 10, 9, 8, 6, 4, 3, 3, 2, 2, 1),
    "portal": (2, 1.5, 1, 1, 1, 1.5, 2.5, 4, 6, 7, 7, 7, 6.5, 7, 7, 6.5, 6, 5, 4.5, 4.5, 4, 3.5, 3, 2.5),
    "in_person": (0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 8, 8, 6, 7, 7, 5, 0, 0, 0, 0, 0, 0, 0, 0),
}
CATEGORY_BASE = {"connectivity": 0.21, "battery": 0.08, "configuration": 0.11, "data_quality": 0.10,
                 "hardware_fault": 0.07, "installation": 0.06, "platform_access": 0.09, "billing": 0.07,
                 "how_to": 0.13, "product_info": 0.08}
PRIORITY_MIX = {  # P1, P2, P3, P4
    "connectivity": (.05, .25, .55, .15), "battery": (.01, .10, .55, .34), "configuration": (.01, .10, .50, .39),
    "data_quality": (.02, .18, .55, .25), "hardware_fault": (.06, .34, .45, .15),
    "installation": (.02, .15, .53, .30), "platform_access": (.04, .18, .48, .30), "billing": (0, .03, .37, .60),
    "how_to": (0, .02, .38, .60), "product_info": (0, .02, .30, .68),
}
#: Median hours from creation to resolution per priority, and category multipliers.
RESOLUTION_MEDIAN_H = {"P1": 5.0, "P2": 20.0, "P3": 52.0, "P4": 90.0}
RESOLUTION_CATEGORY = {"connectivity": 1.1, "battery": 0.9, "configuration": 0.7, "data_quality": 1.3,
                       "hardware_fault": 2.2, "installation": 1.8, "platform_access": 0.35, "billing": 1.0,
                       "how_to": 0.45, "product_info": 0.5}
ESCALATION_RATE = {"connectivity": .18, "battery": .05, "configuration": .10, "data_quality": .20,
                   "hardware_fault": .45, "installation": .35, "platform_access": .08, "billing": .12,
                   "how_to": .03, "product_info": .15}
ESCALATION_ROUTE = {
    "connectivity": {"Technical Support": .75, "Field Engineering": .25},
    "battery": {"Field Engineering": .6, "Technical Support": .4},
    "configuration": {"Technical Support": 1.0},
    "data_quality": {"Technical Support": .6, "Product Engineering": .4},
    "hardware_fault": {"Field Engineering": .55, "Technical Support": .25, "Product Engineering": .2},
    "installation": {"Field Engineering": .9, "Technical Support": .1},
    "platform_access": {"Technical Support": .7, "Product Engineering": .3},
    "billing": {"Billing": .8, "Account Management": .2},
    "how_to": {"Technical Support": .7, "Presales": .3},
    "product_info": {"Presales": .75, "Account Management": .25},
}
#: Share of tickets that stall waiting for the customer (site access, parts, information), by category.
WAIT_RATE = {"connectivity": .08, "battery": .06, "configuration": .05, "data_quality": .06,
             "hardware_fault": .22, "installation": .25, "platform_access": .03, "billing": .06,
             "how_to": .03, "product_info": .08}
REOPEN_RATE = {"connectivity": .09, "battery": .05, "configuration": .06, "data_quality": .08,
               "hardware_fault": .08, "installation": .07, "platform_access": .05, "billing": .05,
               "how_to": .03, "product_info": .02}
LOCATIONS = {
    "food_beverage": ["freezer room 2", "chiller 1", "the blast chiller", "dry store", "loading bay",
                      "cold store B", "despatch chiller"],
    "logistics": ["reefer trailer 14", "the cross-dock chiller", "cold store A", "trailer 7", "the depot freezer",
                  "chamber 3"],
    "pharma": ["vaccine fridge 3", "the QC lab", "stability chamber 2", "warehouse bay 4", "the clean room",
               "the 2-8 C store"],
    "manufacturing": ["press line 2", "the compressor house", "CNC cell 4", "the boiler room", "the paint shop",
                      "extrusion line 1"],
    "utilities": ["substation 12", "the boiler house", "pump station 3", "the plant room", "heat exchanger 2",
                  "the energy centre"],
    "water": ["pump station 7", "the reservoir inlet", "treatment works tank 2", "sewage pumping station 5",
              "booster station 3"],
    "mining": ["conveyor 3", "the crusher house", "the fuel tank farm", "ventilation fan 2", "the wash plant"],
    "building_management": ["the plant room", "level 3 office", "the server room", "the car park", "riser 2",
                            "the basement"],
    "agriculture": ["greenhouse 4", "the grain store", "polytunnel 2", "the irrigation tank", "the packhouse"],
}
SUBJECTS = {
    ("connectivity", "sensor"): ["{p} in {loc} not reporting", "No data from {p} ({loc}) since this morning",
                                 "{p} keeps dropping offline - {loc}", "Weak signal on {p} at {loc}",
                                 "Sensor showing offline in dashboard ({loc})", "Intermittent readings from {p} in {loc}",
                                 "{p} in {loc} offline after move"],
    ("connectivity", "gateway"): ["{p} offline at {site}", "{p} not connecting to Kestrel Cloud",
                                  "Gateway lost connection after network change at {site}",
                                  "All sensors at {site} offline - gateway issue?", "{p} keeps rebooting"],
    ("battery", "sensor"): ["Low battery warning on {p} in {loc}", "Battery draining faster than expected on {p}",
                            "{p} battery replacement - which cells?", "Battery at 15% after only {n} months ({loc})",
                            "Several {p} units reporting low battery"],
    ("configuration", "sensor"): ["Change reporting interval on {p}", "How to set alarm thresholds for {loc}",
                                  "Reconfigure {p} after move to {loc}", "Calibration offset needed on {p}",
                                  "Rename and regroup sensors at {site}"],
    ("configuration", "gateway"): ["Change network settings on {p}", "Static IP for {p} at {site}",
                                   "Firmware update scheduling for {p}", "Move {p} to new VLAN"],
    ("configuration", "platform"): ["Update device names and groups", "Change alert recipients for {site}",
                                    "Set up scheduled report on {t}", "Change time zone on dashboards"],
    ("data_quality", "sensor"): ["Implausible readings from {p} in {loc}", "Temperature spikes on {p} ({loc})",
                                 "Duplicate readings in export", "Gaps in data for {loc}",
                                 "Readings look wrong on {p} after relocation", "{p} stuck on the same value"],
    ("hardware_fault", "sensor"): ["{p} damaged - water ingress", "{p} LED not flashing, unit dead",
                                   "Faulty {p}, request RMA", "Cracked housing on {p} at {loc}",
                                   "{p} probe cable damaged in {loc}"],
    ("hardware_fault", "gateway"): ["{p} dead after power cut at {site}", "Faulty {p}, request replacement",
                                    "{p} antenna connector broken", "Water inside {p} enclosure"],
    ("installation", "sensor"): ["Installation visit needed for {n} new sensors", "Mounting advice for {p}",
                                 "Commissioning {p} units at {site}", "Help placing {p} in {loc}"],
    ("installation", "gateway"): ["Help positioning gateway at {site}", "Second gateway needed at {site}?",
                                  "Commissioning {p} at {site}", "Survey before adding {p} at {site}"],
    ("platform_access", "platform"): ["Cannot log in to Kestrel Cloud", "Password reset email not arriving",
                                      "SSO login failing for our team", "API returning 429 too many requests",
                                      "Need to add new users to {t}", "Locked out of admin account"],
    ("billing", "platform"): ["Query on invoice for {t}", "Charged twice for {t} this month",
                              "Purchase order number missing on invoice", "Pro-rata charge after upgrade to {t}?",
                              "Update billing contact details"],
    ("billing", "support"): ["{p} renewal quote request", "Invoice for {p} - wrong entity",
                             "Do we still need {p}?", "Credit note for {p} overlap"],
    ("how_to", "platform"): ["How do I export data to CSV?", "Setting up email alerts for {loc}",
                             "How to share a dashboard with a colleague", "Connecting Kestrel Cloud to our MQTT broker",
                             "How to create a report of weekly averages", "How to add a new site on {t}"],
    ("how_to", "sensor"): ["How to read battery level on {p}", "What does the LED on {p} mean?",
                           "How to move {p} to another site", "How to set a calibration offset on {p}"],
    ("product_info", "any"): ["Price for {n} x {p}?", "Lead time for {p}", "Is {p} compatible with our gateway?",
                              "Battery life of {p} at 5-minute interval", "Quote request: {n} {p} units",
                              "Datasheet and IP rating for {p}", "Difference between {p} and what we have"],
    ("spike", "gateway"): ["Gaps in data from all sensors at {site}", "Gateway dropping messages since update",
                           "Missing readings every few minutes - {p}", "Data loss after gateway firmware 3.2.0 update",
                           "Sensors show late or missing uplinks ({site})", "Random gaps in {loc} data since last week"],
}
PRODUCT_INFO_IDS = [p["product_id"] for p in PRODUCTS if p["active"] and p["category"] in ("sensor", "gateway",
                                                                                             "platform", "service")]


def add_covered_hours(start: datetime, hours: float, schedule: tuple[tuple[int, ...], int, int] | None) -> datetime:
    """``start`` plus ``hours`` counted only inside a support plan's hours (24x7 when ``schedule`` is None)."""
    if schedule is None:
        return start + timedelta(hours=hours)
    days, open_minute, close_minute = schedule
    remaining = hours * 60.0
    t = start
    for _ in range(400):
        midnight = datetime(t.year, t.month, t.day)
        if t.weekday() in days:
            opens = midnight + timedelta(minutes=open_minute)
            closes = midnight + timedelta(minutes=close_minute)
            if t < opens:
                t = opens
            if t < closes:
                available = (closes - t).total_seconds() / 60.0
                if remaining <= available:
                    return t + timedelta(minutes=remaining)
                remaining -= available
        t = midnight + timedelta(days=1)
    raise RuntimeError("add_covered_hours did not converge")  # pragma: no cover


def covered_hours_between(start: datetime, end: datetime, schedule: tuple[tuple[int, ...], int, int] | None) -> float:
    """Hours between ``start`` and ``end`` that fall inside a plan's support hours."""
    if end <= start:
        return 0.0
    if schedule is None:
        return (end - start).total_seconds() / 3600.0
    days, open_minute, close_minute = schedule
    total = 0.0
    day = datetime(start.year, start.month, start.day)
    while day < end:
        if day.weekday() in days:
            a = max(start, day + timedelta(minutes=open_minute))
            b = min(end, day + timedelta(minutes=close_minute))
            if b > a:
                total += (b - a).total_seconds()
        day += timedelta(days=1)
    return total / 3600.0


def _desk_time(t: datetime) -> datetime:
    """Move ``t`` into Service Desk hours (Mon-Fri 08:00-18:00, not UK bank holidays) if it is outside them."""
    def working(day: datetime) -> bool:
        return day.weekday() < 5 and day.date() not in UK_BANK_HOLIDAYS

    day = datetime(t.year, t.month, t.day)
    if working(day) and 8 <= t.hour < 18:
        return t
    nxt = day if (working(day) and t.hour < 8) else day + timedelta(days=1)
    while not working(nxt):
        nxt += timedelta(days=1)
    return nxt + timedelta(hours=8, minutes=(t.minute * 7 + t.second) % 90, seconds=t.second)


def _lorawan_gateway_firmware(day: date, upgraded_320: date | None, upgraded_321: date | None) -> str:
    """Firmware of a customer's LoRaWAN gateways on ``day`` (None: the site never ran 3.2.0)."""
    if upgraded_320 is None or upgraded_321 is None:
        return FIRMWARE_GOOD_OLD if day < FIRMWARE_BAD_RELEASED else FIRMWARE_FIX
    if day < upgraded_320:
        return FIRMWARE_GOOD_OLD
    if day < upgraded_321:
        return FIRMWARE_BAD
    return FIRMWARE_FIX


def _category_weights(month: int, cold_chain: bool, channel: str) -> dict[str, float]:
    """Relative chance of each ticket category for a month, industry group and channel."""
    weights = dict(CATEGORY_BASE)
    if month in (12, 1, 2):
        weights["battery"] *= 1.7
    if month in (6, 7, 8):
        weights["battery"] *= 0.8
        if cold_chain:
            weights["data_quality"] *= 1.3
            weights["connectivity"] *= 1.2
    boost = {"in_person": (("installation", "hardware_fault"), 4.0), "portal": (("platform_access", "how_to"), 1.5),
             "email": (("billing", "product_info"), 1.5)}.get(channel)
    if boost:
        for k in boost[0]:
            weights[k] *= boost[1]
    return weights


def _ticket_product_pool(variant: str, products: dict[str, int], tier: str, plan_id: str,
                         industry: str) -> tuple[list[str], list[float]]:
    """The products a ticket of this category can be about, with weights (cumulative): the customer's own
    sensors/gateways (weighted by the square root of quantity), its tier or plan, or for product questions
    also the catalogue."""
    sensors = {p: q ** 0.5 for p, q in products.items() if p.startswith("SNS-")}
    gateways = {p: q ** 0.5 for p, q in products.items() if p.startswith("GW-")}
    pool: dict[str, float] = {}
    if variant in ("connectivity", "hardware_fault"):
        pool = {p: 0.65 * w for p, w in sensors.items()}
        pool.update({p: 1.05 * w for p, w in gateways.items()})
    elif variant == "battery":
        pool = {p: w for p, w in sensors.items() if PRODUCT_BY_ID[p]["battery_life_years"] is not None}
    elif variant == "data_quality":
        pool = dict(sensors)
    elif variant in ("configuration", "installation"):
        pool = dict(sensors)
        pool.update({p: 2 * w for p, w in gateways.items()})
        if variant == "configuration" and pool:
            pool[tier] = sum(pool.values()) * 0.4
    elif variant == "platform_access":
        pool = {tier: 1.0}
    elif variant == "billing":
        pool = {tier: 0.6, plan_id: 0.4}
    elif variant == "how_to":
        total = sum(sensors.values())
        pool = {p: 0.4 * w / total for p, w in sensors.items()} if total else {}
        pool[tier] = 0.6
    elif variant == "product_info_owned":
        pool = {p: w for p, w in sensors.items() if PRODUCT_BY_ID[p]["active"]}
    if variant == "product_info_catalogue" or (variant == "product_info_owned" and not pool):
        relevant = set(INDUSTRY_SENSORS[industry])
        pool = {p: (4.0 if p in relevant else 1.0) for p in PRODUCT_INFO_IDS}
    items = sorted(pool)
    return items, _cum(pool[p] for p in items)


def write_tickets(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    customers = frames["customers"]
    contacts = frames["contacts"]
    installed = frames["installed_base"]
    agents = frames["agents"]
    duplicates = frames.extra.get("duplicates", {})

    # ---- per-customer facts ------------------------------------------------------------------
    owned = installed_quantities(installed)
    people: dict[str, list[tuple[str, str, bool]]] = {}
    for row in contacts.itertuples(index=False):
        people.setdefault(row.customer_id, []).append((row.contact_id, row.preferred_channel, bool(row.is_primary)))
    cust = customers.to_dict("records")
    n_cust = len(cust)
    n_days = (TICKETS_END - TICKETS_START).days + 1
    days = [TICKETS_START + timedelta(days=k) for k in range(n_days)]

    # firmware upgrade dates of each customer's LoRaWAN gateways
    upgrades: dict[str, tuple[date | None, date | None]] = {}
    for c in cust:
        cid = c["customer_id"]
        since = c["customer_since"].date()
        if not any(g in owned.get(cid, {}) for g in LORAWAN_GATEWAYS) or since >= FIRMWARE_FIX_RELEASED:
            upgrades[cid] = (None, None)
            continue
        up320 = max(since, FIRMWARE_BAD_RELEASED + timedelta(days=int(rng.integers(0, 22))))
        up321 = FIRMWARE_FIX_RELEASED + timedelta(days=int(min(90, rng.exponential(16))))
        upgrades[cid] = (up320, up321)

    # ---- daily volume: size x weekday x season x holidays, for active accounts -----------------
    size = np.array([(sum(q for p, q in owned.get(c["customer_id"], {}).items() if p.startswith("SNS-")) + 10) ** 0.5
                     for c in cust])
    size[[i for i, c in enumerate(cust) if c["customer_id"] in duplicates]] = 0.0
    since_ord = np.array([c["customer_since"].date().toordinal() for c in cust])
    day_ord = np.array([d.toordinal() for d in days])
    active = since_ord[:, None] <= day_ord[None, :]
    weekday = np.array([WEEKDAY_FACTOR[d.weekday()] for d in days])
    weekend = np.array([d.weekday() >= 5 for d in days])
    holiday = np.array([0.3 if d in UK_BANK_HOLIDAYS else (0.5 if (d.month == 12 and d.day >= 24) else 1.0)
                        for d in days])
    months = np.array([d.month - 1 for d in days])
    season = np.array([SEASON[INDUSTRY_SEASON[c["industry"]]] for c in cust])[:, months]
    critical = np.array([c["support_plan"] == "SUP-CRITICAL" for c in cust])
    day_factor = np.where(critical[:, None] & weekend[None, :], 2.5, 1.0) * weekday[None, :] * holiday[None, :]
    lam = size[:, None] * active * season * day_factor
    lam *= TARGET_TICKETS / lam.sum()
    counts = rng.poisson(lam)
    plan: list[tuple[int, int, bool]] = []
    for ci, di in zip(*np.nonzero(counts)):
        plan += [(int(ci), int(di), False)] * int(counts[ci, di])

    # ---- the firmware 3.2.0 spike: extra message-drop tickets while a site runs 3.2.0 ----------
    spike_weights = []
    workday = ~weekend
    for ci, c in enumerate(cust):
        up320, up321 = upgrades[c["customer_id"]]
        if up320 is None:
            continue
        lorawan_gws = sum(owned[c["customer_id"]].get(g, 0) for g in LORAWAN_GATEWAYS)
        window = (day_ord >= (up320 + timedelta(days=2)).toordinal()) & (day_ord < up321.toordinal()) & workday
        spike_weights += [(ci, int(di), lorawan_gws ** 0.5) for di in np.nonzero(window)[0]]
    spike_lam = np.array([w for _, _, w in spike_weights])
    spike_lam *= 250 / spike_lam.sum()
    for (ci, di, _), k in zip(spike_weights, rng.poisson(spike_lam)):
        plan += [(ci, di, True)] * int(k)
    # tickets logged against the duplicate accounts (found by the data-quality lessons)
    for ci, c in enumerate(cust):
        if c["customer_id"] in duplicates:
            first = (c["customer_since"].date() - TICKETS_START).days
            for di in sorted(rng.choice(np.arange(first, n_days), size=3, replace=False)):
                if days[int(di)].weekday() >= 5:
                    di = di - days[int(di)].weekday() + 4
                plan.append((ci, int(di), False))

    # ---- agents ------------------------------------------------------------------------------------
    desk = agents[agents["team"] == "Service Desk"]
    desk_ids = desk["agent_id"].tolist()
    desk_start = [d.date() for d in desk["start_date"]]
    desk_weight = [float(w) for w in rng.uniform(0.6, 1.4, len(desk_ids))]
    tech_ids = agents.loc[agents["team"] == "Technical Support", "agent_id"].tolist()
    field_ids = agents.loc[agents["team"] == "Field Engineering", "agent_id"].tolist()
    quality = {a: float(q) for a, q in zip(agents["agent_id"], rng.normal(0, 0.22, len(agents)))}
    starts = {a: s.date() for a, s in zip(agents["agent_id"], agents["start_date"])}

    rng = _Draws(rng)  # type: ignore[assignment]  # fast scalar draws for the per-ticket loop
    categories = list(CATEGORY_BASE)
    weight_cache: dict[tuple[int, bool, str], list[float]] = {}
    pool_cache: dict[tuple[str, str], tuple[list[str], list[float]]] = {}
    hour_cum = {k: _cum(v) for k, v in HOUR_PROFILE.items()}
    eligible_desk = {}
    rows = []
    for ci, di, spike in plan:
        c = cust[ci]
        cid = c["customer_id"]
        day = days[di]
        products = owned.get(cid, {})
        plan_id = c["support_plan"]
        # contact and channel
        who = people[cid]
        contact = who[0] if (rng.random() < 0.45 or len(who) == 1) else who[1 + int(rng.integers(len(who) - 1))]
        contact_id, preferred, _ = contact
        channel = preferred if rng.random() < 0.6 else _choice(rng, CHANNELS, [0.33, 0.33, 0.04, 0.30])
        if spike and channel == "in_person":
            channel = "email"
        if day.weekday() >= 5:
            if channel == "in_person":
                channel = "email"
            elif channel == "phone" and plan_id != "SUP-CRITICAL":
                channel = "portal"
        hour = bisect_right(hour_cum[channel], float(rng.random()) * hour_cum[channel][-1])
        if c["region"] == "North America" and channel != "in_person":
            hour = (hour + 5) % 24
        if channel == "phone" and plan_id != "SUP-CRITICAL" and not 8 <= hour < 18:
            channel = "email"
        created = datetime(day.year, day.month, day.day, hour, int(rng.integers(60)), int(rng.integers(60)))

        # category (weights by month, industry and channel) and product (from the customer's products)
        key = (day.month, INDUSTRY_SEASON[c["industry"]] == "cold_chain", channel)
        if key not in weight_cache:
            weight_cache[key] = _cum(_category_weights(*key)[k] for k in categories)
        cum_w = weight_cache[key]
        category, product = "how_to", c["platform_tier"]
        for _ in range(20):
            if spike:
                category = "connectivity" if rng.random() < 0.7 else "data_quality"
                lrw = [(g, products[g]) for g in LORAWAN_GATEWAYS if g in products]
                product = _pick([g for g, _ in lrw], [q for _, q in lrw], rng.random())
                break
            category = categories[min(len(categories) - 1, bisect_right(cum_w, rng.random() * cum_w[-1]))]
            variant = category
            if category == "product_info":
                variant = "product_info_owned" if rng.random() < 0.5 else "product_info_catalogue"
            if (cid, variant) not in pool_cache:
                pool_cache[(cid, variant)] = _ticket_product_pool(variant, products, c["platform_tier"], plan_id,
                                                                  c["industry"])
            items, cum = pool_cache[(cid, variant)]
            if items:
                product = items[min(len(items) - 1, bisect_right(cum, rng.random() * cum[-1]))]
                break
        pcat = PRODUCT_BY_ID[product]["category"]

        # firmware of the customer's own device (none for questions about products they do not run)
        firmware = None
        if pcat in ("sensor", "gateway") and product in products:
            firmware = PRODUCT_BY_ID[product]["firmware_version"]
            if product in LORAWAN_GATEWAYS:
                firmware = _lorawan_gateway_firmware(day, *upgrades[cid])
            if spike:
                firmware = FIRMWARE_BAD

        # priority
        mix = list(PRIORITY_MIX[category])
        if spike:
            mix = [0.08, 0.55, 0.32, 0.05]
        if plan_id == "SUP-CRITICAL":
            mix = [mix[0] * 2, mix[1] * 1.4, mix[2], mix[3]]
        priority = _pick(PRIORITIES, mix, float(rng.random()))

        # agent who took it
        if channel == "in_person":
            agent = field_ids[int(rng.integers(len(field_ids)))]
        elif priority == "P1" and plan_id == "SUP-CRITICAL" and rng.random() < 0.5:
            agent = tech_ids[int(rng.integers(len(tech_ids)))]
        else:
            if day not in eligible_desk:
                pairs = [(a, w) for a, w, s in zip(desk_ids, desk_weight, desk_start) if s <= day]
                eligible_desk[day] = ([a for a, _ in pairs], _cum([w for _, w in pairs]))
            names, cum = eligible_desk[day]
            agent = names[min(len(names) - 1, bisect_right(cum, float(rng.random()) * cum[-1]))]

        # escalation and reopening
        rate = ESCALATION_RATE[category] * (1.5 if priority in ("P1", "P2") else 1.0)
        if spike:
            rate = 0.6
        escalated = rng.random() < min(0.9, rate)
        team = None
        if escalated:
            route = {"Product Engineering": 0.7, "Technical Support": 0.3} if spike else ESCALATION_ROUTE[category]
            team = _pick(list(route), list(route.values()), float(rng.random()))
        reopened = rng.random() < (0.18 if spike else REOPEN_RATE[category])

        # first response: live on the phone / on site, otherwise within the plan's covered hours
        schedule = PLAN_SCHEDULE[plan_id]
        target = float(PRODUCT_BY_ID[plan_id][f"p{priority[1]}_response_hours"])
        if channel == "phone":
            first = created + timedelta(seconds=int(60 * math.exp(rng.normal(math.log(3), 0.8))))
        elif channel == "in_person":
            first = created + timedelta(seconds=int(rng.integers(0, 1200)))
        else:
            load = (1.25 if day.weekday() == 0 else 1.0) * \
                   (1.35 if FIRMWARE_BAD_RELEASED <= day < FIRMWARE_FIX_RELEASED + timedelta(days=21) else 1.0)
            delay = target * math.exp(rng.normal(math.log(0.3), 0.75)) * load
            first = add_covered_hours(created, delay, schedule)
            if schedule is not None and priority in ("P3", "P4"):
                moved = _desk_time(first)
                if moved != first:
                    first = moved
                    delay = covered_hours_between(created, first, schedule)
        first = first.replace(microsecond=0)
        if first < created:
            first = created
        breach = channel in ("email", "portal") and delay > target

        # resolution
        hours = RESOLUTION_MEDIAN_H[priority] * RESOLUTION_CATEGORY[category] * math.exp(rng.normal(0, 0.85))
        hours *= (2.0 if escalated else 1.0) * (1.7 if reopened else 1.0) * (1.8 if spike else 1.0)
        waiting_h = math.exp(rng.normal(math.log(200), 0.6)) if rng.random() < WAIT_RATE[category] else 0.0
        hours += waiting_h
        resolved = created + timedelta(hours=hours)
        if priority in ("P3", "P4"):
            resolved = _desk_time(resolved)
        resolved = max(resolved, first + timedelta(minutes=int(rng.integers(5, 61))))
        resolved = resolved.replace(microsecond=0)

        # status as of the extract
        csat = nps = None
        if first >= AS_OF:
            status, first_out, resolved_out = "open", None, None
        elif resolved >= AS_OF:
            waiting_now = waiting_h > 0 and AS_OF - created > timedelta(hours=hours - waiting_h)
            status = "waiting_customer" if waiting_now or rng.random() < 0.15 else "in_progress"
            first_out, resolved_out = first, None
        else:
            first_out, resolved_out = first, resolved
            status = "closed" if resolved < AS_OF - timedelta(days=7) else "resolved"
            if rng.random() < 0.42:
                latent = (4.45 + quality[agent] - 0.35 * (starts[agent] > day - timedelta(days=90))
                          - 0.45 * math.log(hours / RESOLUTION_MEDIAN_H[priority])
                          - 1.1 * reopened - 0.55 * breach - 0.25 * escalated + rng.normal(0, 0.65))
                csat = int(min(5, max(1, round(latent))))
                if rng.random() < 0.25:
                    nps = int(min(10, max(0, round(1.9 * csat + 0.2 + rng.normal(0, 1.3)))))

        # subject
        key = ("spike", "gateway") if spike else (category, pcat)
        if key not in SUBJECTS:
            key = (category, "any") if (category, "any") in SUBJECTS else \
                  (category, "sensor") if (category, "sensor") in SUBJECTS else (category, "platform")
        template = _choice(rng, SUBJECTS[key])
        site = f"our {c['city']} site" if rng.random() < 0.5 else f"site {int(rng.integers(1, max(2, c['sites'] + 1)))}"
        subject = template.format(p=PRODUCT_BY_ID[product]["_short"], loc=_choice(rng, LOCATIONS[c["industry"]]),
                                  site=site, t=PRODUCT_BY_ID[c["platform_tier"]]["_short"],
                                  n=int(rng.integers(2, 40)))
        subject = subject[0].upper() + subject[1:]
        rows.append(dict(customer_id=cid, contact_id=contact_id, product_id=product, firmware_version=firmware,
                         channel=channel, category=category, priority=priority, subject=subject, created_at=created,
                         first_response_at=first_out, resolved_at=resolved_out, status=status,
                         escalated=escalated, escalation_team=team, agent_id=agent, reopened=reopened, csat=csat,
                         nps=nps))

    # ---- floors the Level 1 lessons rely on, whatever the seed: a few hardware faults still being
    # worked on by the Service Desk (not escalated yet) at the time of the extract
    def still_open(r: dict[str, Any]) -> bool:
        return r["status"] in ("open", "in_progress")

    open_faults = [r for r in rows if r["category"] == "hardware_fault" and not r["escalated"] and still_open(r)]
    recent = sorted((r for r in rows if r["category"] == "hardware_fault" and not r["escalated"]
                     and r["resolved_at"] is not None and r["created_at"] >= AS_OF - timedelta(days=45)),
                    key=lambda r: r["created_at"], reverse=True)
    for r in recent[: max(0, MIN_OPEN_UNESCALATED_FAULTS - len(open_faults))]:
        r.update(status="in_progress", resolved_at=None, csat=None, nps=None)

    # ---- messy: double-submitted portal tickets and a ticket logged against the wrong product ------
    messy: list[tuple[dict[str, Any], dict[str, Any] | None, str]] = []
    portal = [r for r in rows if r["channel"] == "portal" and r["status"] == "closed" and not r["escalated"]
              and r["customer_id"] not in duplicates]
    for k in rng.sample(len(portal), 2):
        original = portal[int(k)]
        dup = dict(original)
        dup["created_at"] = original["created_at"] + timedelta(seconds=int(rng.integers(40, 150)))
        dup["first_response_at"] = max(dup["created_at"], original["first_response_at"]) + \
            timedelta(minutes=int(rng.integers(1, 6)))
        dup["resolved_at"] = dup["first_response_at"] + timedelta(minutes=int(rng.integers(2, 12)))
        dup.update(reopened=False, csat=None, nps=None)
        rows.append(dup)
        messy.append((dup, original, "Double submission of {orig} from the portal (same contact and subject, "
                                     "{secs} s later), closed without work."))
    hardware = [r for r in rows if r["category"] == "hardware_fault" and r["status"] == "closed"
                and r["product_id"].startswith("SNS-") and r["customer_id"] not in duplicates
                and PRODUCT_BY_ID[r["product_id"]]["_short"] in r["subject"]]
    wrong = hardware[int(rng.integers(len(hardware)))]
    not_owned = [p for p in SENSOR_IDS if p not in owned[wrong["customer_id"]] and PRODUCT_BY_ID[p]["active"]]
    right = wrong["product_id"]
    wrong["product_id"] = not_owned[int(rng.integers(len(not_owned)))]
    wrong["firmware_version"] = PRODUCT_BY_ID[wrong["product_id"]]["firmware_version"]
    messy.append((wrong, None, f"product_id {wrong['product_id']} is not in the customer's installed base; the "
                               f"subject is about the {PRODUCT_BY_ID[right]['_short']} ({right})."))

    rows.sort(key=lambda r: (r["created_at"], r["customer_id"], r["contact_id"]))
    for i, row in enumerate(rows, start=1):
        row["ticket_id"] = f"TKT-{i:05d}"
    for row, original, text in messy:
        if original is not None:
            secs = int((row["created_at"] - original["created_at"]).total_seconds())
            text = text.format(orig=original["ticket_id"], secs=secs)
        frames.note("tickets.csv", row["ticket_id"], text)
    for dup_id, orig_id in duplicates.items():
        ids = [r["ticket_id"] for r in rows if r["customer_id"] == dup_id]
        frames.note("tickets.csv", ", ".join(ids), f"Logged against the duplicate account {dup_id} instead of "
                                                   f"{orig_id}.")
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# legacy_inquiries.csv: unanswered inquiries exported from the old CRM (some are invalid)
# --------------------------------------------------------------------------------------------
LEGACY_COLUMNS = (
    Column("legacy_ref", "str", "Reference in the old CRM (CRM-04xxx).", allowed="unique"),
    Column("received_at", "str", "When the inquiry arrived, as exported (text: not every value is a valid "
           "timestamp).", nullable=True),
    Column("customer_id", "str", "Customer id as exported (should be a customers.customer_id).", nullable=True),
    Column("contact_id", "str", "Contact id as exported, if the CRM knew the person.", nullable=True),
    Column("channel", "str", "Channel as exported.", nullable=True),
    Column("product_id", "str", "Product asked about, if any, as exported.", nullable=True),
    Column("category", "str", "Category as exported.", nullable=True),
    Column("question", "str", "The customer's question as exported.", nullable=True),
)

_LEGACY_QUESTIONS = [
    ("product_info", "sensor", "What is the price of {n} x {name} for our new site? We would need them by the "
                               "end of next month."),
    ("product_info", "sensor", "Can the {name} be used inside a freezer running at -25 C, and how long will "
                               "the battery last there?"),
    ("product_info", "sensor", "How long does the battery last in the {name} if we report every 5 minutes?"),
    ("product_info", "sensor", "Is the {name} compatible with the LoRaWAN Indoor Gateway we already have?"),
    ("product_info", "gateway", "What is the lead time for {n} units of the {name}? We are planning the "
                                "installation for the spring."),
    ("how_to", None, "Do you offer training for new staff on the dashboards and alarms? We have six new "
                     "supervisors."),
    ("billing", "platform", "Please send me a copy of last quarter's invoice for our subscription, our "
                            "finance team cannot find it."),
    ("platform_access", "platform", "How do I add a new user to our Kestrel Cloud account? Our previous "
                                    "administrator has left."),
    ("product_info", "support", "Which support plan includes weekend cover for alarms in our cold store?"),
    ("connectivity", "sensor", "Our {name} in the cold room stopped reporting yesterday afternoon, could "
                               "someone call me back please?"),
    ("product_info", "platform", "What is the difference between the Professional and Enterprise tiers for "
                                 "data retention?"),
    ("how_to", "platform", "Can we export a month of temperature data to Excel for an audit next week?"),
]


def write_legacy_inquiries(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    customers = frames["customers"]
    contacts = frames["contacts"]
    installed = frames["installed_base"]
    duplicates = frames.extra.get("duplicates", {})
    eligible = customers[(customers["customer_since"] < pd.Timestamp(2024, 1, 1))
                         & ~customers["customer_id"].isin(list(duplicates))]
    by_customer = contacts.groupby("customer_id")["contact_id"].apply(list).to_dict()
    owned = installed.groupby("customer_id")["product_id"].apply(list).to_dict()
    n_rows = 25
    problems = ["unknown_customer", "fax", "empty_question", "short_question", "misspelled_category",
                "impossible_date", "uk_date_format", "unknown_product"]
    slots = rng.choice(n_rows, size=len(problems), replace=False)
    problem_at = {int(slot): problem for slot, problem in zip(slots, problems)}
    start = datetime(2024, 1, 2)
    span_days = (LEGACY_CRM_END - start.date()).days
    rows = []
    for i in range(n_rows):
        c = eligible.iloc[int(rng.integers(len(eligible)))]
        day = weekday_on_or_after(start + timedelta(days=int(rng.integers(0, span_days))))
        received = day + timedelta(hours=int(rng.integers(8, 18)), minutes=int(rng.integers(60)),
                                   seconds=int(rng.integers(60)))
        category, kind, text = _LEGACY_QUESTIONS[int(rng.integers(len(_LEGACY_QUESTIONS)))]
        product: str | None = None
        if kind == "sensor":
            mine = [p for p in owned.get(c["customer_id"], []) if p.startswith("SNS-") and PRODUCT_BY_ID[p]["active"]]
            product = mine[int(rng.integers(len(mine)))] if mine and rng.random() < 0.7 else \
                _choice(rng, [p for p in SENSOR_IDS if PRODUCT_BY_ID[p]["active"]])
        elif kind == "gateway":
            product = _choice(rng, GATEWAY_IDS)
        elif kind == "platform":
            product = c["platform_tier"]
        elif kind == "support":
            product = _choice(rng, ["SUP-PREMIUM", "SUP-CRITICAL"])
        question = text.format(n=int(rng.integers(5, 60)), name=PRODUCT_BY_ID[product]["name"] if product else "")
        contact = _choice(rng, by_customer[c["customer_id"]]) if rng.random() < 0.8 else None
        row = dict(legacy_ref=f"CRM-{4100 + 7 * i + int(rng.integers(0, 7)):05d}",
                   received_at=received.strftime(TS_FORMAT), customer_id=c["customer_id"], contact_id=contact,
                   channel=_choice(rng, ["phone", "email", "portal", "in_person"], [0.45, 0.4, 0.1, 0.05]),
                   product_id=product if (product and rng.random() < 0.85) else None, category=category,
                   question=question)
        problem = problem_at.get(i)
        description = ""
        if problem == "unknown_customer":
            row.update(customer_id="CUS-9127", contact_id=None)
            description = "customer_id CUS-9127 does not exist"
        elif problem == "fax":
            row["channel"] = "fax"
            description = "channel 'fax' is not an allowed channel"
        elif problem == "empty_question":
            row["question"] = None
            description = "question is empty"
        elif problem == "short_question":
            row["question"] = "Price?"
            description = "question 'Price?' is shorter than 10 characters"
        elif problem == "misspelled_category":
            row["category"] = "conectivity" if category != "connectivity" else "conectivity"
            description = "category 'conectivity' is misspelled"
        elif problem == "impossible_date":
            row["received_at"] = "2024-02-30 10:15:00"
            description = "received_at 2024-02-30 is not a real date"
        elif problem == "uk_date_format":
            row["received_at"] = received.strftime("%d/%m/%Y %H:%M")
            description = f"received_at '{row['received_at']}' is not in ISO format"
        elif problem == "unknown_product":
            row["product_id"] = "SNS-TEMP-100"
            description = "product_id SNS-TEMP-100 does not exist (SNS-TMP-100 was meant)"
        if problem:
            frames.note("legacy_inquiries.csv", row["legacy_ref"], description)
        rows.append(row)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# The registry: tables in generation order. Add a Level 2-6 table with ONE line, e.g.
#     "ssup.data.transcripts:TABLE",
# where ssup/data/transcripts.py defines TABLE = Table("call_transcripts", writer, columns, doc=...).
# Each table gets its own random generator, so adding one never changes the others.
# --------------------------------------------------------------------------------------------
REGISTRY: list[Table | str] = [
    Table("products", write_products, PRODUCT_COLUMNS, key="product_id",
          doc="The catalogue: sensors, gateways, Kestrel Cloud platform tiers, services and support plans, with "
              "the specifications the Service Desk and Presales quote from. Columns that do not apply to a "
              "category are empty."),
    Table("compatibility", write_compatibility, COMPATIBILITY_COLUMNS, key="(product_id, compatible_with)",
          doc="Which products work together: sensors with gateways (by protocol), LTE-M sensors directly with "
              "platform tiers, gateways with platform tiers. Each pair appears in both directions, so "
              "`WHERE product_id = ?` finds everything a product works with. A pair that is not listed is not "
              "supported."),
    Table("faq", write_faq, FAQ_COLUMNS, key="faq_id",
          doc="Approved answers to common customer questions (prices, lead times, compatibility, battery life, "
              "support plans, warranty, returns). Mostly generated from products.csv, so they should agree "
              "with it - one documented entry does not."),
    Table("kb_articles", write_kb_articles, KB_COLUMNS, key="article_id",
          doc="Knowledge-base articles used by the Service Desk and Technical Support: troubleshooting and "
              "configuration steps, 80-250 words each, tagged with the ticket category they help with."),
    Table("agents", write_agents, AGENT_COLUMNS, key="agent_id",
          doc="Kestrel's customer-facing staff: the Service Desk and the teams it escalates to."),
    Table("customers", write_customers, CUSTOMER_COLUMNS, key="customer_id",
          doc="Customer accounts (every account has bought at least once). Two accounts are documented "
              "duplicates."),
    Table("installed_base", write_installed_base, INSTALLED_BASE_COLUMNS, key="(customer_id, product_id)",
          doc="Sensors and gateways installed at each customer as of the extract. A customer's sensor count "
              "never exceeds its platform tier's max_devices (gateways do not count). The duplicate accounts "
              "have no rows."),
    Table("contacts", write_contacts, CONTACT_COLUMNS, key="contact_id",
          doc="People at customers who may raise tickets and inquiries: 1-4 per customer by segment, exactly "
              "one primary contact each."),
    Table("opportunities", write_opportunities, OPPORTUNITY_COLUMNS, key="opportunity_id",
          doc="Sales opportunities in the CRM since its migration on 2024-01-01: first sales (new_logo), "
              "expansions, upgrades and services. Prospects that never bought anything are not in this "
              "extract."),
    Table("projects", write_projects, PROJECT_COLUMNS, key="project_id",
          doc="Delivery projects for won opportunities, with presales' effort and cost estimates and the "
              "actuals of completed projects (the Level 4-5 estimating data)."),
    Table("tickets", write_tickets, TICKET_COLUMNS, key="ticket_id",
          doc=f"Every support ticket logged from {TICKETS_START} to {TICKETS_END}: questions, faults and "
              "requests from customers by phone, email, portal or through an engineer on site."),
    Table("legacy_inquiries", write_legacy_inquiries, LEGACY_COLUMNS, key="legacy_ref",
          doc=f"Unanswered inquiries exported from the old CRM when it was switched off on {LEGACY_CRM_END}, "
              "exactly as exported (all text). Level 1 trainees import them into the `inquiries` table "
              "through the safe data-entry helper; some rows are invalid on purpose (see below)."),
    # Level 2-6 tables go here, one line each, e.g. "ssup.data.transcripts:TABLE",
    "ssup.data.calls:TABLE",
    "ssup.data.troubleshooting:TABLE",
    "ssup.data.discovery:TABLE",
    "ssup.data.pilot:TABLE",
    "ssup.data.leadership:PHONE_CALLS",
    "ssup.data.leadership:PROPOSALS",
    "ssup.data.leadership:PROPOSAL_CASHFLOWS",
    "ssup.data.leadership:PROPOSAL_RISKS",
    "ssup.data.management:ADVICE_REVIEWS",
    "ssup.data.management:DRAFT_ESTIMATES",
    "ssup.data.management:DRAFT_PLAN_TASKS",
    "ssup.data.management:PRESALES_CAPACITY",
    "ssup.data.management:BID_PIPELINE",
    "ssup.data.management:BID_REQUIREMENTS",
    "ssup.data.management:BID_SECTIONS",
    "ssup.data.presales:TABLE",
]


# --------------------------------------------------------------------------------------------
# README.md (generated, so it always documents exactly the files beside it)
# --------------------------------------------------------------------------------------------
STORY = """\
## The company

**Kestrel Telemetry Ltd** is a UK industrial IoT telemetry company founded in 2014 and based in Bristol, with
engineers in Manchester and sales offices in Stockholm, Düsseldorf and Chicago. It sells wireless sensors,
gateways and a cloud platform (Kestrel Cloud) that let customers monitor temperatures, vibration, pressure,
tank levels, energy use, doors, leaks and the location of mobile assets - and be alarmed when something goes
wrong.

**What it sells** (`products.csv`):

* **Sensors** - battery-powered LoRaWAN sensors (temperature, cold-chain probes, humidity, CO2, vibration,
  pressure, tank level, door, leak, pulse counting), a mains-powered energy meter, BLE beacons, a Modbus meter
  interface and two LTE-M cellular devices (a temperature logger and a GPS tracker) that need no gateway.
* **Gateways** - LoRaWAN Indoor and Outdoor gateways, an LTE-M Cellular Gateway for BLE and Modbus devices, and
  the Edge 500 with local processing and an OPC UA server for SCADA systems.
* **Kestrel Cloud** - Starter, Professional and Enterprise tiers, which differ in device limit, daily message
  quota, data retention, API rate limit and features.
* **Services** - site surveys, installation by the engineer-day, MQTT/REST, SCADA and ERP integration, training,
  custom dashboards and a 90-day pilot package.
* **Support plans** - Standard (included), Premium and Critical (see below).

**Who buys it** (`customers.csv`): manufacturers (machine condition, compressed air, energy), food and drink
producers and cold-chain logistics firms (HACCP temperature records, reefer trailers), pharmaceutical
distributors (GDP-compliant 2-8 C stores), utilities and water companies (pump stations, tanks, district
heating), mining and quarrying, facilities managers (offices, schools, plant rooms) and growers. Customers are
in the UK & Ireland (the largest region), the Nordics, DACH, Benelux, France, Iberia and North America; they
range from ten-person food businesses with one site to enterprises with dozens of sites.

## How sales support works at Kestrel

Every customer contact is logged as a **ticket** (`tickets.csv`) or, for a simple question handled at once,
an **inquiry** (the `inquiries` table trainees fill in). The teams (`agents.csv`):

* **Service Desk** (first line) answers the phone Mon-Fri 08:00-18:00 UK time, the support mailbox and the
  customer portal. It gives product information from the FAQ and knowledge base (prices, lead times,
  compatibility, plan coverage), resolves straightforward issues and **escalates** anything it cannot resolve,
  with a handover note, to the right team.
* **Technical Support** (second line) diagnoses connectivity, configuration, data-quality and platform problems
  and runs the 24x7 on-call rota for Critical Support customers.
* **Field Engineering** does site surveys, installations, on-site repairs and hardware swaps; tickets with
  channel `in_person` were raised by an engineer on site.
* **Product Engineering** (third line) handles firmware and platform defects.
* **Presales** gives technical advice to account managers and prospects: sizing, feasibility, pilots, effort and
  cost estimates (`projects.csv`) and the technical content of bids.
* **Account Management** owns each customer relationship, the opportunities (`opportunities.csv`), renewals and
  complaints.
* **Billing** handles invoices, credit notes and payment queries.

**Priorities.** P1: a site has lost monitoring or alarms with no workaround; P2: major loss with a workaround;
P3: a fault affecting some devices; P4: a question or request.

**Support plans and response targets.** Every account has one plan (`customers.support_plan`). The target is the
time to the *first response*, counted only inside the plan's support hours (the clock stops outside them; for
Critical it never stops):
"""

PATTERNS = """\
## Patterns built into the data

These are deliberate, so that analyses in later levels find something real. The figures are computed from the
files beside this README.

{stats}

Other relationships built in:

* **Ticket volume** follows the installed base: bigger customers raise more tickets, and accounts raise none
  before their `customer_since` date; volume grows as the customer base grows.
* **Channels and hours.** Phone tickets only arrive Mon-Fri 08:00-18:00 UK time (except Critical Support
  customers' 24x7 line); the portal and email are spread across the day and the week. North American customers
  contact Kestrel in the UK afternoon and evening.
* **Seasonality.** Cold-chain industries (food_beverage, logistics, pharma) peak in June-August; heating and
  energy customers (utilities, water, building_management) peak in December-February; battery tickets rise in
  winter. Volume dips over Christmas and UK bank holidays.
* **Firmware defect.** LoRaWAN gateway firmware 3.2.0 (released {bad}) drops uplinks under load. Sites that
  installed it raise message-drop / gap tickets (category connectivity or data_quality, `firmware_version`
  3.2.0, often escalated to Product Engineering) until they upgrade to 3.2.1 (released {fix}). KB article
  "Known issue: LoRaWAN gateway firmware 3.2.0 ..." describes it. The extra load also lengthens first-response
  times in that period.
* **Weak signal and low battery.** Connectivity tickets about sensors ("offline", "weak signal", "intermittent")
  and battery tickets ("low battery warning", "draining faster") are the cases Levels 2-4 diagnose; the KB
  explains that weak signal also drains batteries.
* **Resolution times** are log-normal (right-skewed): longer for lower priorities, for hardware faults and
  installations, for escalated and for reopened tickets.
* **SLA.** First responses mostly meet the plan's target; breaches are more common on Mondays and during the
  firmware spike. Phone and on-site tickets get an immediate first response.
* **CSAT** falls with longer resolution, reopening, escalation and SLA breach, and varies by agent; agents in their
  first 90 days score lower. About 60% of tickets have no CSAT (not surveyed or not resolved). NPS is asked in
  about a quarter of the surveys and tracks CSAT.
* **Opportunities.** Values are right-skewed; deals of 100,000 GBP or more almost always require a bid; bids,
  competitors and larger values lower the win rate, a presales consultant raises it; utilities and water run
  more tenders. Deals usually close later than the owner's `expected_close_date`, and some open opportunities
  are already past it (stale pipeline).
* **Survivorship.** Prospects that never bought are not in the extract, so the win rate of `new_logo`
  opportunities is overstated (every customer's first sale is there, only some earlier failed attempts are).
* **Projects.** Actual effort = estimate x log-normal noise whose mean depends on the project type:
  integration_heavy and multi_site_rollout overrun most, standard_install and pilot least.
* **Internal consistency.** Ticket contacts belong to the ticket's customer; ticket products are in the
  customer's installed base or are its platform tier or support plan (product_info tickets may ask about any
  product); `created_at <= first_response_at <= resolved_at`; an escalation team is set only when
  `escalated = 1`; a customer's sensors fit within its tier's device limit; each project belongs to a won
  opportunity of the same customer. The documented messy records below are the only exceptions.
"""

RELATIONSHIPS = """\
## How the tables connect

* `customers.platform_tier`, `customers.support_plan` -> `products.product_id`; `customers.account_manager` ->
  `agents.agent_id`.
* `installed_base (customer_id, product_id)` -> `customers`, `products` (sensors and gateways only).
* `contacts.customer_id` -> `customers`.
* `tickets.customer_id` -> `customers`; `tickets (contact_id, customer_id)` -> `contacts` (the contact works for
  that customer); `tickets.product_id` -> `products`; `tickets.agent_id` -> `agents`.
* `opportunities.customer_id` -> `customers`; `owner`, `presales_agent_id` -> `agents`; `primary_product_id` ->
  `products`.
* `projects (opportunity_id, customer_id)` -> `opportunities` (one project per won opportunity);
  `estimator_agent_id` -> `agents`.
* `compatibility.product_id`, `compatible_with`, `faq.product_id`, `kb_articles.product_id` -> `products`.
* `legacy_inquiries` references nothing (it is raw text); `inquiries` and `escalations` (empty, for trainees)
  reference `customers`, `contacts`, `products`, `agents`, `tickets` and `inquiries`.
"""

LOADING = """\
## Loading the files

* CSV, UTF-8, comma-separated, first row = column names, `\\n` line endings; text containing commas or quotes
  is quoted the usual CSV way.
* **Empty cell = missing value (NULL).** Load empty strings as NULL/NaN (`ssup.data.load` does this).
* Dates are `YYYY-MM-DD`; timestamps `YYYY-MM-DD HH:MM:SS`, UK local time, no time zone.
* Booleans are `0`/`1`; money is GBP with two decimals.
* In Python: `from ssup.data import load; tickets = load("tickets")` returns a DataFrame with dates parsed,
  booleans as `bool`, and nullable integer columns (csat, nps, the product specifications) as `Int64`.
* In SQL: `ssup/schema.sql` has one table per CSV with the same name and columns, in load order:
  {order}; then the two empty tables trainees write to, `inquiries` and `escalations`.
  `legacy_inquiries` has no constraints, so that every exported row - valid or not - can be loaded and checked.
* Regenerate with `python -m ssup.data generate --seed {seed} --out DIR`; the output is byte-identical every time.
  Another seed gives a different but equally consistent company history (same catalogue, same columns).
"""


def _md_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    def cell(v: Any) -> str:
        return str(v).replace("|", "\\|").replace("\n", " ")
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _pattern_stats(frames: Frames) -> str:
    """A few numbers that show the built-in patterns (computed, so they match the files)."""
    out: list[str] = []
    t = frames.get("tickets")
    if t is not None and len(t):
        daily = t.groupby(t["created_at"].dt.normalize()).size()
        all_days = pd.date_range(str(TICKETS_START), str(TICKETS_END), freq="D")
        daily = daily.reindex(all_days, fill_value=0)
        by_dow = daily.groupby(daily.index.day_of_week).mean()
        names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        out.append("* **Weekday effect** - mean tickets per day: " +
                   ", ".join(f"{names[i]} {by_dow[i]:.1f}" for i in range(7)) + ".")
        phone = t[t["channel"] == "phone"]["created_at"].dt.hour
        portal = t[t["channel"] == "portal"]["created_at"].dt.hour
        out.append(f"* **Hours** - {((phone >= 8) & (phone < 18)).mean():.1%} of phone tickets arrive 08:00-18:00, "
                   f"against {((portal >= 8) & (portal < 18)).mean():.1%} of portal tickets.")
        cust = frames["customers"].set_index("customer_id")["industry"]
        season = t["customer_id"].map(cust).map(INDUSTRY_SEASON)
        month = t["created_at"].dt.month
        for group, peak, trough, label in (("cold_chain", (6, 7, 8), (1, 2, 11), "cold-chain industries"),
                                           ("heating", (12, 1, 2), (6, 7, 8), "heating/energy industries")):
            sel = season == group
            a = (sel & month.isin(peak)).sum() / len(peak)
            b = (sel & month.isin(trough)).sum() / len(trough)
            out.append(f"* **Seasonality** - {label}: {a / 2:.0f} tickets a month in months "
                       f"{', '.join(map(str, peak))} vs {b / 2:.0f} in months {', '.join(map(str, trough))}.")
        fw = t[t["firmware_version"] == FIRMWARE_BAD]
        out.append(f"* **Firmware 3.2.0** - {len(fw)} tickets on gateways running 3.2.0, "
                   f"{(fw['escalation_team'] == 'Product Engineering').sum()} of them escalated to Product "
                   "Engineering.")
        done = t[t["resolved_at"].notna()]
        hours = (done["resolved_at"] - done["created_at"]).dt.total_seconds() / 3600
        med = hours.groupby(done["priority"]).median()
        mean = hours.groupby(done["priority"]).mean()
        out.append("* **Resolution hours** (median / mean) - " +
                   ", ".join(f"{p} {med[p]:.1f} / {mean[p]:.1f}" for p in PRIORITIES) + ".")
        rated = done[done["csat"].notna()]
        out.append(f"* **CSAT** - mean {rated['csat'].mean():.2f}; reopened tickets {rated.loc[rated['reopened'], 'csat'].mean():.2f} "
                   f"vs {rated.loc[~rated['reopened'], 'csat'].mean():.2f}; {t['csat'].isna().mean():.0%} of tickets "
                   "have no CSAT.")
    o = frames.get("opportunities")
    if o is not None and len(o):
        closed = o[(o["outcome"] != "open") & (o["opportunity_type"] != "new_logo")]
        rate = closed.groupby("bid_required")["outcome"].apply(lambda s: (s == "won").mean())
        pres = closed.groupby(closed["presales_agent_id"].notna())["outcome"].apply(lambda s: (s == "won").mean())
        out.append(f"* **Win rate** (closed, excluding new_logo) - {rate.get(False, float('nan')):.0%} without a bid vs "
                   f"{rate.get(True, float('nan')):.0%} with one; {pres.get(True, float('nan')):.0%} with a presales "
                   f"consultant vs {pres.get(False, float('nan')):.0%} without. Median value "
                   f"{o['value_gbp'].median():,.0f} GBP, mean {o['value_gbp'].mean():,.0f} GBP.")
    p = frames.get("projects")
    if p is not None and len(p):
        done = p[p["status"] == "completed"]
        ratio = (done["actual_effort_days"] / done["estimated_effort_days"]).groupby(done["project_type"]).median()
        out.append("* **Overrun** - median actual/estimated effort: " +
                   ", ".join(f"{k} {ratio[k]:.2f}" for k in PROJECT_TYPES if k in ratio) + ".")
    return "\n".join(out)


def render_readme(frames: Frames) -> str:
    parts: list[str] = []
    parts.append(f"# Kestrel Telemetry Ltd: the training data set\n\n"
                 f"Generated by `python -m ssup.data generate --seed {frames.seed}` (ssup/data/generate.py) - do not "
                 "edit by hand: change the generator and regenerate. The extract was taken at "
                 f"{AS_OF:%Y-%m-%d %H:%M}; all names, people, phone numbers and figures are fictional.\n")
    parts.append(STORY)
    products = frames["products"]
    plans = products[products["category"] == "support"]
    parts.append(_md_table(
        ["plan", "product_id", "price / year (GBP)", "support hours", "P1", "P2", "P3", "P4"],
        [[r.name, r.product_id, f"{r.list_price_gbp:,.2f}", r.support_hours,
          f"{r.p1_response_hours:g} h", f"{r.p2_response_hours:g} h", f"{r.p3_response_hours:g} h",
          f"{r.p4_response_hours:g} h"] for r in plans.itertuples(index=False)]) + "\n")
    parts.append("Escalation teams: " + ", ".join(ESCALATION_TEAMS) + ". Ticket statuses: open (no response yet) "
                 "-> in_progress / waiting_customer -> resolved -> closed (7 days after resolution).\n")
    entries = tables()
    file_rows = []
    for entry in entries:
        if entry.is_csv:
            frame = frames.get(entry.name)
            file_rows.append([f"`{entry.name}.csv`", f"{len(frame):,}" if frame is not None else "",
                              entry.doc.split(". ")[0].rstrip(".") + "."])
        else:
            file_rows.append([f"`{entry.name}`", "", entry.files or entry.doc])
    parts.append("## Files\n\n" + _md_table(["file", "rows", "what it holds"], file_rows) + "\n")
    parts.append("## Data dictionary\n")
    for entry in entries:
        if not entry.is_csv:
            parts.append(f"### {entry.name}\n\n{entry.doc}\n\n{entry.files}\n")
            continue
        frame = frames.get(entry.name)
        count = f"{len(frame):,} rows" if frame is not None else ""
        parts.append(f"### {entry.name}.csv ({count}; key: `{entry.key}`)\n\n{entry.doc}\n\n" + _md_table(
            ["column", "type", "empty allowed", "units", "allowed values", "meaning"],
            [[f"`{c.name}`", c.kind + (f" ({c.decimals} dp)" if c.kind == "float" else ""),
              "yes" if c.nullable else "no", c.units, c.allowed, c.doc] for c in entry.columns]) + "\n")
    parts.append(RELATIONSHIPS)
    parts.append(PATTERNS.format(stats=_pattern_stats(frames), bad=FIRMWARE_BAD_RELEASED, fix=FIRMWARE_FIX_RELEASED))
    messy = [m for m in frames.messy if m.file != "legacy_inquiries.csv"]
    legacy = [m for m in frames.messy if m.file == "legacy_inquiries.csv"]
    parts.append("## Messy records (deliberate)\n\nReal data is never clean. These records satisfy every constraint "
                 "in `ssup/schema.sql` but are wrong in ways the data-quality lessons ask trainees to find. This list is "
                 "the trainers' answer key.\n\n" +
                 _md_table(["file", "record", "problem"], [[m.file, m.key, m.problem] for m in messy]) + "\n")
    parts.append("### legacy_inquiries.csv\n\nThe old CRM did not validate anything. Of its "
                 f"{len(frames.get('legacy_inquiries', []))} rows, these cannot be imported into `inquiries` as "
                 "they are (the rest are valid):\n\n" +
                 _md_table(["legacy_ref", "problem"], [[m.key, m.problem] for m in legacy]) + "\n")
    csv_order = ", ".join(f"`{e.name}`" for e in entries if e.is_csv)
    parts.append(LOADING.format(order=csv_order, seed=frames.seed))
    return "\n".join(parts)
