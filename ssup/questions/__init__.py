"""One module of exercise questions per SSUP level (``level1`` ... ``level6``).

Each module defines its questions as :class:`ssup.exercise.Question` objects named ``q1``,
``q2``, ... and lists them in notebook order in ``QUESTIONS``. Exercise notebooks import a
module as ``ex`` and call ``ex.q1.check()``.
"""
