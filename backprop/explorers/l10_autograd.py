"""Lesson 10, from backprop by hand to autograd: the explorer.

    BackwardSweepExplorer  Lesson 10
"""

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np

from backprop.explorers.base import Explorer, make_slider
from backprop.worked.l10_autograd import backward_steps

__all__ = ["BackwardSweepExplorer"]


_AUTOGRAD_TEX_NAMES = {"λ": "\\lambda"}


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
        self.x = make_slider("x", x, -2.0, 2.0, 0.05)
        self.w = make_slider("w", w, -2.0, 2.0, 0.01)
        self.b = make_slider("b", b, -2.0, 2.0, 0.01)
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
