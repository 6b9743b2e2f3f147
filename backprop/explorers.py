"""Interactive explorers: controls on the left of a figure that redraws as you move them.

Each explorer is a widget; show it by making it the last line of a cell. The figure is
drawn once and then only its data change, so moving a slider redraws in milliseconds.

    SlopeExplorer()    lesson 00: a curve, its tangent, and the slope measured two ways
    NeuronExplorer()   lesson 01: one neuron's loss, the tangent, and gradient steps
    ActivationExplorer()   lesson 02: sigmoid, tanh or ReLU, its slope, and a gradient through n of them
    Worked221Explorer()    lesson 03: one training step of the 2-2-1 network, with Back and Next
    SoftmaxExplorer()  lesson 06: three scores, their softmax, the cross-entropy and y_hat - y
    TrainingMonitor()  lesson 06: a live view of training (progress, loss, accuracy, decision regions)
"""

import io
import threading
import time

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

# pyplot picks its backend when the first figure is made, and in a notebook that also switches
# interactive mode on. The explorers make their figures inside rc_context (for their fonts),
# which on leaving restores interactive mode as it was before: off. A lesson would then stop
# showing its figures after its first explorer. So the backend is picked here, outside any context.
plt.close(plt.figure())


class Explorer(widgets.HBox):
    """Controls beside a matplotlib figure shown as a PNG image; `redraw()` updates it.

    Subclasses build `self.fig` and its artists, list their controls, and implement
    `update()`, which changes the artists' data from the controls' values.
    """

    def __init__(self, controls, fig, readout=True, dpi=90):
        self.fig = fig
        if isinstance(fig.get_layout_engine(), PlaceHolderLayoutEngine):
            fig.set_layout_engine(None)  # tight_layout ran once; without this, every draw lays out again
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
        _own_canvas(fig, dpi)

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
                self.image.value = _png(self.fig, self.dpi)
        finally:
            self._drawing.release()
        if self._pending:  # asked for between the last check and the release
            self.redraw()

    def update(self):
        raise NotImplementedError


def _own_canvas(fig, dpi):
    """Give fig an Agg canvas of its own at `dpi`, kept from one redraw to the next: drawing
    reuses its renderer (and the text measured before), where savefig would make new ones."""
    fig.set_dpi(dpi)
    return FigureCanvasAgg(fig)  # off-screen, independent of the notebook's backend


def _png(fig, dpi):
    """The figure as PNG bytes, the same pixels as fig.savefig(format="png", dpi=dpi), faster:
    drawn on its own canvas, and compressed lightly (it only travels to the browser)."""
    canvas = fig.canvas
    if not isinstance(canvas, FigureCanvasAgg) or fig.dpi != dpi:  # (pyplot or a savefig changed them)
        canvas = _own_canvas(fig, dpi)
    canvas.draw()
    rgba = canvas.buffer_rgba()
    buffer = io.BytesIO()
    PIL.Image.frombuffer("RGBA", (rgba.shape[1], rgba.shape[0]), rgba, "raw", "RGBA", 0, 1).save(
        buffer, format="png", compress_level=1)
    return buffer.getvalue()


def _slider(description, value, low, high, step, fmt=".2f"):
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               readout_format=fmt, continuous_update=True,
                               style={"description_width": "3em"}, layout=widgets.Layout(width="260px"))


class SlopeExplorer(Explorer):
    """A curve f, the point (x, f(x)) and its tangent (red), whose slope is the derivative f'(x).

    The grey dots are f at x - h and x + h; the slope of the line through them is the slope
    measured by nudging, which the readout compares with f'(x).
    """

    CURVES = {
        "x²": (lambda x: x**2, lambda x: 2 * x, (-3.0, 3.0)),
        "sin x": (np.sin, np.cos, (-6.0, 6.0)),
        "(2w − 4)²": (lambda x: (2 * x - 4) ** 2, lambda x: 4 * (2 * x - 4), (-1.0, 4.0)),
    }

    def __init__(self, curve="x²", x=1.0):
        self.curve = widgets.Dropdown(options=list(self.CURVES), value=curve, description="f",
                                      style={"description_width": "3em"}, layout=widgets.Layout(width="260px"))
        self.x = _slider("x", x, -3.0, 3.0, 0.01)
        self.h = widgets.FloatLogSlider(value=0.1, base=10, min=-4, max=0, step=0.25, description="h",
                                        style={"description_width": "3em"}, layout=widgets.Layout(width="260px"))
        self.curve.observe(lambda _: self._new_curve(), names="value")
        with matplotlib.rc_context({"font.size": 9}):
            fig, self.ax = plt.subplots(figsize=(5.6, 3.0))
        self.line, = self.ax.plot([], [], color="#1f4e9c")
        self.tangent, = self.ax.plot([], [], color="#b3261e", lw=1.5)
        self.chord, = self.ax.plot([], [], "o--", color="#777777", ms=3, lw=1)
        self.point, = self.ax.plot([], [], "o", color="#b3261e", ms=7)
        self.ax.grid(alpha=0.3)
        self.ax.set_xlabel("x")
        self.ax.set_title("slope", color="#b3261e")
        fig.tight_layout()
        super().__init__([self.curve, self.x, self.h], fig)
        self._new_curve()

    def _new_curve(self):
        low, high = self.CURVES[self.curve.value][2]
        self._paused = True
        if low > self.x.max:  # widen first, so min never passes max
            self.x.max = high
        self.x.min, self.x.max = low, high
        self._paused = False
        f = self.CURVES[self.curve.value][0]
        xs = np.linspace(low, high, 300)
        self.line.set_data(xs, f(xs))
        self.ax.set_xlim(low, high)
        span = f(xs).max() - f(xs).min()
        self.ax.set_ylim(f(xs).min() - 0.1 * span, f(xs).max() + 0.1 * span)
        self.redraw()

    def update(self):
        f, df, (low, high) = self.CURVES[self.curve.value]
        x, h = self.x.value, self.h.value
        y, slope = f(x), df(x)
        nudged = (f(x + h) - f(x - h)) / (2 * h)
        half = 0.15 * (high - low)
        self.tangent.set_data([x - half, x + half], [y - half * slope, y + half * slope])
        self.chord.set_data([x - h, x + h], [f(x - h), f(x + h)])
        self.point.set_data([x], [y])
        self.ax.set_title(f"slope f'({x:.2f}) = {slope:.4f}", color="#b3261e")
        self.readout.value = (
            f"$f(x) = {y:.4f}$<br>"
            f"$f'(x) = {slope:.6f}$ (the exact slope)<br>"
            f"$\\dfrac{{f(x + h) - f(x - h)}}{{2h}} = {nudged:.6f}$<br>"
            f"(nudging by $h = {h:.4g}$ is off by ${abs(nudged - slope):.1e}$)"
        )


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
        self.w = _slider("w", w, -1.0, 4.0, 0.01)
        self.b = _slider("b", b, -3.0, 3.0, 0.01)
        self.lr = _slider("lr", lr, 0.01, 0.35, 0.01)
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
        self.curve_w, = self.ax_w.plot([], [], color="#1f4e9c")
        self.curve_b, = self.ax_b.plot([], [], color="#1f4e9c")
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
        _widen(self.w, new_w)
        _widen(self.b, new_b)
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


def _widen(slider, value):
    """Stretch a slider's range so that it holds value, with a margin."""
    if value > slider.max:
        slider.max = value + 0.1 * (value - slider.min)
    if value < slider.min:
        slider.min = value - 0.1 * (slider.max - value)


# --- lesson 10: the backward pass of an autograd engine, one rule at a time -----------

_AUTOGRAD_TEX_NAMES = {"λ": "\\lambda"}


def backward_steps(order, k):
    """The first k steps of backward() over a graph in topological order, without touching .grad.

    Returns (grads, fired, shares): grads[i] the gradient tensor i holds after k rules have
    run (None if nothing has reached it yet; the root holds dL/dL = 1 from the start),
    fired the indices of the tensors whose rules run, in backward order, and shares[i]
    the list of (from index, amount) that tensor i received.
    """
    index = {id(node): i for i, node in enumerate(order)}
    grads = [None] * len(order)
    grads[-1] = np.ones_like(order[-1].data)
    shares = {i: [] for i in range(len(order))}
    fired = [i for i in reversed(range(len(order))) if order[i].grad_fn is not None]
    for i in fired[:k]:
        node = order[i]
        for parent, g in zip(node.parents, node.grad_fn(grads[i])):
            j = index[id(parent)]
            grads[j] = g if grads[j] is None else grads[j] + g
            shares[j].append((i, g))
    return grads, fired, shares


class BackwardSweepExplorer(Explorer):
    """Lesson 10: the backward pass of L = (tanh(w x + b) - y)**2 + 0.1 w**2, one rule at a time.

    The graph shows every tensor's value (blue) and the gradient it holds so far (red).
    'backward steps' runs the first k backward rules in reverse topological order; the
    rule that ran last is highlighted, with the arrows its gradient travels back along.
    'Gradient step' moves w and b by -lr times their gradients; with lr = 0.2, L falls at every
    step from wherever the sliders put x, w and b (at 0.5 it overshoots and zigzags).
    """

    def __init__(self, x=1.5, w=0.8, b=-0.5, y=0.5, lam=0.1, lr=0.2):
        from backprop.autograd import penalised_neuron, topological_order

        self.y, self.lam, self.lr_value = y, lam, lr
        self.x = _slider("x", x, -2.0, 2.0, 0.05)
        self.w = _slider("w", w, -2.0, 2.0, 0.01)
        self.b = _slider("b", b, -2.0, 2.0, 0.01)
        order = topological_order(penalised_neuron(x, w, b, y, lam))
        self.n_rules = sum(node.grad_fn is not None for node in order)
        self.steps = widgets.IntSlider(value=self.n_rules, min=0, max=self.n_rules, step=1,
                                       description="backward steps", style={"description_width": "8.5em"},
                                       layout=widgets.Layout(width="260px"))
        self.step_button = widgets.Button(description="Gradient step", button_style="primary", icon="arrow-down")
        self.reset_button = widgets.Button(description="Reset", icon="refresh")
        self.step_button.add_class("bp-step")
        self.step_button.on_click(lambda _: self.step())
        self.reset_button.on_click(lambda _: self.reset())
        self.start = (x, w, b)
        with matplotlib.rc_context({"font.size": 8}):
            fig, ax = plt.subplots(figsize=(6.0, 3.8))  # 540 px wide at the explorers' 90 dpi
            fig.subplots_adjust(left=0.01, right=0.99, top=0.93, bottom=0.01)
            from backprop.plots import GraphDrawing

            self.drawing = GraphDrawing(order[-1], ax=ax, fontsize=8)
            self.title = ax.set_title("", fontsize=9)
        controls = [self.x, self.w, self.b, self.steps, widgets.HBox([self.step_button, self.reset_button])]
        super().__init__(controls, fig, readout=False)
        # the equations are long: the readout goes under the graph, as wide as it
        self.readout.layout = widgets.Layout(padding="0 0 0 8px")
        panel, image = self.children
        self.children = (panel, widgets.VBox([image, self.readout], layout=widgets.Layout(width="545px")))
        self.redraw()

    def graph(self):
        """The loss at the sliders' values, its tensors in topological order."""
        from backprop.autograd import penalised_neuron, topological_order

        L = penalised_neuron(self.x.value, self.w.value, self.b.value, self.y, self.lam)
        return topological_order(L)

    def gradients(self):
        """(dL/dw, dL/db) at the sliders' values, from the engine's full backward pass."""
        order = self.graph()
        order[-1].backward()
        named = {node.name: node for node in order}
        return float(named["w"].grad), float(named["b"].grad)

    def step(self):
        dw, db = self.gradients()
        self.set_values(w=float(np.clip(self.w.value - self.lr_value * dw, self.w.min, self.w.max)),
                        b=float(np.clip(self.b.value - self.lr_value * db, self.b.min, self.b.max)),
                        steps=self.n_rules)

    def reset(self):
        x, w, b = self.start
        self.set_values(x=x, w=w, b=b, steps=self.n_rules)

    def update(self):
        order = self.graph()
        k = self.steps.value
        grads, fired, shares = backward_steps(order, k)
        current = fired[k - 1] if k else None
        self.drawing.refresh(order, grads, current)
        L = float(order[-1].data)
        self.title.set_text(f"L = {L:.4f}     blue: value     red: \u2202L/\u2202(tensor) so far")
        self.readout.value = self._explain(order, k, grads, fired, shares, current)

    def _explain(self, order, k, grads, fired, shares, current):
        def tex(node):
            return _AUTOGRAD_TEX_NAMES.get(node.name, node.name)

        def d(node):
            return f"\\partial L/\\partial {tex(node)}"

        if current is None:
            return ("Forward pass done; the backward pass starts from $\\partial L/\\partial L = 1$. "
                    "Move <i>backward steps</i> to run the rules one by one.")
        node = order[current]
        index = {id(n): i for i, n in enumerate(order)}
        lines = [f"<b>Step {k} of {len(fired)}</b>: the rule of ${tex(node)} = {self._formula(node)}$ "
                 f"sends ${d(node)} = {float(grads[current]):.4f}$ back to its parents:"]
        for position, parent in enumerate(node.parents):
            j = index[id(parent)]
            local, words = self._local(node, position)
            amount = next(g for i, g in shares[j] if i == current)
            line = (f"&nbsp;&nbsp;${d(parent)} \\mathrel{{+}}= {d(node)}{words} = "
                    f"{float(grads[current]):.4f} \\times {local:.4f} = {float(amount):.4f}$")
            if len(shares[j]) > 1:
                parts = " + ".join(f"({float(g):.4f})" if g < 0 else f"{float(g):.4f}" for _, g in shares[j])
                line += f" &nbsp;(${tex(parent)}$ is used twice: ${parts} = {float(grads[j]):.4f}$)"
            lines.append(line)
        if k == len(fired):
            named = {n.name: n for n in order}
            lines.append(f"All {len(fired)} rules have run: $\\partial L/\\partial w = "
                         f"{float(grads[index[id(named['w'])]]):.4f}$, $\\partial L/\\partial b = "
                         f"{float(grads[index[id(named['b'])]]):.4f}$. <i>Gradient step</i> moves $w$ and $b$ "
                         f"by $-{self.lr_value:g}$ times these.")
        return "<br>".join(lines)

    @staticmethod
    def _formula(node):
        """How node was computed from its parents, in LaTeX: w\\,x, p + b, \\tanh z, ..."""
        names = [_AUTOGRAD_TEX_NAMES.get(p.name, p.name) for p in node.parents]
        forms = {"+": "{0} + {1}", "-": "{0} - {1}", "*": "{0}\\,{1}", "**2": "{0}^2", "tanh": "\\tanh {0}"}
        return forms[node.op].format(*names)

    @staticmethod
    def _local(node, position):
        """The local derivative d node / d parent[position], as (number, LaTeX factor)."""
        parents = node.parents
        value = float(node.data)
        if node.op == "+":
            return 1.0, "\\cdot 1"
        if node.op == "-":
            return (1.0, "\\cdot 1") if position == 0 else (-1.0, "\\cdot (-1)")
        if node.op == "*":
            other = parents[1 - position]
            return float(other.data), "\\cdot " + _AUTOGRAD_TEX_NAMES.get(other.name, other.name)
        if node.op == "**2":
            me = parents[0]
            return 2.0 * float(me.data), "\\cdot 2" + _AUTOGRAD_TEX_NAMES.get(me.name, me.name)
        if node.op == "tanh":
            return 1.0 - value**2, f"\\,(1 - {node.name}^2)"
        raise ValueError(f"no readout for the operation {node.op!r}")


# --- lesson 02: activation functions -------------------------------------------------

from matplotlib.ticker import FixedFormatter  # noqa: E402

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
        self.z = _slider("z", z, -6.0, 6.0, 0.05)
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


# --- lesson 03: the worked 2-2-1 network, step by step --------------------------------

def _n(value):
    """A number in a formula: 4 decimals, negative ones in parentheses."""
    return f"({value:.4f})" if value < 0 else f"{value:.4f}"


def _q(value):
    """An input or parameter in a formula, as typed (0.1, not 0.1000), negative ones in parentheses."""
    return f"({value:.4g})" if value < 0 else f"{value:.4g}"


def steps_221(v):
    """The steps of one training step of the 2-2-1 network, for values v from reference.worked_221_values.

    Each step is a dict: "stage" (forward pass, loss, backward..., update), "shows" (the names of the
    numbers it computes), "formula" (LaTeX with the numbers put in), "highlight" (where it happens on
    the drawing: node names and (from, to) edges).
    """
    if not isinstance(v, dict) or "new_L" not in v:
        raise TypeError(f"v must be the dict of reference.worked_221_values, but got {type(v).__name__}"
                        + (" without the numbers of the update" if isinstance(v, dict) else "") + ".")
    steps = [{"stage": "the network before any computation", "shows": [], "highlight": [],
              "formula": (f"x = ({_q(v['x1'])}, {_q(v['x2'])}),\\; y = {_q(v['y'])},\\; "
                          f"\\eta = {_q(v['lr'])}:\\ \\text{{press Next}}")}]

    def add(stage, shows, formula, highlight):
        steps.append({"stage": stage, "shows": shows, "formula": formula, "highlight": highlight})

    for k in (1, 2):
        add("forward pass", [f"z{k}"],
            f"z_{k} = w_{{{k}1}} x_1 + w_{{{k}2}} x_2 + b_{k} = {_q(v[f'w{k}1'])}\\cdot{_q(v['x1'])} + "
            f"{_q(v[f'w{k}2'])}\\cdot{_q(v['x2'])} + {_q(v[f'b{k}'])} = {v[f'z{k}']:.4f}",
            [f"h{k}", ("x1", f"h{k}"), ("x2", f"h{k}")])
    for k in (1, 2):
        add("forward pass", [f"a{k}"],
            f"a_{k} = \\sigma(z_{k}) = 1/(1 + e^{{-{_n(v[f'z{k}'])}}}) = {v[f'a{k}']:.4f}", [f"h{k}"])
    add("forward pass", ["y_hat"],
        f"\\hat y = v_1 a_1 + v_2 a_2 + b_3 = {_q(v['v1'])}\\cdot{v['a1']:.4f} + {_q(v['v2'])}\\cdot{v['a2']:.4f}"
        f" + {_q(v['b3'])} = {v['y_hat']:.4f}", ["out", ("h1", "out"), ("h2", "out")])
    add("the loss", ["L"],
        f"L = \\tfrac12(\\hat y - y)^2 = \\tfrac12({v['y_hat']:.4f} - {_q(v['y'])})^2 = {v['L']:.4f}",
        ["L", ("out", "L")])
    add("backward: the output layer", ["dL_dyhat"],
        f"\\partial L/\\partial \\hat y = \\hat y - y = {v['y_hat']:.4f} - {_q(v['y'])} = {v['dL_dyhat']:.4f}",
        ["out", ("out", "L")])
    for k in (1, 2):
        add("backward: the output layer", [f"dL_dv{k}"],
            f"\\partial L/\\partial v_{k} = \\partial L/\\partial \\hat y \\cdot a_{k} = {_n(v['dL_dyhat'])}"
            f"\\cdot{v[f'a{k}']:.4f} = {v[f'dL_dv{k}']:.4f}", [(f"h{k}", "out")])
    add("backward: the output layer", ["dL_db3"],
        f"\\partial L/\\partial b_3 = \\partial L/\\partial \\hat y \\cdot 1 = {v['dL_db3']:.4f}", ["out"])
    for k in (1, 2):
        add("backward: into the hidden layer", [f"dL_da{k}"],
            f"\\partial L/\\partial a_{k} = \\partial L/\\partial \\hat y \\cdot v_{k} = {_n(v['dL_dyhat'])}"
            f"\\cdot{_q(v[f'v{k}'])} = {v[f'dL_da{k}']:.4f}", [f"h{k}", (f"h{k}", "out")])
    for k in (1, 2):
        add("backward: through the sigmoid", [f"sigma_prime{k}"],
            f"\\sigma'(z_{k}) = a_{k}(1 - a_{k}) = {v[f'a{k}']:.4f}\\cdot(1 - {v[f'a{k}']:.4f}) = "
            f"{v[f'sigma_prime{k}']:.4f}", [f"h{k}"])
    for k in (1, 2):
        add("backward: through the sigmoid", [f"dL_dz{k}"],
            f"\\partial L/\\partial z_{k} = \\partial L/\\partial a_{k}\\cdot\\sigma'(z_{k}) = "
            f"{_n(v[f'dL_da{k}'])}\\cdot{v[f'sigma_prime{k}']:.4f} = {v[f'dL_dz{k}']:.4f}", [f"h{k}"])
    for k in (1, 2):
        for i in (1, 2):
            add("backward: the hidden layer's weights", [f"dL_dw{k}{i}"],
                f"\\partial L/\\partial w_{{{k}{i}}} = \\partial L/\\partial z_{k}\\cdot x_{i} = "
                f"{_n(v[f'dL_dz{k}'])}\\cdot{_q(v[f'x{i}'])} = {v[f'dL_dw{k}{i}']:.4f}", [(f"x{i}", f"h{k}")])
        add("backward: the hidden layer's weights", [f"dL_db{k}"],
            f"\\partial L/\\partial b_{k} = \\partial L/\\partial z_{k}\\cdot 1 = {v[f'dL_db{k}']:.4f}", [f"h{k}"])
    lr = _q(v["lr"])
    for names, where in ((("v1", "v2", "b3"), ["out", ("h1", "out"), ("h2", "out")]),
                         (("w11", "w12", "b1"), ["h1", ("x1", "h1"), ("x2", "h1")]),
                         (("w21", "w22", "b2"), ["h2", ("x1", "h2"), ("x2", "h2")])):
        parts = [f"{n[0]}_{{{n[1:]}}} \\leftarrow {_q(v[n])} - {lr}\\cdot{_n(v['dL_d' + n])} = {v['new_' + n]:.4f}"
                 for n in names]
        add("the update, w ← w − η ∂L/∂w", [f"new_{n}" for n in names], ",\\quad ".join(parts), where)
    add("after the update: the same input again", ["new_y_hat", "new_L"],
        f"\\hat y = {v['new_y_hat']:.4f},\\quad L = {v['new_L']:.4f}\\ (\\text{{was }} {v['L']:.4f})",
        ["out", "L"])
    return steps


_TABLE_221 = [  # (name in the values, label in the table, column)
    ("z1", "z₁", 0), ("z2", "z₂", 0), ("a1", "a₁", 0), ("a2", "a₂", 0), ("y_hat", "ŷ", 0), ("L", "L", 0),
    ("dL_dyhat", "∂L/∂ŷ", 1), ("dL_dv1", "∂L/∂v₁", 1), ("dL_dv2", "∂L/∂v₂", 1), ("dL_db3", "∂L/∂b₃", 1),
    ("dL_da1", "∂L/∂a₁", 1), ("dL_da2", "∂L/∂a₂", 1), ("sigma_prime1", "σ′(z₁)", 1), ("sigma_prime2", "σ′(z₂)", 1),
    ("dL_dz1", "∂L/∂z₁", 1), ("dL_dz2", "∂L/∂z₂", 1),
    ("dL_dw11", "∂L/∂w₁₁", 2), ("dL_dw12", "∂L/∂w₁₂", 2), ("dL_db1", "∂L/∂b₁", 2),
    ("dL_dw21", "∂L/∂w₂₁", 2), ("dL_dw22", "∂L/∂w₂₂", 2), ("dL_db2", "∂L/∂b₂", 2),
    ("new_v1", "v₁", 3), ("new_v2", "v₂", 3), ("new_b3", "b₃", 3), ("new_w11", "w₁₁", 3), ("new_w12", "w₁₂", 3),
    ("new_b1", "b₁", 3), ("new_w21", "w₂₁", 3), ("new_w22", "w₂₂", 3), ("new_b2", "b₂", 3),
    ("new_y_hat", "new ŷ", 0), ("new_L", "new L", 0),
]
_TABLE_COLUMNS = ["forward", "backward, output layer", "backward, hidden layer", "updated"]


class Worked221Explorer(Explorer):
    """Lesson 03's network, one step of training walked through with Back and Next.

    The drawing shows every number computed so far where it belongs, the current step
    highlighted; the readout gives the formula that produced it; the table below lists every
    number of the step. Change the inputs, the target, the weights or the learning rate and
    everything recomputes.

    Unlike the other explorers it redraws the network on each update (which texts it shows
    changes from step to step, not only their values): about 50 ms on a quiet machine.
    """

    PARAMETERS = ("w11", "w12", "b1", "w21", "w22", "b2", "v1", "v2", "b3")

    def __init__(self, step=0, **start):
        from backprop.data import worked_221

        self.lesson_values = dict(worked_221()["scalars"])
        unknown = sorted(set(start) - set(self.lesson_values))
        if unknown:
            raise ValueError(f"unknown starting values {unknown}; the explorer takes {sorted(self.lesson_values)}.")
        begin = {**self.lesson_values, **start}
        from backprop.reference import worked_221_values

        self._compute = worked_221_values
        self.n_steps = len(steps_221(self._compute(**begin)))
        if not (isinstance(step, (int, np.integer)) and 0 <= step < self.n_steps):
            raise ValueError(f"step must be an integer from 0 to {self.n_steps - 1}, but is {step!r}.")

        self.step = widgets.IntSlider(value=step, min=0, max=self.n_steps - 1, description="step",
                                      continuous_update=True, style={"description_width": "3em"},
                                      layout=widgets.Layout(width="330px"))
        self.back_button = widgets.Button(description="Back", icon="arrow-left", layout=widgets.Layout(width="90px"))
        self.next_button = widgets.Button(description="Next", icon="arrow-right", button_style="primary",
                                          layout=widgets.Layout(width="90px"))
        self.reset_button = widgets.Button(description="the lesson's numbers", icon="refresh",
                                           layout=widgets.Layout(width="auto"))
        self.back_button.add_class("bp-back")
        self.next_button.add_class("bp-next")
        self.reset_button.add_class("bp-reset")
        self.back_button.on_click(lambda _: self.move(-1))
        self.next_button.on_click(lambda _: self.move(+1))
        self.reset_button.on_click(lambda _: self.reset())

        def box(name, low=-5.0, high=5.0, step=0.05):
            return widgets.BoundedFloatText(value=begin[name], min=low, max=high, step=step, description=name,
                                            style={"description_width": "2.4em"},
                                            layout=widgets.Layout(width="125px"))

        for name in ("x1", "x2", "y"):
            setattr(self, name, box(name))
        self.lr = box("lr", 0.0, 5.0, 0.05)
        for name in self.PARAMETERS:
            setattr(self, name, box(name))
        rows = [("x1", "x2", "y", "lr"), ("w11", "w12", "b1"), ("w21", "w22", "b2"), ("v1", "v2", "b3")]
        grid = widgets.GridBox([getattr(self, n) if n else widgets.Label("")
                                for row in rows for n in row + ("",) * (4 - len(row))],
                               layout=widgets.Layout(grid_template_columns="repeat(4, 130px)", grid_gap="2px 4px"))

        with matplotlib.rc_context({"font.size": 9}):
            fig = plt.figure(figsize=(9.5, 4.6))
        self.ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
        self.table = widgets.HTML("")
        self.table.add_class("bp-table")
        numbers = [getattr(self, name) for name in ("x1", "x2", "y", "lr") + self.PARAMETERS]
        super().__init__([self.step, self.back_button, self.next_button, self.reset_button] + numbers, fig)
        buttons = widgets.HBox([self.back_button, self.next_button, self.step, self.reset_button],
                               layout=widgets.Layout(align_items="center", flex_flow="row wrap"))
        self.readout.layout = widgets.Layout(min_height="3.2em")
        self.image.layout = widgets.Layout(width="100%", max_width="900px", height="auto")
        self.children = [widgets.VBox([buttons, self.readout, self.image, grid, self.table],
                                      layout=widgets.Layout(width="100%"))]
        self.redraw()

    def inputs(self):
        """The current inputs, target, learning rate and parameters, by name."""
        return {name: float(getattr(self, name).value) for name in self.lesson_values}

    def values(self):
        """Every number of the training step for the current controls (reference.worked_221_values)."""
        return self._compute(**self.inputs())

    def move(self, delta):
        self.step.value = int(np.clip(self.step.value + delta, 0, self.n_steps - 1))

    def reset(self):
        self.set_values(**self.lesson_values)

    def update(self):
        from backprop.plots import draw_221

        v = self.values()
        steps = steps_221(v)
        current = steps[self.step.value]
        shown = [name for s in steps[:self.step.value + 1] for name in s["shows"]]
        self.ax.clear()
        draw_221(v, shown=shown, highlight=current["highlight"], ax=self.ax)
        self.back_button.disabled = self.step.value == 0
        self.next_button.disabled = self.step.value == self.n_steps - 1
        self.readout.value = (f"<b>Step {self.step.value} of {self.n_steps - 1}: {current['stage']}</b><br>"
                              f"${current['formula']}$")
        self.table.value = self._table(v, shown, current["shows"])

    def _table(self, v, shown, now):
        columns = [[] for _ in _TABLE_COLUMNS]
        for name, label, column in _TABLE_221:
            style = ("background:#fff4c2;font-weight:bold" if name in now
                     else "" if name in shown else "color:#9a9a9a")
            colour = "#b3261e" if name.startswith(("dL_", "sigma")) else "#1f4e9c"
            columns[column].append(
                f"<tr style='{style}'><td style='padding:0 8px'>{label}</td>"
                f"<td style='padding:0 8px;text-align:right;color:{colour if name in shown else 'inherit'}'>"
                f"{v[name]:.4f}</td></tr>")
        cells = "".join(
            f"<td style='vertical-align:top;padding-right:18px'><b>{title}</b><table>{''.join(rows)}</table></td>"
            for title, rows in zip(_TABLE_COLUMNS, columns))
        return ("<div style='font-size:13px'><table><tr>" + cells + "</tr></table>"
                "<i>Every number of the step; grey ones come later. Change an input or a weight and they all "
                "recompute.</i></div>")


# --- lesson 08: deep networks -----------------------------------------------------------


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
            f"loss $L = {_sci(loss)}$",
            f"$\\|\\partial L/\\partial W\\|$ at layer 1: ${_sci(first)}$",
            f"at layer {depth + 1} (output): ${_sci(last)}$",
            f"layer 1 / output: ${_sci(ratio)}$",
        ]
        if self.activation.value == "sigmoid":
            lines.append(f"{depth} sigmoid slopes multiply to at most $0.25^{{{depth}}} = {_sci(0.25 ** depth)}$ "
                         f"(the ratio above also holds the weights and the layers' inputs)")
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
    """The 2-3-1 sigmoid network of lesson 04 on its one example.

    'backward' walks the backward pass one step at a time, from 0 (the forward pass only): the
    gradients appear from the loss back to the inputs, each step's formula and numbers in the
    readout, with the step of the lesson's five-step pattern it is. 'epoch' shows the
    network part-way through training (edges: width the size of the weight, blue positive,
    orange negative); 'lr' and 'seed' (the initial weights, data.one_example_231(seed)) retrain.
    """

    STAGES = ["forward pass only", "dL/dŷ", "δ2 = dL/dz2", "dL/dW2, dL/db2", "dL/da1", "δ1 = dL/dz1",
              "dL/dW1, dL/db1"]
    PATTERN = ["", "the output layer's step 1: receive", "the output layer's step 2",
               "the output layer's steps 3 and 4", "the output layer's step 5, the hidden layer's step 1",
               "the hidden layer's step 2", "the hidden layer's steps 3 and 4"]  # the lesson's five steps
    POS = {"x1": (0.0, 1.0), "x2": (0.0, -1.0), "h1": (3.6, 2.1), "h2": (3.6, 0.0), "h3": (3.6, -2.1),
           "y": (7.0, 0.0), "L": (9.3, 0.0)}

    def __init__(self, seed=0, lr=0.1, epoch=0, stage=0, epochs=1000):
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
            f"<small>step {s} of 6: <b>{self.STAGES[s]}</b>{f' ({self.PATTERN[s]})' if s else ''}</small>"
            f"<br>{self._formula(s, v)}"
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
    stochastic), 'lr' the learning rate (batch descent diverges between 0.355 and 0.398, smaller
    batches sooner), 'epochs' how many passes over the data, 'seed' the order the examples are
    drawn in. The readout says whether the loss is settling, diverging or has diverged (judge()).
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

    RISING_EPOCHS = 5

    @classmethod
    def judge(cls, losses, per_epoch, batch_size):
        """What the loss did: 'diverged' if it overflowed, ends above its start or shot past 1000 times its
        start; 'diverging' if, with batches of 10 or more (whose losses are smooth enough to show a
        trend), it rose at the end of each of the last RISING_EPOCHS epochs, to more than twice its lowest;
        'unstable' if it jumped past 10 times its start on the way; 'settling' otherwise."""
        with np.errstate(invalid="ignore"):
            if not np.all(np.isfinite(losses)) or losses[-1] > losses[0] or np.max(losses) > 1e3 * losses[0]:
                return "diverged"
        ends = losses[::per_epoch]
        if (batch_size >= 10 and len(ends) > cls.RISING_EPOCHS and np.all(np.diff(ends[-cls.RISING_EPOCHS - 1:]) > 0)
                and losses[-1] > 2 * np.min(losses)):
            return "diverging"
        if np.max(losses) > 10 * losses[0]:
            return "unstable"
        return "settling"

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
        self.final_loss = float(losses[-1])
        n_updates = len(path) - 1
        per_epoch = -(-len(self.x) // self.batch_size.value)
        self.status = self.judge(losses, per_epoch, self.batch_size.value)
        self.diverged = self.status in ("diverging", "diverged")
        kind = {1: "stochastic", len(self.x): "batch"}.get(self.batch_size.value, "mini-batch")
        red = "<b style='color:#cf222e'>{}</b>"
        status = {
            "settling": f"final loss {self.final_loss:.4f} (best possible {self.best_loss:.4f})",
            "diverged": red.format("diverged") + f": the loss shot up to ${_sci(np.nanmax(losses))}$, steps "
                        "overshoot the valley by more and more",
            "diverging": red.format("diverging") + f": the loss has gone up for {self.RISING_EPOCHS} epochs in a "
                         f"row (now {self.final_loss:.3g}): each step overshoots by a little more than the last",
            "unstable": red.format("unstable") + f": on the way the loss jumped to ${_sci(np.max(losses))}$, more "
                        f"than 10 times where it started: some steps overshoot wildly (final loss "
                        f"{self.final_loss:.3g})",
        }[self.status]
        self.readout.value = (
            f"{kind} gradient descent: {per_epoch} update{'s' * (per_epoch > 1)} per epoch, "
            f"{n_updates} in all<br>"
            "each step: $w \\leftarrow w - \\eta\\,\\frac{2}{m}\\sum_{i \\in \\text{batch}} (wx_i + b - y_i)\\,x_i$, "
            f"$m = {self.batch_size.value}$ (the batch size)"
            f"<br>{status}")


# --- lesson 06: softmax and cross-entropy; watching a classifier train ------------------


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
        self.z = [_slider(f"z{j}", float(scores[j]), -6.0, 6.0, 0.05) for j in range(3)]
        self.z0, self.z1, self.z2 = self.z
        self.target = widgets.ToggleButtons(options=[("0", 0), ("1", 1), ("2", 2)], value=target,
                                            description="true class", tooltips=["class 0", "class 1", "class 2"],
                                            style={"description_width": "5.5em", "button_width": "48px"})
        self.lr = _slider("lr", lr, 0.1, 3.0, 0.1)
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
        panels = 3 if boundary is not None else 2
        width = f"{int(3.3 * panels * dpi)}px"  # the figure's own size: stretched, it would blur
        self.image = widgets.Image(format="png", layout=widgets.Layout(width=width, max_width="100%", height="auto"))
        self.image.add_class("bp-monitor-figure")
        super().__init__([widgets.HBox([self.progress, self.status]), self.image])
        self.add_class("bp-monitor")

        with matplotlib.rc_context({"font.size": 9}):
            self.fig, axes = plt.subplots(1, panels, figsize=(3.3 * panels, 2.9))
        plt.close(self.fig)
        self.ax_loss, self.ax_acc = axes[0], axes[1]
        self.loss_line, = self.ax_loss.plot([], [], color="#1f4e9c")
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
        self.test_line, = self.ax_acc.plot([], [], color="#f28e2b", label="test")
        self.acc_dots, = self.ax_acc.plot([], [], "o", color="#1f4e9c", ms=3.5, clip_on=False)
        self.test_dots, = self.ax_acc.plot([], [], "o", color="#f28e2b", ms=3.5, clip_on=False)
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
        self.fig.subplots_adjust(left=max(self.fig.subplotpars.left, 0.42 / (3.3 * panels)))  # room for "0.05"
        if isinstance(self.fig.get_layout_engine(), PlaceHolderLayoutEngine):
            self.fig.set_layout_engine(None)  # laid out once, not at every redraw
        _own_canvas(self.fig, dpi)

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
        self.image.value = _png(self.fig, self.dpi)
        self.frames += 1
        self.drawing_seconds += time.perf_counter() - start


# --- lesson 07: gradient checking ------------------------------------------------------------


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
