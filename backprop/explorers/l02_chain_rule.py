"""Lesson 02, the chain rule and computational graphs: the explorer.

    ActivationExplorer  Pick an activation and move z
"""

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
from matplotlib.ticker import FixedFormatter, FixedLocator, NullLocator

from backprop.explorers.base import Explorer, make_slider

__all__ = ["ActivationExplorer"]


_ACTIVATION_FORMULAS = {
    "sigmoid": ("a = \\sigma(z) = 1/(1 + e^{-z})", "\\sigma'(z) = a(1 - a)"),
    "tanh": ("a = \\tanh z", "\\tanh'(z) = 1 - a^2"),
    "relu": ("a = \\max(0, z)", "\\mathrm{relu}'(z) = 1 \\text{ if } z > 0 \\text{ else } 0"),
}


class ActivationExplorer(Explorer):
    """Pick an activation and move z: its value, its slope, and what the slope does to a gradient.

    Left: the activation (blue) and its derivative (red, dashed), with the tangent at z.
    Right: a gradient of 1 after it has passed back through n such activations, each at the
    same z, so multiplied by f'(z) n times (log scale): 0.25**n at best for the sigmoid. The
    axis reaches down to at least FLOOR, and further when the gradient gets smaller; a gradient
    of exactly 0 (ReLU below 0), which no log scale can show, is marked on the bottom edge.
    """

    FLOOR = 1e-18  # the log axis reaches at least this far down
    TICK_STEPS = (6, 10, 20, 30, 40, 50)  # decades between the axis' labels: at most 5 labels

    def __init__(self, activation="sigmoid", z=1.0, layers=10):
        from backprop.plots import ACTIVATIONS, GRADIENT_COLOUR, VALUE_COLOUR

        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, but is {activation!r}.")
        self.functions = ACTIVATIONS
        self.activation = widgets.ToggleButtons(options=list(ACTIVATIONS), value=activation,
                                                style={"button_width": "80px"})
        self.activation.add_class("bp-activation")
        self.z = make_slider("z", z, -6.0, 6.0, 0.05)
        self.layers = widgets.IntSlider(value=layers, min=1, max=30, description="layers", continuous_update=True,
                                        style={"description_width": "3.6em"}, layout=widgets.Layout(width="260px"))

        with matplotlib.rc_context({"font.size": 9}):
            fig, (self.ax_f, self.ax_g) = plt.subplots(1, 2, figsize=(6.5, 2.9),
                                                       gridspec_kw={"width_ratios": [1.15, 1]})
        self.zs = np.linspace(-6.0, 6.0, 481)
        self.curve, = self.ax_f.plot(self.zs, self.zs * 0, color=VALUE_COLOUR, label="f(z)")
        self.slope, = self.ax_f.plot(self.zs, self.zs * 0, color=GRADIENT_COLOUR, ls="--", label="f'(z)")
        self.tangent, = self.ax_f.plot([], [], color=GRADIENT_COLOUR, lw=1.2, alpha=0.7)
        self.point, = self.ax_f.plot([], [], "o", color=VALUE_COLOUR, ms=6)
        self.point_slope, = self.ax_f.plot([], [], "o", color=GRADIENT_COLOUR, ms=6)
        self.ax_f.axhline(0, color="#999999", lw=0.6)
        self.ax_f.axvline(0, color="#999999", lw=0.6)
        self.ax_f.set_xlim(-6, 6)
        self.ax_f.xaxis.set_major_locator(FixedLocator([-6, -4, -2, 0, 2, 4, 6]))
        self.ax_f.yaxis.set_major_locator(FixedLocator([-1, -0.5, 0, 0.5, 1, 1.5]))
        self.ax_f.set_ylim(-1.2, 1.6)
        self.ax_f.set_xlabel("z")
        self.ax_f.grid(alpha=0.3)
        self.ax_f.legend(loc="upper left", fontsize=8)
        self.chain, = self.ax_g.plot([], [], "o-", color=GRADIENT_COLOUR, ms=3, lw=1)
        self.ax_g.set_yscale("log")
        self.ax_g.yaxis.set_minor_locator(NullLocator())
        self._bottom_exponent = None
        self._set_bottom(-18)
        self.ax_g.xaxis.set_major_locator(FixedLocator([0, 10, 20, 30]))
        self.ax_g.set_xlim(-0.5, 30.5)
        self.ax_g.set_xlabel("activations passed on the way back")
        self.ax_g.set_ylabel("gradient")
        self.ax_g.grid(alpha=0.3)
        self.ax_f.set_title("sigmoid: f'(0.00) = 0.2500")  # placeholders, so that tight_layout leaves room
        self.ax_g.set_title("after 10 layers: 9.54e-07")
        fig.tight_layout()
        # (made after the layout, which an empty unclipped line would upset)
        self.zeros, = self.ax_g.plot([], [], "v", color=GRADIENT_COLOUR, ms=5, mfc="white", clip_on=False)
        self.zeros_note = self.ax_g.text(0.97, 0.06, "▽ exactly 0: below any log scale", ha="right", va="bottom",
                                         transform=self.ax_g.transAxes, fontsize=8, color=GRADIENT_COLOUR,
                                         backgroundcolor="white", visible=False)
        super().__init__([self.activation, self.z, self.layers], fig)
        self.redraw()

    def _set_bottom(self, exponent):
        """The log axis from 10**exponent to 1, with a few labelled decades (fixed ticks: laying out
        tick labels is most of the drawing time, so they change only when the range does)."""
        if exponent == self._bottom_exponent:
            return
        self._bottom_exponent = exponent
        step = next(s for s in self.TICK_STEPS if -exponent // s < 5)
        decades = list(range(0, exponent - 1, -step))
        self.ax_g.set_ylim(10.0**exponent / 3, 3.0)
        self.ax_g.yaxis.set_major_locator(FixedLocator([10.0**d for d in decades]))
        self.ax_g.yaxis.set_major_formatter(FixedFormatter(["1" if d == 0 else f"1e{d}" for d in decades]))

    def values(self):
        """(a, f'(z), f'(z)**layers) at the current controls."""
        f, df = self.functions[self.activation.value]
        z = np.array([self.z.value])
        slope = float(df(z)[0])
        return float(f(z)[0]), slope, slope ** self.layers.value

    def update(self):
        name = self.activation.value
        f, df = self.functions[name]
        z = self.z.value
        a, slope, through = self.values()
        self.curve.set_ydata(f(self.zs))
        self.slope.set_ydata(df(self.zs))
        half = 1.2
        self.tangent.set_data([z - half, z + half], [a - half * slope, a + half * slope])
        self.point.set_data([z], [a])
        self.point_slope.set_data([z], [slope])
        shown = f"{slope:.4f}" if slope == 0 or slope >= 1e-3 else f"{slope:.3g}"  # not 0.0000 for 2.46e-05
        self.ax_f.set_title(f"{name}: f'({z:.2f}) = {shown}")
        n = self.layers.value
        k = np.arange(n + 1)
        chain = slope**k
        positive = chain > 0
        smallest = float(chain[positive].min())
        self._set_bottom(min(int(np.log10(self.FLOOR)), int(np.floor(np.log10(smallest))) - 1))
        self.chain.set_data(k[positive], chain[positive])
        self.zeros.set_data(k[~positive], np.full(int((~positive).sum()), self.ax_g.get_ylim()[0]))
        self.zeros_note.set_visible(bool((~positive).any()))
        left = " (none left)" if through == 0 else ""
        self.ax_g.set_title(f"after {n} layer{'s' * (n != 1)}: {through:.3g}{left}")
        value, derivative = _ACTIVATION_FORMULAS[name]
        tiny = shown if shown == f"{slope:.4f}" else _latex_number(slope)
        self.readout.value = (
            f"${value} = {a:.4f}$<br>"
            f"${derivative} = {tiny}$<br>"
            f"an arriving gradient $g$ leaves as $g\\,f'(z)$: $1 \\to {tiny}$<br>"
            f"through {n} such layers: $f'(z)^{{{n}}} = {_latex_number(through)}$"
        )


def _latex_number(value):
    """A number for LaTeX: 0.25, or 9.09 \\times 10^{-13} rather than 9.09e-13."""
    if value == 0 or 1e-3 <= abs(value) < 1e4:
        return f"{value:.3g}"
    exponent = int(np.floor(np.log10(abs(value))))
    return f"{value / 10.0**exponent:.3g} \\times 10^{{{exponent}}}"
