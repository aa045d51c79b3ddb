"""Notebook conveniences shared by every lesson and exercise: one setup call and the course map.

Every notebook starts with one labelled setup cell::

    from ssup.notebook import setup
    setup()

which fixes the random seed, the plotting defaults (fixed figure size, so stored outputs stay
comparable) and pandas display options. In Jupyter, figures are rendered at their own size and
drawn once, with margins widened only when something would stick out (see :mod:`ssup.figures`),
instead of the inline backend's ``bbox_inches='tight'``, which draws every figure twice to crop it.

>>> rng = setup(seed=1)
>>> round(float(rng.random()), 3)
0.512
"""

from __future__ import annotations

import html
import random
import warnings
from typing import Any

import numpy as np

from ssup.figures import BACKEND, MARGINS

SEED = 2026
FIGSIZE = (8.0, 4.0)


def setup(seed: int = SEED) -> np.random.Generator:
    """Seed randomness, set plotting and table defaults; return a seeded numpy Generator."""
    random.seed(seed)
    np.random.seed(seed)
    import matplotlib as mpl
    import pandas as pd

    mpl.rcParams.update({
        "figure.figsize": FIGSIZE,
        "figure.dpi": 80,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.titleweight": "bold",
        "svg.hashsalt": "ssup",
        **{f"figure.subplot.{side}": value for side, value in MARGINS.items()},
    })
    _render_figures_untrimmed()
    pd.set_option("display.max_rows", 20)
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.width", 120)
    pd.set_option("display.precision", 2)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    return np.random.default_rng(seed)


def _render_figures_untrimmed() -> None:
    """In an IPython kernel, make the inline backend save figures at their own size, drawn once, through
    :class:`ssup.figures.FigureCanvas` (no tight bounding box). Outside IPython (scripts, tests) this
    does nothing."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of the notebooks
        return
    shell = get_ipython()
    if shell is None:
        return
    try:
        from matplotlib_inline.config import InlineBackend
    except ImportError:  # pragma: no cover - the inline backend comes with ipykernel
        return
    config = InlineBackend.instance(parent=shell)
    # Assigning the trait re-registers the figure formatters when the inline backend is already active;
    # otherwise the backend reads it when pyplot activates it.
    config.print_figure_kwargs = {**config.print_figure_kwargs, "bbox_inches": None, "backend": BACKEND}


class _HTML:
    def __init__(self, markup: str, text: str) -> None:
        self.markup, self.text = markup, text

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return self.text


def course_map() -> Any:
    """The curriculum as a table (levels, notebooks, behaviours, minutes), read from curriculum.yml."""
    from ssup.config import behaviours, curriculum

    statements = behaviours()
    rows, lines = [], []
    for unit in curriculum()["units"]:
        minutes = unit["minutes"]["teaching"] + unit["minutes"]["exercises"]
        codes = ", ".join(unit["behaviours"]) or "-"
        exercise = f"exercises/{unit['notebook']}" if unit.get("questions") else "-"
        tips = "; ".join(f"{b} {statements[b]}" for b in unit["behaviours"])
        rows.append(
            f"<tr><td>{unit['level'] or '-'}</td><td><a href='{unit['notebook']}'>{html.escape(unit['title'])}</a></td>"
            f"<td title='{html.escape(tips)}'>{codes}</td><td>{exercise}</td><td>{minutes} min</td></tr>")
        lines.append(f"{unit['level']:>2}  {unit['title']:<70} {codes:<28} {minutes:>4} min")
    markup = ("<table><thead><tr><th>Level</th><th>Lesson</th><th>SSUP behaviours</th><th>Exercise</th>"
              "<th>Time</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
    return _HTML(markup, "\n".join(lines))
