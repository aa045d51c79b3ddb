"""The gradebook: graded notebooks and their question results, in any SQLAlchemy database.

SQLite in the cohort folder by default; PostgreSQL (or anything SQLAlchemy speaks) with a URL
such as ``postgresql+psycopg://user@host/dbname`` (``postgresql://`` is taken to mean psycopg 3).

Re-grading a notebook replaces its row and its results in one transaction, so results are never
duplicated and a reader never sees half a notebook.

>>> book = Gradebook("sqlite://")
>>> book.sync_roster([("t01", "Ann", "ann@example.com")])
>>> book.trainee_ids()
['t01']
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Iterable

from sqlalchemy import (DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint, create_engine,
                        delete, event, select)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class TraineeRow(Base):
    __tablename__ = "trainees"
    trainee_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))


class QuestionRow(Base):
    __tablename__ = "questions"
    question_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    notebook: Mapped[str] = mapped_column(String(255))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(255), default="")
    behaviours: Mapped[str] = mapped_column(String(255), default="")  # "1.1;1.3"


class SubmissionRow(Base):
    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("trainee_id", "notebook", name="one_submission_per_notebook"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    trainee_id: Mapped[str] = mapped_column(String(64), ForeignKey("trainees.trainee_id"))
    notebook: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(32))
    problems: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of {kind, detail}
    errors: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of "cell N: Error: ..."
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    duration_s: Mapped[float] = mapped_column(Float, default=0.0)
    graded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    results: Mapped[list["ResultRow"]] = relationship(back_populates="submission", cascade="all, delete-orphan",
                                                      passive_deletes=True)


class ResultRow(Base):
    __tablename__ = "results"
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    behaviours: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(Text, default="")
    submission: Mapped[SubmissionRow] = relationship(back_populates="results")


def normalise_url(url: str) -> str:
    """``postgresql://`` means psycopg 3 here (the driver in the pin list)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()


class Gradebook:
    """Results of a cohort. ``url`` is any SQLAlchemy URL; tables are created when missing."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        self.engine = create_engine(self.url, future=True)
        _sqlite_pragmas(self.engine)
        Base.metadata.create_all(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Gradebook":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- writing ----------------------------------------------------------------------------
    def sync_roster(self, trainees: Iterable[tuple[str, str, str]]) -> None:
        with Session(self.engine) as session, session.begin():
            for trainee_id, name, email in trainees:
                session.merge(TraineeRow(trainee_id=trainee_id, name=name, email=email))

    def sync_questions(self, questions: dict[str, list[Any]]) -> None:
        """``questions``: notebook -> list of objects with question_id/id, title, behaviours."""
        with Session(self.engine) as session, session.begin():
            for notebook, items in questions.items():
                for position, question in enumerate(items):
                    qid = getattr(question, "question_id", None) or question.id
                    session.merge(QuestionRow(question_id=qid, notebook=notebook, position=position,
                                              title=question.title or "", behaviours=";".join(question.behaviours)))

    def save(self, outcome: Any, graded_at: dt.datetime | None = None) -> None:
        """Store a grader :class:`~ssup.cohort.grader.Outcome`, replacing any earlier grading."""
        when = graded_at or dt.datetime.now(dt.timezone.utc)
        with Session(self.engine) as session, session.begin():
            old = session.scalars(select(SubmissionRow.id).where(SubmissionRow.trainee_id == outcome.trainee,
                                                                 SubmissionRow.notebook == outcome.notebook)).all()
            if old:
                session.execute(delete(ResultRow).where(ResultRow.submission_id.in_(old)))
                session.execute(delete(SubmissionRow).where(SubmissionRow.id.in_(old)))
            row = SubmissionRow(
                trainee_id=outcome.trainee, notebook=outcome.notebook, status=outcome.status,
                problems=json.dumps([p.to_json() for p in outcome.problems]), errors=json.dumps(outcome.errors),
                sha256=outcome.sha256, duration_s=float(outcome.duration or 0.0), graded_at=when)
            row.results = [ResultRow(question_id=r["question"], position=position, behaviours=";".join(r["behaviours"]),
                                     status=r["status"], detail=r["detail"])
                           for position, r in enumerate(outcome.results)]
            session.add(row)

    # -- reading ----------------------------------------------------------------------------
    def trainee_ids(self) -> list[str]:
        with Session(self.engine) as session:
            return list(session.scalars(select(TraineeRow.trainee_id).order_by(TraineeRow.trainee_id)))

    def submissions(self) -> list[dict[str, Any]]:
        with Session(self.engine) as session:
            rows = session.scalars(select(SubmissionRow).order_by(SubmissionRow.trainee_id, SubmissionRow.notebook))
            return [{"trainee": r.trainee_id, "notebook": r.notebook, "status": r.status,
                     "problems": json.loads(r.problems or "[]"), "errors": json.loads(r.errors or "[]"),
                     "sha256": r.sha256, "duration_s": r.duration_s, "graded_at": _utc(r.graded_at)} for r in rows]

    def results(self) -> list[dict[str, Any]]:
        """Every stored question result with its notebook's status and problems."""
        with Session(self.engine) as session:
            query = (select(ResultRow, SubmissionRow).join(SubmissionRow)
                     .order_by(SubmissionRow.trainee_id, SubmissionRow.notebook, ResultRow.position))
            out = []
            for result, submission in session.execute(query):
                out.append({"trainee": submission.trainee_id, "notebook": submission.notebook,
                            "question": result.question_id, "behaviours": result.behaviours,
                            "status": result.status, "detail": result.detail,
                            "notebook_status": submission.status,
                            "problems": json.loads(submission.problems or "[]"),
                            "graded_at": _utc(submission.graded_at)})
            return out

    def counts(self) -> dict[str, int]:
        with Session(self.engine) as session:
            return {"submissions": len(session.scalars(select(SubmissionRow.id)).all()),
                    "results": len(session.scalars(select(ResultRow.question_id)).all())}


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)  # SQLite drops the zone; we always store UTC
    return value
