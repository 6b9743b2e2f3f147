"""Lesson 07, gradient checking: the explorer.

    FiniteDifferenceExplorer  The slope of lesson 01's sigmoid neuron loss L(w) = (sigmoid(w x + b) - y)**2 ...
"""

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np

from backprop.explorers.base import Explorer, make_slider

__all__ = ["FiniteDifferenceExplorer"]


class FiniteDifferenceExplorer(Explorer):
    """The slope of lesson 01's sigmoid neuron loss L(w) = (sigmoid(w x + b) - y)**2, measured by
    nudging w by h: one-sided (L(w + h) - L(w)) / h and centred (L(w + h) - L(w - h)) / 2h.

    Left: L(w) with the exact tangent and the two secant lines the differences measure.
    Right: the relative error of each estimate against h (log-log), over the bands of a
    float64 gradient check, with the current h marked. The precision switch computes the
    loss in float32 instead of float64. The readout judges the centred error by the bands only
    where they apply: in float64, with h between 1e-6 and 1e-4.
    """

    BANDS_FROM, BANDS_TO = -6.0, -4.0  # log10 h where the bands of a float64 check (h = 1e-5) apply

    def __init__(self, w=0.5, log_h=-2.0, x=2.0, b=0.0, y=1.0):
        if not -1.5 <= w <= 2.5:
            raise ValueError(f"w must lie between -1.5 and 2.5 (the slider's range), but is {w!r}.")
        if not -13.0 <= log_h <= -0.5:
            raise ValueError(f"log_h, the base-10 logarithm of the step, must lie between -13 and -0.5, "
                             f"but is {log_h!r}.")
        self.x, self.b, self.y = x, b, y
        self.w = make_slider("w", w, -1.5, 2.5, 0.05)
        self.log_h = make_slider("log\u2081\u2080 h", log_h, -13.0, -0.5, 0.25)
        self.log_h.style.description_width = "4.5em"
        self.precision = widgets.ToggleButtons(options=["float64", "float32"], value="float64",
                                               style={"button_width": "80px"})
        self.hs = 10.0 ** np.linspace(-13.5, -0.25, 80)

        with matplotlib.rc_context({"font.size": 9}):
            fig, (self.ax_f, self.ax_e) = plt.subplots(1, 2, figsize=(6.4, 3.0))
        self.ws = np.linspace(w - 1.0, w + 1.0, 120)
        self.curve, = self.ax_f.plot(self.ws, self.ws * 0, color="#1f4e9c", lw=1.5, label="L(w)")
        self.tangent, = self.ax_f.plot([], [], color="#333333", lw=1, ls=":", label="exact slope")
        self.one_sided_line, = self.ax_f.plot([], [], color="#8F6A00", lw=1.3, ls="--", label="one-sided")
        self.centred_line, = self.ax_f.plot([], [], color="#b3261e", lw=1.3, label="centred")
        self.points, = self.ax_f.plot([], [], "o", color="#b3261e", ms=4)
        self.ax_f.set_xlabel("w")
        self.ax_f.set_ylim(-0.05, 1.05)
        self.ax_f.legend(loc="upper right", fontsize=7, frameon=False)
        self.ax_f.grid(alpha=0.3)
        from backprop.plots import shade_error_bands

        shade_error_bands(self.ax_e)
        self.one_sided_curve, = self.ax_e.loglog(self.hs, self.hs, color="#8F6A00", lw=1.3, ls="--", label="one-sided")
        self.centred_curve, = self.ax_e.loglog(self.hs, self.hs, color="#b3261e", lw=1.3, label="centred")
        self.marks, = self.ax_e.loglog([], [], "o", color="#333333", ms=4)
        self.h_line = self.ax_e.axvline(1e-2, color="#333333", lw=0.8)
        self.ax_e.set_xlim(self.hs[0], self.hs[-1])
        self.ax_e.set_ylim(1e-14, 2.0)
        # fixed ticks with plain labels: measuring log-scale mathtext labels would dominate a redraw
        powers = [-13, -10, -7, -4, -1]
        self.ax_e.set_xticks([10.0**p for p in powers], [f"1e{p}" for p in powers])
        self.ax_e.set_yticks([10.0**p for p in powers], [f"1e{p}" for p in powers])
        self.ax_e.minorticks_off()
        self.ax_e.set_xlabel("step h")
        self.ax_e.set_title("relative error of the slope")
        # where the bands apply: a float64 check with h near 1e-5
        self.ax_e.axvspan(10.0**self.BANDS_FROM, 10.0**self.BANDS_TO, ymin=0.97, ymax=1.0, color="#555555", lw=0)
        self.ax_e.legend(loc="lower left", fontsize=7, frameon=False)
        fig.tight_layout()
        fig.subplots_adjust(right=0.85)  # room for the bands' labels
        super().__init__([self.w, self.log_h, self.precision], fig, dpi=85)
        self.redraw()

    def loss(self, w, dtype=np.float64):
        """L(w) computed entirely in the given precision."""
        w = np.asarray(w, dtype=dtype)
        one = dtype(1)
        z = w * dtype(self.x) + dtype(self.b)
        with np.errstate(over="ignore"):
            a = one / (one + np.exp(-z))
        return (a - dtype(self.y)) ** 2

    def slope(self, w):
        """The exact dL/dw = 2 (a - y) a (1 - a) x, in float64."""
        a = 1.0 / (1.0 + np.exp(-(w * self.x + self.b)))
        return 2.0 * (a - self.y) * a * (1.0 - a) * self.x

    def estimates(self, w, h):
        """(one-sided, centred) differences of the loss at w with step(s) h, in the chosen precision."""
        dtype = np.float32 if self.precision.value == "float32" else np.float64
        w, h = dtype(w), np.asarray(h, dtype=dtype)
        f0, f_plus, f_minus = self.loss(w, dtype), self.loss(w + h, dtype), self.loss(w - h, dtype)
        return ((f_plus - f0) / h).astype(np.float64), ((f_plus - f_minus) / (dtype(2) * h)).astype(np.float64)

    @staticmethod
    def relative_error(estimate, exact):
        return np.abs(estimate - exact) / np.maximum(np.abs(estimate) + np.abs(exact), 1e-300)

    def update(self):
        w, h = self.w.value, 10.0 ** self.log_h.value
        exact = self.slope(w)
        L = float(self.loss(w))
        one_sided, centred = (float(v) for v in self.estimates(w, h))
        self.ws = np.linspace(w - 1.0, w + 1.0, 120)
        self.curve.set_data(self.ws, self.loss(self.ws))
        self.ax_f.set_xlim(w - 1.0, w + 1.0)
        span = np.array([self.ws[0], self.ws[-1]])
        self.tangent.set_data(span, L + exact * (span - w))
        self.one_sided_line.set_data(span, L + one_sided * (span - w))
        L_minus = float(self.loss(w - h))
        self.centred_line.set_data(span, L_minus + centred * (span - (w - h)))
        self.points.set_data([w - h, w, w + h], [L_minus, L, float(self.loss(w + h))])
        self.ax_f.set_title(f"L(w) near w = {w:.2f}, h = {h:.1e}")
        curves = self.estimates(w, self.hs)
        errors = [np.maximum(self.relative_error(c, exact), 1e-16) for c in curves]
        self.one_sided_curve.set_ydata(errors[0])
        self.centred_curve.set_ydata(errors[1])
        now = [max(float(self.relative_error(v, exact)), 1e-16) for v in (one_sided, centred)]
        self.marks.set_data([h, h], now)
        self.h_line.set_xdata([h, h])
        if self.precision.value == "float64" and self.BANDS_FROM <= self.log_h.value <= self.BANDS_TO:
            verdict = "agree" if now[1] < 1e-7 else ("look closer" if now[1] < 1e-4 else "disagree: a bug?")
            verdict = f": <b>{verdict}</b>"
            note = ""
        else:  # the bands are those of a float64 check with h near 1e-5: no verdict elsewhere
            verdict = ""
            note = "<br><i>(a verdict only in float64, with h under the dark strip: 1e-6 to 1e-4)</i>"
        self.readout.value = (
            f"exact $\\partial L/\\partial w = {exact:.10f}$<br>"
            f"one-sided $= {one_sided:.10f}$<br>&emsp;relative error {now[0]:.1e}<br>"
            f"centred $= {centred:.10f}$<br>&emsp;relative error {now[1]:.1e}{verdict}<br>"
            f"in {self.precision.value}, with h = {h:.1e}{note}"
        )
