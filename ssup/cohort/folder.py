"""A cohort folder: create it, open it, hand out the release, collect submissions.

``cohort.json`` records what the cohort is, so every later command (collect, grade, export,
report, portfolio, the live dashboard) needs only the folder::

    {"name": ..., "created": ..., "mode": "laptop" | "hub",
     "units": [{"notebook": ..., "questions": "ssup.questions.level1", "level": 1, "title": ...,
                "behaviours": [...]}],
     "workspace": "workspaces/{trainee}"         # or, on a hub, "/home/jupyter-{trainee}/ssup"
     "data_dir": null | "/path/to/the/cohort's/dataset",
     "python_path": [],                          # extra import paths for question modules
     "assessed": false,                          # hide model solutions from trainees
     "db_url": null}                             # gradebook URL (default: DIR/gradebook.sqlite)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json
import os
import shutil
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ssup.cohort.roster import Trainee, is_safe_id, read_roster, write_roster
from ssup.config import REPO_ROOT, curriculum

COHORT_FILE = "cohort.json"
LAPTOP_WORKSPACE = "workspaces/{trainee}"
TLJH_WORKSPACE = "/home/jupyter-{trainee}/ssup"


class CohortError(Exception):
    """A problem a trainer can fix; the message says how."""


@dataclass(frozen=True)
class Unit:
    """One exercise notebook of the cohort and the question module that grades it."""

    notebook: str
    questions: str
    level: int | None = None
    title: str = ""
    behaviours: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["behaviours"] = list(self.behaviours)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Unit":
        return cls(data["notebook"], data["questions"], data.get("level"), data.get("title", ""),
                   tuple(data.get("behaviours") or ()))


def curriculum_units(exercises_dir: Path | None = None) -> list[Unit]:
    """Every unit of ``curriculum.yml`` that has questions, in curriculum order."""
    units = []
    for unit in curriculum()["units"]:
        if unit.get("questions"):
            units.append(Unit(unit["notebook"], unit["questions"], unit.get("level"), unit.get("title", ""),
                              tuple(unit.get("behaviours") or ())))
    return units


@dataclass
class Cohort:
    """An open cohort folder."""

    root: Path
    config: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def open(cls, root: Path | str) -> "Cohort":
        root = Path(root).expanduser().resolve()
        path = root / COHORT_FILE
        if not path.is_file():
            raise CohortError(f"{root} is not a cohort folder (there is no {COHORT_FILE}). "
                              "Create one with `ssup cohort new DIR --roster roster.csv`.")
        return cls(root, json.loads(path.read_text(encoding="utf-8")))

    def save(self) -> None:
        (self.root / COHORT_FILE).write_text(json.dumps(self.config, indent=2) + "\n", encoding="utf-8")

    # -- what the cohort is -----------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.config.get("name") or self.root.name

    @property
    def units(self) -> list[Unit]:
        return [Unit.from_json(unit) for unit in self.config.get("units", [])]

    @property
    def notebooks(self) -> list[str]:
        return [unit.notebook for unit in self.units]

    def roster(self) -> list[Trainee]:
        return read_roster(self.root / "roster.csv")

    @property
    def python_path(self) -> list[str]:
        return [str(Path(p)) for p in self.config.get("python_path") or []]

    @property
    def data_dir(self) -> str | None:
        return self.config.get("data_dir")

    @property
    def release_dir(self) -> Path:
        return self.root / "release"

    @property
    def submissions_dir(self) -> Path:
        return self.root / "submissions"

    @property
    def graded_dir(self) -> Path:
        return self.root / "graded"

    def workspace(self, trainee_id: str) -> Path:
        """The trainee's workspace (their notebooks and their SSUP_HOME)."""
        pattern = self.config.get("workspace") or LAPTOP_WORKSPACE
        path = Path(pattern.format(trainee=trainee_id)).expanduser()
        return path if path.is_absolute() else self.root / path

    def attempts_logs(self) -> dict[str, Path]:
        """Each trainee's attempts log: the synced copy (hub) if present, else in their workspace."""
        logs = {}
        for trainee in self.roster():
            synced = self.root / "logs" / trainee.trainee_id / "attempts.jsonl"
            logs[trainee.trainee_id] = synced if synced.exists() else self.workspace(trainee.trainee_id) / "attempts.jsonl"
        return logs

    def gradebook_url(self, override: str | None = None) -> str:
        """``--db-url``, else ``SSUP_GRADEBOOK_URL``, else cohort.json's, else DIR/gradebook.sqlite."""
        return (override or os.environ.get("SSUP_GRADEBOOK_URL") or self.config.get("db_url")
                or f"sqlite:///{self.root / 'gradebook.sqlite'}")

    def environment(self, trainee_id: str) -> dict[str, str]:
        """The environment variables a trainee's JupyterLab needs (SSUP_HOME, SSUP_TRAINEE, ...)."""
        env = {"SSUP_HOME": str(self.workspace(trainee_id)), "SSUP_TRAINEE": trainee_id}
        if self.data_dir:
            env["SSUP_DATA_DIR"] = self.data_dir
        if self.config.get("assessed"):
            env["SSUP_HIDE_SOLUTIONS"] = "1"
        if self.python_path:
            env["PYTHONPATH"] = os.pathsep.join(self.python_path + [p for p in [os.environ.get("PYTHONPATH")] if p])
        return env

    def import_path(self) -> "_ImportPath":
        return _ImportPath(self.python_path)

    def questions(self) -> dict[str, list[Any]]:
        """Each notebook's questions (imported from the unit's question module), in order."""
        from ssup.exercise import questions_in

        with self.import_path():
            return {unit.notebook: questions_in(importlib.import_module(unit.questions)) for unit in self.units}


class _ImportPath:
    """Temporarily put the cohort's extra import paths on ``sys.path``."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = [p for p in paths if p not in sys.path]

    def __enter__(self) -> None:
        sys.path[:0] = self.paths
        importlib.invalidate_caches()

    def __exit__(self, *exc: Any) -> None:
        for path in self.paths:
            if path in sys.path:
                sys.path.remove(path)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def new_cohort(root: Path | str, roster: Path | str, *, hub: bool = False, units: Iterable[Unit] | None = None,
               exercises_dir: Path | str | None = None, python_path: Iterable[str] = (),
               data_dir: Path | str | None = None, assessed: bool = False, db_url: str | None = None,
               workspace: str | None = None, name: str | None = None,
               levels: Iterable[int] | None = None) -> Cohort:
    """Create a cohort folder: roster, release copy, and a workspace per trainee (or hub files).

    ``units`` and ``exercises_dir`` default to the curriculum's units and the repository's
    ``exercises/`` folder; tests and special courses pass their own.
    """
    root = Path(root).expanduser().resolve()
    trainees = read_roster(roster, hub=hub)
    if (root / COHORT_FILE).exists():
        raise CohortError(f"{root} is already a cohort folder; choose a new folder for a new cohort.")
    exercises = Path(exercises_dir).expanduser().resolve() if exercises_dir else REPO_ROOT / "exercises"
    unit_list = list(units) if units is not None else curriculum_units()
    if levels is not None:
        wanted = {int(level) for level in levels}
        unknown = wanted - {unit.level for unit in unit_list}
        if unknown:
            raise CohortError(f"There is no exercise unit for level(s) {', '.join(map(str, sorted(unknown)))}.")
        unit_list = [unit for unit in unit_list if unit.level in wanted]
    if not unit_list:
        raise CohortError("There are no exercise units to hand out (curriculum.yml lists no `questions:`).")
    missing = [unit.notebook for unit in unit_list if not (exercises / unit.notebook).is_file()]
    if missing:
        hint = "Run `make exercises` first, choose levels with --levels (e.g. --levels 1,2), or pass --exercises FOLDER."
        raise CohortError(f"These exercise notebooks do not exist in {exercises}: {', '.join(missing)}. {hint}")
    if data_dir is None and os.environ.get("SSUP_DATA_DIR"):
        data_dir = os.environ["SSUP_DATA_DIR"]
    if data_dir is not None:
        data_path = Path(data_dir).expanduser().resolve()
        if not data_path.is_dir():
            raise CohortError(f"The dataset folder {data_path} does not exist: make it with "
                              "`python -m ssup.data generate --seed N --out FOLDER`.")
        data_dir = str(data_path)
    config = {
        "name": name or root.name,
        "created": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "mode": "hub" if hub else "laptop",
        "skill": "SSUP",
        "units": [unit.to_json() for unit in unit_list],
        "workspace": workspace or (TLJH_WORKSPACE if hub else LAPTOP_WORKSPACE),
        "data_dir": data_dir,
        "python_path": [str(Path(p).expanduser().resolve()) for p in python_path],
        "assessed": bool(assessed),
        "db_url": db_url,
        "release": {},
    }
    root.mkdir(parents=True, exist_ok=True)
    cohort = Cohort(root, config)
    write_roster(root / "roster.csv", trainees)
    cohort.release_dir.mkdir(exist_ok=True)
    for unit in unit_list:
        target = cohort.release_dir / unit.notebook
        shutil.copyfile(exercises / unit.notebook, target)
        config["release"][unit.notebook] = sha256(target)
    # the question modules must import (a typo here would stall every grading run)
    try:
        cohort.questions()
    except Exception as error:  # noqa: BLE001 - reported to the trainer in one sentence
        raise CohortError(f"A question module could not be imported ({type(error).__name__}: {error}).") from None
    cohort.save()
    if hub:
        from ssup.cohort.hub import write_hub_files

        write_hub_files(cohort)
    else:
        for trainee in trainees:
            hand_out(cohort, trainee.trainee_id)
    for folder in ("submissions", "graded"):
        (root / folder).mkdir(exist_ok=True)
    return cohort


def hand_out(cohort: Cohort, trainee_id: str) -> list[Path]:
    """Copy the release into a trainee's workspace; never overwrite the trainee's work."""
    workspace = cohort.workspace(trainee_id)
    workspace.mkdir(parents=True, exist_ok=True)
    copied = []
    for notebook in cohort.notebooks:
        target = workspace / notebook
        if not target.exists():
            shutil.copyfile(cohort.release_dir / notebook, target)
            copied.append(target)
    return copied


@dataclass
class CollectSummary:
    collected: list[tuple[str, str, str]] = field(default_factory=list)  # trainee, notebook, source
    missing: list[tuple[str, str]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"collected {len(self.collected)} notebooks"]
        if self.missing:
            out.append(f"no notebook found for {len(self.missing)}: "
                       + ", ".join(f"{t}/{n}" for t, n in self.missing[:10])
                       + (" ..." if len(self.missing) > 10 else ""))
        if self.unknown:
            out.append(f"ignored {len(self.unknown)} files that match no trainee and notebook: "
                       + ", ".join(self.unknown[:10]) + (" ..." if len(self.unknown) > 10 else ""))
        return out


def _match_returned(path: Path, base: Path, ids: dict[str, str], notebooks: dict[str, str]) -> tuple[str, str] | None:
    """(trainee, notebook) for a returned file named <id>/<notebook> or <id>_<notebook>."""
    relative = path.relative_to(base)
    name = path.name
    notebook = notebooks.get(name.casefold())
    if notebook and len(relative.parts) >= 2:
        trainee = ids.get(relative.parts[0].casefold())
        if trainee:
            return trainee, notebook
    for key, notebook in notebooks.items():
        for sep in ("_", "-", " "):
            suffix = sep + key
            if name.casefold().endswith(suffix):
                trainee = ids.get(name[: -len(suffix)].casefold())
                if trainee:
                    return trainee, notebook
    return None


def collect(cohort: Cohort, source: Path | str | None = None) -> CollectSummary:
    """Gather each trainee's latest notebooks into ``DIR/submissions/<trainee_id>/``.

    From the workspaces by default; from ``source`` (a folder of returned files named
    ``<trainee_id>/<notebook>`` or ``<trainee_id>_<notebook>``) when given. When a notebook is
    returned more than once, the most recently modified file wins.
    """
    summary = CollectSummary()
    trainees = [t.trainee_id for t in cohort.roster()]
    found: dict[tuple[str, str], Path] = {}
    if source is None:
        for trainee in trainees:
            for notebook in cohort.notebooks:
                path = cohort.workspace(trainee) / notebook
                if path.is_file():
                    found[(trainee, notebook)] = path
    else:
        base = Path(source).expanduser().resolve()
        if not base.is_dir():
            raise CohortError(f"There is no folder {base} to collect from.")
        ids = {t.casefold(): t for t in trainees}
        notebooks = {n.casefold(): n for n in cohort.notebooks}
        for path in sorted(base.rglob("*.ipynb")):
            if ".ipynb_checkpoints" in path.parts or not path.is_file():
                continue
            match = _match_returned(path, base, ids, notebooks)
            if match is None:
                summary.unknown.append(str(path.relative_to(base)))
                continue
            current = found.get(match)
            if current is None or path.stat().st_mtime > current.stat().st_mtime:
                found[match] = path
    manifest_path = cohort.submissions_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    for trainee in trainees:
        for notebook in cohort.notebooks:
            path = found.get((trainee, notebook))
            if path is None:
                summary.missing.append((trainee, notebook))
                continue
            assert is_safe_id(trainee)
            target = cohort.submissions_dir / trainee / notebook
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            manifest[f"{trainee}/{notebook}"] = {
                "source": str(path), "sha256": sha256(target),
                "collected": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()}
            summary.collected.append((trainee, notebook, str(path)))
    manifest_path.parent.mkdir(parents=True, exist_ok=True)
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    return summary


def sync_logs(cohort: Cohort, group: str | None = None) -> int:
    """Copy each trainee's attempts log into ``DIR/logs/<trainee>/`` (run as root on a hub).

    Trainees' homes are private; this copy is what a trainer's dashboard reads. With ``group``
    the copies belong to that group (e.g. ``jupyterhub-admins`` on TLJH) and are group-readable.
    Returns the number of logs copied.
    """
    import grp

    try:
        gid = grp.getgrnam(group).gr_gid if group else None
    except KeyError:
        raise CohortError(f"There is no group {group!r} on this machine.") from None
    count = 0
    logs = cohort.root / "logs"
    logs.mkdir(exist_ok=True)
    if gid is not None:
        os.chown(logs, -1, gid)
        os.chmod(logs, 0o750)
    for trainee in cohort.roster():
        source = cohort.workspace(trainee.trainee_id) / "attempts.jsonl"
        if not source.is_file():
            continue
        folder = cohort.root / "logs" / trainee.trainee_id
        folder.mkdir(parents=True, exist_ok=True)
        temp = folder / ".attempts.jsonl.tmp"
        shutil.copyfile(source, temp)
        os.replace(temp, folder / "attempts.jsonl")
        if gid is not None:
            for path, mode in ((folder, 0o750), (folder / "attempts.jsonl", 0o640)):
                os.chown(path, -1, gid)
                os.chmod(path, mode)
        count += 1
    return count
