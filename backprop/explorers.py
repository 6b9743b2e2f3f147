"""Interactive explorers: controls on the left of a figure that redraws as you move them.

Each explorer is a widget; show it by making it the last line of a cell. The figure is
drawn once and then only its data change, so moving a slider redraws in milliseconds.

    NeuronExplorer()   lesson 01: one neuron's loss, the tangent, and gradient steps
"""

import io

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator


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


# --- lesson 08: deep networks -----------------------------------------------------------


class DeepGradientExplorer(Explorer):
    """How large the gradient is at every layer of a deep network, and how spread the activations are.

    A stack of `depth` hidden layers of `width` units (activation after each) and a linear
    output layer, on a fixed batch of handwritten digits (inputs standardised) with a softmax
    cross-entropy loss. Left: the norm of dL/dW for each layer, input side on the left, on a
    log scale. Right: the standard deviation of each hidden layer's activations. The weights
    are drawn from the same random numbers whatever the controls, only scaled differently.
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
        rng = np.random.default_rng(seed)
        sizes = [X.shape[1]] + [width] * self.MAX_DEPTH
        # one standard normal matrix per possible layer, scaled by the chosen initialisation
        self.draws = [rng.standard_normal((n_in, width)) for n_in in sizes[:-1]]
        self.out_draws = rng.standard_normal((width, 10))
        self.out_draws_first = rng.standard_normal((X.shape[1], 10))  # depth 0: a linear classifier

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
        self.ax_grad.set_xlabel("layer (1 = next to the input)")
        self.ax_grad.set_ylabel("\u2016\u2202L/\u2202W\u2016 of the layer")
        self.ax_grad.grid(alpha=0.3, axis="y")
        self.ax_grad.axhline(0.0, color="#555555", lw=0.8, ls=":")
        self.act_line, = self.ax_act.plot([], [], "o-", color="#1f4e9c", ms=3)
        self.ax_act.set_ylim(-25, 25)
        _power_ticks(self.ax_act, range(-20, 21, 10))
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
        """The Sequential for the current controls (weights: the fixed draws times the init's scale)."""
        from backprop.layers import Linear, Sequential, init_std

        layers = []
        n_in = self.X.shape[1]
        for k in range(self.depth.value):
            W = self.draws[k][:n_in] * init_std(self.init.value, n_in, self.width)
            layers += [Linear(W, np.zeros(self.width)), self.activations[self.activation.value]()]
            n_in = self.width
        W = self.out_draws * init_std(self.init.value, n_in, 10)
        layers.append(Linear(W, np.zeros(10)))
        return Sequential(layers)

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
            self.act_line.set_data(np.arange(1, depth + 1), np.clip(np.log10(spreads), -24, 24))
        self.ax_act.set_xlim(0.5, max(depth, 1) + 0.5)
        first, last = norms[0], norms[-1]
        ratio = first / last if last > 0 else float("inf")
        lines = [
            f"loss $L = {_sci(loss)}$",
            f"$\\|\\partial L/\\partial W\\|$ at layer 1: ${_sci(first)}$",
            f"at layer {depth + 1} (output): ${_sci(last)}$",
            f"layer 1 / output: ${_sci(ratio)}$",
        ]
        if self.activation.value == "sigmoid":
            lines.append(f"$0.25^{{{depth}}} = {_sci(0.25 ** depth)}$: the most {depth} sigmoid slopes can give")
        dead = int(np.sum(norms == 0))
        if dead:
            lines.append(f"{dead} layer(s) get a gradient of exactly 0 (drawn at the bottom)")
        self.readout.value = "<br>".join(lines)
        self.values = {"loss": loss, "norms": norms, "spreads": spreads, "ratio": ratio}


def _sci(value):
    """A number for LaTeX: 0.1234 or 1.23 \\times 10^{-13}."""
    if not np.isfinite(value):
        return "\\infty"
    if value == 0:
        return "0"
    if 1e-3 <= abs(value) < 1e4:
        return f"{value:.4g}"
    mantissa, exponent = f"{value:.2e}".split("e")
    return f"{mantissa} \\times 10^{{{int(exponent)}}}"


_SUPERSCRIPT = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")


def _power_ticks(ax, exponents):
    """Label a linear axis of log10 values as powers of ten, in plain text (10\u207b\u00b2\u2070)."""
    exponents = list(exponents)
    ax.set_yticks(exponents, ["1" if k == 0 else "10" + str(k).translate(_SUPERSCRIPT) for k in exponents])


# --- lesson 09: training in practice ----------------------------------------------------


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
        self.lam = _slider("\u03bb", lam, 0.0, 0.05, 0.001, fmt=".3f")
        self.p_drop = _slider("p drop", p_drop, 0.0, 0.7, 0.05)
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
        cmap = ListedColormap(["#cfe0f5", "#fde0c5"])
        self.regions = self.ax_plane.imshow(np.zeros((70, 70)), origin="lower", extent=(lo, hi, lo, hi), cmap=cmap,
                                            vmin=0, vmax=1, interpolation="nearest", aspect="auto")
        colours = np.array(["#1f77b4", "#ff7f0e"])
        self.ax_plane.scatter(self.X_test[:, 0], self.X_test[:, 1], c=colours[self.y_test], s=2, alpha=0.35)
        self.ax_plane.scatter(self.X[:, 0], self.X[:, 1], c=colours[self.y], s=22, edgecolors="k", linewidths=0.6)
        self.ax_plane.set_xlim(lo, hi)
        self.ax_plane.set_ylim(lo, hi)
        self.ax_plane.set_xticks([])
        self.ax_plane.set_yticks([])
        self.ax_plane.set_title("predicted class", fontsize=9)
        self.train_line, = self.ax_loss.plot([], [], color="#1f4e9c", label="training loss")
        self.test_line, = self.ax_loss.plot([], [], color="#b3261e", label="test loss")
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
        from backprop.layers import Dropout, Linear, ReLU, Sequential

        rng = np.random.default_rng(self.seed)
        h = self.hidden
        self.dropouts = [Dropout(0.0, np.random.default_rng(self.seed + 1)),
                         Dropout(0.0, np.random.default_rng(self.seed + 2))]
        self.net = Sequential(
            Linear(rng.standard_normal((2, h)) * np.sqrt(2 / 2), np.zeros(h)), ReLU(), self.dropouts[0],
            Linear(rng.standard_normal((h, h)) * np.sqrt(2 / h), np.zeros(h)), ReLU(), self.dropouts[1],
            Linear(rng.standard_normal((h, 2)) * np.sqrt(2 / h), np.zeros(2)),
        )
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
        self._evaluate()
        self.redraw()

    def _evaluate(self, regions=True):
        """Record the losses (dropout off) and, unless regions=False, recompute the predicted regions."""
        from backprop.layers import set_training

        set_training(self.net, False)
        if not self.history["step"] or self.history["step"][-1] != self.steps:
            self.history["step"].append(self.steps)
            self.history["train"].append(self.loss_fn.forward(self.net.predict(self.X), self.y)[0])
            self.history["test"].append(self.loss_fn.forward(self.net.predict(self.X_test), self.y_test)[0])
        if regions:
            self.region_values = self.net.predict(self.grid).argmax(axis=1).reshape(len(self.grid_x), -1)

    def gradient_parts(self):
        """(|gradient of the data loss wrt all W|, |lam * W|, |W|) at the current weights, dropout off."""
        from backprop.layers import set_training

        set_training(self.net, False)
        out, caches = self.net.forward(self.X)
        _, cache = self.loss_fn.forward(out, self.y)
        _, grads = self.net.backward(self.loss_fn.backward(1.0, cache)[0], caches)
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
