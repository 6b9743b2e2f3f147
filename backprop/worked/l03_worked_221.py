"""Lesson 03: one training step of the 2-2-1 network, as the steps its explorer shows.

    steps_221(v)  the numbers of reference.worked_221_values as named steps: stage, formula, where on the drawing
"""

__all__ = ["steps_221"]


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
