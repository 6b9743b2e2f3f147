"""Figures, with matplotlib alone; each shown with a text alternative.

    show(alt, fig)                    show a figure (the current one by default) with its alt text: the
                                      lesson's sentence, then what the figure holds in words

    draw_graph(nodes, edges)          any graph: boxes or circles with text, labelled arrows
    draw_network(sizes, ...)          a layered network, values and gradients on nodes and edges
    plot_losses(losses)               loss curves
    plot_decision_boundary(f, X, y)   a classifier's regions in the plane
    plot_activations()                sigmoid, tanh and ReLU with their derivatives
    plot_confusion_matrix(y, y_pred)  counts of true against predicted classes (lesson 06)
    plot_digits(images, titles)       a grid of 8 x 8 handwritten digits (lesson 06)
    draw_neuron_graph(x, w, b, y)     lesson 02: one neuron as a computational graph, values and gradients
    draw_branching_graph(...)         lesson 02: the exercise's graph, in which x feeds two branches
    draw_221(values, shown)           lesson 03: the 2-2-1 network with the numbers of one training step

    VALUE_COLOUR
    GRADIENT_COLOUR
    HIGHLIGHT_COLOUR
    CLASS_COLOURS      one colour per class, told apart under the common colour-vision deficiencies (Okabe-Ito)
    CLASS_MARKERS      one marker per class: the second cue, for eyes that do not tell the colours apart
    SERIES_COLOURS     the lines of one panel: the first five are told apart under protanopia, deuteranopia
                       and tritanopia, and each has at least 3:1 contrast on white
    series_style(i)    the colour, line style and marker of the i-th line of a panel (style and marker differ
                       from line to line, a second cue besides the colour)
    ACTIVATIONS
    draw_course_map(lessons, ax, figsize, per_row)  The lessons as numbered boxes joined by arrows in reading ...
    OP_SYMBOLS
    autograd_layout(order)                        Positions {index in order
    GraphDrawing                                  A drawn autograd graph whose numbers and highlight can change ...
    draw_autograd_graph(root, ax, figsize)        Draw the graph behind `root`
    plot_gradient_norms(curves, ax, figsize, title)  The norm of dL/dW at every layer, one line per network
    plot_runs(runs, key, ax, log, figsize, title, ylabel, top)  Training histories (as layers.train returns) ...
    ERROR_BANDS
    shade_error_bands(ax, labels, alpha)          Shade the relative-error bands of a float64 gradient check on a ...
"""

import matplotlib.pyplot as plt
import numpy as np

from backprop.access import contrast_ratio, figure_bundle
from backprop.layers import sigmoid

__all__ = ["show", "VALUE_COLOUR", "GRADIENT_COLOUR", "HIGHLIGHT_COLOUR", "CLASS_COLOURS", "CLASS_MARKERS",
           "SERIES_COLOURS", "series_style", "draw_graph", "draw_network",
           "plot_losses", "plot_decision_boundary", "ACTIVATIONS", "plot_activations", "draw_course_map",
           "OP_SYMBOLS", "autograd_layout", "GraphDrawing", "draw_autograd_graph", "draw_neuron_graph",
           "draw_branching_graph", "draw_221", "plot_gradient_norms", "plot_runs", "plot_confusion_matrix",
           "plot_digits", "ERROR_BANDS", "shade_error_bands"]


VALUE_COLOUR = "#1f4e9c"      # forward values
GRADIENT_COLOUR = "#b3261e"   # gradients
HIGHLIGHT_COLOUR = "#f2b705"
CLASS_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00",
                 "#56B4E9", "#000000", "#F0E442", "#882255", "#5A5A5A"]
CLASS_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*", "h", "<"]
SERIES_COLOURS = ["#0072B2", "#D55E00", "#000000", "#CC79A7", "#5A5A5A", "#009E73", "#882255", "#8F6A00"]
_SERIES_LINES = ["-", "--", "-.", ":"]


def series_style(i, n_points=None):
    """Keyword arguments for ax.plot of the i-th line of a panel: a colour of SERIES_COLOURS, and a
    line style and marker of their own (markers every tenth point of a long line)."""
    style = {"color": SERIES_COLOURS[i % len(SERIES_COLOURS)], "ls": _SERIES_LINES[i % len(_SERIES_LINES)],
             "marker": CLASS_MARKERS[i % len(CLASS_MARKERS)], "ms": 4}
    if n_points is not None and n_points > 20:
        style["markevery"] = max(1, n_points // 10)
    return style


def show(alt=None, fig=None, dpi=None):
    """Show a figure (by default the current one, as plt.show() would) with a text alternative,
    and close it. `alt`, a sentence of the lesson's, says what the figure is for; the words that
    follow it are computed from the figure: its titles, axes, lines from what to what, and the
    numbers written on it (backprop.access.describe_figure). JupyterLab shows an <img> with that
    alt text, and nbconvert's and nbgrader's HTML pages too (backprop.access.figure_bundle)."""
    from IPython.display import display

    fig = plt.gcf() if fig is None else fig
    bundle, metadata = figure_bundle(fig, alt, dpi=dpi or plt.rcParams["figure.dpi"])
    display(bundle, raw=True, metadata=metadata)
    plt.close(fig)


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
    for i, (label, values) in enumerate(curves.items()):
        style = series_style(i, len(values)) if len(curves) > 1 else {"color": VALUE_COLOUR}
        ax.plot(np.arange(len(values)), values, label=label, **style)
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
    for k in range(n_classes):  # a marker of its own per class, besides its colour
        ax.scatter(X[y == k, 0], X[y == k, 1], color=CLASS_COLOURS[k % len(CLASS_COLOURS)], s=16,
                   marker=CLASS_MARKERS[k % len(CLASS_MARKERS)], edgecolors="k", linewidths=0.4, label=f"class {k}")
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


def draw_course_map(lessons, ax=None, figsize=(9.5, 3.8), per_row=4):
    """The lessons as numbered boxes joined by arrows in reading order, snaking down the page.

    lessons  [(number, title), ...]; a title may break into lines with "\\n"
    """
    ax = _axes(ax, figsize)
    width, height, gap_x, gap_y = 2.5, 1.1, 0.5, 0.6
    centres = []
    for k, (number, title) in enumerate(lessons):
        row, col = divmod(k, per_row)
        if row % 2:  # every other row runs right to left
            col = per_row - 1 - col
        x, y = col * (width + gap_x), -row * (height + gap_y)
        centres.append((x, y))
        ax.add_patch(plt.Rectangle((x - width / 2, y - height / 2), width, height, facecolor="#eef3fb",
                                   edgecolor=VALUE_COLOUR, lw=1.2, zorder=2))
        ax.text(x, y + 0.3, number, ha="center", va="center", fontsize=11, fontweight="bold",
                color=VALUE_COLOUR, zorder=3)
        ax.text(x, y - 0.12, title, ha="center", va="center", fontsize=8.5, zorder=3, linespacing=1.1)
    for (x0, y0), (x1, y1) in zip(centres, centres[1:]):
        if abs(y0 - y1) < 1e-9:  # along a row
            sign = 1 if x1 > x0 else -1
            start, end = (x0 + sign * width / 2, y0), (x1 - sign * width / 2, y1)
        else:  # down to the next row
            start, end = (x0, y0 - height / 2), (x1, y1 + height / 2)
        ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "-|>", "color": "#555555", "lw": 1.2})
    xs = [c[0] for c in centres]
    ys = [c[1] for c in centres]
    ax.set_xlim(min(xs) - width / 2 - 0.1, max(xs) + width / 2 + 0.1)
    ax.set_ylim(min(ys) - height / 2 - 0.1, max(ys) + height / 2 + 0.1)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


# --- lesson 10: the graph an autograd engine records ----------------------------------

OP_SYMBOLS = {"+": "+", "-": "\u2212", "*": "\u00d7", "@": "@", "tanh": "tanh", "sigmoid": "\u03c3",
              "relu": "relu", "sum": "\u03a3", "mean": "mean", "**2": "( )\u00b2"}


def autograd_layout(order):
    """Positions {index in order: (column, row)} for a graph listed in topological order.

    Columns: a result sits one column right of its rightmost parent; a leaf sits just left
    of the first tensor that uses it. Rows: each tensor near the mean row of the tensors it
    feeds (the root on row 0), spread apart so that none overlap.
    """
    index = {id(node): i for i, node in enumerate(order)}
    children = {i: [] for i in range(len(order))}
    for i, node in enumerate(order):
        for parent in node.parents:
            children[index[id(parent)]].append(i)
    column = {}
    for i, node in enumerate(order):
        if node.parents:
            column[i] = 1 + max(column.get(index[id(p)], 0) for p in node.parents)
    for i, node in enumerate(order):
        if not node.parents:
            column[i] = max(0, min((column[c] for c in children[i] if c in column), default=1) - 1)
    row = {}
    for col in sorted(set(column.values()), reverse=True):
        members = [i for i in column if column[i] == col]
        wanted = {i: (np.mean([row[c] for c in children[i]]) if children[i] else 0.0) for i in members}
        members.sort(key=lambda i: (wanted[i], not order[i].parents, i))  # results before leaves
        placed = None
        for i in members:
            row[i] = wanted[i] if placed is None else max(wanted[i], placed + 1.0)
            placed = row[i]
    return {i: (column[i], row[i]) for i in range(len(order))}


class GraphDrawing:
    """A drawn autograd graph whose numbers and highlight can change without redrawing it.

    nodes    the tensors drawn, in topological order (index i is the i-th tensor)
    refresh(nodes, grads, current)  new values from `nodes` (same structure), the gradients
             to show (a list with None for "not yet"), and the index of the tensor whose
             backward rule is highlighted (or None)
    """

    def __init__(self, root, ax=None, figsize=None, fontsize=8):
        from backprop.autograd import topological_order

        self.nodes = topological_order(root)
        self.layout = autograd_layout(self.nodes)
        cols = max(c for c, _ in self.layout.values()) + 1
        rows = max(r for _, r in self.layout.values()) + 1
        if ax is None:
            _, ax = plt.subplots(figsize=figsize or (1.0 * cols + 0.5, 1.05 * rows + 0.5))
        self.ax, self.fig = ax, ax.figure
        sx = 1.45  # data units between columns
        index = {id(node): i for i, node in enumerate(self.nodes)}
        pairs = {(index[id(parent)], i) for i, node in enumerate(self.nodes) for parent in node.parents}
        # An arrow that climbs to a row above across two columns or more would cross the numbers under
        # that row's tensors: it runs in a corridor under them instead, for which the rows are further apart.
        long = {(j, i) for j, i in pairs if self.layout[j][0] - self.layout[i][0] <= -2
                and self.layout[i][1] < self.layout[j][1]}
        sy = 1.8 if long else 1.5  # data units between rows
        self.xy = {i: (c * sx, -r * sy) for i, (c, r) in self.layout.items()}
        self.circles, self.values, self.grads, self.edges, self.bends = [], [], [], {}, {}
        radius = 0.3
        ends = {i: [] for i in range(len(self.nodes))}  # where each tensor's arrows leave or arrive
        for i, node in enumerate(self.nodes):
            x1, y1 = self.xy[i]
            for parent in node.parents:
                j = index[id(parent)]
                if (j, i) in self.edges:
                    continue
                x0, y0 = self.xy[j]
                if (j, i) in long:  # up into the corridor, along it, and up to the tensor
                    corridor = y1 - 0.97
                    points = [(x0, y0), (x0 + 0.5 * sx, corridor), (x1 - 0.35 * sx, corridor)]
                    (self.bends[(j, i)],) = ax.plot(*zip(*_shortened(points, radius, 0)), color="#777777", lw=1.0)
                    start, ends_at = points[-1], (points[1], points[-1])
                    trim0 = 0.0
                else:
                    start, ends_at, trim0 = (x0, y0), ((x1, y1), (x0, y0)), radius
                d = np.hypot(x1 - start[0], y1 - start[1])
                ux, uy = (x1 - start[0]) / d, (y1 - start[1]) / d
                arrow = ax.annotate("", xy=(x1 - ux * radius, y1 - uy * radius),
                                    xytext=(start[0] + ux * trim0, start[1] + uy * trim0),
                                    arrowprops={"arrowstyle": "-|>", "color": "#777777", "lw": 1.0,
                                                "shrinkA": 0, "shrinkB": 0})
                self.edges[(j, i)] = arrow
                ends[j].append(ends_at[0])
                ends[i].append(ends_at[1])
        for i, node in enumerate(self.nodes):
            x, y = self.xy[i]
            circle = plt.Circle((x, y), radius, facecolor="white", edgecolor="#333333", lw=1.2, zorder=3)
            ax.add_patch(circle)
            self.circles.append(circle)
            inside = OP_SYMBOLS.get(node.op, node.op) if node.parents else (node.name or _autograd_number(node.data))
            small = inside.isalpha() and len(inside) > 2  # tanh, relu, mean: a smaller font
            ax.text(x, y, inside, ha="center", va="center", zorder=4, fontsize=fontsize - (1 if small else -1),
                    fontweight="normal" if node.parents else "bold")
            if node.parents and node.name:
                ax.text(x, y + radius + 0.08, node.name, ha="center", va="bottom", fontsize=fontsize + 1,
                        fontweight="bold")
            behind = {"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none"}
            side = _label_side(self.xy[i], ends[i])
            if side.startswith("below"):
                tx, ha = {"below": (x, "center"), "below right": (x - 0.08, "left"),
                          "below left": (x + 0.08, "right")}[side]
                spots = [(tx, y - radius - 0.05, ha, "top"), (tx, y - radius - 0.3, ha, "top")]
            else:  # beside the circle, where no arrow of this tensor passes
                sign, ha = (-1, "right") if side == "left" else (1, "left")
                spots = [(x + sign * (radius + 0.06), y + 0.02, ha, "bottom"),
                         (x + sign * (radius + 0.06), y - 0.02, ha, "top")]
            for texts, (tx, ty, ha, va), colour in zip((self.values, self.grads), spots,
                                                       (VALUE_COLOUR, GRADIENT_COLOUR)):
                texts.append(ax.text(tx, ty, "", ha=ha, va=va, fontsize=fontsize, color=colour, bbox=behind,
                                     zorder=5))
        xs = [p[0] for p in self.xy.values()]
        ys = [p[1] for p in self.xy.values()]
        ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
        ax.set_ylim(min(ys) - 0.95, max(ys) + 0.6)
        ax.set_aspect("equal")
        ax.axis("off")
        self.refresh(self.nodes, [node.grad for node in self.nodes])

    def refresh(self, nodes, grads=None, current=None):
        if len(nodes) != len(self.nodes):
            raise ValueError(f"nodes has {len(nodes)} tensors but the drawing has {len(self.nodes)}.")
        grads = [None] * len(nodes) if grads is None else grads
        for i, node in enumerate(nodes):
            self.values[i].set_text(_autograd_number(node.data))
            self.grads[i].set_text("" if grads[i] is None else _autograd_number(grads[i]))
            self.circles[i].set_facecolor("#fff4c2" if i == current else "white")
            self.circles[i].set_edgecolor(HIGHLIGHT_COLOUR if i == current else "#333333")
            self.circles[i].set_linewidth(2.2 if i == current else 1.2)
        for (j, i), arrow in self.edges.items():
            hot = i == current
            arrow.arrow_patch.set_color(GRADIENT_COLOUR if hot else "#777777")
            arrow.arrow_patch.set_linewidth(2.0 if hot else 1.0)
            if (j, i) in self.bends:
                self.bends[(j, i)].set_color(GRADIENT_COLOUR if hot else "#777777")
                self.bends[(j, i)].set_linewidth(2.0 if hot else 1.0)


def _shortened(points, start, end):
    """A polyline with its first segment shortened by `start` at its start, its last by `end`."""
    points = [np.asarray(p, dtype=float) for p in points]
    for k, by in ((0, start), (-1, end)):
        inner = points[1] if k == 0 else points[-2]
        d = np.linalg.norm(inner - points[k])
        if by and d:
            points[k] = points[k] + (inner - points[k]) * by / d
    return [tuple(p) for p in points]


def _label_side(at, others):
    """Where a tensor's numbers go: below its circle, unless one of its arrows comes in (or goes
    out) steeply from below (within 42 degrees of straight down), where it would cross them; then
    below but pushed to the other side of that arrow, or beside the circle."""
    x, y = at
    angles = [np.degrees(np.arctan2(oy - y, ox - x)) for ox, oy in others]
    steep = [a for a in angles if abs((a + 90 + 180) % 360 - 180) < 42]
    if not steep:
        return "below"
    if all(a < -90 for a in steep) and all(not -90 < a < -30 for a in angles):
        return "below right"  # the steep arrows come from the lower left
    if all(a > -90 for a in steep) and all(not -150 < a < -90 for a in angles):
        return "below left"

    def free(direction, width):
        return all(abs((a - direction + 180) % 360 - 180) >= width for a in angles)

    if free(180, 40):
        return "left"
    return "right" if free(0, 40) else "below"


def _autograd_number(value):
    value = np.asarray(value)
    if value.size == 1:
        return f"{float(value.reshape(())):.4f}"
    return "shape " + "\u00d7".join(map(str, value.shape))


def draw_autograd_graph(root, ax=None, figsize=None):
    """Draw the graph behind `root`: each tensor with its value (blue) and gradient (red).

    root  a tensor of lesson 10's engine (anything with .parents, .data, .grad, .op, .name)
    Operations show their symbol in the circle and their name above it; leaves show their
    name. Returns a GraphDrawing; its .ax is the axes.
    """
    if not hasattr(root, "parents"):
        from backprop.validation import describe

        raise TypeError(f"root must be a tensor of the autograd engine, but got {describe(root)}.")
    return GraphDrawing(root, ax=ax, figsize=figsize)


# --- lesson 02: computational graphs ---------------------------------------------------


def draw_neuron_graph(x, w, b, y, ax=None, gradients=True, figsize=(9, 3.6)):
    """One neuron, L = (sigmoid(w x + b) - y)**2, as a computational graph.

    Each operation is a node showing its output (blue) and, if `gradients`, the gradient of L
    with respect to that output (red); each arrow carries the local derivative of the node it
    enters with respect to the value it brings. Returns the axes.
    """
    for name, value in (("x", x), ("w", w), ("b", b), ("y", y)):
        if not isinstance(value, (int, float, np.integer, np.floating)) or not np.isfinite(value):
            raise TypeError(f"{name} must be a finite number, but got {value!r}.")
    u = w * x
    z = u + b
    a = sigmoid(z)
    L = (a - y) ** 2
    dL_da = 2 * (a - y)
    dL_dz = dL_da * a * (1 - a)

    def grad(text):
        return "\ngrad:" + text if gradients else ""

    nodes = {
        "x": (-1.2, 1.8, f"x\n{x:.4g}" + grad(f"∂L/∂x = {dL_dz * w:.4f}")),
        "w": (-1.2, -1.8, f"w\n{w:.4g}" + grad(f"∂L/∂w = {dL_dz * x:.4f}")),
        "u": (3.0, 0.0, f"u\nwx = {u:.4f}" + grad(f"∂L/∂u = {dL_dz:.4f}")),
        "b": (3.0, -2.6, f"b\n{b:.4g}" + grad(f"∂L/∂b = {dL_dz:.4f}")),
        "z": (6.0, 0.0, f"z\nu + b = {z:.4f}" + grad(f"∂L/∂z = {dL_dz:.4f}")),
        "a": (9.0, 0.0, f"a\nσ(z) = {a:.4f}" + grad(f"∂L/∂a = {dL_da:.4f}")),
        "y": (10.6, 2.2, f"y\n{y:.4g}"),
        "L": (12.0, 0.0, f"L\n(a − y)² = {L:.4f}" + grad("∂L/∂L = 1"), "box"),
    }
    edges = [
        ("x", "u", f"∂u/∂x = w = {w:.4g}", 0.5),
        ("w", "u", f"∂u/∂w = x = {x:.4g}", 0.5),
        ("u", "z", "∂z/∂u = 1"),
        ("b", "z", "∂z/∂b = 1"),
        ("z", "a", f"∂a/∂z = a(1−a)\n= {a * (1 - a):.4f}"),
        ("a", "L", f"∂L/∂a = 2(a−y)\n= {dL_da:.4f}"),
        ("y", "L", ""),
    ]
    return _text_on_white(draw_graph(nodes, edges, ax=_full_axes(ax, figsize)))


def draw_branching_graph(x, w, b, v, y, ax=None, figsize=(9, 4)):
    """The graph of L = (tanh(w x + b) + relu(v x) - y)**2 with its forward values (lesson 02's exercise).

    x feeds two branches, so on the way back its gradient is the sum of two paths.
    """
    for name, value in (("x", x), ("w", w), ("b", b), ("v", v), ("y", y)):
        if not isinstance(value, (int, float, np.integer, np.floating)) or not np.isfinite(value):
            raise TypeError(f"{name} must be a finite number, but got {value!r}.")
    z = w * x + b
    t = np.tanh(z)
    q = v * x
    r = max(q, 0.0)
    p = t + r
    L = (p - y) ** 2
    nodes = {
        "w": (0.0, 2.6, f"w\n{w:.4g}"),
        "b": (0.0, 0.9, f"b\n{b:.4g}"),
        "x": (0.0, -0.9, f"x\n{x:.4g}"),
        "v": (0.0, -2.6, f"v\n{v:.4g}"),
        "z": (3.0, 1.6, f"z\nwx + b = {z:.4f}"),
        "q": (3.0, -1.6, f"q\nvx = {q:.4f}"),
        "t": (6.0, 1.6, f"t\ntanh(z) = {t:.4f}"),
        "r": (6.0, -1.6, f"r\nrelu(q) = {r:.4f}"),
        "p": (9.0, 0.0, f"p\nt + r = {p:.4f}"),
        "y": (10.6, 2.2, f"y\n{y:.4g}"),
        "L": (12.0, 0.0, f"L\n(p − y)² = {L:.4f}", "box"),
    }
    edges = [("w", "z", ""), ("b", "z", ""), ("x", "z", ""), ("x", "q", ""), ("v", "q", ""),
             ("z", "t", ""), ("q", "r", ""), ("t", "p", ""), ("r", "p", ""), ("p", "L", ""), ("y", "L", "")]
    return _text_on_white(draw_graph(nodes, edges, ax=_full_axes(ax, figsize)))


def _full_axes(ax, figsize):
    """The axes given, or new ones filling a new figure (a graph needs no margins for ticks)."""
    if ax is None:
        ax = plt.figure(figsize=figsize).add_axes((0.0, 0.0, 1.0, 1.0))
    return ax


def _text_on_white(ax):
    """Give every text without a background a white one, so that arrows pass behind it."""
    for text in ax.texts:
        if text.get_bbox_patch() is None:
            text.set_bbox({"boxstyle": "square,pad=0.25", "facecolor": "white", "edgecolor": "none"})
    return ax


# --- lesson 03: the worked 2-2-1 network -----------------------------------------------

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _p(value):
    """A parameter or input as typed: 0.1, 0.5684, -1.25."""
    return f"{value:.4g}"


def draw_221(values, shown=None, highlight=(), ax=None, figsize=(9.5, 4.6)):
    """The 2-2-1 network of lesson 03 with the numbers of one training step where they belong.

    values     every number of the step, by name, as reference.worked_221_values gives them (to draw
               the network before any computation, shown=[], its inputs and parameters will do)
    shown      the names of the computed numbers to write (z1, a1, dL_dw11, new_w11, new_L, ...);
               None writes them all. Inputs, target and parameters are always written.
    highlight  node names ("x1", "x2", "h1", "h2", "out", "L") and edges (("x1", "h1"), ...) to mark
    Forward values are blue, gradients red; an updated parameter reads "w₁₁ = 0.1 → 0.1141".
    h₁'s numbers are written above it, out of the way of the arrow from x₂; h₂'s below it.
    """
    if not isinstance(values, dict):
        raise TypeError(f"values must be the dict of reference.worked_221_values, but got {type(values).__name__}.")
    missing = sorted({"x1", "x2", "y", "w11", "w12", "b1", "w21", "w22", "b2", "v1", "v2", "b3"} - set(values))
    if missing:
        raise ValueError(f"values is missing {missing}: pass the dict of reference.worked_221_values.")
    v = values
    known = set(v) if shown is None else set(shown)

    def has(*names):
        return all(name in known and name in v for name in names)

    def param(name):
        label = name[0] + name[1:].translate(_SUB)
        text = f"{label} = {_p(v[name])}"
        return text + (f" → {v['new_' + name]:.4f}" if has("new_" + name) else "")

    def grad(name, label=None):
        label = label or name[0] + name[1:].translate(_SUB)
        return f"\ngrad:∂L/∂{label} = {v['dL_d' + name]:.4f}" if has("dL_d" + name) else ""

    nodes = {"x1": (0.0, 2.0, f"x1\n{_p(v['x1'])}"), "x2": (0.0, -1.8, f"x2\n{_p(v['x2'])}")}
    for k, y in ((1, 2.0), (2, -1.8)):
        lines = [param(f"b{k}")]
        forward = [f"{n}{str(k).translate(_SUB)} = {v[f'{n}{k}']:.4f}" for n in ("z", "a") if has(f"{n}{k}")]
        if forward:
            lines.append("  ".join(forward))
        backward = []
        if has(f"dL_da{k}"):
            backward.append(f"∂L/∂a{str(k).translate(_SUB)} = {v[f'dL_da{k}']:.4f}")
        if has(f"sigma_prime{k}"):
            backward.append(f"σ′ = {v[f'sigma_prime{k}']:.4f}")
        if backward:
            lines.append("grad:" + "  ".join(backward))
        if has(f"dL_dz{k}"):
            both = f" = ∂L/∂b{str(k).translate(_SUB)}" if has(f"dL_db{k}") else ""
            lines.append(f"grad:∂L/∂z{str(k).translate(_SUB)}{both} = {v[f'dL_dz{k}']:.4f}")
        nodes[f"h{k}"] = (5.0, y, f"h{k}\n" + "\n".join(lines)) if k == 2 else (5.0, y, "h1")
        if k == 1:
            above = lines
    out = [param("b3")]
    if has("y_hat"):
        out.append(f"ŷ = {v['y_hat']:.4f}" + (f" → {v['new_y_hat']:.4f}" if has("new_y_hat") else ""))
    if has("dL_dyhat"):
        out.append("grad:∂L/∂ŷ" + (" = ∂L/∂b₃" if has("dL_db3") else "") + f" = {v['dL_dyhat']:.4f}")
    nodes["out"] = (10.0, 0.2, "ŷ\n" + "\n".join(out))
    loss = [f"y = {_p(v['y'])}"]
    if has("L"):
        loss.append(f"L = {v['L']:.4f}" + (f" → {v['new_L']:.4f}" if has("new_L") else ""))
    nodes["L"] = (13.6, 0.2, "L\n" + "\n".join(loss), "box")
    edges = []
    for i in (1, 2):
        for k in (1, 2):
            name = f"w{k}{i}"   # from input i to hidden unit k
            t = 0.5 if i == k else 0.28
            edges.append((f"x{i}", f"h{k}", param(name) + grad(name), t))
    for k in (1, 2):
        edges.append((f"h{k}", "out", param(f"v{k}") + grad(f"v{k}"), 0.5))
    edges.append(("out", "L", ""))
    ax = _full_axes(ax, figsize)
    draw_graph(nodes, edges, ax=ax, highlight=highlight)
    step = 0.24 * 9 / 8  # as draw_graph spaces the lines under a node
    for k, line in enumerate(reversed(above)):  # the last line nearest to the node
        grad = line.startswith("grad:")
        ax.text(5.0, 2.0 + 0.42 + step / 2 + k * step, line[5:] if grad else line, ha="center", va="center",
                fontsize=9, color=GRADIENT_COLOUR if grad else VALUE_COLOUR, zorder=5)
    ax.set_xlim(-1.0, 15.0)
    ax.set_ylim(-3.6, 3.6)
    return _text_on_white(ax)


# --- lesson 08: deep networks -----------------------------------------------------------


def plot_gradient_norms(curves, ax=None, figsize=(6.5, 3.6), title=None):
    """The norm of dL/dW at every layer, one line per network: curves = {label: [norm, ...]},
    layer 1 (next to the input) on the left, on a log scale. Zero norms are left out."""
    ax = _axes(ax, figsize)
    for i, (label, norms) in enumerate(curves.items()):
        norms = np.asarray(norms, dtype=float)
        layers = np.arange(1, len(norms) + 1)
        keep = norms > 0
        ax.plot(layers[keep], norms[keep], label=label, **series_style(i))
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
    for i, (label, history) in enumerate(runs.items()):
        values = np.asarray(history[key], dtype=float)
        steps = np.asarray(history["eval_step"]) if key not in ("loss", "grad_norm") else np.arange(len(values))
        stop = history.get("diverged_at")
        if stop is not None:
            label = f"{label} (diverged at step {stop})"
        line, = ax.plot(steps, values, label=label, **series_style(i, len(values)))
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
    image = ax.imshow(np.log1p(counts), cmap="Blues")
    for i in range(n_classes):
        for j in range(n_classes):
            if counts[i, j]:
                # the count in a colour with at least 4.5:1 contrast on its cell: mistakes in red where
                # that is legible (and bold everywhere: the colour is not the only cue)
                cell = image.cmap(image.norm(np.log1p(counts[i, j])))[:3]
                wanted = ["#b3261e", "black", "white"] if i != j else ["black", "white"]
                colour = next((c for c in wanted if contrast_ratio(c, np.array(cell)) >= 4.5), "black")
                ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=8, color=colour,
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

ERROR_BANDS = ((1e-7, "#1a7f37", "agree"), (1e-4, "#8F6A00", "look closer"), (10.0, "#cf222e", "a bug?"))


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
