"""Lesson 01, one neuron: the explorer.

    NeuronExplorer  One neuron without activation, y_hat = w x + b, squared error L = (y_hat - y)**2
"""

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np

from backprop.explorers.base import Explorer, make_slider, widen_slider

__all__ = ["NeuronExplorer"]


class NeuronExplorer(Explorer):
    """One neuron without activation, y_hat = w x + b, squared error L = (y_hat - y)**2.

    Left: L against w (b held fixed) with the tangent at the current w, whose slope is
    dL/dw. Right: the same against b. 'Take a step' moves w (and b, if ticked) by -lr
    times its gradient; the points visited are kept as a trail. A panel shows those that lie
    on its curve (the other parameter as it is now: with b fixed, the left panel shows them
    all and the right one none), and the readout lists the loss after each step. A step
    that leaves the plotted range widens it, so a diverging run stays in view.
    """

    def __init__(self, x=2.0, y=4.0, w=0.5, b=0.0, lr=0.1):
        self.x, self.y = x, y
        self.w = make_slider("w", w, -1.0, 4.0, 0.01)
        self.b = make_slider("b", b, -3.0, 3.0, 0.01)
        self.lr = make_slider("lr", lr, 0.01, 0.35, 0.01)
        self.learn_b = widgets.Checkbox(value=False, description="steps move b too", indent=False)
        self.step_button = widgets.Button(description="Take a step", button_style="primary", icon="arrow-down")
        self.reset_button = widgets.Button(description="Reset", icon="refresh")
        self.step_button.add_class("bp-step")
        self.step_button.on_click(lambda _: self.step())
        self.reset_button.on_click(lambda _: self.reset())
        self.start = (w, b)
        self.ranges = [(s, s.min, s.max) for s in (self.w, self.b)]
        self.trail = []  # (w, b, loss) before each step

        with matplotlib.rc_context({"font.size": 9}):
            fig, (self.ax_w, self.ax_b) = plt.subplots(1, 2, figsize=(6.6, 2.9), sharey=True)
        # the labels are no legend: they name the lines in the figure's alt text
        self.curve_w, = self.ax_w.plot([], [], color="#1f4e9c", label="the loss")
        self.curve_b, = self.ax_b.plot([], [], color="#1f4e9c", label="the loss")
        self.tangent_w, = self.ax_w.plot([], [], color="#b3261e", lw=1.5, ls="--", label="the tangent")
        self.tangent_b, = self.ax_b.plot([], [], color="#b3261e", lw=1.5, ls="--", label="the tangent")
        self.trail_w, = self.ax_w.plot([], [], "o", color="#767676", ms=3, label="the points before each step:")
        self.trail_b, = self.ax_b.plot([], [], "o", color="#767676", ms=3, label="the points before each step:")
        self.point_w, = self.ax_w.plot([], [], "o", color="#b3261e", ms=7, label="the current point")
        self.point_b, = self.ax_b.plot([], [], "o", color="#b3261e", ms=7, label="the current point")
        self.ax_w.set_xlabel("w  (b fixed)")
        self.ax_b.set_xlabel("b  (w fixed)")
        self.ax_w.set_ylabel("loss L")
        for ax in (self.ax_w, self.ax_b):
            ax.grid(alpha=0.3)
            ax.set_title("slope", color="#b3261e")
        fig.tight_layout()
        controls = [self.w, self.b, self.lr, self.learn_b, widgets.HBox([self.step_button, self.reset_button])]
        super().__init__(controls, fig)
        self.redraw()

    def loss(self, w, b):
        return (w * self.x + b - self.y) ** 2

    def gradients(self, w, b):
        dL_dyhat = 2.0 * (w * self.x + b - self.y)
        return dL_dyhat * self.x, dL_dyhat

    def step(self):
        w, b = self.w.value, self.b.value
        dw, db = self.gradients(w, b)
        self.trail.append((w, b, self.loss(w, b)))
        new_w = w - self.lr.value * dw
        new_b = b - self.lr.value * db if self.learn_b.value else b
        widen_slider(self.w, new_w)
        widen_slider(self.b, new_b)
        self.set_values(w=new_w, b=new_b)

    def reset(self):
        self.trail = []
        self.set_values(w=self.start[0], b=self.start[1])
        for slider, low, high in self.ranges:
            slider.min, slider.max = low, high
        self.redraw()

    def update(self):
        w, b, lr = self.w.value, self.b.value, self.lr.value
        L = self.loss(w, b)
        dw, db = self.gradients(w, b)
        ws = np.linspace(self.w.min, self.w.max, 200)
        bs = np.linspace(self.b.min, self.b.max, 200)
        self.curve_w.set_data(ws, self.loss(ws, b))
        self.curve_b.set_data(bs, self.loss(w, bs))
        half = 0.12 * (self.w.max - self.w.min)
        self.tangent_w.set_data([w - half, w + half], [L - half * dw, L + half * dw])
        half_b = 0.12 * (self.b.max - self.b.min)
        self.tangent_b.set_data([b - half_b, b + half_b], [L - half_b * db, L + half_b * db])
        self.point_w.set_data([w], [L])
        self.point_b.set_data([b], [L])
        on_w = [t for t in self.trail if abs(t[1] - b) < 1e-9]  # points on the curve L(., b) drawn on the left
        on_b = [t for t in self.trail if abs(t[0] - w) < 1e-9]
        self.trail_w.set_data([t[0] for t in on_w], [t[2] for t in on_w])
        self.trail_b.set_data([t[1] for t in on_b], [t[2] for t in on_b])
        self.ax_w.set_xlim(self.w.min, self.w.max)
        self.ax_b.set_xlim(self.b.min, self.b.max)
        top = max(self.loss(ws, b).max(), self.loss(w, bs).max(), L, *(t[2] for t in on_w + on_b))
        self.ax_w.set_ylim(-0.04 * top, 1.08 * top)
        self.ax_w.set_title(f"slope dL/dw = {dw:.3f}", color="#b3261e")
        self.ax_b.set_title(f"slope dL/db = {db:.3f}", color="#b3261e")
        y_hat = w * self.x + b
        next_b = (f"<br>$b \\leftarrow {b:.3f} - {lr:g}\\times({db:.3f}) = {b - lr * db:.4f}$"
                  if self.learn_b.value else "")
        self.readout.value = (
            f"$x = {self.x:g}$, $y = {self.y:g}$<br>"
            f"$\\hat y = wx + b = {y_hat:.4f}$<br>"
            f"$L = (\\hat y - y)^2 = {L:.4f}$<br>"
            f"$\\partial L/\\partial w = 2(\\hat y - y)\\,x = {dw:.4f}$<br>"
            f"$\\partial L/\\partial b = 2(\\hat y - y) = {db:.4f}$<br>"
            f"next step:<br>$w \\leftarrow {w:.3f} - {lr:g}\\times({dw:.3f}) = {w - lr * dw:.4f}$" + next_b
            + self._losses(L)
        )

    def _losses(self, L):
        """The loss before the first step and after each one, the latest few."""
        if not self.trail:
            return ""
        losses = [f"{t[2]:.4g}" for t in self.trail] + [f"{L:.4g}"]
        shown = (["…"] + losses[-6:]) if len(losses) > 6 else losses
        return "<br>loss, step by step:<br>" + " → ".join(shown)
