"""The ``ssup`` command: the trainer kit.

::

    ssup cohort new DIR --roster roster.csv [--levels 1,2] [--hub] [--data-dir D] [--assessed]
    ssup cohort lab DIR --trainee ID [--port 8801]      # JupyterLab in a trainee's workspace
    ssup cohort live DIR                                # who is where, who is stuck (text)
    ssup cohort collect DIR [--from FOLDER]
    ssup cohort grade DIR [--workers N] [--timeout S] [--db-url URL]
    ssup cohort export DIR --csv results.csv
    ssup cohort report DIR [--out report.html]
    ssup cohort sync-logs DIR [--group jupyterhub-admins]   # hub: copy logs for the dashboard
    ssup portfolio DIR --trainee ID [--out FILE]

Every command explains problems in one plain sentence and exits with status 2 (a problem the
trainer can fix) instead of showing a traceback.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ssup.cohort.folder import CohortError, Unit


def _units(values: list[str] | None) -> list[Unit] | None:
    if not values:
        return None
    units = []
    for value in values:
        notebook, sep, module = value.partition("=")
        if not sep or not notebook or not module:
            raise CohortError(f"--unit {value!r} should look like NOTEBOOK.ipynb=package.module")
        units.append(Unit(notebook.strip(), module.strip()))
    return units


def _levels(value: str | None) -> list[int] | None:
    if not value:
        return None
    try:
        return [int(part) for part in value.replace(" ", "").split(",") if part]
    except ValueError:
        raise CohortError(f"--levels {value!r} should be level numbers separated by commas, like 1,2,3") from None


def cmd_new(args: argparse.Namespace) -> int:
    from ssup.cohort.folder import new_cohort

    cohort = new_cohort(args.dir, args.roster, hub=args.hub, units=_units(args.unit), exercises_dir=args.exercises,
                        python_path=args.python_path or (), data_dir=args.data_dir, assessed=args.assessed,
                        db_url=args.db_url, workspace=args.workspace, name=args.name, levels=_levels(args.levels))
    trainees = cohort.roster()
    print(f"Created cohort {cohort.name} in {cohort.root}: {len(trainees)} trainees, "
          f"{len(cohort.notebooks)} notebook(s): {', '.join(cohort.notebooks)}")
    if args.hub:
        print(f"Hub files: {cohort.root / 'hub'} (read its README.md).")
    else:
        print(f"Workspaces: {cohort.root / 'workspaces'}/<trainee_id>. Start a trainee's JupyterLab with:")
        print(f"  ssup cohort lab {cohort.root} --trainee {trainees[0].trainee_id}")
    return 0


def cmd_collect(args: argparse.Namespace) -> int:
    from ssup.cohort.folder import Cohort, collect

    summary = collect(Cohort.open(args.dir), getattr(args, "from"))
    for line in summary.lines():
        print(line)
    return 0


def cmd_grade(args: argparse.Namespace) -> int:
    from ssup.cohort.folder import Cohort
    from ssup.cohort.grader import Options
    from ssup.cohort.results import grade_cohort

    cohort = Cohort.open(args.dir)
    options = Options(workers=args.workers, cell_timeout=args.timeout, notebook_timeout=args.notebook_timeout,
                      max_output_bytes=args.max_output, memory_mb=args.memory_mb, kernel_mode=args.kernel_mode,
                      sandbox=args.sandbox)
    outcomes = grade_cohort(cohort, options, db_url=args.db_url, trainees=args.trainee or None,
                            progress=not args.quiet)
    statuses: dict[str, int] = {}
    for outcome in outcomes:
        statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
    print(f"graded {len(outcomes)} notebooks: " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())))
    for outcome in sorted(outcomes, key=lambda o: (o.trainee, o.notebook)):
        if outcome.status not in ("graded", "missing"):
            print(f"  {outcome.trainee}/{outcome.notebook}: {outcome.problem_text}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from ssup.cohort.folder import Cohort
    from ssup.cohort.results import export_csv

    rows = export_csv(Cohort.open(args.dir), args.csv, db_url=args.db_url)
    print(f"wrote {rows} rows to {args.csv}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from ssup.cohort.folder import Cohort
    from ssup.cohort.report import write_report

    path = write_report(Cohort.open(args.dir), args.out, db_url=args.db_url)
    print(f"wrote {path}")
    return 0


def cmd_live(args: argparse.Namespace) -> int:
    from ssup.cohort.live import snapshot, text

    print(text(snapshot(args.dir, stuck_minutes=args.stuck_minutes)))
    return 0


def cmd_lab(args: argparse.Namespace) -> int:
    from ssup.cohort.folder import Cohort, hand_out

    cohort = Cohort.open(args.dir)
    ids = [t.trainee_id for t in cohort.roster()]
    if args.trainee not in ids:
        raise CohortError(f"There is no trainee {args.trainee!r} in the roster ({', '.join(ids[:8])}...).")
    workspace = cohort.workspace(args.trainee)
    hand_out(cohort, args.trainee)
    env = cohort.environment(args.trainee)
    beside = Path(sys.executable).with_name("jupyter")  # the JupyterLab of this environment first
    command = [str(beside) if beside.exists() else (shutil.which("jupyter") or "jupyter"), "lab",
               f"--notebook-dir={workspace}", f"--port={args.port}", f"--ServerApp.ip={args.ip}", "--no-browser"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # classroom containers often run as root
    print("Environment: " + " ".join(f"{k}={v}" for k, v in env.items()))
    print("Command: " + " ".join(command))
    if args.dry_run:
        return 0
    return subprocess.call(command, env=dict(os.environ, **env), cwd=workspace)


def cmd_sync_logs(args: argparse.Namespace) -> int:
    from ssup.cohort.folder import Cohort, sync_logs

    count = sync_logs(Cohort.open(args.dir), group=args.group)
    if not args.quiet:
        print(f"copied {count} attempts logs")
    return 0


def cmd_portfolio(args: argparse.Namespace) -> int:
    from ssup.cohort.folder import Cohort
    from ssup.cohort.portfolio import write_portfolio

    paths = write_portfolio(Cohort.open(args.dir), args.trainee, args.out, db_url=args.db_url)
    print("wrote " + " and ".join(str(p) for p in paths))
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="ssup", description="SSUP trainer kit: run a cohort from hand-out to portfolio.")
    top = main.add_subparsers(dest="command", required=True)
    cohort = top.add_parser("cohort", help="create, collect, grade, export and report on a cohort")
    sub = cohort.add_subparsers(dest="action", required=True)

    new = sub.add_parser("new", help="create a cohort folder from a roster")
    new.add_argument("dir", type=Path)
    new.add_argument("--roster", type=Path, required=True, help="CSV with columns trainee_id,name,email")
    new.add_argument("--levels", help="hand out only these levels, e.g. 1,2 (default: every level with exercises)")
    new.add_argument("--hub", action="store_true", help="for JupyterHub: write hub files instead of workspaces")
    new.add_argument("--data-dir", help="the cohort's own dataset (python -m ssup.data generate --seed N --out DIR)")
    new.add_argument("--assessed", action="store_true", help="hide model solutions from trainees")
    new.add_argument("--db-url", help="gradebook SQLAlchemy URL (default: DIR/gradebook.sqlite)")
    new.add_argument("--name", help="cohort name (default: the folder name)")
    new.add_argument("--workspace", help="where each trainee's workspace is, with {trainee} "
                                         "(default: workspaces/{trainee}; with --hub /home/jupyter-{trainee}/ssup)")
    new.add_argument("--exercises", type=Path, help="folder of exercise notebooks (default: the repository's exercises/)")
    new.add_argument("--unit", action="append", metavar="NOTEBOOK=MODULE",
                     help="an exercise notebook and its question module (default: every unit of curriculum.yml)")
    new.add_argument("--python-path", action="append", help="extra folder to import question modules from")
    new.set_defaults(func=cmd_new)

    lab = sub.add_parser("lab", help="start JupyterLab in a trainee's workspace with their environment")
    lab.add_argument("dir", type=Path)
    lab.add_argument("--trainee", required=True)
    lab.add_argument("--port", type=int, default=8888)
    lab.add_argument("--ip", default="127.0.0.1", help="0.0.0.0 to let the trainee connect from their own machine")
    lab.add_argument("--dry-run", action="store_true", help="print the environment and command only")
    lab.set_defaults(func=cmd_lab)

    live = sub.add_parser("live", help="print who is on which question and who is stuck, from the attempts logs")
    live.add_argument("dir", type=Path)
    live.add_argument("--stuck-minutes", type=float, default=10.0)
    live.set_defaults(func=cmd_live)

    collect = sub.add_parser("collect", help="gather each trainee's latest notebooks into DIR/submissions/")
    collect.add_argument("dir", type=Path)
    collect.add_argument("--from", type=Path, default=None,
                         help="folder of returned files named <trainee_id>/<notebook> or <trainee_id>_<notebook>")
    collect.set_defaults(func=cmd_collect)

    grade = sub.add_parser("grade", help="grade every collected notebook in parallel")
    grade.add_argument("dir", type=Path)
    grade.add_argument("--workers", type=int, default=0, help="notebooks at once (default: one per core)")
    grade.add_argument("--timeout", type=float, default=30.0, help="seconds per cell (default 30)")
    grade.add_argument("--notebook-timeout", type=float, default=900.0, help="seconds per notebook (default 900)")
    grade.add_argument("--max-output", type=int, default=2_000_000, help="characters of output per cell (default 2,000,000)")
    grade.add_argument("--memory-mb", type=int, default=1536, help="memory cap per kernel in MB (default 1536)")
    grade.add_argument("--sandbox", choices=("auto", "required", "off"), default="auto",
                       help="confine each kernel to its own folder with Landlock: auto (when the machine has it, "
                            "default), required (refuse to grade without it) or off")
    grade.add_argument("--kernel-mode", choices=("fork", "spawn"),
                       default="fork" if sys.platform.startswith("linux") else "spawn",
                       help="fork kernels from one warm process (Linux, default) or spawn each one")
    grade.add_argument("--trainee", action="append", help="grade only this trainee (repeatable)")
    grade.add_argument("--db-url", help="gradebook SQLAlchemy URL")
    grade.add_argument("--quiet", action="store_true", help="no progress bar")
    grade.set_defaults(func=cmd_grade)

    export = sub.add_parser("export", help="write the results CSV (one row per trainee x question)")
    export.add_argument("dir", type=Path)
    export.add_argument("--csv", type=Path, required=True)
    export.add_argument("--db-url")
    export.set_defaults(func=cmd_export)

    report = sub.add_parser("report", help="write the HTML report (heatmap, mastery, wrong answers, who needs help)")
    report.add_argument("dir", type=Path)
    report.add_argument("--out", type=Path, help="default: DIR/report.html")
    report.add_argument("--db-url")
    report.set_defaults(func=cmd_report)

    sync = sub.add_parser("sync-logs", help="hub: copy trainees' attempts logs into DIR/logs/ (run as root)")
    sync.add_argument("dir", type=Path)
    sync.add_argument("--group", help="make the copies readable by this group (e.g. jupyterhub-admins)")
    sync.add_argument("--quiet", action="store_true")
    sync.set_defaults(func=cmd_sync_logs)

    portfolio = top.add_parser("portfolio", help="write a trainee's SFIA evidence summary")
    portfolio.add_argument("dir", type=Path)
    portfolio.add_argument("--trainee", required=True)
    portfolio.add_argument("--out", type=Path, help="file name without extension (default: DIR/portfolios/<ID>)")
    portfolio.add_argument("--db-url")
    portfolio.set_defaults(func=cmd_portfolio)
    return main


def main(argv: list[str] | None = None) -> int:
    from ssup.cohort.grader import GradingError
    from ssup.cohort.roster import RosterError

    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

    args = parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (CohortError, RosterError, GradingError) as error:
        print(f"ssup: {error}", file=sys.stderr)
        return 2
    except (ArgumentError, NoSuchModuleError) as error:
        print(f"ssup: the gradebook URL is not valid ({error}); use e.g. sqlite:///gradebook.sqlite or "
              "postgresql://user@host/dbname", file=sys.stderr)
        return 2
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        print(f"ssup: the gradebook database cannot be reached: {reason}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("ssup: stopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
