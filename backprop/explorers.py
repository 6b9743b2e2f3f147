"""Interactive explorers: controls on the left of a figure that redraws as you move them.

Each explorer is a widget; show it by making it the last line of a cell. The figure is
drawn once and then only its data change, so moving a slider redraws in milliseconds.

    SlopeExplorer()    lesson 00: a curve, its tangent, and the slope measured two ways
    NeuronExplorer()   lesson 01: one neuron's loss, the tangent, and gradient steps
"""

import io

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
    times its gradient; the points visited are kept as a trail, at the loss they had. A
    step that leaves the plotted range widens it, so a diverging run stays in view.
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
        self.trail_w.set_data([t[0] for t in self.trail], [t[2] for t in self.trail])
        self.trail_b.set_data([t[1] for t in self.trail], [t[2] for t in self.trail])
        self.ax_w.set_xlim(self.w.min, self.w.max)
        self.ax_b.set_xlim(self.b.min, self.b.max)
        top = max(self.loss(ws, b).max(), self.loss(w, bs).max(), L, *(t[2] for t in self.trail))
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
        )


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
    'Gradient step' moves w and b by -lr times their gradients.
    """

    def __init__(self, x=1.5, w=0.8, b=-0.5, y=0.5, lam=0.1, lr=0.5):
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
