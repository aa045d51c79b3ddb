"""How the notebooks' figures are rendered in Jupyter: at their own size, drawn once.

Jupyter's inline backend normally saves a figure with ``bbox_inches="tight"``: it draws the figure
to measure it, then again to save it, cropped. Matplotlib's constrained layout is no cheaper: it
measures the figure twice before it draws it. A lesson shows a dozen figures, and each draw is most
of the time its cell takes.

:func:`ssup.notebook.setup` therefore gives every figure margins that fit the course's figures
(:data:`MARGINS`) and has the inline backend save PNGs through this module's canvas
(``print_figure_kwargs = {"bbox_inches": None, "backend": BACKEND}``). The canvas draws the figure
once and looks at the outermost pixels of the image: anything drawn there (a legend placed outside
the axes, long category labels, two-line date labels) has been cut off by the edge. Only then it
measures how far the content reaches, widens the margins by exactly that plus :data:`PAD_INCHES`,
and draws again. So titles, labels and legends stay inside the figure, and the saved image has the
figure's own size.

What this does not do is move artists relative to each other: a figure with several panels, or a
``suptitle`` above axes titles, should be created with a layout engine
(``plt.subplots(..., layout="constrained")``); such a figure is laid out by its engine and drawn as
usual.

>>> import matplotlib.pyplot as plt
>>> fig, ax = plt.subplots(figsize=(4, 2), dpi=50)
>>> _ = ax.set_yticks([0, 1], ["a very long category name", "another long name"])
>>> widen_margins(fig, fig.canvas.get_renderer())
True
>>> box = fig.get_tightbbox(fig.canvas.get_renderer())
>>> bool(box.x0 >= 0 and box.x1 <= 4)
True
>>> plt.close(fig)
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

import matplotlib as mpl
import numpy as np
from matplotlib.backend_bases import get_registered_canvas_class
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

__all__ = ["BACKEND", "MARGINS", "PAD_INCHES", "VECTOR_FORMATS", "FigureCanvas", "touches_edge", "widen_margins"]

#: The name to pass as ``backend=`` to ``savefig`` (and the inline backend's print_figure_kwargs).
BACKEND = "module://ssup.figures"
#: Subplot margins (figure fractions) that fit a standard course figure (8 x 4 inches: tick labels,
#: axis labels and a title); rcParams ``figure.subplot.*``.
MARGINS = {"left": 0.105, "right": 0.97, "bottom": 0.13, "top": 0.93}
#: Space left between the content and the edge of the figure when margins are widened to fit.
PAD_INCHES = 0.08
#: Vector formats a notebook may ask the inline backend for (``InlineBackend.figure_formats``): saved by
#: matplotlib's own canvas for each, unchanged (at the course margins, without fitting them).
VECTOR_FORMATS = ("svg", "svgz", "pdf", "eps", "ps")
#: How often the margins are widened before the figure is drawn as it is (tick labels can change
#: when the axes shrink, so one widening is occasionally not quite enough).
ATTEMPTS = 3


def widen_margins(figure: Figure, renderer: Any) -> bool:
    """Widen the subplot margins of ``figure`` by whatever sticks out of it; True if they changed.

    ``renderer`` is the one the figure was last drawn with (the measurement reuses its text metrics).
    Margins that already leave room are kept. Returns False, changing nothing, when everything fits, the
    content cannot fit at this size, or the figure has no subplot grid to move (axes placed by hand, or a
    layout engine in charge).
    """
    if figure.get_layout_engine() is not None:
        return False
    grids = {}
    for ax in figure.axes:
        spec = ax.get_subplotspec()
        if spec is not None:
            grid = spec.get_topmost_subplotspec().get_gridspec()
            grids[id(grid)] = grid
    if not grids:
        return False
    box = figure.get_tightbbox(renderer)
    if box is None:
        return False
    width, height = figure.get_size_inches()
    over = {"left": -box.x0, "bottom": -box.y0, "right": box.x1 - width, "top": box.y1 - height}
    if all(value <= 0 for value in over.values()):
        return False
    grow = {side: value + PAD_INCHES if value > 0 else 0.0 for side, value in over.items()}
    changes = []
    for grid in grids.values():
        params = grid.get_subplot_params(figure)
        margins = {"left": params.left + grow["left"] / width, "right": params.right - grow["right"] / width,
                   "bottom": params.bottom + grow["bottom"] / height, "top": params.top - grow["top"] / height}
        if margins["left"] >= margins["right"] - 0.05 or margins["bottom"] >= margins["top"] - 0.05:
            return False  # the content cannot fit at this size: leave the figure as it is
        changes.append((grid, margins))
    for grid, margins in changes:
        grid.update(**margins)
    return True


def touches_edge(image: np.ndarray, background: tuple[float, float, float, float]) -> bool:
    """True when anything other than ``background`` (RGBA, 0-1) was drawn on the outermost pixels of
    ``image`` (height x width x 4, 0-255): something reaches beyond the edge of the figure.

    >>> blank = np.full((4, 6, 4), 255, dtype=np.uint8)
    >>> touches_edge(blank, (1, 1, 1, 1))
    False
    >>> blank[2, 5] = (0, 0, 0, 255)
    >>> touches_edge(blank, (1, 1, 1, 1))
    True
    """
    colour = np.round(np.asarray(background) * 255).astype(image.dtype)
    edges = (image[0], image[-1], image[:, 0], image[:, -1])
    return any(bool((edge != colour).any()) for edge in edges)


class FigureCanvas(FigureCanvasAgg):
    """An Agg canvas whose PNG output is drawn once, and again only when something was cut off by the
    edge and the margins had to widen."""

    def print_png(self, filename_or_obj: Any, *, metadata: dict[str, str] | None = None,
                  pil_kwargs: dict[str, Any] | None = None, **_print_figure_kwargs: Any) -> None:
        """Write the figure as PNG. ``savefig`` has already applied the face and edge colour, dpi and
        bounding box it was given (passed here too, and ignored, as to any third-party canvas)."""
        self.draw()
        background = to_rgba(self.figure.get_facecolor())
        for _ in range(ATTEMPTS):
            if not touches_edge(np.asarray(self.buffer_rgba()), background):
                break
            if not widen_margins(self.figure, self.get_renderer()):
                break
            self.draw()
        mpl.image.imsave(filename_or_obj, self.buffer_rgba(), format="png", origin="upper", dpi=self.figure.dpi,
                         metadata=metadata, pil_kwargs=pil_kwargs)


def _print_with_default_canvas(fmt: str) -> Callable[..., Any]:
    """A ``print_<fmt>`` method that saves through matplotlib's own canvas for ``fmt``, passing on the
    options it accepts (savefig restores the figure's canvas afterwards)."""

    def print_method(self: FigureCanvas, filename_or_obj: Any, **kwargs: Any) -> Any:
        method = getattr(get_registered_canvas_class(fmt)(self.figure), f"print_{fmt}")
        # as savefig does for matplotlib's canvases: the options it passes to every canvas go only where named
        named = set(inspect.signature(method).parameters)
        skip = {"dpi", "facecolor", "edgecolor", "orientation", "bbox_inches_restore"} - named
        return method(filename_or_obj, **{name: value for name, value in kwargs.items() if name not in skip})

    print_method.__name__ = f"print_{fmt}"
    print_method.__doc__ = f"Write the figure as {fmt.upper()}, as matplotlib's own canvas does."
    return print_method


for _format in VECTOR_FORMATS:
    setattr(FigureCanvas, f"print_{_format}", _print_with_default_canvas(_format))
