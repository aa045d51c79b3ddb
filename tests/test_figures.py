"""Tests for ssup.figures: notebook figures saved at their own size, drawn once, nothing cut off."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # headless: no window, no plt.show()

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from ssup import figures  # noqa: E402
from ssup.figures import BACKEND, FigureCanvas, touches_edge, widen_margins  # noqa: E402

DPI = 50


@pytest.fixture(autouse=True)
def default_style():
    """Matplotlib's own defaults, whatever other tests set before, and no figure left open after."""
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        yield
    plt.close("all")


def render(fig) -> np.ndarray:
    """Save ``fig`` as the notebooks' inline backend does after ssup.notebook.setup(), and read the PNG."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", backend=BACKEND, bbox_inches=None)
    return np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGBA"))


def count_draws(fig, monkeypatch) -> list[int]:
    draws: list[int] = []
    original = FigureCanvas.draw

    def counted(self):
        draws.append(1)
        return original(self)

    monkeypatch.setattr(FigureCanvas, "draw", counted)
    return draws


def white() -> tuple[float, float, float, float]:
    return (1.0, 1.0, 1.0, 1.0)


def test_a_figure_that_fits_is_drawn_once_at_its_own_size(monkeypatch):
    fig, ax = plt.subplots(figsize=(6, 3), dpi=DPI)
    ax.plot([0, 1], [0, 1])
    ax.set_title("Tickets")
    draws = count_draws(fig, monkeypatch)
    image = render(fig)
    assert image.shape[:2] == (3 * DPI, 6 * DPI)
    assert len(draws) == 1
    assert not touches_edge(image, white())


def test_long_labels_that_would_be_cut_off_widen_the_margins_and_stay_inside(monkeypatch):
    fig, ax = plt.subplots(figsize=(4, 2), dpi=DPI)
    ax.set_yticks([0, 1], ["a very long category name indeed", "another long category name"])
    ax.set_xlabel("Working days")
    before = fig.subplotpars.left
    draws = count_draws(fig, monkeypatch)
    image = render(fig)
    assert image.shape[:2] == (2 * DPI, 4 * DPI)  # the saved image keeps the figure's size
    assert len(draws) >= 2  # drawn again after the margins moved
    assert ax.get_subplotspec().get_gridspec().get_subplot_params(fig).left > before
    assert not touches_edge(image, white())


def test_a_legend_outside_the_axes_is_brought_inside():
    fig, ax = plt.subplots(figsize=(5, 3), dpi=DPI)
    ax.plot([0, 1], [1, 0], label="days needed by the due dates")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    assert not touches_edge(render(fig), white())


def test_figures_with_a_layout_engine_are_left_to_it():
    fig, ax = plt.subplots(figsize=(4, 2), dpi=DPI, layout="constrained")
    ax.set_yticks([0, 1], ["a very long category name", "another"])
    fig.canvas.draw()
    assert widen_margins(fig, fig.canvas.get_renderer()) is False


def test_content_too_wide_for_the_figure_is_drawn_as_it_is():
    fig, ax = plt.subplots(figsize=(1, 1), dpi=DPI)
    ax.set_yticks([0], ["x" * 200])
    fig.canvas.draw()
    left = fig.subplotpars.left
    assert widen_margins(fig, fig.canvas.get_renderer()) is False
    assert fig.subplotpars.left == left
    render(fig)  # and saving it still works


def test_touches_edge_sees_any_colour_on_each_border():
    for row, column in ((0, 3), (-1, 3), (2, 0), (2, -1)):
        image = np.full((5, 7, 4), 255, dtype=np.uint8)
        assert not touches_edge(image, white())
        image[row, column] = (30, 60, 90, 255)
        assert touches_edge(image, white()), (row, column)
    dark = np.zeros((5, 7, 4), dtype=np.uint8)
    dark[..., 3] = 255
    assert not touches_edge(dark, (0.0, 0.0, 0.0, 1.0))


def test_margins_fit_a_standard_course_figure():
    m = figures.MARGINS
    assert 0 < m["left"] < m["right"] < 1 and 0 < m["bottom"] < m["top"] < 1


@pytest.mark.parametrize("fmt,magic", [("svg", b"<svg"), ("pdf", b"%PDF"), ("eps", b"%!PS"), ("jpeg", b"\xff\xd8")])
def test_other_formats_a_notebook_may_ask_for_are_saved_as_matplotlib_saves_them(fmt, magic):
    fig, ax = plt.subplots(figsize=(4, 2), dpi=DPI)
    ax.plot([0, 1], [0, 1])
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, backend=BACKEND, bbox_inches=None, facecolor="white")
    assert magic in buffer.getvalue()[:400]
    assert isinstance(fig.canvas, type(plt.figure().canvas))  # the figure keeps its own canvas afterwards
