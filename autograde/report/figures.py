"""The report's charts: drawn with matplotlib, embedded in the page as SVG data (sharp at any zoom or on a
projector, the letters drawn as outlines so they look the same everywhere; and half the time of a PNG to make),
each with alt text that says what it shows and its numbers.

Colours come from the Okabe-Ito palette, which readers with any common colour-vision deficiency can tell apart,
and never carry meaning alone: every bar is labelled with what it counts and its number, the bars of failures
no catalogue entry explains and of blanks are hatched, and the heat map (cividis, readable in grey and by
colour-blind readers) prints every cell's value.

    exercise_chart(exercise)   Figure: the students with full marks, each named cause, unnamed failures, blanks
    exercise_charts(exercises, workers)   [Figure] of many exercises, drawn in parallel where the machine has cores
    heat_map(lessons)          Figure: the class's mean score on every exercise, lesson by lesson
    Figure                     src (a data: URL of an SVG image), alt (the text a screen reader says), width, height
    COLOURS                    the colour of each kind of bar
    MAX_BARS                   the named causes a chart draws at most (the page's table lists them all)
"""

import base64
import io
from dataclasses import dataclass

from matplotlib import rc_context
from matplotlib.figure import Figure as _MplFigure
from matplotlib.ticker import MaxNLocator

__all__ = ["exercise_chart", "exercise_charts", "heat_map", "Figure", "COLOURS", "MAX_BARS"]

# Okabe & Ito (2008), "Color Universal Design"
COLOURS = {"full": "#009E73", "catalogue": "#0072B2", "course": "#E69F00", "unnamed": "#D55E00", "blank": "#999999"}
HATCHES = {"unnamed": "xx", "blank": "//"}
MAX_BARS = 10   # named causes drawn in a chart (the table lists them all)
DPI = 96


@dataclass
class Figure:
    src: str
    alt: str
    width: int
    height: int


def _margins(fig, left, right, bottom, top):
    """Margins in inches (fixed: matplotlib's tight_layout costs a draw of its own per figure)."""
    width, height = fig.get_size_inches()
    fig.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height)


def _image(fig):
    """The figure as a data: URL of an SVG image, and its size in CSS pixels."""
    buffer = io.BytesIO()
    with rc_context({"svg.fonttype": "path", "svg.hashsalt": "backprop-report"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    width, height = (int(round(v * DPI)) for v in fig.get_size_inches())
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii"), width, height


def _luminance(rgb):
    def linear(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in rgb[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _readable_on(rgb):
    """Black or white, whichever contrasts more with the colour (WCAG's contrast ratio)."""
    background = _luminance(rgb)
    return "#000000" if (background + 0.05) / 0.05 >= 1.05 / (background + 0.05) else "#ffffff"


def _students(n):
    return f"{n} student{'s' * (n != 1)}"


def exercise_chart(exercise):
    """A horizontal bar chart of one exercise: how many students got full marks, hit each named cause (most
    first; at most MAX_BARS), failed in a way no catalogue entry explains, or left it blank."""
    bars = [("full marks", len(exercise.full_marks), "full")]
    shown = exercise.causes[:MAX_BARS]
    bars += [(c.id, len(c.students), c.kind) for c in shown]
    hidden = exercise.causes[MAX_BARS:]
    if hidden:
        bars.append((f"{len(hidden)} other named causes", len({s for c in hidden for s in c.students}), "catalogue"))
    bars += [("unnamed failure", len(exercise.unnamed_students), "unnamed"), ("blank", len(exercise.blank), "blank")]
    n = len(exercise.submitted)
    fig = _MplFigure(figsize=(7.2, 0.8 + 0.3 * len(bars)))
    _margins(fig, left=0.25 + 0.068 * max(len(label) for label, _, _ in bars), right=0.3, bottom=0.5, top=0.15)
    ax = fig.add_subplot()
    y = list(range(len(bars)))[::-1]
    counts = [count for _, count, _ in bars]
    # one call for the bars, and the labels as plain text (tick objects cost several times more to draw)
    ax.barh(y, counts, color=[COLOURS[kind] for _, _, kind in bars], hatch=[HATCHES.get(kind) for _, _, kind in bars],
            edgecolor="#222222", linewidth=0.6, height=0.7)
    ax.set_yticks([])
    ax.set_ylim(-0.6, len(bars) - 0.4)
    ax.set_xlim(0, max(n, 1) * 1.08)
    labels = ax.get_yaxis_transform()
    for yi, (label, count, _) in zip(y, bars):
        ax.text(-0.012, yi, label, transform=labels, ha="right", va="center", fontsize=9)
        ax.text(count + max(n, 1) * 0.01, yi, f"{count}", va="center", fontsize=9)
    ax.set_xlabel(f"students (of {n} who handed in lesson {exercise.lesson[:2]})", fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="x", labelsize=8)
    ax.xaxis.set_major_locator(MaxNLocator(6, integer=True))
    src, width, height = _image(fig)
    parts = [f"{_students(count)} got full marks" if kind == "full" else f"{label}: {_students(count)}"
             for label, count, kind in bars]
    alt = (f"Bar chart of exercise {exercise.exercise} of lesson {exercise.lesson}, over the {_students(n)} who "
           f"handed the lesson in: " + "; ".join(parts) + ".")
    return Figure(src, alt, width, height)


def exercise_charts(exercises, workers=None):
    """exercise_chart of every exercise, in order: in `workers` processes forked from this one (default: one per
    core this process may use, at most 4), or here when there is one core, few charts, or no fork."""
    import multiprocessing
    import os

    exercises = list(exercises)
    if workers is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        workers = min(cores, 4, len(exercises) // 4)
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [exercise_chart(e) for e in exercises]
    with multiprocessing.get_context("fork").Pool(workers) as pool:  # (the workers inherit matplotlib, imported)
        return pool.map(exercise_chart, exercises, chunksize=max(1, len(exercises) // (4 * workers)))


def heat_map(lessons):
    """A lesson-by-exercise grid of the class's mean score on each exercise (a share of its points), every
    cell labelled with its value and exercise; lessons with fewer exercises leave their last cells empty."""
    import numpy as np

    rows = [lesson for lesson in lessons if lesson.exercises]
    columns = max((len(lesson.exercises) for lesson in rows), default=1)
    values = np.full((max(len(rows), 1), columns), np.nan)
    for i, lesson in enumerate(rows):
        for j, exercise in enumerate(lesson.exercises):
            values[i, j] = exercise.mean_share
    fig = _MplFigure(figsize=(1.6 * columns + 1.1 + 0.07 * max((len(r.lesson) for r in rows), default=4),
                             max(0.5 * len(rows) + 0.8, 2.6)))
    _margins(fig, left=0.3 + 0.07 * max((len(lesson.lesson) for lesson in rows), default=4), right=1.0,
             bottom=0.45, top=0.15)
    ax = fig.add_subplot()
    image = ax.imshow(np.ma.masked_invalid(values), cmap="cividis", vmin=0, vmax=1, aspect="auto")
    ax.set_facecolor("#ffffff")
    for i, lesson in enumerate(rows):
        for j, exercise in enumerate(lesson.exercises):
            v = values[i, j]
            ax.text(j, i, f"{exercise.exercise[:24]}\n{100 * v:.0f}%", ha="center", va="center", fontsize=8.5,
                    color=_readable_on(image.cmap(v)))
    ax.set_yticks(range(len(rows)), [lesson.lesson for lesson in rows], fontsize=9)
    ax.set_xticks(range(columns), [f"exercise {j + 1}" for j in range(columns)], fontsize=9)
    ax.tick_params(length=0)
    colourbar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.015)
    colourbar.set_label("mean score", fontsize=8)
    colourbar.ax.tick_params(labelsize=7)
    src, width, height = _image(fig)
    described = "; ".join(
        f"lesson {lesson.lesson}: " + ", ".join(f"{e.exercise} {100 * e.mean_share:.0f}%" for e in lesson.exercises)
        for lesson in rows)
    alt = ("Heat map of the class's mean score on each exercise, as a share of its points, one row per lesson, "
           f"darker for lower scores: {described or 'no graded exercise'}.")
    return Figure(src, alt, width, height)
