"""Gradient checking: compare an analytic gradient with centred finite differences.

    numerical_gradient(f, x)          dL/dx by (f(x + h) - f(x - h)) / 2h, entry by entry
    relative_error(analytic, numeric) |a - n| / (|a| + |n|), with |.| the norm of the array
    gradient_report(f, params, grads) a report, one row per parameter
    layer_report(layer, x)             the same for a layer's backward, on a random projection (with a
                                      note if forward or backward changes x, dout or a parameter in place)

Work in float64: in float32 the round-off alone is about 1e-3 of the gradient.
Rough bands for the relative error of a smooth function in float64: below 1e-7 correct;
1e-7 to 1e-4 look closer (a kink such as ReLU at 0, or gradients so small that round-off
matters); above 1e-4 almost certainly a bug.

    TOLERANCE
    GradientReport                                The result of a gradient check
    network_report(net, loss_fn, x, target, tol, entries)  Gradient-check a Sequential network with its loss
"""

import numpy as np

from backprop.validation import require_array, require_same_shape

__all__ = ["TOLERANCE", "numerical_gradient", "relative_error", "GradientReport", "gradient_report", "layer_report",
           "network_report"]


TOLERANCE = 1e-7


def numerical_gradient(f, x, h=1e-5, indices=None):
    """Centred-difference gradient of the scalar function f at x.

    f        a function of x returning a single number (it may ignore its argument and
             read x through a closure, as when x is a layer's weight matrix)
    x        a float64 array; it is perturbed in place, one entry at a time, and restored
    indices  check only these entries (a list of index tuples); the others are left 0
    """
    require_array("x", x)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape) if indices is None else indices:
        old = x[idx]
        x[idx] = old + h
        f_plus = _scalar(f(x))
        x[idx] = old - h
        f_minus = _scalar(f(x))
        x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad


def _scalar(value):
    if np.ndim(value) != 0 and np.size(value) != 1:
        raise ValueError(
            f"f must return a single number (the loss), but returned an array of shape {np.shape(value)}. "
            f"Reduce it to one number first, for example with np.sum(out * dout)."
        )
    return float(np.reshape(value, ()))


def relative_error(analytic, numeric):
    """How far apart two gradients are, relative to their size: |a - n| / (|a| + |n|).

    |.| is the Euclidean norm over all entries, so the answer is one number for the whole
    array: 0 when they agree, about 1 when they are unrelated, 0.0 if both are all zero.
    (Entry by entry, tiny entries would drown in round-off; the norm weighs every entry by
    its size.)
    """
    analytic = np.asarray(analytic, dtype=np.float64)
    numeric = np.asarray(numeric, dtype=np.float64)
    require_same_shape("analytic", analytic, "numeric", numeric)
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return 0.0 if scale == 0 else float(np.linalg.norm(analytic - numeric) / scale)


class GradientReport:
    """The result of a gradient check: one row per parameter, and whether all passed."""

    def __init__(self, rows, tol, notes=()):
        self.rows = rows
        self.tol = tol
        self.notes = list(notes)  # warnings about the check itself, e.g. an input changed in place

    @property
    def passed(self):
        return all(row["passed"] for row in self.rows)

    @property
    def max_error(self):
        return max((row["error"] for row in self.rows), default=0.0)

    def __getitem__(self, name):
        for row in self.rows:
            if row["name"] == name:
                return row
        raise KeyError(f"no parameter {name!r}; the report has {[r['name'] for r in self.rows]}")

    def __str__(self):
        lines = [f"{'parameter':<12}{'shape':<12}{'rel. error':>12}  {'largest difference at':<22}{'analytic':>13}"
                 f"{'numerical':>13}  result"]
        for r in self.rows:
            lines.append(
                f"{r['name']:<12}{str(r['shape']):<12}{r['error']:>12.2e}  {str(r['where']):<22}"
                f"{r['analytic']:>13.6g}{r['numeric']:>13.6g}  {'ok' if r['passed'] else 'FAIL'}"
            )
        verdict = "all gradients agree" if self.passed else "some gradients disagree"
        lines.append(f"{verdict} (tolerance {self.tol:.0e})")
        lines += [f"note: {note}" for note in self.notes]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self):
        columns = ("parameter", "shape", "rel. error", "largest difference at", "analytic", "numerical", "result")
        head = "".join(f"<th>{h}</th>" for h in columns)
        body = ""
        for r in self.rows:
            colour = "#1a7f37" if r["passed"] else "#cf222e"
            body += (
                f"<tr><td><code>{r['name']}</code></td><td>{r['shape']}</td><td>{r['error']:.2e}</td>"
                f"<td>{r['where']}</td><td>{r['analytic']:.6g}</td><td>{r['numeric']:.6g}</td>"
                f"<td style='color:{colour};font-weight:bold'>{'ok' if r['passed'] else 'FAIL'}</td></tr>"
            )
        notes = "".join(f"<p style='color:#cf222e'><b>note:</b> {note}</p>" for note in self.notes)
        return (f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table><p>tolerance {self.tol:.0e}</p>"
                + notes)

    def assert_passed(self):
        """Raise AssertionError with the whole table if any parameter failed."""
        if not self.passed:
            raise AssertionError("gradient check failed:\n" + str(self))


def gradient_report(f, params, grads, tol=TOLERANCE, h=1e-5, entries=None, seed=0):
    """Compare analytic gradients with numerical ones, parameter by parameter.

    f        a function of no arguments returning the loss, computed from the current
             values of the arrays in params (they are perturbed in place)
    params   {name: array} to differentiate with respect to
    grads    {name: analytic gradient}, same keys and shapes
    entries  check only this many randomly chosen entries of each parameter (for large
             ones); None checks them all
    """
    if set(params) != set(grads):
        raise ValueError(f"params has keys {sorted(params)} but grads has keys {sorted(grads)}.")
    rng = np.random.default_rng(seed)
    rows = []
    for name, value in params.items():
        analytic = np.asarray(grads[name], dtype=np.float64)
        require_same_shape(f"grads[{name!r}]", analytic, f"params[{name!r}]", value)
        indices = None
        if entries is not None and value.size > entries:
            flat = rng.choice(value.size, size=entries, replace=False)
            indices = [np.unravel_index(i, value.shape) for i in flat]
        numeric = numerical_gradient(lambda _: f(), value, h=h, indices=indices)
        if indices is not None:  # compare only the entries that were checked
            picked = tuple(np.array(indices).T)
            error = relative_error(analytic[picked], numeric[picked])
            mask = np.zeros(value.shape, dtype=bool)
            mask[picked] = True
        else:
            error = relative_error(analytic, numeric)
            mask = np.ones(value.shape, dtype=bool)
        difference = np.where(mask, np.abs(analytic - numeric), -1.0)
        where = tuple(int(i) for i in np.unravel_index(int(np.argmax(difference)), value.shape)) if value.size else ()
        rows.append({
            "name": name,
            "shape": value.shape,
            "error": error,
            "where": where,
            "analytic": float(analytic[where]) if value.size else 0.0,
            "numeric": float(numeric[where]) if value.size else 0.0,
            "passed": error <= tol,
        })
    return GradientReport(rows, tol)


def layer_report(layer, x, tol=TOLERANCE, seed=0):
    """Gradient-check one layer's backward at input x, for x and for every parameter.

    The loss is a random projection of the output, L = sum(out * R), so that dL/dout = R
    exercises every entry of the backward pass.
    """
    rng = np.random.default_rng(seed)
    before = {"x": x.copy(), **{key: np.array(value, copy=True) for key, value in layer.params.items()}}
    out, cache = layer.forward(x)
    R = rng.standard_normal(out.shape)
    dout = R.copy()  # backward gets its own copy: if it changes dout, the loss below still uses R
    dx, grads = layer.backward(dout, cache)
    notes = []
    if not np.array_equal(dout, R):
        notes.append("backward changed dout in place (dout *= ... or dout[...] = ...). The gradients were checked "
                     "against the dout it was given, but the caller's array is now different, and code that uses "
                     "it again gets wrong numbers. Compute a new array instead: dz = dout * ...")
    current = {"x": x, **layer.params}
    for key, value in before.items():
        if not np.array_equal(current[key], value):
            notes.append(f"forward or backward changed {key} in place; the check ran at the changed values. "
                         f"Compute new arrays instead.")

    def loss():
        return np.sum(layer.forward(x)[0] * R)

    report = gradient_report(loss, {"x": x, **layer.params}, {"x": dx, **grads}, tol=tol)
    report.notes += notes
    return report


def network_report(net, loss_fn, x, target, tol=TOLERANCE, entries=None):
    """Gradient-check a Sequential network with its loss; parameters are named "0.W", "0.b", ..."""
    out, caches = net.forward(x)
    _, loss_cache = loss_fn.forward(out, target)
    dout, _ = loss_fn.backward(1.0, loss_cache)
    _, grads = net.backward(dout, caches)

    def loss():
        return loss_fn.forward(net.forward(x)[0], target)[0]

    params, named_grads = {}, {}
    for i, (p, g) in enumerate(zip(net.params, grads)):
        for key in p:
            params[f"{i}.{key}"] = p[key]
            named_grads[f"{i}.{key}"] = g[key]
    return gradient_report(loss, params, named_grads, tol=tol, entries=entries)
