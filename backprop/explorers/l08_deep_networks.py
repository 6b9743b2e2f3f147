"""Lesson 08, deep networks: the explorer.

    DeepGradientExplorer  How large the gradient is at every layer of a deep network ...
"""

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np

from backprop.explorers.base import Explorer, sci_text

__all__ = ["DeepGradientExplorer"]


class DeepGradientExplorer(Explorer):
    """How large the gradient is at every layer of a deep network, and how spread the activations are.

    A stack of `depth` hidden layers of `width` units (activation after each) and a linear
    output layer, on a fixed batch of handwritten digits (inputs standardised) with a softmax
    cross-entropy loss. Left: the norm of dL/dW for each layer, input side on the left, on a
    log scale. Right: the standard deviation of each hidden layer's activations. The network is
    layers.deep_network(sizes, activation, init, rng=np.random.default_rng(seed)), the one lesson 08
    measures: changing the activation or the initialisation keeps the same random numbers, only
    scaled differently.
    """

    MAX_DEPTH = 30
    LOG_FLOOR = -40  # log10 of the smallest norm drawn; an exactly zero gradient is drawn at it

    def __init__(self, depth=20, activation="sigmoid", init="xavier", width=64, batch=128, seed=0):
        from backprop import data
        from backprop.layers import ACTIVATIONS, SoftmaxCrossEntropy

        X_train, y_train, _, _ = data.digits_split()
        mean, std = X_train.mean(axis=0), X_train.std(axis=0)
        X = (X_train - mean) / np.where(std > 0, std, 1.0)
        self.X, self.y = X[:batch], y_train[:batch]
        self.width = width
        self.loss_fn = SoftmaxCrossEntropy()
        self.activations = ACTIVATIONS
        self.seed = seed

        self.depth = widgets.IntSlider(value=depth, min=1, max=self.MAX_DEPTH, description="depth",
                                       continuous_update=True, style={"description_width": "4em"},
                                       layout=widgets.Layout(width="260px"))
        self.activation = widgets.ToggleButtons(options=["sigmoid", "tanh", "relu"], value=activation,
                                                style={"button_width": "80px"})
        self.init = widgets.ToggleButtons(
            options=[("small", "small"), ("Xavier", "xavier"), ("He", "he"), ("large", "large")], value=init,
            style={"button_width": "64px"},
            tooltips=["0.01 N(0, 1)", "sqrt(2/(n_in+n_out)) N(0, 1)", "sqrt(2/n_in) N(0, 1)", "N(0, 1)"])
        for toggle in (self.activation, self.init):
            toggle.layout = widgets.Layout(width="auto")
        self.activation.add_class("bp-activation")
        self.init.add_class("bp-init")

        with matplotlib.rc_context({"font.size": 9}):
            fig, (self.ax_grad, self.ax_act) = plt.subplots(1, 2, figsize=(6.6, 3.0),
                                                            gridspec_kw={"width_ratios": [1.35, 1]})
        n = self.MAX_DEPTH + 1
        # log10 of the norms on a linear axis, labelled as powers of ten (plain text renders fast)
        self.bars = self.ax_grad.bar(np.arange(1, n + 1), np.zeros(n), bottom=self.LOG_FLOOR,
                                     color="#b3261e", width=0.8)
        self.ax_grad.set_ylim(self.LOG_FLOOR, 25)
        _power_ticks(self.ax_grad, range(-40, 21, 10))
        self.ax_grad.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        self.ax_grad.set_xlabel("layer (1 = next to the input)")
        self.ax_grad.set_ylabel("\u2016\u2202L/\u2202W\u2016 of the layer")
        self.ax_grad.grid(alpha=0.3, axis="y")
        self.ax_grad.axhline(0.0, color="#555555", lw=0.8, ls=":")
        self.act_line, = self.ax_act.plot([], [], "o-", color="#1f4e9c", ms=3)
        self.ax_act.axhline(0.0, color="#555555", lw=0.8, ls=":")  # the inputs' spread: 1 (standardised)
        self.ax_act.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        self.ax_act.set_xlabel("hidden layer")
        self.ax_act.set_ylabel("std of its activations")
        self.ax_act.grid(alpha=0.3)
        self.ax_act.set_title("forward: activations", fontsize=9)
        fig.tight_layout()
        controls = [self.depth, widgets.HTML("activation"), self.activation,
                    widgets.HTML("initialisation"), self.init]
        super().__init__(controls, fig)
        self.redraw()

    def network(self):
        """The Sequential for the current controls: deep_network(..., rng=np.random.default_rng(seed))."""
        from backprop.layers import deep_network

        sizes = [self.X.shape[1]] + [self.width] * self.depth.value + [10]
        return deep_network(sizes, activation=self.activation.value, init=self.init.value,
                            rng=np.random.default_rng(self.seed))

    def measure(self):
        """(loss, gradient norm per Linear layer, std of each hidden layer's activations)."""
        net = self.network()
        with np.errstate(all="ignore"):
            out, caches = net.forward(self.X)
            loss, cache = self.loss_fn.forward(out, self.y)
            _, grads = net.backward(self.loss_fn.backward(1.0, cache)[0], caches)
        norms = np.array([np.linalg.norm(g["W"]) for g in grads if "W" in g])
        # the input of every Linear after the first is a hidden layer's activation
        spreads = np.array([caches[k].std() for k in range(2, len(caches), 2)])
        return loss, norms, spreads

    def update(self):
        loss, norms, spreads = self.measure()
        depth = self.depth.value
        with np.errstate(divide="ignore"):
            heights = np.clip(np.log10(norms), self.LOG_FLOOR, 24) - self.LOG_FLOOR
        for k, bar in enumerate(self.bars):
            bar.set_visible(k <= depth)
            if k <= depth:
                bar.set_height(heights[k])
        self.ax_grad.set_xlim(0.3, depth + 1.7)
        self.ax_grad.set_title(f"backward: gradient per layer (loss {loss:.3g})", fontsize=9)
        with np.errstate(divide="ignore"):
            logs = np.clip(np.log10(spreads), self.LOG_FLOOR, 24)
        self.act_line.set_data(np.arange(1, depth + 1), logs)
        self.ax_act.set_xlim(0.5, max(depth, 1) + 0.5)
        # a y-range that fits the spreads, so that 0.1 and 0.2 look different, with 1 always in view
        low, high = int(np.floor(min(logs.min(), -1.0) - 0.3)), int(np.ceil(max(logs.max(), 0.5) + 0.3))
        step = next(s for s in (1, 2, 5, 10, 20) if (high - low) / s <= 6)
        self.ax_act.set_ylim(low, high)
        _power_ticks(self.ax_act, [k for k in range(low, high + 1) if k % step == 0])
        first, last = norms[0], norms[-1]
        ratio = first / last if last > 0 else float("inf")
        lines = [
            f"loss $L = {sci_text(loss)}$",
            f"$\\|\\partial L/\\partial W\\|$ at layer 1: ${sci_text(first)}$",
            f"at layer {depth + 1} (output): ${sci_text(last)}$",
            f"layer 1 / output: ${sci_text(ratio)}$",
        ]
        if self.activation.value == "sigmoid":
            lines.append(f"{depth} sigmoid slopes multiply to at most $0.25^{{{depth}}} = {sci_text(0.25 ** depth)}$ "
                         f"(the ratio above also holds the weights and the layers' inputs)")
        dead = int(np.sum(norms == 0))
        if dead:
            lines.append(f"{dead} layer(s) get a gradient of exactly 0 (drawn at the bottom)")
        self.readout.value = "<br>".join(lines)
        self.values = {"loss": loss, "norms": norms, "spreads": spreads, "ratio": ratio}


_SUPERSCRIPT = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")


def _power_ticks(ax, exponents):
    """Label a linear axis of log10 values as powers of ten, in plain text (10\u207b\u00b2\u2070)."""
    exponents = list(exponents)
    ax.set_yticks(exponents, ["1" if k == 0 else "10" + str(k).translate(_SUPERSCRIPT) for k in exponents])
