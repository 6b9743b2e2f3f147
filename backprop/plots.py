"""Figures, with matplotlib alone.

    draw_graph(nodes, edges)          any graph: boxes or circles with text, labelled arrows
    draw_network(sizes, ...)          a layered network, values and gradients on nodes and edges
    plot_losses(losses)               loss curves
    plot_decision_boundary(f, X, y)   a classifier's regions in the plane
    plot_activations()                sigmoid, tanh and ReLU with their derivatives
    plot_confusion_matrix(y, y_pred)  counts of true against predicted classes (lesson 06)
    plot_digits(images, titles)       a grid of 8 x 8 handwritten digits (lesson 06)
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


# --- lesson 06: the digits classifier ------------------------------------------------


def plot_confusion_matrix(y_true, y_pred, n_classes=None, ax=None, figsize=(4.6, 4.2), title=None):
    """A table of counts: row = true class, column = predicted class; the diagonal is right.

    y_true, y_pred  integer labels (m,); n_classes defaults to the largest label + 1
    Returns the axes; the counts are in ax.confusion (an (n_classes, n_classes) int array).
    """
    from backprop.validation import describe

    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    for name, labels in (("y_true", y_true), ("y_pred", y_pred)):
        if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
            raise TypeError(f"{name} must be a 1-D array of integer labels, but got {describe(labels)}.")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true has shape {y_true.shape} but y_pred has shape {y_pred.shape}; one prediction "
                         f"per example is expected.")
    if n_classes is None:
        n_classes = int(max(y_true.max(initial=0), y_pred.max(initial=0))) + 1
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (y_true, y_pred), 1)
    ax = _axes(ax, figsize)
    ax.imshow(np.log1p(counts), cmap="Blues")
    top = np.log1p(counts).max() or 1.0
    for i in range(n_classes):
        for j in range(n_classes):
            if counts[i, j]:
                light = np.log1p(counts[i, j]) > 0.6 * top
                ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=8,
                        color="white" if light else ("#b3261e" if i != j else "black"),
                        fontweight="bold" if i != j else "normal")
    ax.set_xticks(range(n_classes))
    ax.set_yticks(range(n_classes))
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title or f"{int(np.trace(counts))} of {int(counts.sum())} right")
    ax.confusion = counts
    return ax


def plot_digits(images, titles=None, ncols=10, axes=None, colours=None, size=1.0):
    """A grid of 8 x 8 digit images (n, 8, 8) or flat rows (n, 64), with a title under each.

    colours  one colour per title (e.g. red for the misclassified), or None for black
    """
    images = np.asarray(images, dtype=np.float64)
    if images.ndim == 2 and images.shape[1] == 64:
        images = images.reshape(-1, 8, 8)
    if images.ndim != 3:
        raise ValueError(f"images must have shape (n, 8, 8) or (n, 64), but has shape {images.shape}.")
    n = len(images)
    if titles is not None and len(titles) != n:
        raise ValueError(f"titles has {len(titles)} entries but there are {n} images.")
    if axes is None:
        ncols = max(1, min(ncols, n))
        nrows = max(1, -(-n // ncols))
        _, axes = plt.subplots(nrows, ncols, figsize=(size * 1.05 * ncols, size * 1.3 * nrows), squeeze=False)
    axes = np.ravel(axes)
    for k, ax in enumerate(axes):
        ax.axis("off")
        if k < n:
            ax.imshow(images[k], cmap="gray_r", interpolation="nearest")
            if titles is not None:
                ax.set_title(titles[k], fontsize=8, color=(colours[k] if colours is not None else "black"))
    return axes


# --- lesson 07: gradient checking -----------------------------------------------------

ERROR_BANDS = ((1e-7, "#1a7f37", "agree"), (1e-4, "#d4a72c", "look closer"), (10.0, "#cf222e", "a bug?"))


def shade_error_bands(ax, labels=True, alpha=0.08):
    """Shade the relative-error bands of a float64 gradient check on a log-scaled y axis:
    below 1e-7 the gradients agree, 1e-7 to 1e-4 look closer, above 1e-4 a bug is likely."""
    low = 1e-20
    for high, colour, label in ERROR_BANDS:
        ax.axhspan(low, high, color=colour, alpha=alpha, lw=0, zorder=0)
        if labels:
            y = np.sqrt(max(low, 1e-12) * min(high, 1.0)) if low > 1e-20 else 1e-9
            ax.text(1.01, y, label, transform=ax.get_yaxis_transform(), color=colour, fontsize=8,
                    va="center", ha="left")
        low = high
    return ax
