"""Lesson 09, training in practice: the explorer.

    RegularisationExplorer  A wide network overfitting a small noisy problem, with L2 and dropout to hold it back
"""

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from backprop.explorers.base import Explorer, make_slider
from backprop.plots import CLASS_COLOURS, CLASS_MARKERS

__all__ = ["RegularisationExplorer"]


class RegularisationExplorer(Explorer):
    """A wide network overfitting a small noisy problem, with L2 and dropout to hold it back.

    Data: data.xor_blobs, 48 training points (large, outlined) and 1000 test points (small).
    Network: 2 -> 100 -> 100 -> 2, ReLU, He initialisation, a Dropout after each hidden layer,
    full-batch gradient descent on softmax cross-entropy plus (lam / 2) * sum of W**2.
    'Train' runs `steps_per_click` steps with the current lam and p_drop; 'Reset' restarts from
    the same initial weights. Left: the predicted class over the plane; right: the training
    and test loss so far. The readout compares the two pulls on the weights at this moment:
    the gradient of the data loss and the gradient lam * W of the penalty.
    """

    def __init__(self, lam=0.0, p_drop=0.0, steps_per_click=250, lr=0.3, hidden=100, seed=0):
        from backprop import data
        from backprop.layers import SoftmaxCrossEntropy

        self.X, self.y = data.xor_blobs(12, 0.8, seed=1)
        self.X_test, self.y_test = data.xor_blobs(250, 0.8, seed=2)
        self.loss_fn = SoftmaxCrossEntropy()
        self.steps_per_click, self.lr, self.hidden, self.seed = steps_per_click, lr, hidden, seed
        self.lam = make_slider("\u03bb", lam, 0.0, 0.05, 0.001, fmt=".3f")
        self.p_drop = make_slider("p drop", p_drop, 0.0, 0.7, 0.05)
        self.lam.style.description_width = "4em"
        self.p_drop.style.description_width = "4em"
        self.step_button = widgets.Button(description=f"Train {steps_per_click} steps", button_style="primary",
                                          icon="play")
        self.reset_button = widgets.Button(description="Reset", icon="refresh")
        self.step_button.add_class("bp-train")
        self.reset_button.add_class("bp-reset")
        self.step_button.on_click(lambda _: self.train())
        self.reset_button.on_click(lambda _: self.reset())

        lo, hi = -3.2, 3.2
        self.grid_x = np.linspace(lo, hi, 70)
        gx, gy = np.meshgrid(self.grid_x, self.grid_x)
        self.grid = np.column_stack([gx.ravel(), gy.ravel()])
        with matplotlib.rc_context({"font.size": 9}):
            fig, (self.ax_plane, self.ax_loss) = plt.subplots(1, 2, figsize=(6.6, 3.0),
                                                              gridspec_kw={"width_ratios": [1, 1.15]})
        cmap = ListedColormap(["#cce3f0", "#f7dccb"])  # CLASS_COLOURS' first two, pale
        self.regions = self.ax_plane.imshow(np.zeros((70, 70)), origin="lower", extent=(lo, hi, lo, hi), cmap=cmap,
                                            vmin=0, vmax=1, interpolation="nearest", aspect="auto")
        colours = np.array(CLASS_COLOURS[:2])
        self.ax_plane.scatter(self.X_test[:, 0], self.X_test[:, 1], c=colours[self.y_test], s=2, alpha=0.35)
        for k in (0, 1):  # a marker of its own per class, besides its colour
            self.ax_plane.scatter(self.X[self.y == k, 0], self.X[self.y == k, 1], color=colours[k], s=22,
                                  marker=CLASS_MARKERS[k], edgecolors="k", linewidths=0.6)
        self.ax_plane.set_xlim(lo, hi)
        self.ax_plane.set_ylim(lo, hi)
        self.ax_plane.set_xticks([])
        self.ax_plane.set_yticks([])
        self.ax_plane.set_title("predicted class", fontsize=9)
        self.train_line, = self.ax_loss.plot([], [], color="#1f4e9c", label="training loss")
        self.test_line, = self.ax_loss.plot([], [], color="#b3261e", ls="--", label="test loss")
        self.ax_loss.set_yscale("log")
        self.ax_loss.set_ylim(1e-3, 5)
        # plain-text tick labels: mathtext ones would double the time of a redraw
        self.ax_loss.yaxis.set_major_locator(FixedLocator([1e-3, 1e-2, 1e-1, 1]))
        self.ax_loss.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        self.ax_loss.yaxis.set_minor_locator(NullLocator())
        self.ax_loss.set_xlabel("step")
        self.ax_loss.grid(alpha=0.3)
        self.ax_loss.legend(fontsize=8, loc="lower left")
        fig.tight_layout()
        controls = [self.lam, self.p_drop, widgets.HBox([self.step_button, self.reset_button])]
        super().__init__(controls, fig)
        self.reset()

    def reset(self):
        """Back to the initial weights, with no training history."""
        from backprop.layers import Dropout, Linear, ReLU, Sequential, set_training

        rng = np.random.default_rng(self.seed)
        h = self.hidden
        self.dropouts = [Dropout(0.0, np.random.default_rng(self.seed + 1)),
                         Dropout(0.0, np.random.default_rng(self.seed + 2))]
        self.net = Sequential(
            Linear(rng.standard_normal((2, h)) * np.sqrt(2 / 2), np.zeros(h)), ReLU(), self.dropouts[0],
            Linear(rng.standard_normal((h, h)) * np.sqrt(2 / h), np.zeros(h)), ReLU(), self.dropouts[1],
            Linear(rng.standard_normal((h, 2)) * np.sqrt(2 / h), np.zeros(2)),
        )
        set_training(self.net, False)
        self.steps, self.history = 0, {"step": [], "train": [], "test": []}
        self._evaluate()
        self.redraw()

    def train(self, steps=None):
        """Run gradient descent with the current lam and p_drop, then redraw."""
        from backprop.layers import set_training, sgd_step

        lam = self.lam.value
        for layer in self.dropouts:
            layer.p_drop = self.p_drop.value
        set_training(self.net, True)
        for _ in range(self.steps_per_click if steps is None else steps):
            out, caches = self.net.forward(self.X)
            _, cache = self.loss_fn.forward(out, self.y)
            _, grads = self.net.backward(self.loss_fn.backward(1.0, cache)[0], caches)
            grads = [{k: g[k] + lam * p[k] if k == "W" else g[k] for k in g} for p, g in zip(self.net.params, grads)]
            sgd_step(self.net.params, grads, self.lr)
            self.steps += 1
            if self.steps % 25 == 0:
                self._evaluate(regions=False)
        set_training(self.net, False)  # the figure and readout show the network in evaluation mode
        self._evaluate()
        self.redraw()

    def _evaluate(self, regions=True):
        """Record the losses (dropout off) and, unless regions=False, recompute the predicted regions."""
        from backprop.layers import set_training

        training = self.dropouts[0].training
        set_training(self.net, False)
        if not self.history["step"] or self.history["step"][-1] != self.steps:
            self.history["step"].append(self.steps)
            self.history["train"].append(self.loss_fn.forward(self.net.predict(self.X), self.y)[0])
            self.history["test"].append(self.loss_fn.forward(self.net.predict(self.X_test), self.y_test)[0])
        if regions:
            self.region_values = self.net.predict(self.grid).argmax(axis=1).reshape(len(self.grid_x), -1)
        set_training(self.net, training)  # back to the mode it was in: training goes on with dropout

    def gradient_parts(self):
        """(|gradient of the data loss wrt all W|, |lam * W|, |W|) at the current weights, dropout off."""
        from backprop.layers import set_training

        training = self.dropouts[0].training
        set_training(self.net, False)
        out, caches = self.net.forward(self.X)
        _, cache = self.loss_fn.forward(out, self.y)
        _, grads = self.net.backward(self.loss_fn.backward(1.0, cache)[0], caches)
        set_training(self.net, training)
        weights = [p["W"] for p in self.net.params if "W" in p]
        data_part = np.sqrt(sum(np.sum(g["W"] ** 2) for g in grads if "W" in g))
        norm_w = np.sqrt(sum(np.sum(W**2) for W in weights))
        return float(data_part), float(self.lam.value * norm_w), float(norm_w)

    def accuracy(self, X, y):
        return float(np.mean(self.net.predict(X).argmax(axis=1) == y))

    def update(self):
        self.regions.set_data(self.region_values)
        steps = np.array(self.history["step"])
        self.train_line.set_data(steps, np.maximum(self.history["train"], 1e-4))
        self.test_line.set_data(steps, self.history["test"])
        self.ax_loss.set_xlim(0, max(self.steps, self.steps_per_click))
        self.ax_loss.set_title(f"losses after {self.steps} steps", fontsize=9)
        data_part, penalty_part, norm_w = self.gradient_parts()
        self.values = {
            "steps": self.steps, "train_loss": self.history["train"][-1], "test_loss": self.history["test"][-1],
            "train_accuracy": self.accuracy(self.X, self.y), "test_accuracy": self.accuracy(self.X_test, self.y_test),
            "data_gradient": data_part, "penalty_gradient": penalty_part, "weight_norm": norm_w,
        }
        v = self.values
        self.readout.value = (
            f"after {v['steps']} steps:<br>"
            f"training: loss {v['train_loss']:.3f}, accuracy {100 * v['train_accuracy']:.0f}%<br>"
            f"test: loss {v['test_loss']:.3f}, accuracy {100 * v['test_accuracy']:.0f}%<br>"
            f"size of all weights $\\|W\\| = {norm_w:.2f}$<br>"
            f"pull of the data $\\|\\partial L/\\partial W\\| = {data_part:.4f}$<br>"
            f"pull of the penalty $\\|\\lambda W\\| = {penalty_part:.4f}$"
        )
