"""Interactive explorers: controls on the left of a figure that redraws as you move them.

Each explorer is a widget; show it by making it the last line of a cell. The figure is
drawn once and then only its data change, so moving a slider redraws in milliseconds.

    NeuronExplorer()   lesson 01: one neuron's loss, the tangent, and gradient steps
"""

import io
import threading

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg


class Explorer(widgets.HBox):
    """Controls beside a matplotlib figure shown as a PNG image; `redraw()` updates it.

    Subclasses build `self.fig` and its artists, list their controls, and implement
    `update()`, which changes the artists' data from the controls' values.
    """

    def __init__(self, controls, fig, readout=True, dpi=90):
        self.fig = fig
        FigureCanvasAgg(fig)  # draw off-screen, independent of the notebook's backend
        self.dpi = dpi
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto"))
        self.image.add_class("bp-explorer-figure")
        self.readout = widgets.HTMLMath("")
        self.readout.add_class("bp-explorer-readout")
        panel = widgets.VBox(list(controls) + ([self.readout] if readout else []),
                             layout=widgets.Layout(min_width="270px", max_width="320px"))
        super().__init__([panel, self.image], layout=widgets.Layout(align_items="flex-start", flex_flow="row wrap"))
        self.add_class("bp-explorer")
        self._paused = False
        self._drawing = threading.Lock()
        self._pending = False
        for control in controls:
            if hasattr(control, "value") and not isinstance(control, widgets.Button):
                control.observe(lambda _: self.redraw(), names="value")
        plt.close(fig)  # keep pyplot from showing it a second time

    def set_values(self, **values):
        """Set several controls at once (by attribute name) and redraw once."""
        self._paused = True
        try:
            for name, value in values.items():
                getattr(self, name).value = value
        finally:
            self._paused = False
        self.redraw()

    def redraw(self):
        """Update the artists from the controls and re-render the figure.

        A change that arrives while a redraw is running (the browser echoing back a slider
        value it rounded to the slider's step, which the kernel may handle on another thread)
        must not draw into the same figure at the same time, which gives a blank image: it
        asks for one more redraw when the running one is done.
        """
        if self._paused:
            return
        if not self._drawing.acquire(blocking=False):
            self._pending = True
            return
        try:
            self._pending = True
            while self._pending:
                self._pending = False
                self.update()
                buffer = io.BytesIO()
                self.fig.savefig(buffer, format="png", dpi=self.dpi)
                self.image.value = buffer.getvalue()
        finally:
            self._drawing.release()
        if self._pending:  # asked for between the last check and the release
            self.redraw()

    def update(self):
        raise NotImplementedError


def _slider(description, value, low, high, step, fmt=".2f"):
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               readout_format=fmt, continuous_update=True,
                               style={"description_width": "3em"}, layout=widgets.Layout(width="260px"))


class NeuronExplorer(Explorer):
    """One neuron without activation, y_hat = w x + b, squared error L = (y_hat - y)**2.

    Left: L against w (b held fixed) with the tangent at the current w, whose slope is
    dL/dw. Right: the same against b. 'Take a step' moves w (and b, if ticked) by -lr
    times its gradient; the points visited are kept as a trail.
    """

    def __init__(self, x=2.0, y=4.0, w=0.5, b=0.0, lr=0.1):
        self.x, self.y = x, y
        self.w = _slider("w", w, -1.0, 4.0, 0.01)
        self.b = _slider("b", b, -3.0, 3.0, 0.01)
        self.lr = _slider("lr", lr, 0.01, 0.3, 0.01)
        self.learn_b = widgets.Checkbox(value=False, description="steps move b too", indent=False)
        self.step_button = widgets.Button(description="Take a step", button_style="primary", icon="arrow-down")
        self.reset_button = widgets.Button(description="Reset", icon="refresh")
        self.step_button.add_class("bp-step")
        self.step_button.on_click(lambda _: self.step())
        self.reset_button.on_click(lambda _: self.reset())
        self.start = (w, b)
        self.trail = []

        with matplotlib.rc_context({"font.size": 9}):
            fig, (self.ax_w, self.ax_b) = plt.subplots(1, 2, figsize=(6.6, 2.9), sharey=True)
        ws = np.linspace(-1.0, 4.0, 200)
        bs = np.linspace(-3.0, 3.0, 200)
        self.curve_w, = self.ax_w.plot(ws, ws * 0, color="#1f4e9c")
        self.curve_b, = self.ax_b.plot(bs, bs * 0, color="#1f4e9c")
        self.tangent_w, = self.ax_w.plot([], [], color="#b3261e", lw=1.5)
        self.tangent_b, = self.ax_b.plot([], [], color="#b3261e", lw=1.5)
        self.trail_w, = self.ax_w.plot([], [], "o", color="#999999", ms=3)
        self.trail_b, = self.ax_b.plot([], [], "o", color="#999999", ms=3)
        self.point_w, = self.ax_w.plot([], [], "o", color="#b3261e", ms=7)
        self.point_b, = self.ax_b.plot([], [], "o", color="#b3261e", ms=7)
        self.ax_w.set_xlabel("w  (b fixed)")
        self.ax_b.set_xlabel("b  (w fixed)")
        self.ax_w.set_ylabel("loss L")
        for ax in (self.ax_w, self.ax_b):
            ax.set_ylim(-2, 40)
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
        self.trail.append((w, b))
        # clipped to the sliders' range, so that a step too large stays in view
        new_b = b - self.lr.value * db if self.learn_b.value else b
        self.set_values(w=float(np.clip(w - self.lr.value * dw, self.w.min, self.w.max)),
                        b=float(np.clip(new_b, self.b.min, self.b.max)))

    def reset(self):
        self.trail = []
        self.set_values(w=self.start[0], b=self.start[1])

    def update(self):
        w, b = self.w.value, self.b.value
        L = self.loss(w, b)
        dw, db = self.gradients(w, b)
        ws, bs = self.curve_w.get_xdata(), self.curve_b.get_xdata()
        self.curve_w.set_ydata(self.loss(ws, b))
        self.curve_b.set_ydata(self.loss(w, bs))
        half = 0.6
        self.tangent_w.set_data([w - half, w + half], [L - half * dw, L + half * dw])
        self.tangent_b.set_data([b - half, b + half], [L - half * db, L + half * db])
        self.point_w.set_data([w], [L])
        self.point_b.set_data([b], [L])
        tw = [p[0] for p in self.trail]
        tb = [p[1] for p in self.trail]
        self.trail_w.set_data(tw, [self.loss(p, b) for p in tw])
        self.trail_b.set_data(tb, [self.loss(w, q) for q in tb])
        self.ax_w.set_title(f"slope dL/dw = {dw:.3f}", color="#b3261e")
        self.ax_b.set_title(f"slope dL/db = {db:.3f}", color="#b3261e")
        y_hat = w * self.x + b
        self.readout.value = (
            f"$x = {self.x:g}$, $y = {self.y:g}$<br>"
            f"$\\hat y = wx + b = {y_hat:.4f}$<br>"
            f"$L = (\\hat y - y)^2 = {L:.4f}$<br>"
            f"$\\partial L/\\partial w = 2(\\hat y - y)\\,x = {dw:.4f}$<br>"
            f"$\\partial L/\\partial b = 2(\\hat y - y) = {db:.4f}$<br>"
            f"next step: $w \\leftarrow {w:.3f} - {self.lr.value:g}\\times({dw:.3f}) = {w - self.lr.value * dw:.4f}$"
        )
