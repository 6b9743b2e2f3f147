"""Interactive explorers: controls on the left of a figure that redraws as you move them.

Each explorer is a widget; show it by making it the last line of a cell. The figure is
drawn once and then only its data change, so moving a slider redraws in milliseconds.

    NeuronExplorer()   lesson 01: one neuron's loss, the tangent, and gradient steps
"""

import io

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import matplotlib.ticker
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
        """Update the artists from the controls and re-render the figure."""
        if self._paused:
            return
        self.update()
        buffer = io.BytesIO()
        self.fig.savefig(buffer, format="png", dpi=self.dpi)
        self.image.value = buffer.getvalue()

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


# --- lesson 04: the backward sweep through the 2-3-1 network ------------------------------


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def train_231(example, lr=0.1, epochs=1000):
    """Seed 000's loop on one example, in its column layout; returns the parameters before each
    epoch's update (epochs + 1 snapshots, the last after the final update) and the losses."""
    missing = [k for k in ("x", "y", "W1", "b1", "W2", "b2") if not isinstance(example, dict) or k not in example]
    if missing:
        raise ValueError(f"example must be a dict like data.one_example_231() gives, with the keys x, y, W1, b1, "
                         f"W2, b2; it lacks {missing}.")
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not lr > 0:
        raise ValueError(f"lr, the learning rate, must be a number > 0, but is {lr!r}.")
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
        raise ValueError(f"epochs must be a whole number >= 0, but is {epochs!r}.")
    x, y = example["x"], example["y"]
    W1, b1, W2, b2 = (example[k].astype(np.float64).copy() for k in ("W1", "b1", "W2", "b2"))
    snapshots, losses = [], []
    for _ in range(epochs):
        snapshots.append((W1.copy(), b1.copy(), W2.copy(), b2.copy()))
        z1 = W1 @ x + b1
        a1 = _sigmoid(z1)
        z2 = W2 @ a1 + b2
        y_pred = _sigmoid(z2)
        losses.append(0.5 * float(np.sum((y_pred - y) ** 2)))
        dL_dz2 = (y_pred - y) * y_pred * (1 - y_pred)
        dL_dz1 = W2.T @ dL_dz2 * a1 * (1 - a1)
        W2 = W2 - lr * dL_dz2 @ a1.T
        b2 = b2 - lr * dL_dz2
        W1 = W1 - lr * dL_dz1 @ x.T
        b1 = b1 - lr * dL_dz1
    snapshots.append((W1, b1, W2, b2))
    y_pred = _sigmoid(W2 @ _sigmoid(W1 @ x + b1) + b2)
    losses.append(0.5 * float(np.sum((y_pred - y) ** 2)))
    return snapshots, np.array(losses)


def sweep_231(x, y, W1, b1, W2, b2):
    """Every forward value and every backward step of the 2-3-1 network, named as in lesson 04."""
    z1 = W1 @ x + b1
    a1 = _sigmoid(z1)
    z2 = W2 @ a1 + b2
    y_pred = _sigmoid(z2)
    v = {"z1": z1, "a1": a1, "z2": z2, "y_pred": y_pred, "loss": 0.5 * float(np.sum((y_pred - y) ** 2))}
    v["dL_dy_pred"] = y_pred - y
    v["dL_dz2"] = v["dL_dy_pred"] * y_pred * (1 - y_pred)
    v["dL_dW2"] = v["dL_dz2"] @ a1.T
    v["dL_db2"] = v["dL_dz2"]
    v["dL_da1"] = W2.T @ v["dL_dz2"]
    v["dL_dz1"] = v["dL_da1"] * a1 * (1 - a1)
    v["dL_dW1"] = v["dL_dz1"] @ x.T
    v["dL_db1"] = v["dL_dz1"]
    return v


_PALE = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}


def _bmatrix(a, fmt="{:.4f}"):
    rows = [" & ".join(fmt.format(v) for v in row) for row in np.atleast_2d(a)]
    return "\\begin{bmatrix}" + " \\\\ ".join(rows) + "\\end{bmatrix}"


class LayerSweepExplorer(Explorer):
    """The 2-3-1 sigmoid network of lesson 04 (seed 000) on its one example.

    'backward' walks the backward pass one step at a time: the gradients appear from the loss
    back to the inputs, each step's formula and numbers in the readout. 'epoch' shows the
    network part-way through training (edges: width the size of the weight, blue positive,
    orange negative); 'lr' and 'seed' (the initial weights, data.one_example_231(seed)) retrain.
    """

    STAGES = ["forward pass only", "dL/dŷ", "δ2 = dL/dz2", "dL/dW2, dL/db2", "dL/da1", "δ1 = dL/dz1",
              "dL/dW1, dL/db1"]
    POS = {"x1": (0.0, 1.0), "x2": (0.0, -1.0), "h1": (3.6, 2.1), "h2": (3.6, 0.0), "h3": (3.6, -2.1),
           "y": (7.0, 0.0), "L": (9.3, 0.0)}

    def __init__(self, seed=0, lr=0.1, epoch=0, stage=6, epochs=1000):
        from backprop import data

        self._data = data
        self.epochs = epochs
        self.stage = widgets.IntSlider(value=stage, min=0, max=6, description="backward",
                                       style={"description_width": "5em"}, layout=widgets.Layout(width="280px"))
        self.epoch = widgets.IntSlider(value=epoch, min=0, max=epochs, step=10, description="epoch",
                                       style={"description_width": "5em"}, layout=widgets.Layout(width="280px"))
        self.lr = widgets.FloatLogSlider(value=lr, base=10, min=-2, max=1, step=0.1, description="lr",
                                         readout_format=".3g", style={"description_width": "5em"},
                                         layout=widgets.Layout(width="280px"))
        self.seed = widgets.IntSlider(value=seed, min=0, max=9, description="seed",
                                      style={"description_width": "5em"}, layout=widgets.Layout(width="280px"))
        self._trained_for = None

        with matplotlib.rc_context({"font.size": 8}):
            fig = plt.figure(figsize=(6.4, 4.6))
            self.ax = fig.add_axes((0.0, 0.3, 1.0, 0.7))
            self.ax_loss = fig.add_axes((0.1, 0.085, 0.87, 0.165))
        ax = self.ax
        ax.set_xlim(-0.6, 10.3)
        ax.set_ylim(-3.15, 3.2)
        ax.set_aspect("equal")
        ax.axis("off")
        P = self.POS
        self.edges = {}
        self.edge_labels = {}
        for i, src in enumerate(["x1", "x2"]):
            for j, dst in enumerate(["h1", "h2", "h3"]):
                self._edge(src, dst, 0.3 if i == 0 else 0.62, (j, i), "W1")
        for j, src in enumerate(["h1", "h2", "h3"]):
            self._edge(src, "y", 0.5, (0, j), "W2")
        self.edges["yL"] = ax.plot([P["y"][0], P["L"][0] - 0.55], [0, 0], color="#555555", lw=1.2, zorder=1)[0]
        self.nodes, self.value_text, self.grad_text = {}, {}, {}
        for name in ["x1", "x2", "h1", "h2", "h3", "y"]:
            cx, cy = P[name]
            self.nodes[name] = plt.Circle((cx, cy), 0.36, facecolor="white", edgecolor="#333333", lw=1.2, zorder=3)
            ax.add_patch(self.nodes[name])
            ax.text(cx, cy, "ŷ" if name == "y" else name, ha="center", va="center", fontsize=9,
                    fontweight="bold", zorder=4)
            self.value_text[name] = ax.text(cx, cy - 0.56, "", ha="center", va="center", color="#1f4e9c", zorder=5,
                                            bbox=_PALE)
            self.grad_text[name] = ax.text(cx, cy - 0.9, "", ha="center", va="center", color="#b3261e", zorder=5,
                                           bbox=_PALE)
        lx, ly = P["L"]
        self.nodes["L"] = plt.Rectangle((lx - 0.55, ly - 0.35), 1.1, 0.7, facecolor="white", edgecolor="#333333",
                                        lw=1.2, zorder=3)
        ax.add_patch(self.nodes["L"])
        ax.text(lx, ly, "L", ha="center", va="center", fontsize=9, fontweight="bold", zorder=4)
        self.value_text["L"] = ax.text(lx, ly + 0.56, "", ha="center", va="center", color="#1f4e9c")
        self.grad_text["L"] = ax.text(lx, ly - 0.56, "", ha="center", va="center", color="#b3261e")
        self.arrow = ax.annotate("", xy=(0.3, 2.72), xytext=(9.4, 2.72),
                                 arrowprops={"arrowstyle": "-|>", "color": "#b3261e", "lw": 1.2})
        self.arrow_text = ax.text(5.0, 2.8, "", ha="center", va="bottom", color="#b3261e")
        self.loss_line, = self.ax_loss.plot([], [], color="#1f4e9c")
        self.loss_point, = self.ax_loss.plot([], [], "o", color="#b3261e", ms=5)
        self.ax_loss.set_xlim(0, epochs)
        self.ax_loss.set_xticks([0, epochs // 4, epochs // 2, 3 * epochs // 4, epochs])
        self.ax_loss.set_xlabel("epoch")
        self.ax_loss.set_ylabel("loss")
        self.ax_loss.grid(alpha=0.3)
        controls = [self.stage, self.epoch, self.lr, self.seed]
        super().__init__(controls, fig)
        self.redraw()

    def _edge(self, src, dst, t, index, matrix):
        (x0, y0), (x1, y1) = self.POS[src], self.POS[dst]
        line, = self.ax.plot([x0, x1], [y0, y1], color="#555555", lw=1.2, zorder=1)
        label = self.ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), "", ha="center", va="center", fontsize=7,
                             color="#b3261e", zorder=2, bbox=dict(_PALE))
        self.edges[(src, dst)] = (line, matrix, index)
        self.edge_labels[(src, dst)] = label

    def _train(self):
        key = (self.seed.value, self.lr.value)
        if self._trained_for != key:
            self.example = self._data.one_example_231(self.seed.value)
            self.snapshots, self.losses = train_231(self.example, self.lr.value, self.epochs)
            self._trained_for = key
            self.loss_line.set_data(np.arange(len(self.losses)), self.losses)
            top = 1.08 * self.losses.max()
            self.ax_loss.set_ylim(0, top)
            self.ax_loss.set_yticks([0, float(f"{top / 1.08:.2g}")])

    def update(self):
        self._train()
        k, s = self.epoch.value, self.stage.value
        W1, b1, W2, b2 = self.snapshots[k]
        x, y = self.example["x"], self.example["y"]
        v = sweep_231(x, y, W1, b1, W2, b2)
        biggest = max(np.abs(W1).max(), np.abs(W2).max())
        for key, item in self.edges.items():
            if key == "yL":
                continue
            line, matrix, (r, c) = item
            w = (W1 if matrix == "W1" else W2)[r, c]
            line.set_linewidth(0.6 + 3.4 * abs(w) / biggest)
            line.set_color("#1f77b4" if w >= 0 else "#ff7f0e")
            shown = s >= (3 if matrix == "W2" else 6)
            g = v["dL_d" + matrix][r, c]
            self.edge_labels[key].set_text((f"{g:.4f}" if abs(g) >= 1e-4 else f"{g:.1e}") if shown else "")
            self.edge_labels[key].set_visible(shown)
        self.value_text["x1"].set_text(f"x={x[0, 0]:g}")
        self.value_text["x2"].set_text(f"x={x[1, 0]:g}")
        for j, h in enumerate(["h1", "h2", "h3"]):
            self.value_text[h].set_text(f"a={v['a1'][j, 0]:.3f}")
            text = "" if s < 4 else (f"∂L/∂a={v['dL_da1'][j, 0]:.4f}" if s == 4 else f"δ={v['dL_dz1'][j, 0]:.4f}")
            self.grad_text[h].set_text(text)
        self.value_text["y"].set_text(f"ŷ={v['y_pred'][0, 0]:.4f}")
        self.grad_text["y"].set_text(f"δ={v['dL_dz2'][0, 0]:.4f}" if s >= 2 else "")
        self.value_text["L"].set_text(f"L={v['loss']:.4f}")
        self.grad_text["L"].set_text(f"∂L/∂ŷ={v['dL_dy_pred'][0, 0]:.4f}" if s >= 1 else "")
        self.grad_text["x1"].set_text("")
        self.grad_text["x2"].set_text("")
        active = {1: ["L"], 2: ["y"], 3: [("h1", "y"), ("h2", "y"), ("h3", "y")], 4: ["h1", "h2", "h3"],
                  5: ["h1", "h2", "h3"], 6: [(a, b) for a in ("x1", "x2") for b in ("h1", "h2", "h3")]}.get(s, [])
        for name, patch in self.nodes.items():
            hot = name in active
            patch.set_edgecolor("#f2b705" if hot else "#333333")
            patch.set_linewidth(3 if hot else 1.2)
            patch.set_facecolor("#fff4c2" if hot else "white")
        for key, label in self.edge_labels.items():
            label.get_bbox_patch().set_facecolor("#fff4c2" if key in active else "white")
        self.arrow.set_visible(s > 0)
        self.arrow_text.set_text("backward: gradients flow from the loss to the inputs" if s > 0 else "")
        self.loss_point.set_data([k], [self.losses[k]])
        self.readout.value = (
            f"<small>step {s} of 6: <b>{self.STAGES[s]}</b></small><br>{self._formula(s, v)}"
            f"<br><small>epoch {k} (lr {self.lr.value:.3g}, seed {self.seed.value}): "
            f"$L = {v['loss']:.4f}$, $\\hat y = {v['y_pred'][0, 0]:.4f}$</small>")

    def _formula(self, s, v):
        if s == 0:
            return ("Forward pass: $z_1 = W_1x + b_1$, $a_1 = \\sigma(z_1)$, $z_2 = W_2a_1 + b_2$, "
                    "$\\hat y = \\sigma(z_2)$. Move <b>backward</b> to send the gradient back.")
        if s == 1:
            return (f"$\\dfrac{{\\partial L}}{{\\partial \\hat y}} = \\hat y - y = {v['dL_dy_pred'][0, 0]:.4f}$, "
                    "shape (1, 1)")
        if s == 2:
            sp = v["y_pred"][0, 0] * (1 - v["y_pred"][0, 0])
            return (f"$\\delta_2 = \\dfrac{{\\partial L}}{{\\partial \\hat y}} \\odot \\sigma'(z_2) = "
                    f"{v['dL_dy_pred'][0, 0]:.4f} \\times {sp:.4f} = {v['dL_dz2'][0, 0]:.4f}$, shape (1, 1)")
        if s == 3:
            return (f"$\\dfrac{{\\partial L}}{{\\partial W_2}} = \\delta_2\\, a_1^T = {_bmatrix(v['dL_dW2'])}$<br>"
                    f"(1, 1) @ (1, 3) → (1, 3), the shape of $W_2$; $\\;\\partial L/\\partial b_2 = \\delta_2$")
        if s == 4:
            return (f"$\\dfrac{{\\partial L}}{{\\partial a_1}} = W_2^T \\delta_2 = {_bmatrix(v['dL_da1'])}$<br>"
                    f"(3, 1) @ (1, 1) → (3, 1), the shape of $a_1$")
        if s == 5:
            return (f"$\\delta_1 = \\dfrac{{\\partial L}}{{\\partial a_1}} \\odot \\sigma'(z_1) = "
                    f"{_bmatrix(v['dL_dz1'])}$<br>elementwise, shape (3, 1)")
        return (f"$\\dfrac{{\\partial L}}{{\\partial W_1}} = \\delta_1 x^T = {_bmatrix(v['dL_dW1'])}$<br>"
                f"(3, 1) @ (1, 2) → (3, 2), the shape of $W_1$; $\\;\\partial L/\\partial b_1 = \\delta_1$")


# --- lesson 05: the path of gradient descent, batch, mini-batch or stochastic ------------------


class DescentPathExplorer(Explorer):
    """Gradient descent on a line fit, y_hat = w x + b, loss the mean squared error over 100 points.

    Left: the loss over (w, b) as contour lines, and the path the parameters take from the start
    (circle) towards the minimum (star). Right: the loss on all the data after every update,
    against the number of examples seen; grey, full-batch descent at the same rate. 'batch size'
    picks how many examples each update averages over (100 = all of them: batch descent; 1 =
    stochastic), 'lr' the learning rate (above about 0.38 batch descent diverges), 'epochs' how
    many passes over the data, 'seed' the order the examples are drawn in.
    """

    BATCH_SIZES = (1, 2, 5, 10, 20, 50, 100)
    START = (-0.5, 2.5)

    def __init__(self, lr=0.1, batch_size=10, epochs=5, seed=0, m=100):
        if batch_size not in self.BATCH_SIZES:
            raise ValueError(f"batch_size must be one of {self.BATCH_SIZES}, but is {batch_size!r}.")
        if m != 100:
            raise ValueError(f"m, the number of points, must be 100 (the batch sizes are chosen for it), but is {m!r}.")
        rng = np.random.default_rng(12)
        self.x = rng.normal(1.0, 1.0, m)
        self.y = 2.0 * self.x - 1.0 + rng.normal(0.0, 0.5, m)
        A = np.column_stack([self.x, np.ones(m)])
        self.best = np.linalg.lstsq(A, self.y, rcond=None)[0]
        self.best_loss = self.loss(*self.best)
        self.lr = widgets.FloatLogSlider(value=lr, base=10, min=-2, max=np.log10(0.6), step=0.05, description="lr",
                                         readout_format=".3f", style={"description_width": "6em"},
                                         layout=widgets.Layout(width="290px"))
        self.batch_size = widgets.SelectionSlider(options=list(self.BATCH_SIZES), value=batch_size,
                                                  description="batch size", style={"description_width": "6em"},
                                                  layout=widgets.Layout(width="290px"))
        self.epochs = widgets.IntSlider(value=epochs, min=1, max=20, description="epochs",
                                        style={"description_width": "6em"}, layout=widgets.Layout(width="290px"))
        self.seed = widgets.IntSlider(value=seed, min=0, max=9, description="seed",
                                      style={"description_width": "6em"}, layout=widgets.Layout(width="290px"))

        with matplotlib.rc_context({"font.size": 8}):
            fig, (self.ax, self.ax_loss) = plt.subplots(1, 2, figsize=(6.4, 3.0),
                                                        gridspec_kw={"width_ratios": [1.0, 1.1]})
        ws, bs = np.linspace(-1.5, 4.5, 121), np.linspace(-4.0, 4.0, 121)
        Wg, Bg = np.meshgrid(ws, bs)
        levels = self.best_loss + np.array([0.05, 0.2, 0.5, 1, 2, 4, 8, 16, 32])
        self.ax.contour(Wg, Bg, self.loss(Wg, Bg), levels=levels, colors="#9bb0d0", linewidths=0.7)
        self.ax.plot(*self.best, "*", color="#1a7f37", ms=11, zorder=4)
        self.ax.plot(*self.START, "o", color="#333333", ms=5, zorder=4)
        self.path_line, = self.ax.plot([], [], "-", color="#b3261e", lw=0.9, zorder=3)
        self.path_end, = self.ax.plot([], [], "o", color="#b3261e", ms=4, zorder=5)
        self.ax.set_xlim(ws[0], ws[-1])
        self.ax.set_ylim(bs[0], bs[-1])
        self.ax.set_xlabel("w")
        self.ax.set_ylabel("b")
        self.full_line, = self.ax_loss.plot([], [], "--", color="#999999", lw=1.0, label="batch (all 100)")
        self.loss_line, = self.ax_loss.plot([], [], "-", color="#b3261e", lw=1.0, label="this run")
        self.ax_loss.axhline(self.best_loss, color="#1a7f37", lw=0.8, ls=":")
        self.ax_loss.set_yscale("log")
        self.ax_loss.set_ylim(0.8 * self.best_loss, 20.0)
        ticks = [0.3, 1, 3, 10]  # plain labels: log-axis labels are typeset as maths, slowly
        self.ax_loss.yaxis.set_major_locator(matplotlib.ticker.FixedLocator(ticks))
        self.ax_loss.yaxis.set_major_formatter(matplotlib.ticker.FixedFormatter([f"{t:g}" for t in ticks]))
        self.ax_loss.yaxis.set_minor_locator(matplotlib.ticker.NullLocator())
        self.ax_loss.set_xlabel("examples seen")
        self.ax_loss.set_ylabel("loss on all the data")
        self.ax_loss.legend(loc="upper right", fontsize=7)
        self.ax_loss.grid(alpha=0.3)
        fig.tight_layout()
        super().__init__([self.lr, self.batch_size, self.epochs, self.seed], fig)
        self.redraw()

    def loss(self, w, b):
        w, b = np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64)
        residual = w[..., None] * self.x + b[..., None] - self.y
        return np.mean(residual**2, axis=-1)

    def run(self, batch_size, lr=None, epochs=None, seed=None):
        """The path of (w, b), one row per update (the start first), and examples seen at each."""
        lr = self.lr.value if lr is None else lr
        epochs = self.epochs.value if epochs is None else epochs
        rng = np.random.default_rng(self.seed.value if seed is None else seed)
        m = len(self.x)
        w, b = self.START
        path, seen = [(w, b)], [0]
        with np.errstate(all="ignore"):
            for _ in range(epochs):
                order = rng.permutation(m)
                for start in range(0, m, batch_size):
                    rows = order[start:start + batch_size]
                    xb = self.x[rows]
                    residual = w * xb + b - self.y[rows]
                    dw = 2.0 * float(residual @ xb) / len(rows)   # the mean: 1/batch size
                    db = 2.0 * float(residual.sum()) / len(rows)
                    w, b = w - lr * dw, b - lr * db
                    path.append((w, b))
                    seen.append(seen[-1] + len(rows))
                    if not (abs(w) < 1e6 and abs(b) < 1e6):  # diverged: stop here
                        return np.array(path), np.array(seen)
        return np.array(path), np.array(seen)

    def update(self):
        path, seen = self.run(self.batch_size.value)
        key = (self.lr.value, self.epochs.value)
        if getattr(self, "_full_for", None) != key:  # batch descent does not depend on the seed
            self._full = self.run(len(self.x), seed=0)
            self._full_for = key
        full, full_seen = self._full
        with np.errstate(all="ignore"):
            losses, full_losses = self.loss(path[:, 0], path[:, 1]), self.loss(full[:, 0], full[:, 1])
        self.path_line.set_data(path[:, 0], path[:, 1])
        self.path_end.set_data(path[-1:, 0], path[-1:, 1])
        self.loss_line.set_data(seen, np.clip(losses, 1e-3, 1e6))
        self.full_line.set_data(full_seen, np.clip(full_losses, 1e-3, 1e6))
        self.ax_loss.set_xlim(0, self.epochs.value * len(self.x))
        self.diverged = not np.isfinite(losses[-1]) or losses[-1] > losses[0]
        self.final_loss = float(losses[-1])
        n_updates = len(path) - 1
        per_epoch = -(-len(self.x) // self.batch_size.value)
        kind = {1: "stochastic", len(self.x): "batch"}.get(self.batch_size.value, "mini-batch")
        status = ("<b style='color:#cf222e'>diverged</b>: each step overshoots the valley by more than the last"
                  if self.diverged else f"final loss {self.final_loss:.4f} (best possible {self.best_loss:.4f})")
        self.readout.value = (
            f"{kind} gradient descent: {per_epoch} update{'s' * (per_epoch > 1)} per epoch, "
            f"{n_updates} in all<br>"
            "each step: $w \\leftarrow w - \\eta\\,\\frac{2}{B}\\sum_{i \\in \\text{batch}} (wx_i + b - y_i)\\,x_i$, "
            f"$B = {self.batch_size.value}$"
            f"<br>{status}")
