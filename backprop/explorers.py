"""Interactive explorers: controls on the left of a figure that redraws as you move them.

Each explorer is a widget; show it by making it the last line of a cell. The figure is
drawn once and then only its data change, so moving a slider redraws in milliseconds.

    NeuronExplorer()   lesson 01: one neuron's loss, the tangent, and gradient steps
    SoftmaxExplorer()  lesson 06: three scores, their softmax, the cross-entropy and y_hat - y
    TrainingMonitor()  lesson 06: a live view of training (progress, loss, accuracy, decision regions)
"""

import io
import threading
import time

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


# --- lesson 06: softmax and cross-entropy; watching a classifier train ------------------


class SoftmaxExplorer(Explorer):
    """Three scores, their softmax probabilities, the cross-entropy and its gradient y_hat - y.

    Left: the probabilities y_hat (bars) and the one-hot target y (outlined). Right: the
    gradient dL/dz = y_hat - y, one bar per score, with the loss in the title. 'Take a step'
    moves the scores against the gradient, z <- z - lr (y_hat - y): the true class's score
    rises, the others fall, each by lr times its probability.
    """

    def __init__(self, scores=(2.0, 1.0, 0.1), target=0, lr=1.0):
        scores = np.asarray(scores, dtype=np.float64)
        if scores.shape != (3,):
            raise ValueError(f"scores must be 3 numbers, one per class, but has shape {scores.shape}.")
        if target not in (0, 1, 2):
            raise ValueError(f"target must be the class 0, 1 or 2, but is {target!r}.")
        self.start = (tuple(float(s) for s in scores), target)
        self.z = [_slider(f"z{j}", float(scores[j]), -6.0, 6.0, 0.05) for j in range(3)]
        self.z0, self.z1, self.z2 = self.z
        self.target = widgets.ToggleButtons(options=[("0", 0), ("1", 1), ("2", 2)], value=target,
                                            description="true class", tooltips=["class 0", "class 1", "class 2"],
                                            style={"description_width": "5.5em", "button_width": "48px"})
        self.lr = _slider("lr", lr, 0.1, 3.0, 0.1)
        self.step_button = widgets.Button(description="Take a step", button_style="primary", icon="arrow-down")
        self.reset_button = widgets.Button(description="Reset", icon="refresh")
        self.step_button.add_class("bp-step")
        self.step_button.on_click(lambda _: self.step())
        self.reset_button.on_click(lambda _: self.reset())
        self.losses = []

        with matplotlib.rc_context({"font.size": 9}):
            fig, (self.ax_p, self.ax_g) = plt.subplots(1, 2, figsize=(6.0, 2.9))
        classes = np.arange(3)
        self.target_bars = self.ax_p.bar(classes, [0, 0, 0], width=0.75, fill=False, edgecolor="#333333",
                                         linestyle="--", lw=1.2, label="target y")
        self.prob_bars = self.ax_p.bar(classes, [0, 0, 0], width=0.55, color="#1f4e9c", label="softmax ŷ")
        self.prob_text = [self.ax_p.text(j, 0, "", ha="center", va="bottom", fontsize=8) for j in classes]
        self.ax_p.set_ylim(0, 1.3)
        self.ax_p.set_yticks(np.linspace(0, 1, 6))
        self.ax_p.set_xticks(classes, [f"class {j}" for j in classes])
        self.ax_p.set_ylabel("probability")
        self.ax_p.legend(loc="upper center", ncol=2, fontsize=7, frameon=False)
        self.grad_bars = self.ax_g.bar(classes, [0, 0, 0], width=0.55, color="#b3261e")
        self.grad_text = [self.ax_g.text(j, 0, "", ha="center", fontsize=8) for j in classes]
        self.ax_g.axhline(0, color="#555555", lw=0.8)
        self.ax_g.set_ylim(-1.25, 1.25)
        self.ax_g.set_xticks(classes, [f"dL/dz{j}" for j in classes])
        for ax in (self.ax_p, self.ax_g):
            ax.grid(alpha=0.3, axis="y")
        self.ax_p.set_title("probabilities ŷ and target y")
        self.ax_g.set_title("gradient", color="#b3261e")
        fig.tight_layout()
        controls = [*self.z, self.target, self.lr, widgets.HBox([self.step_button, self.reset_button])]
        super().__init__(controls, fig)
        self.redraw()

    def scores(self):
        return np.array([s.value for s in self.z])

    def state(self):
        """(probabilities, one-hot target, loss, gradient) at the current scores."""
        z = self.scores()
        e = np.exp(z - z.max())
        p = e / e.sum()
        y = np.eye(3)[self.target.value]
        return p, y, float(-np.log(p[self.target.value])), p - y

    def step(self):
        p, y, loss, grad = self.state()
        self.losses.append(loss)
        new = self.scores() - self.lr.value * grad
        # on the sliders' grid (0.05), as the browser would round them, and within their range
        new = np.clip(np.round(new / self.z0.step) * self.z0.step, self.z0.min, self.z0.max)
        self.set_values(**{f"z{j}": round(float(new[j]), 2) for j in range(3)})

    def reset(self):
        self.losses = []
        scores, target = self.start
        self.set_values(target=target, **{f"z{j}": scores[j] for j in range(3)})

    def update(self):
        p, y, loss, grad = self.state()
        for j in range(3):
            self.prob_bars[j].set_height(p[j])
            self.target_bars[j].set_height(y[j])
            self.prob_text[j].set_position((j, p[j] + 0.02))
            self.prob_text[j].set_text(f"{p[j]:.4f}")
            self.grad_bars[j].set_height(grad[j])
            self.grad_text[j].set_position((j, grad[j] + (0.05 if grad[j] >= 0 else -0.05)))
            self.grad_text[j].set_verticalalignment("bottom" if grad[j] >= 0 else "top")
            self.grad_text[j].set_text(f"{grad[j]:+.4f}")
        self.ax_g.set_title(f"gradient ŷ − y;  loss L = {loss:.4f}", color="#b3261e")
        c = self.target.value
        z = self.scores()
        trail = ""
        if self.losses:
            trail = "<br>loss at the steps so far: " + ", ".join(f"{v:.3f}" for v in self.losses[-5:])
        self.readout.value = (
            f"$z = ({z[0]:.2f},\\ {z[1]:.2f},\\ {z[2]:.2f})$<br>"
            f"$\\hat y = \\mathrm{{softmax}}(z) = ({p[0]:.4f},\\ {p[1]:.4f},\\ {p[2]:.4f})$<br>"
            f"$L = -\\log \\hat y_{c} = {loss:.4f}$<br>"
            f"$\\partial L/\\partial z = \\hat y - y$<br>"
            f"$\\quad = ({grad[0]:+.4f},\\ {grad[1]:+.4f},\\ {grad[2]:+.4f})$<br>"
            f"its entries add up to {abs(grad.sum()):.4f}: raising every score alike changes nothing"
            f"{trail}"
        )


class TrainingMonitor(widgets.VBox):
    """A live view of training: a progress bar and a line of numbers updated every epoch, and a
    figure (loss, accuracy and, for data in the plane, the decision boundary) redrawn every
    `every` epochs. Call `update(...)` once per epoch; it works the same when nobody watches
    (a notebook run headless): the figure is in `monitor.image.value` as PNG bytes.

    epochs    how many epochs the training will run
    boundary  (X, y) points in the plane, to draw the classifier's regions under them; or None
    """

    def __init__(self, epochs, every=5, boundary=None, title="training", dpi=80, resolution=120):
        if not isinstance(epochs, (int, np.integer)) or epochs < 1:
            raise ValueError(f"epochs must be a positive whole number, but is {epochs!r}.")
        if not isinstance(every, (int, np.integer)) or every < 1:
            raise ValueError(f"every must be a positive whole number of epochs, but is {every!r}.")
        self.epochs, self.every, self.dpi = int(epochs), int(every), dpi
        self.history = {"epoch": [], "loss": [], "accuracy": [], "test accuracy": []}
        self.frames = 0
        self.drawing_seconds = 0.0  # time spent drawing, so that training can be timed without it
        self.progress = widgets.IntProgress(value=0, min=0, max=self.epochs, description=title,
                                            style={"description_width": "initial", "bar_color": "#1f4e9c"},
                                            layout=widgets.Layout(width="300px"))
        self.status = widgets.HTML("")
        panels = 3 if boundary is not None else 2
        width = f"{int(3.3 * panels * dpi)}px"  # the figure's own size: stretched, it would blur
        self.image = widgets.Image(format="png", layout=widgets.Layout(width=width, max_width="100%", height="auto"))
        self.image.add_class("bp-monitor-figure")
        super().__init__([widgets.HBox([self.progress, self.status]), self.image])
        self.add_class("bp-monitor")

        with matplotlib.rc_context({"font.size": 9}):
            self.fig, axes = plt.subplots(1, panels, figsize=(3.3 * panels, 2.9))
        FigureCanvasAgg(self.fig)
        plt.close(self.fig)
        self.ax_loss, self.ax_acc = axes[0], axes[1]
        self.loss_line, = self.ax_loss.plot([], [], color="#1f4e9c")
        self.ax_loss.set_yscale("log")
        self.ax_loss.set_xlim(0, self.epochs)
        self.ax_loss.set_xlabel("epoch")
        self.ax_loss.set_title("loss")
        self.acc_line, = self.ax_acc.plot([], [], color="#1f4e9c", label="training")
        self.test_line, = self.ax_acc.plot([], [], color="#f28e2b", label="test")
        self.ax_acc.set_xlim(0, self.epochs)
        self.ax_acc.set_ylim(0, 1.02)
        self.ax_acc.set_xlabel("epoch")
        self.ax_acc.set_title("accuracy")
        for ax in (self.ax_loss, self.ax_acc):
            ax.grid(alpha=0.3)
        self.ax_boundary = None
        if boundary is not None:
            X, y = boundary
            if X.ndim != 2 or X.shape[1] != 2:
                raise ValueError(f"boundary must be (X, y) with X of shape (m, 2), points in the plane, "
                                 f"but X has shape {X.shape}.")
            from matplotlib.colors import ListedColormap

            from backprop.plots import CLASS_COLOURS

            self.ax_boundary = axes[2]
            k = int(y.max()) + 1
            cmap = ListedColormap(CLASS_COLOURS[:k])
            pad = 0.25 * (X.max(axis=0) - X.min(axis=0))
            lo, hi = X.min(axis=0) - pad, X.max(axis=0) + pad
            gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
            self.grid = np.column_stack([gx.ravel(), gy.ravel()])
            self.regions = self.ax_boundary.imshow(
                np.zeros(gx.shape), origin="lower", extent=(lo[0], hi[0], lo[1], hi[1]), cmap=cmap,
                vmin=-0.5, vmax=k - 0.5, alpha=0.25, aspect="auto", interpolation="nearest")
            self.ax_boundary.scatter(X[:, 0], X[:, 1], c=y, cmap=cmap, vmin=-0.5, vmax=k - 0.5, s=8,
                                     edgecolors="k", linewidths=0.3)
            self.ax_boundary.set_xticks([])
            self.ax_boundary.set_yticks([])
            self.ax_boundary.set_title("decision regions")
        self.fig.tight_layout()

    def update(self, epoch, loss, accuracy=None, test_accuracy=None, predict=None):
        """Record one epoch (counted from 0); redraw the figure every `every` epochs and at the last.

        predict  a function (n, 2) -> (n, k) scores, for the decision regions
        """
        loss = float(loss)
        if not np.isfinite(loss):
            raise ValueError(f"loss is {loss} at epoch {epoch}: training diverged (is the learning rate too large?).")
        h = self.history
        h["epoch"].append(epoch + 1)
        h["loss"].append(loss)
        h["accuracy"].append(np.nan if accuracy is None else float(accuracy))
        h["test accuracy"].append(np.nan if test_accuracy is None else float(test_accuracy))
        self.progress.value = min(epoch + 1, self.epochs)
        parts = [f"epoch {epoch + 1}/{self.epochs}", f"loss {loss:.4f}"]
        if accuracy is not None:
            parts.append(f"training {100 * accuracy:.1f}%")
        if test_accuracy is not None:
            parts.append(f"test {100 * test_accuracy:.1f}%")
        self.status.value = "&nbsp;&nbsp;" + " &middot; ".join(parts)
        if (epoch + 1) % self.every == 0 or epoch + 1 >= self.epochs or epoch == 0:
            self.redraw(predict)

    def redraw(self, predict=None):
        start = time.perf_counter()
        h = self.history
        self.loss_line.set_data(h["epoch"], h["loss"])
        losses = np.array(h["loss"])
        self.ax_loss.set_ylim(losses.min() / 1.5, losses.max() * 1.5)
        self.acc_line.set_data(h["epoch"], h["accuracy"])
        self.test_line.set_data(h["epoch"], h["test accuracy"])
        accuracies = np.array(h["accuracy"] + h["test accuracy"])
        if not np.all(np.isnan(accuracies)):  # zoom in on the accuracies reached so far
            self.ax_acc.set_ylim(max(0.0, np.nanmin(accuracies) - 0.05), 1.01)
        if not np.all(np.isnan(h["test accuracy"])) and not self.ax_acc.get_legend():
            self.ax_acc.legend(loc="lower right", fontsize=8)
        if self.ax_boundary is not None and predict is not None:
            scores = np.asarray(predict(self.grid))
            self.regions.set_data(scores.argmax(axis=1).reshape(self.regions.get_array().shape))
            self.ax_boundary.set_title(f"decision regions, epoch {h['epoch'][-1]}")
        buffer = io.BytesIO()
        self.fig.savefig(buffer, format="png", dpi=self.dpi)
        self.image.value = buffer.getvalue()
        self.frames += 1
        self.drawing_seconds += time.perf_counter() - start


# --- lesson 07: gradient checking ------------------------------------------------------------


class FiniteDifferenceExplorer(Explorer):
    """The slope of lesson 01's sigmoid neuron loss L(w) = (sigmoid(w x + b) - y)**2, measured by
    nudging w by h: one-sided (L(w + h) - L(w)) / h and centred (L(w + h) - L(w - h)) / 2h.

    Left: L(w) with the exact tangent and the two secant lines the differences measure.
    Right: the relative error of each estimate against h (log-log), over the bands of a
    float64 gradient check, with the current h marked. The precision switch computes the
    loss in float32 instead of float64.
    """

    def __init__(self, w=0.5, log_h=-2.0, x=2.0, b=0.0, y=1.0):
        if not -1.5 <= w <= 2.5:
            raise ValueError(f"w must lie between -1.5 and 2.5 (the slider's range), but is {w!r}.")
        if not -13.0 <= log_h <= -0.5:
            raise ValueError(f"log_h, the base-10 logarithm of the step, must lie between -13 and -0.5, "
                             f"but is {log_h!r}.")
        self.x, self.b, self.y = x, b, y
        self.w = _slider("w", w, -1.5, 2.5, 0.05)
        self.log_h = _slider("log\u2081\u2080 h", log_h, -13.0, -0.5, 0.25)
        self.log_h.style.description_width = "4.5em"
        self.precision = widgets.ToggleButtons(options=["float64", "float32"], value="float64",
                                               style={"button_width": "80px"})
        self.hs = 10.0 ** np.linspace(-13.5, -0.25, 80)

        with matplotlib.rc_context({"font.size": 9}):
            fig, (self.ax_f, self.ax_e) = plt.subplots(1, 2, figsize=(6.4, 3.0))
        self.ws = np.linspace(w - 1.0, w + 1.0, 120)
        self.curve, = self.ax_f.plot(self.ws, self.ws * 0, color="#1f4e9c", lw=1.5, label="L(w)")
        self.tangent, = self.ax_f.plot([], [], color="#333333", lw=1, ls=":", label="exact slope")
        self.one_sided_line, = self.ax_f.plot([], [], color="#d4a72c", lw=1.3, label="one-sided")
        self.centred_line, = self.ax_f.plot([], [], color="#b3261e", lw=1.3, label="centred")
        self.points, = self.ax_f.plot([], [], "o", color="#b3261e", ms=4)
        self.ax_f.set_xlabel("w")
        self.ax_f.set_ylim(-0.05, 1.05)
        self.ax_f.legend(loc="upper right", fontsize=7, frameon=False)
        self.ax_f.grid(alpha=0.3)
        from backprop.plots import shade_error_bands

        shade_error_bands(self.ax_e)
        self.one_sided_curve, = self.ax_e.loglog(self.hs, self.hs, color="#d4a72c", lw=1.3, label="one-sided")
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
        verdict = "agree" if now[1] < 1e-7 else ("look closer" if now[1] < 1e-4 else "disagree: a bug?")
        self.readout.value = (
            f"exact $\\partial L/\\partial w = {exact:.10f}$<br>"
            f"one-sided $= {one_sided:.10f}$<br>&emsp;relative error {now[0]:.1e}<br>"
            f"centred $= {centred:.10f}$<br>&emsp;relative error {now[1]:.1e}: <b>{verdict}</b><br>"
            f"in {self.precision.value}, with h = {h:.1e}"
        )
