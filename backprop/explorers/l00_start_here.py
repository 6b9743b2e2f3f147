"""Lesson 00, start here: the explorer.

    SlopeExplorer  A curve f, the point (x, f(x)) and its tangent (red), whose slope is the derivative f'(x)
"""

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np

from backprop.explorers.base import Explorer, make_slider, sci_text

__all__ = ["SlopeExplorer"]


class SlopeExplorer(Explorer):
    """A curve f, the point (x, f(x)) and its tangent (red), whose slope is the derivative f'(x).

    The grey dots are f at x - h and x + h; the slope of the line through them is the slope
    measured by nudging, which the readout compares with f'(x).
    """

    CURVES = {
        "x²": (lambda x: x**2, lambda x: 2 * x, (-3.0, 3.0)),
        "sin x": (np.sin, np.cos, (-6.0, 6.0)),
        "(2w − 4)²": (lambda x: (2 * x - 4) ** 2, lambda x: 4 * (2 * x - 4), (-1.0, 4.0)),
    }

    def __init__(self, curve="x²", x=1.0):
        self.curve = widgets.Dropdown(options=list(self.CURVES), value=curve, description="f",
                                      style={"description_width": "3em"}, layout=widgets.Layout(width="260px"))
        self.x = make_slider("x", x, -3.0, 3.0, 0.01)
        self.h = widgets.FloatLogSlider(value=0.1, base=10, min=-4, max=0, step=0.25, description="h",
                                        style={"description_width": "3em"}, layout=widgets.Layout(width="260px"))
        self.curve.observe(lambda _: self._new_curve(), names="value")
        with matplotlib.rc_context({"font.size": 9}):
            fig, self.ax = plt.subplots(figsize=(5.6, 3.0))
        self.line, = self.ax.plot([], [], color="#1f4e9c")
        self.tangent, = self.ax.plot([], [], color="#b3261e", lw=1.5)
        self.chord, = self.ax.plot([], [], "o--", color="#777777", ms=3, lw=1)
        self.point, = self.ax.plot([], [], "o", color="#b3261e", ms=7)
        self.ax.grid(alpha=0.3)
        self.ax.set_xlabel("x")
        self.ax.set_title("slope", color="#b3261e")
        fig.tight_layout()
        super().__init__([self.curve, self.x, self.h], fig)
        self._new_curve()

    def _new_curve(self):
        low, high = self.CURVES[self.curve.value][2]
        self._paused = True
        if low > self.x.max:  # widen first, so min never passes max
            self.x.max = high
        self.x.min, self.x.max = low, high
        self._paused = False
        f = self.CURVES[self.curve.value][0]
        xs = np.linspace(low, high, 300)
        self.line.set_data(xs, f(xs))
        self.ax.set_xlim(low, high)
        span = f(xs).max() - f(xs).min()
        self.ax.set_ylim(f(xs).min() - 0.1 * span, f(xs).max() + 0.1 * span)
        self.redraw()

    def update(self):
        f, df, (low, high) = self.CURVES[self.curve.value]
        x, h = self.x.value, self.h.value
        y, slope = f(x), df(x)
        nudged = (f(x + h) - f(x - h)) / (2 * h)
        half = 0.15 * (high - low)
        self.tangent.set_data([x - half, x + half], [y - half * slope, y + half * slope])
        self.chord.set_data([x - h, x + h], [f(x - h), f(x + h)])
        self.point.set_data([x], [y])
        self.ax.set_title(f"slope f'({x:.2f}) = {slope:.4f}", color="#b3261e")
        self.readout.value = (
            f"$f(x) = {y:.4f}$<br>"
            f"$f'(x) = {slope:.6f}$ (the exact slope)<br>"
            f"$\\dfrac{{f(x + h) - f(x - h)}}{{2h}} = {nudged:.6f}$<br>"
            f"(nudging by $h = {h:.4g}$ is off by ${sci_text(abs(nudged - slope))}$)"
        )
