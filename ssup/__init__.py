"""ssup: helper package for the SFIA Sales Support (SSUP) training curriculum.

Notebooks import small, tested pieces from here so that each notebook stays short:

- :mod:`ssup.config`    where the data and the trainee's own files live
- :mod:`ssup.data`      the company's data set (generation and loading)
- :mod:`ssup.db`        the trainee's SQLite database and safe data-entry helpers
- :mod:`ssup.exercise`  questions, checks, hints and solutions
- :mod:`ssup.questions` one module of questions per SSUP level
- :mod:`ssup.estimate`, :mod:`ssup.plan`, :mod:`ssup.risk`    Level 4 reference calculations
- :mod:`ssup.metrics`, :mod:`ssup.staffing`, :mod:`ssup.finance`   Level 5-6 reference calculations
"""

__version__ = "0.1.0"
