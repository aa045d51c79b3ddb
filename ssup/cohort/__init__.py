"""The trainer kit: run a cohort from one laptop or a JupyterHub.

A cohort is one folder (``ssup cohort new DIR --roster roster.csv``)::

    DIR/cohort.json          what the cohort is: units (exercise notebook + question module),
                             dataset, where each trainee's workspace is
    DIR/roster.csv           trainee_id,name,email (validated)
    DIR/release/             the exercise notebooks as handed out (the grader restores
                             "given" cells from here)
    DIR/workspaces/<id>/     one per trainee on a laptop: their notebooks and their SSUP_HOME
                             (database, attempts log read by the live dashboard)
    DIR/hub/                 with --hub: what a JupyterHub needs (start-up hook, instructions)
    DIR/submissions/<id>/    collected notebooks (``ssup cohort collect``)
    DIR/graded/<id>/         the notebooks as the grader ran them, outputs capped
    DIR/gradebook.sqlite     results (``ssup cohort grade``; any SQLAlchemy URL with --db-url)
    DIR/report.html          ``ssup cohort report``
    DIR/portfolios/<id>.md   ``ssup portfolio DIR --trainee ID`` (and .html)

Modules: :mod:`~ssup.cohort.roster` (roster validation), :mod:`~ssup.cohort.folder` (creating,
opening and collecting a cohort), :mod:`~ssup.cohort.notebooks` (restoring given cells,
tamper detection), :mod:`~ssup.cohort.grader` (parallel grading in pre-started kernels),
:mod:`~ssup.cohort.gradebook` (SQLAlchemy results store), :mod:`~ssup.cohort.results`
(the trainee x question table and CSV export), :mod:`~ssup.cohort.report`,
:mod:`~ssup.cohort.portfolio`, :mod:`~ssup.cohort.live` (the live dashboard's data),
:mod:`~ssup.cohort.hub` (JupyterHub start-up hook) and :mod:`~ssup.cohort.demo` (a tiny
synthetic course used by tests, the benchmark and the dashboard's demo mode).
"""

#: Question statuses in the gradebook and the CSV export.
STATUSES = ("correct", "incorrect", "unattempted", "not_run")
