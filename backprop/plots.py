"""Figures, with matplotlib alone.

    draw_graph(nodes, edges)          any graph: boxes or circles with text, labelled arrows
    draw_network(sizes, ...)          a layered network, values and gradients on nodes and edges
    plot_losses(losses)               loss curves
    plot_decision_boundary(f, X, y)   a classifier's regions in the plane
    plot_activations()                sigmoid, tanh and ReLU with their derivatives
"""

import matplotlib.pyplot as plt
import numpy as np

from backprop.layers import sigmoid

VALUE_COLOUR = "#1f4e9c"      # forward values
GRADIENT_COLOUR = "#b3261e"   # gradients
HIGHLIGHT_COLOUR = "#f2b705"
CLASS_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                 "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]


def _axes(ax, figsize):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def draw_graph(nodes, edges, ax=None, highlight=(), figsize=(8, 4)):
    """Draw a graph of named nodes and labelled arrows.

    nodes      {name: (x, y, text)} or {name: (x, y, text, shape)}, shape "circle" or "box"
    edges      [(from_name, to_name, text)], text drawn at the middle of the arrow, or
               [(from_name, to_name, text, t)] with t in (0, 1) the position along it
    highlight  names of nodes, and (from, to) pairs of edges, to draw highlighted
    Text may be several lines; lines starting with "grad:" are drawn in the gradient colour.
    """
    ax = _axes(ax, figsize)
    radius = 0.32
    for edge in edges:
        a, b, text = edge[:3]
        t = edge[3] if len(edge) > 3 else 0.5
        (x0, y0), (x1, y1) = nodes[a][:2], nodes[b][:2]
        d = np.hypot(x1 - x0, y1 - y0)
        ux, uy = (x1 - x0) / d, (y1 - y0) / d
        r0, r1 = _reach(nodes[a], ux, uy, radius), _reach(nodes[b], ux, uy, radius)
        hot = (a, b) in highlight
        ax.annotate(
            "", xy=(x1 - ux * r1, y1 - uy * r1), xytext=(x0 + ux * r0, y0 + uy * r0),
            arrowprops={"arrowstyle": "-|>", "color": HIGHLIGHT_COLOUR if hot else "#555555",
                        "lw": 2.5 if hot else 1.2, "shrinkA": 0, "shrinkB": 0},
        )
        if text:
            _text(ax, x0 + t * (x1 - x0), y0 + t * (y1 - y0), text, fontsize=8, hot=hot)
    for name, spec in nodes.items():
        x, y, text = spec[:3]
        shape = spec[3] if len(spec) > 3 else "circle"
        hot = name in highlight
        face = "#fff4c2" if hot else "white"
        edge = HIGHLIGHT_COLOUR if hot else "#333333"
        if shape == "box":
            patch = plt.Rectangle((x - 0.45, y - 0.3), 0.9, 0.6, facecolor=face, edgecolor=edge,
                                  lw=2 if hot else 1.2, zorder=3)
        else:
            patch = plt.Circle((x, y), radius, facecolor=face, edgecolor=edge, lw=2 if hot else 1.2, zorder=3)
        ax.add_patch(patch)
        _text(ax, x, y, text, fontsize=9, hot=hot, inside=True)
    xs = [spec[0] for spec in nodes.values()]
    ys = [spec[1] for spec in nodes.values()]
    ax.set_xlim(min(xs) - 1.0, max(xs) + 1.0)
    ax.set_ylim(min(ys) - 1.0, max(ys) + 1.0)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def _reach(spec, ux, uy, radius):
    """How far from its centre an arrow in direction (ux, uy) leaves a node."""
    if len(spec) > 3 and spec[3] == "box":
        return min(0.45 / max(abs(ux), 1e-9), 0.3 / max(abs(uy), 1e-9))
    return radius


def _text(ax, x, y, text, fontsize, hot, inside=False):
    """Text of several lines; a line starting "grad:" is drawn in the gradient colour.

    Inside a node the first line is the node's name, centred on it, and the rest go below;
    on an edge all lines are centred on (x, y) on a pale background.
    """
    lines = text.split("\n")
    step = 0.24 * fontsize / 8
    if inside:
        ax.text(x, y, lines[0], ha="center", va="center", fontsize=fontsize + 1, zorder=4, fontweight="bold")
        lines, top = lines[1:], y - 0.42 - step / 2
    else:
        top = y + (len(lines) - 1) * step / 2
    for k, line in enumerate(lines):
        grad = line.startswith("grad:")
        colour = GRADIENT_COLOUR if grad else (VALUE_COLOUR if inside else "black")
        box = None if inside else {"boxstyle": "square,pad=0.1", "facecolor": "#fff4c2" if hot else "white",
                                   "edgecolor": "none", "alpha": 0.85}
        ax.text(x, top - k * step, line[5:].strip() if grad else line, ha="center", va="center",
                fontsize=fontsize if inside else fontsize, color=colour, bbox=box, zorder=5)


def draw_network(sizes, node_text=None, edge_text=None, names=None, ax=None, highlight=(), loss=None,
                 figsize=None):
    """Draw a fully connected network, inputs on the left.

    sizes      units per layer, e.g. [2, 2, 1]
    names      names of the units, a list per layer (default x1.., h1.., y1..)
    node_text  {unit name: extra lines under it}, e.g. {"h1": "z = 0.35\\na = 0.5866"}; lines
               starting "grad:" are drawn in red
    edge_text  {(from unit, to unit): text on that edge}
    loss       text for a loss node drawn after the last layer, or None for no loss node
    highlight  unit names and (from, to) pairs to highlight
    """
    node_text = node_text or {}
    edge_text = edge_text or {}
    if names is None:
        names = [[f"{p}{i + 1}" for i in range(n)] for p, n in zip(_prefixes(len(sizes)), sizes)]
    if [len(layer) for layer in names] != list(sizes):
        raise ValueError(f"names has layers of sizes {[len(layer) for layer in names]} but sizes is {list(sizes)}.")
    dx, dy = 3.2, 1.9
    tallest = max(sizes)
    nodes = {}
    for col, layer in enumerate(names):
        for row, unit in enumerate(layer):
            y = ((len(layer) - 1) / 2 - row) * dy  # each layer centred on y = 0
            label = unit if unit not in node_text else unit + "\n" + node_text[unit]
            nodes[unit] = (col * dx, y, label)
    edges = []
    for left, right in zip(names[:-1], names[1:]):
        n_left = len(left)
        for i, a in enumerate(left):
            for b in right:
                # stagger the labels along the edges so crossing edges do not collide
                t = 0.5 if n_left == 1 else 0.28 + 0.44 * i / (n_left - 1)
                edges.append((a, b, edge_text.get((a, b), ""), t))
    if loss is not None:
        nodes["L"] = ((len(names) - 0.4) * dx, 0.0, "L\n" + loss, "box")
        for unit in names[-1]:
            edges.append((unit, "L", edge_text.get((unit, "L"), "")))
    if figsize is None:
        figsize = (2.4 * (len(names) + (loss is not None)) + 1, 1.2 * tallest + 1.6)
    return draw_graph(nodes, edges, ax=ax, highlight=highlight, figsize=figsize)


def _prefixes(n_layers):
    if n_layers == 2:
        return ["x", "y"]
    return ["x"] + ["h" if n_layers == 3 else f"h{k}_" for k in range(1, n_layers - 1)] + ["y"]


def plot_losses(losses, ax=None, log=False, xlabel="step", title=None, figsize=(6, 3.5)):
    """Plot one loss curve (a list of numbers) or several ({label: list})."""
    ax = _axes(ax, figsize)
    curves = losses if isinstance(losses, dict) else {"loss": losses}
    for label, values in curves.items():
        ax.plot(np.arange(len(values)), values, label=label)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("loss")
    if len(curves) > 1:
        ax.legend()
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.3)
    return ax


def plot_decision_boundary(predict, X, y, ax=None, resolution=200, figsize=(5, 5), title=None):
    """Colour the plane by predicted class and draw the labelled points on top.

    predict  a function (n, 2) -> (n, k) class scores (or (n,) class labels)
    """
    ax = _axes(ax, figsize)
    pad = 0.25 * (X.max(axis=0) - X.min(axis=0))
    lo, hi = X.min(axis=0) - pad, X.max(axis=0) + pad
    gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    scores = np.asarray(predict(np.column_stack([gx.ravel(), gy.ravel()])))
    classes = scores.argmax(axis=1) if scores.ndim == 2 else scores.astype(int)
    n_classes = int(max(classes.max(), y.max())) + 1
    from matplotlib.colors import ListedColormap

    cmap = ListedColormap(CLASS_COLOURS[:n_classes])
    ax.imshow(classes.reshape(gx.shape), origin="lower", extent=(lo[0], hi[0], lo[1], hi[1]),
              cmap=cmap, vmin=-0.5, vmax=n_classes - 0.5, alpha=0.25, aspect="auto", interpolation="nearest")
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap=cmap, vmin=-0.5, vmax=n_classes - 0.5, s=14, edgecolors="k", linewidths=0.4)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    if title:
        ax.set_title(title)
    return ax


ACTIVATIONS = {
    "sigmoid": (sigmoid, lambda z: sigmoid(z) * (1 - sigmoid(z))),
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float)),
}


def plot_activations(names=("sigmoid", "tanh", "relu"), z=None, axes=None, mark=None):
    """Each activation and its derivative on one panel; `mark` draws a point at z = mark."""
    z = np.linspace(-5, 5, 401) if z is None else z
    if axes is None:
        _, axes = plt.subplots(1, len(names), figsize=(3.3 * len(names), 3), sharey=True)
    axes = np.atleast_1d(axes)
    for ax, name in zip(axes, names):
        f, df = ACTIVATIONS[name]
        ax.plot(z, f(z), color=VALUE_COLOUR, label=name)
        ax.plot(z, df(z), color=GRADIENT_COLOUR, ls="--", label="derivative")
        if mark is not None:
            ax.plot([mark], [f(np.array([mark]))[0]], "o", color=VALUE_COLOUR)
            ax.plot([mark], [df(np.array([mark]))[0]], "o", color=GRADIENT_COLOUR)
        ax.axhline(0, color="#999999", lw=0.6)
        ax.axvline(0, color="#999999", lw=0.6)
        ax.set_title(name)
        ax.set_xlabel("z")
        ax.set_ylim(-1.2, 1.6)
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize=8)
    return axes


# --- lesson 08: deep networks -----------------------------------------------------------


def plot_gradient_norms(curves, ax=None, figsize=(6.5, 3.6), title=None):
    """The norm of dL/dW at every layer, one line per network: curves = {label: [norm, ...]},
    layer 1 (next to the input) on the left, on a log scale. Zero norms are left out."""
    ax = _axes(ax, figsize)
    for label, norms in curves.items():
        norms = np.asarray(norms, dtype=float)
        layers = np.arange(1, len(norms) + 1)
        keep = norms > 0
        ax.plot(layers[keep], norms[keep], "o-", ms=3, label=label)
    ax.set_yscale("log")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("layer (1 = next to the input)")
    ax.set_ylabel(r"$\|\partial L/\partial W\|$")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    if title:
        ax.set_title(title)
    return ax


def plot_runs(runs, key="loss", ax=None, log=True, figsize=(6.5, 3.6), title=None, ylabel=None, top=None):
    """Training histories (as layers.train returns), one line per run: runs = {label: history}.

    key is "loss" or "grad_norm" (per step), or an evaluation such as "test_accuracy" (at the
    history's "eval_step"). A run that diverged ends in a cross, labelled with its step.
    """
    ax = _axes(ax, figsize)
    for label, history in runs.items():
        values = np.asarray(history[key], dtype=float)
        steps = np.asarray(history["eval_step"]) if key not in ("loss", "grad_norm") else np.arange(len(values))
        stop = history.get("diverged_at")
        if stop is not None:
            label = f"{label} (diverged at step {stop})"
        line, = ax.plot(steps, values, label=label)
        if stop is not None and len(values):
            cap = top if top is not None else 1e300
            shown = min(values[-1], cap) if np.isfinite(values[-1]) else cap
            ax.plot([steps[-1]], [shown], "x", color=line.get_color(), ms=9, mew=2, clip_on=False)
    if log:
        ax.set_yscale("log")
    if top is not None:
        ax.set_ylim(top=top)
    ax.set_xlabel("step")
    ax.set_ylabel(ylabel or key.replace("_", " "))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return ax
