"""Lesson 04, the layer pattern in matrix form: the explorer.

    LayerSweepExplorer  The 2-3-1 sigmoid network of lesson 04 on its one example
"""

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np

from backprop.explorers.base import Explorer
from backprop.worked.l04_layers import sweep_231, train_231

__all__ = ["LayerSweepExplorer"]


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
