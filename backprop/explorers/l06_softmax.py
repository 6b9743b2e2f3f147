"""Lesson 06, softmax, cross-entropy and a batched classifier: the explorer.

    SoftmaxExplorer  Three scores, their softmax probabilities, the cross-entropy and its gradient y_hat - y
    TrainingMonitor  A live view of training
"""

import time

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.ticker import FuncFormatter

from backprop.access import AltImage, LiveText, describe_figure
from backprop.explorers.base import Explorer, figure_png, make_slider, own_canvas

__all__ = ["SoftmaxExplorer", "TrainingMonitor"]


class SoftmaxExplorer(Explorer):
    """Three scores, their softmax probabilities, the cross-entropy and its gradient y_hat - y.

    Left: the probabilities y_hat (bars) and the one-hot target y (outlined). Right: the
    gradient dL/dz = y_hat - y, one bar per score, with the loss in the title. 'Take a step'
    moves the scores against the gradient, z <- z - lr (y_hat - y): the true class's score
    rises, the others fall, each by lr times its probability. '+1 to every score' raises all
    three together, which changes nothing (it is disabled when a score would pass the sliders' 6).
    """

    def __init__(self, scores=(2.0, 1.0, 0.1), target=0, lr=1.0):
        scores = np.asarray(scores, dtype=np.float64)
        if scores.shape != (3,):
            raise ValueError(f"scores must be 3 numbers, one per class, but has shape {scores.shape}.")
        if target not in (0, 1, 2):
            raise ValueError(f"target must be the class 0, 1 or 2, but is {target!r}.")
        self.start = (tuple(float(s) for s in scores), target)
        self.z = [make_slider(f"z{j}", float(scores[j]), -6.0, 6.0, 0.05) for j in range(3)]
        self.z0, self.z1, self.z2 = self.z
        self.target = widgets.ToggleButtons(options=[("0", 0), ("1", 1), ("2", 2)], value=target,
                                            description="true class", tooltips=["class 0", "class 1", "class 2"],
                                            style={"description_width": "5.5em", "button_width": "48px"})
        self.lr = make_slider("lr", lr, 0.1, 3.0, 0.1)
        self.step_button = widgets.Button(description="Take a step", button_style="primary", icon="arrow-down")
        self.reset_button = widgets.Button(description="Reset", icon="refresh")
        self.shift_button = widgets.Button(description="+1 to every score", icon="plus",
                                           tooltip="raise z0, z1 and z2 together: softmax does not change",
                                           layout=widgets.Layout(width="auto"))
        self.step_button.add_class("bp-step")
        self.shift_button.add_class("bp-shift")
        self.step_button.on_click(lambda _: self.step())
        self.reset_button.on_click(lambda _: self.reset())
        self.shift_button.on_click(lambda _: self.shift())
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
        controls = [*self.z, self.shift_button, self.target, self.lr,
                    widgets.HBox([self.step_button, self.reset_button])]
        super().__init__(controls, fig)
        self.redraw()

    def shift(self, amount=1.0):
        """Add the same amount to every score (the button: +1), if they all stay on the sliders."""
        new = self.scores() + amount
        if new.max() <= self.z0.max + 1e-9 and new.min() >= self.z0.min - 1e-9:
            self.set_values(**{f"z{j}": round(float(new[j]), 2) for j in range(3)})

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
        self.ax_g.set_title(f"gradient ŷ − y,  L = {loss:.4f}", color="#b3261e")
        c = self.target.value
        z = self.scores()
        self.shift_button.disabled = bool(z.max() + 1.0 > self.z0.max + 1e-9)  # the sliders end at 6
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
        self.title = title
        # the status line, said by a screen reader once training pauses or ends (not at every epoch)
        self.live = LiveText(region_class="bp-monitor-live", settle_ms=1500)
        panels = 3 if boundary is not None else 2
        width = f"{int(3.3 * panels * dpi)}px"  # the figure's own size: stretched, it would blur
        self.image = AltImage(image_class="bp-monitor-figure",
                              layout=widgets.Layout(width=width, max_width="100%", height="auto"))
        super().__init__([widgets.HBox([self.progress, self.status]), self.live, self.image])
        self.add_class("bp-monitor")

        with matplotlib.rc_context({"font.size": 9}):
            self.fig, axes = plt.subplots(1, panels, figsize=(3.3 * panels, 2.9))
        plt.close(self.fig)
        self.ax_loss, self.ax_acc = axes[0], axes[1]
        self.loss_line, = self.ax_loss.plot([], [], color="#1f4e9c", label="the training loss")
        # the latest epoch, drawn whole even at epoch 1, where it sits on the axis's left edge
        self.loss_dot, = self.ax_loss.plot([], [], "o", color="#1f4e9c", ms=3.5, clip_on=False)
        self.ax_loss.set_yscale("log")
        # plain tick labels (1, 0.5, 0.1): log-scale labels such as 4x10^-1 are wide and get cut off
        self.ax_loss.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        self.ax_loss.yaxis.set_minor_formatter(FuncFormatter(self._minor_label))
        self.ax_loss.set_xlim(0, self.epochs)
        self.ax_loss.set_xlabel("epoch")
        self.ax_loss.set_title("loss")
        self.acc_line, = self.ax_acc.plot([], [], color="#1f4e9c", label="training")
        self.test_line, = self.ax_acc.plot([], [], color="#c24f00", ls="--", label="test")
        self.acc_dots, = self.ax_acc.plot([], [], "o", color="#1f4e9c", ms=3.5, clip_on=False)
        self.test_dots, = self.ax_acc.plot([], [], "s", color="#c24f00", ms=3.5, clip_on=False)
        for dot in (self.loss_dot, self.acc_dots, self.test_dots):
            dot.set_in_layout(False)  # unclipped and still empty, it would make tight_layout give up
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

            from backprop.plots import CLASS_COLOURS, CLASS_MARKERS

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
            for j in range(k):  # a marker of its own per class, besides its colour
                self.ax_boundary.scatter(X[y == j, 0], X[y == j, 1], color=CLASS_COLOURS[j], s=9,
                                         marker=CLASS_MARKERS[j], edgecolors="k", linewidths=0.3)
            self.ax_boundary.set_xticks([])
            self.ax_boundary.set_yticks([])
            self.ax_boundary.set_title("decision regions")
        self.fig.tight_layout()
        self.fig.subplots_adjust(left=max(self.fig.subplotpars.left, 0.42 / (3.3 * panels)))  # room for "0.05"
        if isinstance(self.fig.get_layout_engine(), PlaceHolderLayoutEngine):
            self.fig.set_layout_engine(None)  # laid out once, not at every redraw
        own_canvas(self.fig, dpi)

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
        self.live.text = f"{self.title}: " + ", ".join(parts)
        if (epoch + 1) % self.every == 0 or epoch + 1 >= self.epochs or epoch == 0:
            self.redraw(predict)

    def _minor_label(self, value, _):
        """Label every minor tick when the loss spans less than a factor 4 (the first epochs), the
        ticks 2 and 5 of each decade when it spans less than two decades, and none otherwise."""
        low, high = self.ax_loss.get_ylim()
        digit = round(value / 10.0 ** np.floor(np.log10(value) + 1e-9), 6)
        shown = high / low < 4 or (high / low < 100 and digit in (2.0, 5.0))
        return f"{value:g}" if shown else ""

    def redraw(self, predict=None):
        start = time.perf_counter()
        h = self.history
        self.loss_line.set_data(h["epoch"], h["loss"])
        self.loss_dot.set_data(h["epoch"][-1:], h["loss"][-1:])
        losses = np.array(h["loss"])
        self.ax_loss.set_ylim(losses.min() / 1.5, losses.max() * 1.5)
        self.acc_line.set_data(h["epoch"], h["accuracy"])
        self.test_line.set_data(h["epoch"], h["test accuracy"])
        self.acc_dots.set_data(h["epoch"][-1:], h["accuracy"][-1:])
        self.test_dots.set_data(h["epoch"][-1:], h["test accuracy"][-1:])
        accuracies = np.array(h["accuracy"] + h["test accuracy"])
        if not np.all(np.isnan(accuracies)):  # zoom in on the accuracies reached so far
            self.ax_acc.set_ylim(max(0.0, np.nanmin(accuracies) - 0.05), 1.01)
        if not np.all(np.isnan(h["test accuracy"])) and not self.ax_acc.get_legend():
            self.ax_acc.legend(loc="lower right", fontsize=8)
        if self.ax_boundary is not None and predict is not None:
            scores = np.asarray(predict(self.grid))
            self.regions.set_data(scores.argmax(axis=1).reshape(self.regions.get_array().shape))
            self.ax_boundary.set_title(f"decision regions, epoch {h['epoch'][-1]}")
        self.image.value = figure_png(self.fig, self.dpi)
        self.image.alt = (f"Training {self.title}, after epoch {h['epoch'][-1]} of {self.epochs}. "
                          f"{describe_figure(self.fig)}")
        self.frames += 1
        self.drawing_seconds += time.perf_counter() - start
