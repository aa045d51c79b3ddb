"""The gradebook on a real PostgreSQL server.

Uses ``SSUP_TEST_PG_URL`` when set (any SQLAlchemy URL of an empty database the test may fill);
otherwise starts a throw-away server with ``initdb`` and ``pg_ctl`` from Debian's postgresql
package (on a Unix socket in a temporary folder, no TCP port), as the ``postgres`` user when the
tests run as root. Skipped, saying why, when neither is available.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from ssup.cohort import demo
from ssup.cohort.folder import collect, new_cohort
from ssup.cohort.grader import Options
from ssup.cohort.gradebook import Gradebook, normalise_url
from ssup.cohort.results import export_csv, grade_cohort, table


def _pg_binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


@pytest.fixture(scope="module")
def pg_url():
    configured = os.environ.get("SSUP_TEST_PG_URL")
    if configured:
        yield configured
        return
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install -r requirements.txt)")
    initdb, pg_ctl = _pg_binary("initdb"), _pg_binary("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("no PostgreSQL server to test against: install Debian's postgresql package "
                    "(initdb, pg_ctl) or set SSUP_TEST_PG_URL")
    prefix: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="ssup-pg-"))
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        runuser = shutil.which("runuser")
        try:
            import pwd

            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run the test server as")
        if not runuser:
            pytest.skip("running as root and runuser is missing")
        prefix = [runuser, "-u", "postgres", "--"]
        os.chmod(folder, 0o755)
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    data, socket = folder / "data", folder / "socket"
    run = lambda *args: subprocess.run(prefix + list(args), check=True, capture_output=True, text=True)  # noqa: E731
    try:
        run("mkdir", "-p", str(socket))
        run(initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        run(pg_ctl, "-D", str(data), "-l", str(folder / "server.log"), "-w", "-t", "30",
            "-o", f"-k {socket} -c listen_addresses='' -F", "start")
    except subprocess.CalledProcessError as error:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"could not start a test PostgreSQL server: {error.stderr.strip()[:300]}")
    try:
        yield f"postgresql://postgres@/postgres?host={socket}"
    finally:
        subprocess.run(prefix + [pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def test_postgresql_url_means_psycopg3():
    assert normalise_url("postgresql://u:p@db/x").startswith("postgresql+psycopg://u:p@db/x")
    assert normalise_url("sqlite:///g.sqlite") == "sqlite:///g.sqlite"


def test_grading_into_postgresql_replaces_and_exports(pg_url, tmp_path):
    exercises, units, python_path = demo.write_course(tmp_path / "course")
    (tmp_path / "roster.csv").write_text(demo.roster_text(["ann", "bob", "cy"]))  # bob hands nothing in
    cohort = new_cohort(tmp_path / "cohort", tmp_path / "roster.csv", units=units, exercises_dir=exercises,
                        python_path=python_path, db_url=pg_url)
    (cohort.workspace("bob") / demo.NOTEBOOK).unlink()
    for trainee, kind in (("ann", "partly"), ("cy", "corrupt")):
        (cohort.workspace(trainee) / demo.NOTEBOOK).write_text(demo.submission(cohort.release_dir / demo.NOTEBOOK, kind))
    collect(cohort)
    options = dict(workers=2, cell_timeout=5.0, interrupt_grace=2.0)
    grade_cohort(cohort, Options(**options))
    grade_cohort(cohort, Options(**options), trainees=["cy", "bob"])  # re-grading replaces
    with Gradebook(pg_url) as book:
        assert book.engine.dialect.name == "postgresql"
        assert book.counts() == {"submissions": 3, "results": 9}
    frame = table(cohort).set_index(["trainee", "question"])
    assert frame.loc[("ann", "D.q1"), "status"] == "correct"
    assert frame.loc[("ann", "D.q2"), "status"] == "incorrect"
    assert frame.loc[("bob", "D.q2"), "status"] == "unattempted"
    assert frame.loc[("cy", "D.q1"), "status"] == "not_run"
    assert export_csv(cohort, tmp_path / "out.csv") == 9
