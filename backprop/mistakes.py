"""Mistakes students really make, one buggy version per mistake, for each graded exercise.

When your answer is wrong, the checks run every known mistake of that exercise on the same
inputs; if one of them gives exactly your outputs, the message names it as the likely cause.

MISTAKES maps a reference function (or layer class) to [(description, buggy version), ...];
each lesson adds its own entries in its own section below.
"""

import numpy as np

from backprop import reference as ref
from backprop.layers import sigmoid

MISTAKES = {}


def known_for(reference):
    """The (description, buggy function) pairs known for a reference function."""
    return MISTAKES.get(getattr(reference, "__func__", reference), [])

# --- lesson 00 ------------------------------------------------------------------------


def _slope_of_square_without_the_2(x):
    return x


MISTAKES[ref.slope_of_square] = [
    ("the 2 from differentiating the square is missing: the derivative of x**2 is 2*x.",
     _slope_of_square_without_the_2),
]

# --- lesson 01 ------------------------------------------------------------------------


def _forward_no_sigmoid(x, w, b):
    return w * x + b


def _forward_no_bias(x, w, b):
    return sigmoid(w * x)


def _forward_sign_flipped_sigmoid(x, w, b):
    return sigmoid(-(w * x + b))


def _parts(x, w, b, y):
    z = w * x + b
    a = sigmoid(z)
    return z, a


def _grads_no_two(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = (a - y) * a * (1 - a)
    return d * x, d


def _grads_sign(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = 2 * (y - a) * a * (1 - a)
    return d * x, d


def _grads_no_activation_derivative(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = 2 * (a - y)
    return d * x, d


def _grads_sigma_prime_of_a(x, w, b, y):
    z, a = _parts(x, w, b, y)
    s = sigmoid(a)
    d = 2 * (a - y) * s * (1 - s)
    return d * x, d


def _grads_z_for_a_in_derivative(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = 2 * (a - y) * z * (1 - z)
    return d * x, d


def _grads_db_times_x(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = 2 * (a - y) * a * (1 - a)
    return d * x, d * x


def _grads_dw_without_x(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = 2 * (a - y) * a * (1 - a)
    return d, d


def _grads_swapped(x, w, b, y):
    dw, db = ref.neuron_gradients(x, w, b, y)
    return db, dw


def _grads_sigmoid_as_its_own_derivative(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = 2 * (a - y) * a
    return d * x, d


def _grads_w_for_x(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = 2 * (a - y) * a * (1 - a)
    return d * w, d


def _grads_no_bias(x, w, b, y):
    a = sigmoid(w * x)
    d = 2 * (a - y) * a * (1 - a)
    return d * x, d


def _grads_through_forward_without_sigmoid(x, w, b, y):
    a = w * x + b  # what a neuron_forward without the sigmoid returns
    d = 2 * (a - y) * a * (1 - a)
    return d * x, d


def _grads_through_sign_flipped_sigmoid(x, w, b, y):
    a = sigmoid(-(w * x + b))  # what a neuron_forward with exp(z) for exp(-z) returns
    d = 2 * (a - y) * a * (1 - a)
    return d * x, d


def _grads_linear_neuron(x, w, b, y):
    z = w * x + b
    d = 2 * (z - y)
    return d * x, d


MISTAKES[ref.neuron_forward] = [
    ("the sigmoid is missing: the neuron returns z = w*x + b instead of sigmoid(z).", _forward_no_sigmoid),
    ("the bias b is left out of z = w*x + b.", _forward_no_bias),
    ("the sigmoid has the wrong sign: it should be 1 / (1 + exp(-z)).", _forward_sign_flipped_sigmoid),
]

MISTAKES[ref.neuron_gradients] = [
    ("the factor 2 from differentiating (a - y)**2 is missing: dL/da = 2(a - y).", _grads_no_two),
    ("the sign is flipped: dL/da = 2(a - y), not 2(y - a) (or da/dz = a(1 - a) was written a(a - 1)).", _grads_sign),
    ("the two gradients are in the wrong order: return dL_dw, dL_db.", _grads_swapped),
    ("the sigmoid itself was used as its derivative: da/dz = a(1 - a), not a.", _grads_sigmoid_as_its_own_derivative),
    ("w was used where x belongs: dz/dw = x, so dL/dw = dL/dz * x.", _grads_w_for_x),
    ("the bias b is left out of z = w*x + b: in neuron_gradients, or in your neuron_forward if "
     "neuron_gradients calls it (then fix neuron_forward: its own test fails too).", _grads_no_bias),
    ("a is computed without the sigmoid (a = w*x + b): in neuron_gradients, or in your neuron_forward if "
     "neuron_gradients calls it (then fix neuron_forward: its own test fails too).",
     _grads_through_forward_without_sigmoid),
    ("a is computed with the wrong sign in the sigmoid, 1 / (1 + exp(z)): in neuron_gradients, or in your "
     "neuron_forward if neuron_gradients calls it (then fix neuron_forward: its own test fails too).",
     _grads_through_sign_flipped_sigmoid),
    ("the sigmoid's derivative da/dz = a(1 - a) is missing from the chain.", _grads_no_activation_derivative),
    ("sigma'(a) was used where sigma'(z) is meant: da/dz = sigmoid(z)(1 - sigmoid(z)) = a(1 - a), "
     "not sigmoid(a)(1 - sigmoid(a)).", _grads_sigma_prime_of_a),
    ("z was used in place of a in the derivative: da/dz = a(1 - a), not z(1 - z).", _grads_z_for_a_in_derivative),
    ("dL/db was multiplied by x: dz/db = 1, so dL/db = dL/dz.", _grads_db_times_x),
    ("dL/dw is missing the factor x: dz/dw = x, so dL/dw = dL/dz * x.", _grads_dw_without_x),
    ("the gradients are those of a neuron without the sigmoid (a = z).", _grads_linear_neuron),
]

# --- lesson 10 ------------------------------------------------------------------------
# The backward rules of add, tanh, mean and matmul, and the topological order.

import numpy as _np  # noqa: E402


def _add_db_not_summed(a, b, dout):
    return dout.copy(), dout.copy()


def _add_db_wrong_axis(a, b, dout):
    return dout.copy(), (dout.sum(axis=1) if b.shape != a.shape else dout.copy())


def _add_db_mean(a, b, dout):
    return dout.copy(), (dout.mean(axis=0) if b.shape != a.shape else dout.copy())


def _add_db_always_summed(a, b, dout):
    return dout.copy(), dout.sum(axis=0)


def _add_db_summed_to_number(a, b, dout):
    return dout.copy(), (_np.sum(dout) if b.shape != a.shape else dout.copy())


def _add_local_only(a, b, dout):
    return _np.ones_like(a), _np.ones_like(b)


def _add_bias_by_length(a, b, dout):
    return dout.copy(), (dout.sum(axis=0) if len(b) != len(a) else dout.copy())


def _tanh_of_input(x, dout):
    return dout * (1.0 - x**2)


def _tanh_prime_of_output(x, dout):
    out = _np.tanh(x)
    return dout * (1.0 - _np.tanh(out) ** 2)


def _tanh_no_square(x, dout):
    return dout * (1.0 - _np.tanh(x))


def _tanh_sigmoid_form(x, dout):
    out = _np.tanh(x)
    return dout * out * (1.0 - out)


def _tanh_sign(x, dout):
    return dout * (_np.tanh(x) ** 2 - 1.0)


def _tanh_local_only(x, dout):
    return 1.0 - _np.tanh(x) ** 2


def _matmul_db_transposed(a, b, dout):
    return dout @ b.T, dout.T @ a


def _matmul_da_transposed(a, b, dout):
    return b @ dout.T, a.T @ dout


def _matmul_da_without_transpose(a, b, dout):
    return dout @ b, a.T @ dout     # (only runs when b is square)


def _matmul_swapped_outputs(a, b, dout):
    return a.T @ dout, dout @ b.T


def _matmul_db_over_m(a, b, dout):
    return dout @ b.T, a.T @ dout / a.shape[0]


def _mean_without_1_over_n(a, dout):
    return dout * _np.ones_like(a)


def _mean_over_rows(a, dout):
    return dout * _np.ones_like(a) / a.shape[0]


def _mean_over_columns(a, dout):
    return dout * _np.ones_like(a) / a.shape[1]


def _mean_a_number(a, dout):
    return dout / a.size


def _mean_local_only(a, dout):
    return _np.ones_like(a) / a.size


def _order_without_seen(root):
    order = []

    def visit(node):
        for parent in node.parents:
            visit(parent)
        order.append(node)

    visit(root)
    return order


def _order_node_before_parents(root):
    order, seen = [], set()

    def visit(node):
        if id(node) in seen:
            return
        seen.add(id(node))
        order.append(node)
        for parent in node.parents:
            visit(parent)

    visit(root)
    return order


def _order_root_first(root):
    return list(reversed(ref.topological_order(root)))


def _order_direct_parents_only(root):
    order = []
    for parent in root.parents:
        if all(parent is not seen for seen in order):
            order.append(parent)
    return order + [root]


def _order_without_root(root):
    return ref.topological_order(root)[:-1]


def _order_by_name(root):
    order, placed = [], set()

    def visit(node):
        if node.name in placed:
            return
        placed.add(node.name)
        for parent in node.parents:
            visit(parent)
        order.append(node)

    visit(root)
    return order


def _order_reversed_preorder(root):
    order, seen = [], set()

    def visit(node):
        if id(node) in seen:
            return
        seen.add(id(node))
        order.append(node)          # listed when first reached from the root ...
        for parent in node.parents:
            visit(parent)

    visit(root)
    return order[::-1]              # ... and the list turned around


def _order_counts_users_once_releases_twice(root):
    graph, stack = {id(root): root}, [root]
    while stack:
        for parent in stack.pop().parents:
            if id(parent) not in graph:
                graph[id(parent)] = parent
                stack.append(parent)
    users = {key: 0 for key in graph}
    for node in graph.values():
        for parent in {id(p): p for p in node.parents}.values():   # each user counted once ...
            users[id(parent)] += 1
    backwards, ready = [], [root]
    while ready:
        node = ready.pop()
        backwards.append(node)
        for parent in node.parents:                                # ... but released once per use
            users[id(parent)] -= 1
            if users[id(parent)] == 0:
                ready.append(parent)
    return backwards[::-1]


def _order_breadth_first(root):
    order, seen, queue = [], {id(root)}, [root]
    while queue:
        node = queue.pop(0)
        order.append(node)
        for parent in node.parents:
            if id(parent) not in seen:
                seen.add(id(parent))
                queue.append(parent)
    return order[::-1]


MISTAKES[ref.add_backward] = [
    ("db was not summed over the batch: b (n,) is added to every row, so db = dout.sum(axis=0).",
     _add_db_not_summed),
    ("db was summed over the wrong axis: the rows are the examples, so db = dout.sum(axis=0), not axis=1.",
     _add_db_wrong_axis),
    ("db was averaged over the batch: each row adds its own share, so db = dout.sum(axis=0), "
     "without a 1/m (the 1/m, if any, belongs to the loss).", _add_db_mean),
    ("db was summed over the rows even when b has a's shape: sum only over the axes that broadcasting "
     "stretched; with equal shapes db = dout.", _add_db_always_summed),
    ("db was summed over every entry into one number: sum over the rows only, db = dout.sum(axis=0).",
     _add_db_summed_to_number),
    ("the local derivatives (1 and 1) were returned without the incoming gradient: da = dout * 1 and db "
     "likewise.", _add_local_only),
    ("whether b is a bias row was decided from len(b) (or b.shape[0]), which equals len(a) when a is square "
     "(and when a has one row): compare the shapes, b.shape != a.shape, or look at b.ndim.", _add_bias_by_length),
]

MISTAKES[ref.tanh_backward] = [
    ("1 - x**2 uses the input: the derivative is 1 - tanh(x)**2, one minus the square of the OUTPUT.",
     _tanh_of_input),
    ("tanh'(out) was used where tanh'(x) is meant: 1 - tanh(x)**2 = 1 - out**2, not 1 - tanh(out)**2.",
     _tanh_prime_of_output),
    ("the square is missing: d tanh(x)/dx = 1 - tanh(x)**2.", _tanh_no_square),
    ("that is the sigmoid's derivative, out * (1 - out); tanh's is 1 - out**2.", _tanh_sigmoid_form),
    ("a sign error: d tanh(x)/dx = 1 - tanh(x)**2, which is positive.", _tanh_sign),
    ("the local derivative was returned without the incoming gradient: multiply it by dout.", _tanh_local_only),
]

MISTAKES[ref.mean_backward] = [
    ("the 1/N is missing: the mean divides the sum by N = a.size, so every entry gets dout / N.",
     _mean_without_1_over_n),
    ("divided by the number of rows, a.shape[0]: the mean is over all N = a.size entries, rows times columns.",
     _mean_over_rows),
    ("divided by the number of columns, a.shape[1]: the mean is over all N = a.size entries, rows times columns.",
     _mean_over_columns),
    ("a single number was returned: dL/da has a's shape, with dout / N in every entry, "
     "np.full(a.shape, dout / a.size).", _mean_a_number),
    ("the local derivative 1/N was returned without the incoming gradient: multiply it by dout.",
     _mean_local_only),
]

MISTAKES[ref.matmul_backward] = [
    ("db is transposed: dL/db = a.T @ dout, shape (k, n) like b; dout.T @ a is its transpose.",
     _matmul_db_transposed),
    ("da is transposed: dL/da = dout @ b.T, shape (m, k) like a; b @ dout.T is its transpose.",
     _matmul_da_transposed),
    ("da = dout @ b is missing the transpose of b: da = dout @ b.T, shape (m, k) like a (dout @ b only runs "
     "when b is square).", _matmul_da_without_transpose),
    ("the two gradients are returned in the wrong order: return da, db (da = dout @ b.T first).",
     _matmul_swapped_outputs),
    ("db was divided by m: a matrix product has no 1/m; the 1/m of a mean belongs to the loss's own rule.",
     _matmul_db_over_m),
]

MISTAKES[ref.topological_order] = [
    ("no record of the tensors already placed: a tensor reached along two paths is listed twice. "
     "Keep a set of placed tensors and skip those.", _order_without_seen),
    ("each tensor is appended BEFORE its parents are visited: append it after the loop over its parents.",
     _order_node_before_parents),
    ("the order is reversed: the root must come last, after everything it depends on "
     "(backward() walks the list from the end).", _order_root_first),
    ("only the root's direct parents are listed: visit the parents' parents too, recursively, down to the leaves.",
     _order_direct_parents_only),
    ("the root itself is missing: it comes last.", _order_without_root),
    ("breadth-first order (by distance from the root) is not a topological order: a tensor can be close to "
     "the root along one path and far along another. Visit depth first, appending a tensor after its parents.",
     _order_breadth_first),
    ("tensors were told apart by their names: many tensors have no name (the results of "
     "(x @ W1 + b1).sigmoid() have none) and several can share one. Keep the tensors themselves in the set "
     "of placed ones (a set of tensors, or of id(tensor)), not their names.", _order_by_name),
    ("the list is a pre-order turned around: each tensor was listed when first reached from the root, then "
     "the list reversed. A tensor reached early along a short path then comes before a parent found later "
     "along a longer one. Append each tensor after its parents are placed, and do not reverse.",
     _order_reversed_preorder),
    ("a tensor used twice by one operation (x * x) was counted as one user of x but released twice: count "
     "each use and release each use (once per entry of .parents), or count and release distinct parents "
     "only.", _order_counts_users_once_releases_twice),
]


# --- lesson 02 ------------------------------------------------------------------------
# Activations, as forward/backward pairs checked against the reference layers, and the
# small graph L = (tanh(w x + b) + relu(v x) - y)**2.


from backprop import layers as _layers  # noqa: E402


class _PairLayer:
    def __init__(self, forward, backward):
        self.forward, self.backward, self.params = forward, backward, {}


def _pair(forward, backward):
    """A buggy pair of functions as a layer maker, as checks.layer_from makes the student's."""
    return lambda: _PairLayer(forward, backward)


def _keep_out(function):
    """forward(z) -> (out, out): the output kept as the cache."""
    def forward(z):
        a = function(z)
        return a, a
    return forward


def _keep_in(function):
    """forward(z) -> (out, z): the input kept as the cache."""
    def forward(z):
        return function(z), z
    return forward


def _relu(z):
    return np.maximum(z, 0.0)


_tanh_ok = _keep_out(np.tanh)

# (the same mistakes as lesson 04's Sigmoid layer, sigma'(a) for sigma'(z), z for a and a missing
# incoming gradient, are named by its entries below; only the one a forward pass can make is added here)
MISTAKES.setdefault(_layers.Sigmoid, []).extend([
    ("the sigmoid has the wrong sign: it is 1 / (1 + exp(-z)), not 1 / (1 + exp(z)).",
     _pair(_keep_out(lambda z: 1.0 / (1.0 + np.exp(z))), lambda da, a: (da * a * (1 - a), {}))),
])

MISTAKES.setdefault(_layers.Tanh, []).extend([
    ("z was used in place of a in the derivative: d tanh(z)/dz = 1 - tanh(z)**2 = 1 - a**2, not 1 - z**2.",
     _pair(_keep_in(np.tanh), lambda da, z: (da * (1 - z**2), {}))),
    ("tanh'(a) was used where tanh'(z) is meant: with a = tanh(z) kept in the cache, the derivative is 1 - a**2; "
     "applying tanh to a again gives 1 - tanh(a)**2.",
     _pair(_tanh_ok, lambda da, a: (da * (1 - np.tanh(a) ** 2), {}))),
    ("the square is missing: d tanh(z)/dz = 1 - a**2, not 1 - a.",
     _pair(_tanh_ok, lambda da, a: (da * (1 - a), {}))),
    ("that is the sigmoid's derivative a * (1 - a); tanh's is 1 - a**2.",
     _pair(_tanh_ok, lambda da, a: (da * a * (1 - a), {}))),
    ("the incoming gradient da is missing: backward returns the local derivative 1 - a**2 alone; "
     "the chain rule multiplies it by da.",
     _pair(_tanh_ok, lambda da, a: (1 - a**2, {}))),
])

MISTAKES.setdefault(_layers.ReLU, []).extend([
    ("np.max(z, 0) is the largest entry along axis 0, one number per column; ReLU is the elementwise "
     "np.maximum(z, 0).",
     _pair(_keep_in(lambda z: np.max(z, 0)), lambda da, z: (da * (z > 0), {}))),
    ("np.minimum was used: ReLU keeps the positive part, np.maximum(z, 0).",
     _pair(_keep_in(lambda z: np.minimum(z, 0.0)), lambda da, z: (da * (z < 0), {}))),
    ("the mask is taken from the incoming gradient (da > 0); ReLU passes the gradient where its input was "
     "positive: da * (z > 0).",
     _pair(_keep_in(_relu), lambda da, z: (da * (da > 0), {}))),
    ("the gradient is passed back unchanged: ReLU's derivative is 0 where z < 0, so dz = da * (z > 0).",
     _pair(_keep_in(_relu), lambda da, z: (da * 1.0, {}))),
    ("the incoming gradient da is missing: backward returns the mask (z > 0) alone; multiply it by da.",
     _pair(_keep_in(_relu), lambda da, z: ((z > 0).astype(np.float64), {}))),
    ("the output a was used as the derivative: ReLU's derivative is 1 where z > 0 and 0 elsewhere, "
     "so dz = da * (z > 0), not da * a.",
     _pair(_keep_in(_relu), lambda da, z: (da * _relu(z), {}))),
    ("the mask is reversed: the gradient flows where z > 0, not where z < 0.",
     _pair(_keep_in(_relu), lambda da, z: (da * (z < 0), {}))),
])


def _relu_at_zero_ge(z, da):
    return _relu(z), da * (z >= 0)


MISTAKES[ref.relu_forward_backward] = [
    ("at z = 0 exactly the gradient was passed through: the course takes ReLU's derivative at its kink to be 0, "
     "so the mask is z > 0, not z >= 0.", _relu_at_zero_ge),
]


def _then(forward, backward):
    """A pair of functions run one after the other, as the lesson's test cells do: (z, da) -> (a, dz)."""
    def run(z, da):
        with np.errstate(all="ignore"):
            a, cache = forward(z)
            return a, backward(da, cache)[0]
    return run


def _sigmoid_exp_over(z):
    return np.exp(z) / (1.0 + np.exp(z))


def _sigmoid_prime_from_z(da, z):
    return da * np.exp(-z) / (1.0 + np.exp(-z)) ** 2


MISTAKES[ref.sigmoid_forward_backward] = [
    ("the sigmoid was written as exp(z) / (1 + exp(z)): for z above about 710, np.exp(z) overflows to inf and "
     "inf / inf is NaN. Write it as 1 / (1 + np.exp(-z)), which only meets exp(+large) when the answer is 0.",
     _then(_keep_out(_sigmoid_exp_over), lambda da, a: (da * a * (1 - a), {}))),
    ("sigma'(z) was computed from z as exp(-z) / (1 + exp(-z))**2: for z below about -710 that is inf / inf, NaN. "
     "Use the output kept in the cache: sigma'(z) = a * (1 - a).",
     _then(_keep_in(lambda z: 1.0 / (1.0 + np.exp(-z))), lambda da, z: (_sigmoid_prime_from_z(da, z), {}))),
]


def _tanh_formula(z):
    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))


def _tanh_from_exp_minus_2z(z):
    return (1.0 - np.exp(-2.0 * z)) / (1.0 + np.exp(-2.0 * z))


MISTAKES[ref.tanh_forward_backward] = [
    ("tanh was written from its formula (e^z - e^-z) / (e^z + e^-z): for |z| above about 710 one of the "
     "exponentials overflows to inf and inf / inf is NaN. Use np.tanh, which is exact for any z.",
     _then(_keep_out(_tanh_formula), lambda da, a: (da * (1 - a**2), {}))),
    ("tanh was written as (1 - e^-2z) / (1 + e^-2z): for z below about -355, e^-2z overflows to inf and "
     "inf / inf is NaN. Use np.tanh, which is exact for any z.",
     _then(_keep_out(_tanh_from_exp_minus_2z), lambda da, a: (da * (1 - a**2), {}))),
]


def _graph_parts(x, w, b, v, y):
    z = w * x + b
    t = np.tanh(z)
    q = v * x
    p = t + max(q, 0.0)
    return z, t, q, p


def _graph_only_tanh_branch(x, w, b, v, y):
    z, t, q, p = _graph_parts(x, w, b, v, y)
    d = 2 * (p - y)
    dz, dq = d * (1 - t**2), d * (q > 0)
    return dz * x, dz, dq * x, dz * w


def _graph_only_relu_branch(x, w, b, v, y):
    z, t, q, p = _graph_parts(x, w, b, v, y)
    d = 2 * (p - y)
    dz, dq = d * (1 - t**2), d * (q > 0)
    return dz * x, dz, dq * x, dq * v


def _graph_grads(dz_of, dq_of, d_of=lambda p, y: 2 * (p - y)):
    def grads(x, w, b, v, y):
        z, t, q, p = _graph_parts(x, w, b, v, y)
        d = d_of(p, y)
        dz, dq = d * dz_of(z, t), d * dq_of(x, q)
        return dz * x, dz, dq * x, dz * w + dq * v
    return grads


def _tanh_prime(z, t):
    return 1 - t**2


def _relu_prime(x, q):
    return float(q > 0)


def _graph_dw_dv_without_x(x, w, b, v, y):
    z, t, q, p = _graph_parts(x, w, b, v, y)
    d = 2 * (p - y)
    dz, dq = d * (1 - t**2), d * (q > 0)
    return dz, dz, dq, dz * w + dq * v


MISTAKES[ref.graph_gradients] = [
    ("dL/dx has only the tanh branch: x feeds both w*x and v*x, and the gradients of the two paths add, "
     "dL/dx = dL/dz * w + dL/dq * v.", _graph_only_tanh_branch),
    ("dL/dx has only the ReLU branch: x feeds both w*x and v*x, and the gradients of the two paths add, "
     "dL/dx = dL/dz * w + dL/dq * v.", _graph_only_relu_branch),
    ("z was used in place of t in tanh's derivative: dt/dz = 1 - t**2 with t = tanh(z), not 1 - z**2.",
     _graph_grads(lambda z, t: 1 - z**2, _relu_prime)),
    ("tanh's derivative was taken at t instead of z: dt/dz = 1 - tanh(z)**2 = 1 - t**2, not 1 - tanh(t)**2.",
     _graph_grads(lambda z, t: 1 - np.tanh(t) ** 2, _relu_prime)),
    ("the factor 2 from differentiating the square is missing: dL/dp = 2(p - y).",
     _graph_grads(_tanh_prime, _relu_prime, lambda p, y: p - y)),
    ("a sign error: dL/dp = 2(p - y), not 2(y - p).",
     _graph_grads(_tanh_prime, _relu_prime, lambda p, y: 2 * (y - p))),
    ("ReLU's derivative is missing: it is 1 where q = v*x > 0 and 0 where q < 0, so that branch passes no "
     "gradient when v*x is negative.", _graph_grads(_tanh_prime, lambda x, q: 1.0)),
    ("ReLU's mask was taken from x; it depends on ReLU's own input: 1 where q = v*x > 0.",
     _graph_grads(_tanh_prime, lambda x, q: float(x > 0))),
    ("at ReLU's kink, q = v*x = 0 exactly (v = 0 or x = 0), the gradient was passed through: the course takes "
     "ReLU's derivative there to be 0, so the test is q > 0, not q >= 0.",
     _graph_grads(_tanh_prime, lambda x, q: float(q >= 0))),
    ("dL/dw and dL/dv are missing the factor x: the local derivative of w*x with respect to w is x.",
     _graph_dw_dv_without_x),
]

# --- lesson 03 ------------------------------------------------------------------------
# The 2-2-1 network's backward pass: with scalars (backprop_221) and with matrices in the row
# layout (backprop_221_matrix). L = (1/2)(y_hat - y)**2, so dL/dy_hat = y_hat - y.


def _scalar_221(dyhat=lambda y_hat, y: y_hat - y, sigma_prime=lambda z, a: a * (1 - a), swap_v=False,
                dv_uses_v=False, hidden_input=None, bias_times_input=False, swap_w12_w21=False, no_v=False,
                updated_v=False, sigmoid_output=False):
    """A backward pass of the 2-2-1 network with one of the usual mistakes switched on."""
    def grads(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
        z1, z2 = w11 * x1 + w12 * x2 + b1, w21 * x1 + w22 * x2 + b2
        a1, a2 = sigmoid(z1), sigmoid(z2)
        y_hat = v1 * a1 + v2 * a2 + b3
        if sigmoid_output:
            y_hat = sigmoid(y_hat)
        d = dyhat(y_hat, y)
        if sigmoid_output:
            d = d * y_hat * (1 - y_hat)
        u1, u2 = (v1 - 0.5 * d * a1, v2 - 0.5 * d * a2) if updated_v else (v1, v2)  # the lesson's lr = 0.5
        da1, da2 = (d * u2, d * u1) if swap_v else (d * u1, d * u2)
        if no_v:  # "both", or the one unit whose v was forgotten
            da1, da2 = (d if no_v in ("both", 1) else da1), (d if no_v in ("both", 2) else da2)
        dz1, dz2 = da1 * sigma_prime(z1, a1), da2 * sigma_prime(z2, a2)
        i1, i2 = (x1, x2) if hidden_input is None else hidden_input(a1, a2)
        g = {"w11": dz1 * i1, "w12": dz1 * i2, "b1": dz1, "w21": dz2 * i1, "w22": dz2 * i2, "b2": dz2,
             "v1": d * (v1 if dv_uses_v else a1), "v2": d * (v2 if dv_uses_v else a2), "b3": d}
        if bias_times_input:  # the hidden biases, or all three
            g["b1"], g["b2"] = dz1 * x1, dz2 * x1
            if bias_times_input == "all":
                g["b3"] = d * a1
        if swap_w12_w21:
            g["w12"], g["w21"] = dz2 * x1, dz1 * x2
        return g
    return grads


MISTAKES[ref.backprop_221] = [
    ("the factor 2 of the 1/2 convention: with L = (1/2)(y_hat - y)**2 the 2 from the square cancels the 1/2, "
     "so dL/dy_hat = y_hat - y, not 2(y_hat - y).", _scalar_221(dyhat=lambda y_hat, y: 2 * (y_hat - y))),
    ("a sign error: dL/dy_hat = y_hat - y, not y - y_hat.", _scalar_221(dyhat=lambda y_hat, y: y - y_hat)),
    ("the sigmoid's derivative is missing from the hidden layer: dL/dz1 = dL/da1 * a1(1 - a1).",
     _scalar_221(sigma_prime=lambda z, a: 1.0)),
    ("sigma'(a) was used where sigma'(z) is meant: sigma'(z1) = a1(1 - a1), not sigmoid(a1)(1 - sigmoid(a1)).",
     _scalar_221(sigma_prime=lambda z, a: sigmoid(a) * (1 - sigmoid(a)))),
    ("z was used in place of a in the sigmoid's derivative: sigma'(z1) = a1(1 - a1), not z1(1 - z1).",
     _scalar_221(sigma_prime=lambda z, a: z * (1 - z))),
    ("v1 and v2 are swapped on the way back: dL/da1 = dL/dy_hat * v1 (h1 reaches the output through v1).",
     _scalar_221(swap_v=True)),
    *[("v was left out of dL/da1 (or dL/da2): h1 reaches y_hat through the weight v1, so dL/da1 = dL/dy_hat * v1 "
       "(and dL/da2 = dL/dy_hat * v2), not dL/dy_hat alone.", _scalar_221(no_v=which)) for which in ("both", 1, 2)],
    ("dL/da1 used v1 after its update (v1 - 0.5 * dL/dv1): the backward pass uses the weights that produced "
     "y_hat, and this function computes gradients only; the update comes after, with all of them.",
     _scalar_221(updated_v=True)),
    ("dL/dv1 was multiplied by v1: y_hat = v1 a1 + ..., so dy_hat/dv1 = a1 (the value the weight multiplies), "
     "while dy_hat/da1 = v1.", _scalar_221(dv_uses_v=True)),
    ("the hidden weights' gradients use the hidden outputs a1, a2 in place of the inputs: z1 = w11 x1 + w12 x2 "
     "+ b1, so dL/dw11 = dL/dz1 * x1.", _scalar_221(hidden_input=lambda a1, a2: (a1, a2))),
    *[("a bias gradient was multiplied by an input: dz/db = 1, so dL/db1 = dL/dz1 and dL/db3 = dL/dy_hat.",
       _scalar_221(bias_times_input=which)) for which in ("hidden", "all")],
    ("w12 and w21 are mixed up: w12 is the weight from x2 to h1, so dL/dw12 = dL/dz1 * x2, and "
     "dL/dw21 = dL/dz2 * x1.", _scalar_221(swap_w12_w21=True)),
    ("a sigmoid was put on the output: in this network the output is linear, y_hat = v1 a1 + v2 a2 + b3, "
     "and dL/dy_hat = y_hat - y.", _scalar_221(sigmoid_output=True)),
]


def _matrix_221(dyhat=lambda y_hat, y: y_hat - y, sigma_prime=lambda z, a: a * (1 - a), forward_W1=lambda W: W,
                dW1=lambda x, dz: x.T @ dz, dW2=lambda a, d: a.T @ d, db1=lambda dz: dz.sum(axis=0),
                db2=lambda d: d.sum(axis=0), output=lambda z: z, back=lambda d, W2: d @ W2.T, scale=1.0):
    """A backward pass of the 2-2-1 network in the row layout with one of the usual mistakes switched on."""
    def grads(X, Y, W1, b1, W2, b2):
        z1 = X @ forward_W1(W1) + b1
        a1 = sigmoid(z1)
        y_hat = output(a1 @ W2 + b2)
        d = dyhat(y_hat, Y)
        if output is sigmoid:
            d = d * y_hat * (1 - y_hat)
        dz1 = back(d, W2) * sigma_prime(z1, a1)
        s = scale(X) if callable(scale) else scale
        return {"W1": dW1(X, dz1) * s, "b1": db1(dz1) * s, "W2": dW2(a1, d) * s, "b2": db2(d) * s}
    return grads


MISTAKES[ref.backprop_221_matrix] = [
    ("the factor 2 of the 1/2 convention: with L = (1/2)(y_hat - y)**2, dL/dy_hat = y_hat - y, not 2(y_hat - y).",
     _matrix_221(dyhat=lambda y_hat, y: 2 * (y_hat - y))),
    ("a sign error: dL/dy_hat = y_hat - y, not y - y_hat.", _matrix_221(dyhat=lambda y_hat, y: y - y_hat)),
    ("the sigmoid's derivative is missing: dz1 = da1 * a1 * (1 - a1).", _matrix_221(sigma_prime=lambda z, a: 1.0)),
    ("sigma'(a) was used where sigma'(z) is meant: the derivative is a1 * (1 - a1), "
     "not sigmoid(a1) * (1 - sigmoid(a1)).", _matrix_221(sigma_prime=lambda z, a: sigmoid(a) * (1 - sigmoid(a)))),
    ("z was used in place of a in the sigmoid's derivative: it is a1 * (1 - a1) with a1 = sigmoid(z1), "
     "not z1 * (1 - z1).", _matrix_221(sigma_prime=lambda z, a: z * (1 - z))),
    ("W2 was left out of dL/da1: each hidden unit reaches the output through its weight in W2, so "
     "da1 = delta2 @ W2.T, shape (m, 2).", _matrix_221(back=lambda d, W2: d)),
    ("the rows' errors were added up before being passed back: every example keeps its own row, "
     "da1 = delta2 @ W2.T, shape (m, 2); only the parameters' gradients sum over the rows.",
     _matrix_221(back=lambda d, W2: d.sum() * W2.T)),
    ("dW1 is transposed: in the row layout dW1 = X.T @ dz1 (one row per input, like W1); dz1.T @ X is the "
     "column form's delta x^T.", _matrix_221(dW1=lambda x, dz: dz.T @ x)),
    ("np.outer(X, dz1) flattens its arguments: for one row it happens to equal X.T @ dz1, but for a batch "
     "it mixes the examples; dW1 = X.T @ dz1 sums each example's outer product over the rows.",
     _matrix_221(dW1=lambda x, dz: np.outer(x, dz))),
    ("dW2 is transposed: dW2 = a1.T @ dy_hat has W2's shape (2, 1).", _matrix_221(dW2=lambda a, d: d.T @ a)),
    ("the bias gradients were not summed over the rows: b1 is added to every row, so db1 = dz1.sum(axis=0), "
     "shape (2,) like b1, and db2 = delta2.sum(axis=0).",
     _matrix_221(db1=lambda dz: dz, db2=lambda d: d)),
    ("b1's gradient was not summed over the rows: b1 is added to every row, so db1 = dz1.sum(axis=0), "
     "shape (2,) like b1.", _matrix_221(db1=lambda dz: dz)),
    ("b2's gradient was not summed over the rows: b2 is added to every row, so db2 = delta2.sum(axis=0), "
     "shape (1,) like b2.", _matrix_221(db2=lambda d: d)),
    *[("a bias gradient takes only the first row (dz1[0]): with several examples it is the sum over all the "
       "rows, dz1.sum(axis=0).", _matrix_221(**only)) for only in ({"db1": lambda dz: dz[0], "db2": lambda d: d[0]},
                                                                  {"db1": lambda dz: dz[0]}, {"db2": lambda d: d[0]})],
    *[("a bias gradient was averaged over the rows (.mean(axis=0)): the loss is the sum of the examples' losses, "
       "so each bias gradient is a sum, dz1.sum(axis=0).", _matrix_221(**only))
      for only in ({"db1": lambda dz: dz.mean(axis=0), "db2": lambda d: d.mean(axis=0)},
                   {"db1": lambda dz: dz.mean(axis=0)}, {"db2": lambda d: d.mean(axis=0)})],
    ("the bias gradients were summed over the wrong axis: sum over the examples, axis=0, to get one entry per "
     "unit.", _matrix_221(db1=lambda dz: dz.sum(axis=1), db2=lambda d: d.sum(axis=1))),
    ("the gradients were averaged over the rows (divided by m): the loss here is the sum of the examples' losses, "
     "L = (1/2) sum((y_hat - Y)**2), so its gradients are sums; a mean belongs to a mean loss (lesson 05).",
     _matrix_221(scale=lambda X: 1.0 / X.shape[0])),
    ("the forward pass used X @ W1.T: that is the column form W x. In the row layout z1 = X @ W1 + b1, "
     "with W1[i, j] the weight from input i to hidden unit j.", _matrix_221(forward_W1=lambda W: W.T)),
    ("a sigmoid was put on the output: in this network the output is linear, y_hat = a1 @ W2 + b2.",
     _matrix_221(output=sigmoid)),
]

# --- lesson 08: deep networks ---------------------------------------------------------


def _sum_of_squares(grads, keys=None):
    return float(sum(np.sum(g**2) for layer in grads for k, g in layer.items() if keys is None or k in keys))


def _scaled(grads, scale):
    return [{k: g * scale for k, g in layer.items()} for layer in grads]


def _clip_per_array(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads))
    out = []
    for layer in grads:
        out.append({})
        for k, g in layer.items():
            n = np.sqrt(np.sum(g**2))
            out[-1][k] = g * (max_norm / n) if n > max_norm else g.copy()
    return out, float(norm)


def _clip_per_layer(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads))
    out = []
    for layer in grads:
        n = np.sqrt(_sum_of_squares([layer]))
        out.append({k: g * (max_norm / n) if n > max_norm else g.copy() for k, g in layer.items()})
    return out, float(norm)


def _clip_always(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads))
    return _scaled(grads, max_norm / norm), float(norm)


def _clip_no_sqrt(grads, max_norm):
    norm = _sum_of_squares(grads)
    return _scaled(grads, max_norm / norm if norm > max_norm else 1.0), float(norm)


def _clip_inverted(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads))
    return _scaled(grads, norm / max_norm if norm > max_norm else 1.0), float(norm)


def _clip_entries(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads))
    return [{k: np.clip(g, -max_norm, max_norm) for k, g in layer.items()} for layer in grads], float(norm)


def _clip_norm_after(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads))
    return _scaled(grads, max_norm / norm if norm > max_norm else 1.0), float(min(norm, max_norm))


def _clip_weights_only_norm(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads, keys=("W",)))
    return _scaled(grads, max_norm / norm if norm > max_norm else 1.0), float(norm)


def _clip_plus_eps(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads))
    return _scaled(grads, max_norm / (norm + 1e-6) if norm > max_norm else 1.0), float(norm)


def _clip_in_place(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads))
    if norm > max_norm:
        for layer in grads:
            for k in layer:
                layer[k] *= max_norm / norm
    return grads, float(norm)


def _clip_divides_first(grads, max_norm):
    norm = float(np.sqrt(_sum_of_squares(grads)))
    return _scaled(grads, min(1.0, max_norm / norm)), norm


MISTAKES[ref.clip_by_global_norm] = [
    ("each gradient array was clipped by its own norm; the global norm is one number over all the "
     "arrays together, and every array is scaled by the same factor.", _clip_per_array),
    ("each layer was clipped by its own norm; the global norm is one number over all the layers "
     "together, and every gradient is scaled by the same factor.", _clip_per_layer),
    ("the gradients were rescaled even though their norm was already below max_norm: scale only "
     "if norm > max_norm, otherwise leave them as they are.", _clip_always),
    ("the norm is missing its square root: it is sqrt(sum of squares), not the sum of squares.", _clip_no_sqrt),
    ("the scale is upside down: multiply by max_norm / norm (less than 1), not norm / max_norm.", _clip_inverted),
    ("each entry was clipped to [-max_norm, max_norm] (np.clip), which changes the direction of the "
     "gradient; scale every gradient by max_norm / norm instead.", _clip_entries),
    ("the norm returned is the one after clipping; return the global norm before clipping, to "
     "monitor how large the gradients really were.", _clip_norm_after),
    ("only the weights W were counted in the norm; the biases' gradients belong to it too.",
     _clip_weights_only_norm),
    ("the scale is max_norm / (norm + 1e-6), as PyTorch writes it to avoid dividing by 0; here it is "
     "exactly max_norm / norm (norm > max_norm > 0, so it cannot be 0), and the 1e-6 makes the clipped "
     "gradients slightly too small.", _clip_plus_eps),
    ("the gradients were scaled inside the caller's dicts (g *= scale, or layer[k] = layer[k] * scale), "
     "which changes grads for the caller; build new dicts in a new list: "
     "[{k: g * scale for k, g in layer.items()} for layer in grads].", _clip_in_place),
    ("max_norm / norm is computed before the norm is compared with max_norm (for example "
     "min(1.0, max_norm / norm)); when every gradient is 0 (a network whose units are all dead) the norm "
     "is 0 and the division raises ZeroDivisionError. Compare first: "
     "scale = max_norm / norm if norm > max_norm else 1.0.", _clip_divides_first),
]


def _init(std, transpose=False, draw="standard_normal"):
    def init(n_in, n_out, rng):
        shape = (n_out, n_in) if transpose else (n_in, n_out)
        if draw == "random":
            return rng.random(shape) * std(n_in, n_out)
        if draw == "transposed":  # the right shape, other numbers
            return rng.standard_normal((n_out, n_in)).T * std(n_in, n_out)
        if draw == "twice":
            rng.standard_normal((n_in, n_out))
        return rng.standard_normal(shape) * std(n_in, n_out)
    return init


_DRAWN_TRANSPOSED = ("the numbers were drawn with shape (n_out, n_in) and transposed: the shape is right, but "
                     "the numbers are not the ones rng.standard_normal((n_in, n_out)) gives. Draw that shape "
                     "directly, once.")
_DRAWN_TWICE = ("the weights come from a second draw from rng (something drew from it first): every draw moves "
                "the generator on. Draw exactly once, rng.standard_normal((n_in, n_out)).")


MISTAKES[ref.xavier_init] = [
    ("the standard deviation is sqrt(1 / n_in), the other common form of Xavier; this course uses "
     "sqrt(2 / (n_in + n_out)).", _init(lambda n_in, n_out: np.sqrt(1.0 / n_in))),
    ("the square root is missing: 2 / (n_in + n_out) is the variance; the standard deviation, "
     "which multiplies the draws, is its square root.", _init(lambda n_in, n_out: 2.0 / (n_in + n_out))),
    ("the factor 2 is missing: the standard deviation is sqrt(2 / (n_in + n_out)).",
     _init(lambda n_in, n_out: np.sqrt(1.0 / (n_in + n_out)))),
    ("that is He's scale sqrt(2 / n_in); Xavier's is sqrt(2 / (n_in + n_out)).",
     _init(lambda n_in, n_out: np.sqrt(2.0 / n_in))),
    ("the shape is (n_out, n_in); a layer computing x @ W needs W of shape (n_in, n_out).",
     _init(lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out)), transpose=True)),
    ("rng.random draws uniformly from [0, 1), all positive; draw from a normal distribution with "
     "rng.standard_normal.", _init(lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out)), draw="random")),
    ("2 // (n_in + n_out) is integer division, 0 for every layer with more than 2 units; use /.",
     _init(lambda n_in, n_out: np.sqrt(2 // (n_in + n_out)))),
    (_DRAWN_TRANSPOSED, _init(lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out)), draw="transposed")),
    (_DRAWN_TWICE, _init(lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out)), draw="twice")),
]

MISTAKES[ref.he_init] = [
    ("the factor 2 is missing: He's standard deviation is sqrt(2 / n_in), because ReLU zeroes about "
     "half of its inputs.", _init(lambda n_in, n_out: np.sqrt(1.0 / n_in))),
    ("n_out was used where n_in belongs: the scale depends on how many inputs each unit sums, "
     "sqrt(2 / n_in).", _init(lambda n_in, n_out: np.sqrt(2.0 / n_out))),
    ("the square root is missing: 2 / n_in is the variance; the standard deviation, which "
     "multiplies the draws, is sqrt(2 / n_in).", _init(lambda n_in, n_out: 2.0 / n_in)),
    ("that is Xavier's scale sqrt(2 / (n_in + n_out)); He's is sqrt(2 / n_in).",
     _init(lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out)))),
    ("the shape is (n_out, n_in); a layer computing x @ W needs W of shape (n_in, n_out).",
     _init(lambda n_in, n_out: np.sqrt(2.0 / n_in), transpose=True)),
    ("rng.random draws uniformly from [0, 1), all positive; draw from a normal distribution with "
     "rng.standard_normal.", _init(lambda n_in, n_out: np.sqrt(2.0 / n_in), draw="random")),
    ("2 // n_in is integer division, 0 for every layer with more than 2 inputs; use /.",
     _init(lambda n_in, n_out: np.sqrt(2 // n_in))),
    (_DRAWN_TRANSPOSED, _init(lambda n_in, n_out: np.sqrt(2.0 / n_in), draw="transposed")),
    (_DRAWN_TWICE, _init(lambda n_in, n_out: np.sqrt(2.0 / n_in), draw="twice")),
]

# --- lesson 09: training in practice ----------------------------------------------------


def _l2(params, lam, loss_factor=0.5, grad_factor=1.0, keys=("W",), reduce=np.sum, root=False, b_grads=True,
        all_but_b=False):
    if all_but_b:
        keys = tuple({k for layer in params for k in layer if k != "b"})
    total = float(sum(reduce(layer[k] ** 2) for layer in params for k in layer if k in keys))
    loss = loss_factor * lam * (np.sqrt(total) if root else total)
    grads = []
    for layer in params:
        grads.append({})
        for k, v in layer.items():
            if k in keys:
                grads[-1][k] = grad_factor * lam * v
            elif b_grads:
                grads[-1][k] = np.zeros_like(v)
    return loss, grads


def _l2_in_place(params, lam):
    loss = 0.5 * lam * float(sum(np.sum(layer["W"] ** 2) for layer in params if "W" in layer))
    grads = []
    for layer in params:
        grads.append({})
        for k, v in layer.items():
            if k == "W":
                v *= lam
                grads[-1][k] = v
            else:
                grads[-1][k] = np.zeros_like(v)
    return loss, grads


MISTAKES[ref.l2_penalty] = [
    ("the 1/2 is missing from the penalty: it is (lam / 2) * sum(W**2), whose gradient is lam * W.",
     lambda params, lam: _l2(params, lam, loss_factor=1.0)),
    ("the gradient has a factor 2 too many: the 1/2 in (lam / 2) * sum(W**2) cancels the 2 from "
     "differentiating the square, so the gradient is lam * W.", lambda params, lam: _l2(params, lam, grad_factor=2.0)),
    ("the biases were penalised too; only the weights W are: the biases' gradients are zeros.",
     lambda params, lam: _l2(params, lam, keys=("W", "b"))),
    ("every parameter but b was penalised, batch normalisation's gamma and beta too; only the weights \"W\" "
     "are: every other parameter gets zeros.", lambda params, lam: _l2(params, lam, all_but_b=True)),
    ("a sign error: the penalty's gradient is +lam * W (it pulls the weights towards 0 when subtracted).",
     lambda params, lam: _l2(params, lam, grad_factor=-1.0)),
    ("the penalty uses the mean of the squares; it is their sum, (lam / 2) * sum(W**2).",
     lambda params, lam: _l2(params, lam, reduce=np.mean)),
    ("the penalty uses the norm sqrt(sum(W**2)); it is the squared norm, (lam / 2) * sum(W**2).",
     lambda params, lam: _l2(params, lam, root=True)),
    ("the biases' gradients are left out; return zeros for them (np.zeros_like(b)) so that grads "
     "has the same keys as params.", lambda params, lam: _l2(params, lam, b_grads=False)),
    ("the weights were changed in place (W *= lam); compute lam * W as a new array.", _l2_in_place),
]


def _dropout_scale(rule, p_drop):
    if rule == "keep_prob":  # 1 / p_drop: infinite when nothing is dropped, as the buggy code gives
        return np.float64(1.0) / np.float64(p_drop)
    return {"divide": 1.0 / (1.0 - p_drop), "none": 1.0, "multiply": 1.0 - p_drop}[rule]


def _dropout(keep_rule="drop", forward_scale="divide", backward_scale="divide", backward_mask=True, in_place=False,
             cache="mask"):
    """A buggy dropout as a layer maker (p_drop, seed) -> layer, like reference.dropout_layer; the
    layer draws as checks.layer_from_seeded's do (another seed at every forward)."""
    def forward(x, p_drop, rng):
        if keep_rule == "binomial":
            keep = rng.binomial(1, 1.0 - p_drop, x.shape)
        else:
            u = rng.random(x.shape)
            keep = {"drop": u >= p_drop, "keep": u < p_drop, "keep_below": u < 1.0 - p_drop}[keep_rule]
        scale = _dropout_scale(forward_scale, p_drop)
        if in_place:
            x *= keep * scale
            return x, (keep, p_drop)
        out = x * keep * scale
        kept = {"mask": (keep, p_drop), "rng": (rng, p_drop), "out": (out, p_drop), "x_out": (x, out)}[cache]
        return out, kept

    def backward(dout, kept):
        if cache == "rng":  # a new mask, drawn in backward
            rng, p_drop = kept
            keep = rng.random(dout.shape) >= p_drop
        elif cache == "out":  # the mask read back from the output
            out, p_drop = kept
            keep = out != 0
        elif cache == "x_out":  # dout * out / x
            x, out = kept
            return dout * out / x, {}
        else:
            keep, p_drop = kept
        scale = _dropout_scale(backward_scale, p_drop)
        return (dout * keep if backward_mask else dout) * scale, {}

    def make(p_drop, seed):
        return ref.ReseededLayer(forward, backward, seed, p_drop=p_drop)

    return make


MISTAKES[ref.dropout_layer] = [
    ("the kept entries are not scaled: inverted dropout divides them by 1 - p_drop, in forward and "
     "in backward, so that their expected value is unchanged (the factor reported is 1 - p_drop).",
     _dropout(forward_scale="none", backward_scale="none")),
    ("the forward pass divides by 1 - p_drop but the backward pass does not: out = x * keep / (1 - p_drop), "
     "so dx = dout * keep / (1 - p_drop).", _dropout(backward_scale="none")),
    ("the backward pass divides by 1 - p_drop but the forward pass does not (the factor reported is "
     "1 - p_drop): out = x * keep / (1 - p_drop).", _dropout(forward_scale="none")),
    ("the backward pass ignores the mask: no gradient flows to a dropped entry, since it did not reach "
     "the output; dx = dout * keep / (1 - p_drop).", _dropout(backward_mask=False)),
    ("the kept entries were multiplied by 1 - p_drop; inverted dropout divides by it.",
     _dropout(forward_scale="multiply", backward_scale="multiply")),
    ("p_drop was used as the probability of keeping an entry; it is the probability of dropping it: "
     "keep = rng.random(x.shape) >= p_drop, scaled by 1 / (1 - p_drop).",
     _dropout(keep_rule="keep", forward_scale="keep_prob", backward_scale="keep_prob")),
    ("the kept entries were divided by p_drop; divide by the probability of keeping, 1 - p_drop.",
     _dropout(forward_scale="keep_prob", backward_scale="keep_prob")),
    ("x was changed in place (x *= ...); compute out = x * keep / (1 - p_drop) as a new array.",
     _dropout(in_place=True)),
    ("backward draws a new mask from the rng kept in the cache: it must reuse the mask of the forward pass "
     "(the entries that were really dropped), so put the mask itself in the cache.", _dropout(cache="rng")),
    ("the mask was read back from the output (out != 0), which is wrong where x itself is 0 and the entry was "
     "kept (after a ReLU, many are): put the mask itself in the cache.", _dropout(cache="out")),
    ("dx = dout * out / x recovers the scaled mask from the output, which fails (0 / 0) where x is 0: put the "
     "mask itself in the cache.", _dropout(cache="x_out")),
    ("the mask was drawn with rng.binomial: a fine mask, but not the one the tests compare with; draw it "
     "exactly as keep = rng.random(x.shape) >= p_drop.", _dropout(keep_rule="binomial")),
    ("the mask was drawn as rng.random(x.shape) < 1 - p_drop: the right probability, but other entries than "
     "the tests expect; draw it exactly as keep = rng.random(x.shape) >= p_drop.",
     _dropout(keep_rule="keep_below")),
]

# --- lesson 04: Linear and Sigmoid layers, the backward loop ----------------------------
# Registered on the reference layer classes themselves (backprop.layers.Linear, .Sigmoid),
# which are what lesson 04's check_layer compares with; each buggy version is a layer class.

from backprop import layers as _layers  # noqa: E402


class _LinearNoBias(_layers.Linear):
    def forward(self, x):
        return x @ self.params["W"], x


class _LinearDWTransposed(_layers.Linear):
    def backward(self, dout, cache):
        dx, grads = super().backward(dout, cache)
        return dx, {"W": dout.T @ cache, "b": grads["b"]}


class _LinearDXNoTranspose(_layers.Linear):
    def backward(self, dout, cache):
        _, grads = super().backward(dout, cache)
        return dout @ self.params["W"], grads


class _LinearDBNotSummed(_layers.Linear):
    def backward(self, dout, cache):
        dx, grads = super().backward(dout, cache)
        return dx, {"W": grads["W"], "b": dout}


class _LinearDBWrongAxis(_layers.Linear):
    def backward(self, dout, cache):
        dx, grads = super().backward(dout, cache)
        return dx, {"W": grads["W"], "b": dout.sum(axis=1)}


class _LinearDBMean(_layers.Linear):
    def backward(self, dout, cache):
        dx, grads = super().backward(dout, cache)
        return dx, {"W": grads["W"], "b": dout.mean(axis=0)}


class _LinearAveraged(_layers.Linear):
    def backward(self, dout, cache):
        dx, grads = super().backward(dout, cache)
        m = dout.shape[0]
        return dx, {"W": grads["W"] / m, "b": grads["b"] / m}


class _LinearDWAveraged(_layers.Linear):
    def backward(self, dout, cache):
        dx, grads = super().backward(dout, cache)
        return dx, {"W": grads["W"] / dout.shape[0], "b": grads["b"]}


class _SigmoidOfA(_layers.Sigmoid):
    def backward(self, dout, cache):
        x, out = cache
        s = sigmoid(out)
        return dout * s * (1.0 - s), {}


class _SigmoidZForA(_layers.Sigmoid):
    def backward(self, dout, cache):
        x, out = cache
        return dout * x * (1.0 - x), {}


class _SigmoidNoDout(_layers.Sigmoid):
    def backward(self, dout, cache):
        x, out = cache
        return out * (1.0 - out), {}


class _SigmoidDoutTimesA(_layers.Sigmoid):
    def backward(self, dout, cache):
        x, out = cache
        return dout * out, {}


MISTAKES[_layers.Linear] = [
    ("the bias is missing from the forward pass: out = x @ W + b.", _LinearNoBias),
    ("dW is transposed: with examples as rows dL/dW = x.T @ dout, shape (n_in, n_out) like W "
     "(the column form delta x^T, transposed).", _LinearDWTransposed),
    ("a missing transpose in dx: with examples as rows dL/dx = dout @ W.T (the column form W^T delta, "
     "transposed).", _LinearDXNoTranspose),
    ("the bias gradient is not summed over the batch: b is added to every row, so dL/db = dout.sum(axis=0), "
     "shape (n_out,) like b.", _LinearDBNotSummed),
    ("the bias gradient is summed over the wrong axis: axis 0 runs over the examples, so "
     "dL/db = dout.sum(axis=0).", _LinearDBWrongAxis),
    ("the bias gradient is averaged over the batch: the layer sums, dL/db = dout.sum(axis=0); any 1/m "
     "belongs to the loss, which is already inside dout.", _LinearDBMean),
    ("dW is divided by the batch size: x.T @ dout already adds up the examples' contributions, and any 1/m "
     "belongs to the loss, which is already inside dout.", _LinearDWAveraged),
    ("the gradients are divided by the batch size: a layer sums over the examples (x.T @ dout, "
     "dout.sum(axis=0)); any 1/m belongs to the loss, which is already inside dout.", _LinearAveraged),
]

MISTAKES.setdefault(_layers.Sigmoid, []).extend([
    ("sigma'(a) was used where sigma'(z) is meant: with a = sigmoid(z) saved in the cache, "
     "sigma'(z) = a * (1 - a), not sigmoid(a) * (1 - sigmoid(a)).", _SigmoidOfA),
    ("the input z was used in place of the output a: sigma'(z) = a * (1 - a), not z * (1 - z).", _SigmoidZForA),
    ("dout is missing: the layer must pass on dL/dz = dout * sigma'(z), the incoming gradient times "
     "the local derivative.", _SigmoidNoDout),
    ("the factor (1 - a) is missing: sigma'(z) = a * (1 - a).", _SigmoidDoutTimesA),
])


def _backward_in_forward_order(layers, caches, dout):
    grads = []
    for layer, cache in zip(layers, caches):
        dout, g = layer.backward(dout, cache)
        grads.append(g)
    return dout, grads


def _backward_grads_reversed(layers, caches, dout):
    grads = []
    for layer, cache in zip(reversed(layers), reversed(caches)):
        dout, g = layer.backward(dout, cache)
        grads.append(g)
    return dout, grads


def _backward_dout_not_passed_on(layers, caches, dout):
    grads = [None] * len(layers)
    dx = dout
    for i in reversed(range(len(layers))):
        dx, grads[i] = layers[i].backward(dout, caches[i])
    return dx, grads


def _backward_caches_in_forward_order(layers, caches, dout):
    grads = []
    for layer, cache in zip(reversed(layers), caches):
        dout, g = layer.backward(dout, cache)
        grads.insert(0, g)
    return dout, grads


def _backward_skips_the_first_layer(layers, caches, dout):
    grads = [None] * len(layers)
    for i in range(len(layers) - 1, 0, -1):
        dout, grads[i] = layers[i].backward(dout, caches[i])
    return dout, grads


MISTAKES[ref.backward_pass] = [
    ("the layers are visited first to last: the backward pass starts at the output, "
     "for i in reversed(range(len(layers))).", _backward_in_forward_order),
    ("the layers are taken last to first but their caches first to last: layers[i] needs caches[i], "
     "so reverse both, zip(reversed(layers), reversed(caches)), or loop over the index i.",
     _backward_caches_in_forward_order),
    ("the loop stops before the first layer: range(len(layers) - 1, 0, -1) never reaches i = 0; "
     "reversed(range(len(layers))) does.", _backward_skips_the_first_layer),
    ("the gradients are listed last layer first: grads[i] must belong to layers[i] "
     "(fill a list of len(layers) by index, or reverse it at the end).", _backward_grads_reversed),
    ("dout is not passed on: each layer's dx is the dout of the layer before it "
     "(dout, grads[i] = layers[i].backward(dout, caches[i])).", _backward_dout_not_passed_on),
]


class _SigmoidExpOverExp(_layers.Sigmoid):
    def function(self, x):
        return np.exp(x) / (1.0 + np.exp(x))


class _SigmoidSlopeFromX(_layers.Sigmoid):
    def derivative(self, x, out):
        return np.exp(-x) / (1.0 + np.exp(-x)) ** 2


# Lesson 04's Sigmoid exercise is checked against reference.sigmoid_layer: the Sigmoid layer's mistakes
# (lesson 02's and the ones above), and those that only inputs far from 0 reveal, where exp overflows.
MISTAKES[ref.sigmoid_layer] = [*MISTAKES.get(_layers.Sigmoid, []),
    ("the sigmoid was computed as exp(x) / (1 + exp(x)): for x above about 710 np.exp(x) overflows to inf, "
     "and inf / inf is NaN. Compute 1 / (1 + np.exp(-x)), or use the lesson's sigmoid().", _SigmoidExpOverExp),
    ("sigma'(x) was computed from x as exp(-x) / (1 + exp(-x))**2: for x below about -710 that is inf / inf, "
     "NaN. Use the output kept in the cache: sigma'(x) = out * (1 - out).", _SigmoidSlopeFromX),
]

# --- lesson 05: the batched backward pass and the training loop -----------------------------

import numpy as np  # noqa: E402


def _regression_backward_variant(dz2_scale=2.0, sign=1.0, per="m", db="sum", dW2_transposed=False,
                                 derivative="z", extra_m=None, flat_y=False, da1_transposed=True):
    def backward(X, y, z1, a1, z2, W2):
        m = X.shape[0]
        divide = {"m": m, "none": 1, "features": X.shape[1], "100": 100}[per]
        if flat_y:
            y = y.ravel()
        dL_dz2 = sign * dz2_scale * (z2 - y) / divide
        dL_dW2 = dL_dz2.T @ a1 if dW2_transposed else a1.T @ dL_dz2
        dL_da1 = dL_dz2 @ W2.T if da1_transposed else dL_dz2 @ W2
        if derivative == "z":
            s = sigmoid(z1)
            local = s * (1 - s)
        elif derivative == "a":
            s = sigmoid(a1)
            local = s * (1 - s)
        elif derivative == "z-for-a":
            local = z1 * (1 - z1)
        else:
            local = 1.0
        dL_dz1 = dL_da1 * local
        dL_dW1 = X.T @ dL_dz1
        reduce = {"sum": lambda d: d.sum(axis=0), "none": lambda d: d, "mean": lambda d: d.mean(axis=0),
                  "axis1": lambda d: d.sum(axis=1)}[db]
        grads = [dL_dW1, reduce(dL_dz1), dL_dW2, reduce(dL_dz2)]
        if extra_m == "all":
            grads = [g / m for g in grads]
        elif extra_m == "weights":
            grads = [grads[0] / m, grads[1], grads[2] / m, grads[3]]
        return tuple(grads)

    return backward


MISTAKES[ref.regression_backward] = [
    ("the 1/m of the mean is missing: dL/dz2 = 2 * (z2 - y) / m, because the loss averages over the "
     "m examples of the batch.", _regression_backward_variant(per="none")),
    ("the factor 2 from differentiating the square is missing: dL/dz2 = 2 * (z2 - y) / m "
     "(this loss has no 1/2 in front).", _regression_backward_variant(dz2_scale=1.0)),
    ("a sign error: dL/dz2 = 2 * (z2 - y) / m, not 2 * (y - z2) / m.", _regression_backward_variant(sign=-1.0)),
    ("the mean was divided by the number of features, X.shape[1]; it averages over the examples, the rows: "
     "m = X.shape[0].", _regression_backward_variant(per="features")),
    ("the batch size is written in as 100 (the tutorial's data set); take it from the batch itself, "
     "m = X.shape[0]: the tests use batches of 1 to 50 examples.", _regression_backward_variant(per="100")),
    ("the bias gradients are not summed over the batch: each bias is used by every example, so "
     "db = dL_dz.sum(axis=0), of the bias's shape.", _regression_backward_variant(db="none")),
    ("the bias gradients are averaged over the batch: the 1/m is already inside dL/dz2, so the biases "
     "need dL_dz.sum(axis=0), not .mean(axis=0).", _regression_backward_variant(db="mean")),
    ("the bias gradients are summed over the wrong axis: axis 0 runs over the examples, so "
     "db = dL_dz.sum(axis=0).", _regression_backward_variant(db="axis1")),
    ("dW2 is transposed: dL/dW2 = a1.T @ dL_dz2, shape (h, 1) like W2.", _regression_backward_variant(
        dW2_transposed=True)),
    ("a missing transpose in dL/da1: dL_dz2 @ W2.T, (m, 1) @ (1, h) -> (m, h), the shape of a1; "
     "dL_dz2 @ W2 only fits when h = 1.", _regression_backward_variant(da1_transposed=False)),
    ("y was flattened to shape (m,) (or z2 was): z2 - y, with z2 of shape (m, 1), then broadcasts to an "
     "(m, m) array of every prediction minus every target. Keep both as they are given, (m, 1).",
     _regression_backward_variant(flat_y=True)),
    ("sigma'(a) was used where sigma'(z) is meant: the hidden layer's slope is sigmoid(z1) * (1 - sigmoid(z1)) "
     "= a1 * (1 - a1), not sigmoid(a1) * (1 - sigmoid(a1)).", _regression_backward_variant(derivative="a")),
    ("z1 was used in place of a1 in the sigmoid's slope: a1 * (1 - a1), not z1 * (1 - z1).",
     _regression_backward_variant(derivative="z-for-a")),
    ("the sigmoid's slope is missing: dL/dz1 = dL/da1 * sigmoid'(z1).", _regression_backward_variant(
        derivative="none")),
    ("the batch is averaged twice: the 1/m is already in dL/dz2, so the weight and bias gradients are plain "
     "sums over the batch (a1.T @ dL_dz2, ...), not divided by m again.", _regression_backward_variant(
        extra_m="all")),
    ("the weight gradients are divided by m a second time: the 1/m is already in dL/dz2, and the matrix "
     "products a1.T @ dL_dz2 and X.T @ dL_dz1 add up the examples' shares; divide once, at the top.",
     _regression_backward_variant(extra_m="weights")),
]


def _train_variant(record_after=False, write_back=True, ascent=False, new_W2_for_hidden=False, biases=True,
                   extra_steps=0, fixed_lr=None, stop_on_rise=False):
    def train(X, y, params, lr, steps):
        W1, b1, W2, b2 = (params[k].copy() for k in ("W1", "b1", "W2", "b2"))
        losses = []
        sign = -1.0 if ascent else 1.0
        lr = lr if fixed_lr is None else fixed_lr
        for _ in range(steps + extra_steps):
            z1, a1, z2 = ref.regression_forward(X, W1, b1, W2, b2)
            loss = float(np.mean((z2 - y) ** 2))
            if stop_on_rise and losses and loss > losses[-1]:
                break
            if not record_after:
                losses.append(loss)
            m = X.shape[0]
            dz2 = 2.0 * (z2 - y) / m
            dW2, db2 = a1.T @ dz2, dz2.sum(axis=0)
            if new_W2_for_hidden:
                W2 = W2 - sign * lr * dW2
            dz1 = dz2 @ W2.T * a1 * (1 - a1)
            dW1, db1 = X.T @ dz1, dz1.sum(axis=0)
            W1 = W1 - sign * lr * dW1
            if not new_W2_for_hidden:
                W2 = W2 - sign * lr * dW2
            if biases:
                b1 = b1 - sign * lr * db1
                b2 = b2 - sign * lr * db2
            if record_after:
                losses.append(ref.regression_loss(X, y, W1, b1, W2, b2))
        if write_back:
            params.update(W1=W1, b1=b1, W2=W2, b2=b2)
        return np.asarray(losses), params

    return train


MISTAKES[ref.train_result] = [
    ("each loss is recorded after its step's update: record the loss of the forward pass, before the update "
     "(the first loss is the untrained network's).", _train_variant(record_after=True)),
    ("the trained weights are not written back into params: update the arrays in the dict you were given "
     "(params['W1'] -= lr * dW1), or assign the new ones to params['W1'], ...", _train_variant(write_back=False)),
    ("the update climbs the gradient: theta <- theta - lr * grad, with a minus.", _train_variant(ascent=True)),
    ("W2 is updated before the hidden layer's gradient is computed, which then uses the new W2: compute every "
     "gradient first, then update.", _train_variant(new_W2_for_hidden=True)),
    ("the biases are never updated: b1 and b2 learn too.", _train_variant(biases=False)),
    ("the loop runs one step too many: range(steps) takes exactly `steps` steps, and records that many losses.",
     _train_variant(extra_steps=1)),
    ("the learning rate is not the one given: the tutorial's 0.01 is written in; use the argument lr.",
     _train_variant(fixed_lr=0.01)),
    ("the learning rate is missing from the update: theta <- theta - lr * grad, not theta - grad.",
     _train_variant(fixed_lr=1.0)),
    ("the loop stops when the loss goes up: train takes every one of the `steps` steps it is asked for, "
     "whatever the loss does (a learning rate too large makes it rise, and that is worth seeing).",
     _train_variant(stop_on_rise=True)),
]

# --- lesson 06 ------------------------------------------------------------------------
# softmax, the softmax-cross-entropy pair, and the two-layer classifier

import numpy as np  # noqa: E402


def _softmax_unstable(z):
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _softmax_columns(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _softmax_global_max(z):
    e = np.exp(z - z.max())
    return e / e.sum(axis=1, keepdims=True)


def _softmax_global_sum(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum()


def _softmax_no_exp(z):
    return z / z.sum(axis=1, keepdims=True)


def _softmax_shifted_by(shift):
    def buggy(z):
        e = np.exp(z - shift(z))
        return e / e.sum(axis=1, keepdims=True)

    return buggy


_softmax_row_min = _softmax_shifted_by(lambda z: z.min(axis=1, keepdims=True))
_softmax_row_mean = _softmax_shifted_by(lambda z: z.mean(axis=1, keepdims=True))
_softmax_first_column = _softmax_shifted_by(lambda z: z[:, :1])


MISTAKES[ref.softmax] = [
    ("exp overflows for large scores (exp(1000) is inf, and inf/inf is NaN): subtract each row's "
     "maximum before exp, z - z.max(axis=1, keepdims=True).", _softmax_unstable),
    ("the softmax is taken down the columns (axis=0), as in the column layout; here each ROW is an "
     "example: use axis=1 with keepdims=True.", _softmax_columns),
    ("the maximum of the whole batch was subtracted, z - z.max(); a row far below it underflows to 0/0. "
     "Subtract each row's own maximum: z.max(axis=1, keepdims=True).", _softmax_global_max),
    ("each row is divided by the sum over the whole batch; divide by the row's own sum, "
     "e.sum(axis=1, keepdims=True), so that every row adds up to 1.", _softmax_global_sum),
    ("the exponential is missing: softmax is exp(z_j) / sum_i exp(z_i), not z_j / sum_i z_i.", _softmax_no_exp),
    ("each row is shifted by its minimum; then every exponent is at least 0, and a row spread over more than "
     "709 (as -1000, 0, 1000) overflows. Shift by the row's maximum, so that every exponent is at most 0.",
     _softmax_row_min),
    ("each row is shifted by its mean; a row spread over more than 709 still overflows above the mean. Shift "
     "by the row's maximum, z.max(axis=1, keepdims=True), so that every exponent is at most 0.", _softmax_row_mean),
    ("each row is shifted by its first score; scores above it by more than 709 overflow. Shift by the row's "
     "maximum, z.max(axis=1, keepdims=True), so that every exponent is at most 0.", _softmax_first_column),
]


def _log_probs(scores):
    return ref.log_softmax(scores)


def _ce_sum_not_mean(scores, Y):
    return -float(np.sum(Y * _log_probs(scores)))


def _ce_mean_over_entries(scores, Y):
    return -float(np.mean(Y * _log_probs(scores)))


def _ce_no_minus(scores, Y):
    return float(np.sum(Y * _log_probs(scores))) / scores.shape[0]


def _ce_all_classes(scores, Y):
    return -float(np.sum(_log_probs(scores))) / scores.shape[0]


def _ce_log10(scores, Y):
    return -float(np.sum(Y * _log_probs(scores))) / scores.shape[0] / np.log(10.0)


def _ce_log_of_softmax(scores, Y):
    return -float(np.sum(Y * np.log(ref.softmax(scores)))) / scores.shape[0]


def _ce_log_of_true_probability(scores, Y):
    return -float(np.sum(np.log(np.sum(Y * ref.softmax(scores), axis=1)))) / scores.shape[0]


def _ce_batch_max(scores, Y):
    shifted = scores - scores.max()
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -float(np.sum(Y * log_probs)) / scores.shape[0]


_CE_BATCH_MAX = ("the maximum of the whole batch was subtracted, scores - scores.max(); in a row far below it "
                 "every exp underflows to 0, and log 0 = -inf. Subtract each row's own maximum: "
                 "scores.max(axis=1, keepdims=True).")


_CE_LOG_OF_ZERO = ("the log is taken of the probabilities, and a probability of e^-1000 is 0 in float64 (or, "
                   "without the shift, exp(1000) overflows): log 0 = -inf, and 0 * -inf is NaN. Take the "
                   "log-probabilities directly, log_probs = s - log(sum(exp(s))) with s the scores minus the "
                   "row's maximum: no probability is ever formed.")


MISTAKES[ref.softmax_ce_loss] = [
    ("the loss is summed over the batch, not averaged: divide by m, the number of rows.", _ce_sum_not_mean),
    ("np.mean over every entry divides by m * k; the mean is over the m examples only: "
     "-np.sum(Y * log_probs) / m.", _ce_mean_over_entries),
    ("the minus sign is missing: log-probabilities are negative, so L = -(1/m) sum Y log y_hat is "
     "positive.", _ce_no_minus),
    ("the log-probabilities of every class were added up; only the true class counts: multiply by Y "
     "before summing.", _ce_all_classes),
    ("np.log10 was used; cross-entropy uses the natural log, np.log.", _ce_log10),
    (_CE_LOG_OF_ZERO, _ce_log_of_softmax),
    (_CE_LOG_OF_ZERO, _ce_log_of_true_probability),
    (_CE_BATCH_MAX, _ce_batch_max),
]


class _CEBackwardBug(ref.SoftmaxCrossEntropyLoss):
    """The reference forward, a buggy backward (gradient) of the probabilities P and targets Y."""

    def backward(self, dout, cache):
        probs, Y = cache
        return self.gradient(dout, probs, Y, probs.shape[0]), {}


class _CENoMean(_CEBackwardBug):
    def gradient(self, dout, P, Y, m):
        return dout * (P - Y)


class _CESign(_CEBackwardBug):
    def gradient(self, dout, P, Y, m):
        return dout * (Y - P) / m


class _CENoTarget(_CEBackwardBug):
    def gradient(self, dout, P, Y, m):
        return dout * P / m


class _CEOverEntries(_CEBackwardBug):
    def gradient(self, dout, P, Y, m):
        return dout * (P - Y) / P.size


class _CEIgnoresDout(_CEBackwardBug):
    def gradient(self, dout, P, Y, m):
        return (P - Y) / m


class _CEStopsAtProbabilities(_CEBackwardBug):
    def gradient(self, dout, P, Y, m):
        return -dout * Y / P / m


class _CESquaredError(_CEBackwardBug):
    def gradient(self, dout, P, Y, m):
        return dout * (P - Y) * P * (1 - P) / m


class _CEForwardLogOfSoftmax(ref.SoftmaxCrossEntropyLoss):
    def forward(self, x):
        return _ce_log_of_softmax(x, self.Y), ref.softmax_ce_forward(x, self.Y)[1]


class _CEForwardBatchMax(ref.SoftmaxCrossEntropyLoss):
    def forward(self, x):
        shifted = x - x.max()
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        return _ce_batch_max(x, self.Y), (np.exp(log_probs), self.Y)


class _CEOverMSquared(_CEBackwardBug):
    def gradient(self, dout, P, Y, m):
        return dout * (P - Y) / m / m


class _CENaiveSoftmaxInBackward(ref.SoftmaxCrossEntropyLoss):
    """Caches the scores, and backward recomputes softmax from them without the shift."""

    def forward(self, x):
        return ref.softmax_ce_forward(x, self.Y)[0], (x, self.Y)

    def backward(self, dout, cache):
        scores, Y = cache
        e = np.exp(scores)
        return dout * (e / e.sum(axis=1, keepdims=True) - Y) / scores.shape[0], {}


class _CEForwardSum(ref.SoftmaxCrossEntropyLoss):
    def forward(self, x):
        loss, cache = ref.softmax_ce_forward(x, self.Y)
        return loss * x.shape[0], cache


MISTAKES[ref.SoftmaxCrossEntropyLoss] = [
    ("the 1/m is missing from the gradient: the loss is a mean over the m rows, so "
     "dL/dscores = dout * (y_hat - Y) / m.", _CENoMean),
    ("a sign error: dL/dscores = y_hat - Y (the probabilities minus the targets), not Y - y_hat.", _CESign),
    ("the target is not subtracted: dL/dscores = (y_hat - Y) / m, not y_hat / m.", _CENoTarget),
    ("the gradient is divided by m * k (np.mean over every entry?); the loss averages over the m "
     "examples only, so divide by m.", _CEOverEntries),
    ("backward ignores dout: multiply by the gradient arriving from above, dout * (y_hat - Y) / m.",
     _CEIgnoresDout),
    ("that is the gradient with respect to the probabilities, -Y / y_hat / m; chain it through the "
     "softmax and it collapses to (y_hat - Y) / m.", _CEStopsAtProbabilities),
    ("an extra factor y_hat (1 - y_hat), as for a sigmoid with squared error; for softmax with "
     "cross-entropy the gradient is simply (y_hat - Y) / m.", _CESquaredError),
    ("the loss is summed over the batch, not averaged: divide by m, the number of rows.", _CEForwardSum),
    (_CE_LOG_OF_ZERO, _CEForwardLogOfSoftmax),
    (_CE_BATCH_MAX, _CEForwardBatchMax),
    ("the gradient is divided by m twice: dL/dscores = dout * (y_hat - Y) / m, one 1/m for the mean over "
     "the m rows.", _CEOverMSquared),
    ("backward recomputes the softmax from the scores without subtracting each row's maximum: exp(1000) "
     "overflows and the gradient is NaN. Keep the probabilities the stable forward computed in the cache "
     "(or shift here too).", _CENaiveSoftmaxInBackward),
]


def _scores_no_relu(x, W1, b1, W2, b2):
    return (x @ W1 + b1) @ W2 + b2


def _scores_no_biases(x, W1, b1, W2, b2):
    return np.maximum(x @ W1, 0.0) @ W2


def _scores_relu_on_output(x, W1, b1, W2, b2):
    return np.maximum(np.maximum(x @ W1 + b1, 0.0) @ W2 + b2, 0.0)


def _scores_softmaxed(x, W1, b1, W2, b2):
    return ref.softmax(np.maximum(x @ W1 + b1, 0.0) @ W2 + b2)


def _scores_sigmoid_hidden(x, W1, b1, W2, b2):
    return sigmoid(x @ W1 + b1) @ W2 + b2


MISTAKES[ref.classifier_scores] = [
    ("the ReLU is missing: a1 = max(0, z1) between the two linear layers.", _scores_no_relu),
    ("the biases are left out: z1 = x @ W1 + b1 and scores = a1 @ W2 + b2.", _scores_no_biases),
    ("a ReLU was applied to the scores too; the last layer is linear, its scores go to the softmax "
     "in the loss.", _scores_relu_on_output),
    ("forward returns probabilities; it should return the raw scores: the softmax belongs to the "
     "loss (softmax_ce_forward).", _scores_softmaxed),
    ("the hidden activation is a sigmoid; this network uses ReLU, a1 = np.maximum(z1, 0).",
     _scores_sigmoid_hidden),
]


class _ClassifierBackwardBug(ref.TwoLayerClassifier):
    """The reference forward; backward from the buggy `grads(x, z1, a1, dscores)` -> dx, dW1, db1, dW2, db2."""

    def backward(self, dscores, cache):
        x, z1, a1 = cache
        dx, dW1, db1, dW2, db2 = self.grads(x, z1, a1, dscores, self.params["W1"], self.params["W2"])
        return dx, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def _backward_parts(x, z1, a1, dscores, W1, W2, mask):
    dz1 = (dscores @ W2.T) * mask
    return dz1 @ W1.T, x.T @ dz1, dz1.sum(axis=0), a1.T @ dscores, dscores.sum(axis=0)


class _NoReluDerivative(_ClassifierBackwardBug):
    def grads(self, x, z1, a1, dscores, W1, W2):
        return _backward_parts(x, z1, a1, dscores, W1, W2, 1.0)


class _ReluValueForDerivative(_ClassifierBackwardBug):
    def grads(self, x, z1, a1, dscores, W1, W2):
        return _backward_parts(x, z1, a1, dscores, W1, W2, a1)


class _MeanForBiases(_ClassifierBackwardBug):
    def grads(self, x, z1, a1, dscores, W1, W2):
        dx, dW1, db1, dW2, db2 = _backward_parts(x, z1, a1, dscores, W1, W2, z1 > 0)
        m = x.shape[0]
        return dx, dW1, db1 / m, dW2, db2 / m


class _OneOverMTwice(_ClassifierBackwardBug):
    def grads(self, x, z1, a1, dscores, W1, W2):
        dx, *grads = _backward_parts(x, z1, a1, dscores, W1, W2, z1 > 0)
        return (dx, *(g / x.shape[0] for g in grads))


class _BiasesSummedOverUnits(_ClassifierBackwardBug):
    def grads(self, x, z1, a1, dscores, W1, W2):
        dx, dW1, db1, dW2, db2 = _backward_parts(x, z1, a1, dscores, W1, W2, z1 > 0)
        dz1 = (dscores @ W2.T) * (z1 > 0)
        return dx, dW1, dz1.sum(axis=1), dW2, dscores.sum(axis=1)


class _BiasesNotSummed(_ClassifierBackwardBug):
    def grads(self, x, z1, a1, dscores, W1, W2):
        dx, dW1, db1, dW2, db2 = _backward_parts(x, z1, a1, dscores, W1, W2, z1 > 0)
        dz1 = (dscores @ W2.T) * (z1 > 0)
        return dx, dW1, dz1[0], dW2, dscores[0]


class _OneOverMOnWeightsOnly(_ClassifierBackwardBug):
    def grads(self, x, z1, a1, dscores, W1, W2):
        dx, dW1, db1, dW2, db2 = _backward_parts(x, z1, a1, dscores, W1, W2, z1 > 0)
        m = x.shape[0]
        return dx, dW1 / m, db1, dW2 / m, db2


class _DscoresOverMAgain(_ClassifierBackwardBug):
    def grads(self, x, z1, a1, dscores, W1, W2):
        return _backward_parts(x, z1, a1, dscores / x.shape[0], W1, W2, z1 > 0)


class _NoDxMask(_ClassifierBackwardBug):
    def grads(self, x, z1, a1, dscores, W1, W2):
        dx, dW1, db1, dW2, db2 = _backward_parts(x, z1, a1, dscores, W1, W2, z1 > 0)
        return (dscores @ W2.T) @ W1.T, dW1, db1, dW2, db2


MISTAKES[ref.TwoLayerClassifier] = [
    ("the ReLU's derivative is missing: dz1 = da1 * (z1 > 0), which zeroes the gradient of the "
     "units that were off.", _NoReluDerivative),
    ("da1 was multiplied by the ReLU's output a1; multiply by its derivative, (z1 > 0): 1 where "
     "the unit was on, 0 where it was off.", _ReluValueForDerivative),
    ("the bias gradients are averaged over the batch; sum them, dscores.sum(axis=0): the 1/m is "
     "already in dscores, which comes from the mean loss.", _MeanForBiases),
    ("the 1/m is applied twice: dscores already carries it (the loss is a mean), so here "
     "dW2 = a1.T @ dscores with no further division.", _OneOverMTwice),
    ("the bias gradients are summed over the wrong axis: axis=0 sums over the examples and leaves "
     "one entry per unit.", _BiasesSummedOverUnits),
    ("the bias gradients use only the first example; every example contributes: sum over axis 0.",
     _BiasesNotSummed),
    ("dx skips the ReLU: it is dz1 @ W1.T, with dz1 = da1 * (z1 > 0).", _NoDxMask),
    ("the weight gradients are divided by m: dscores already carries the 1/m (the loss is a mean), so "
     "dW2 = a1.T @ dscores and dW1 = X.T @ dz1, with no further division.", _OneOverMOnWeightsOnly),
    ("dscores is divided by m again, so every gradient, dX included, is m times too small: dscores already "
     "carries the 1/m of the mean loss. Use it as it comes.", _DscoresOverMAgain),
]

# --- lesson 07 ------------------------------------------------------------------------
# the numerical gradient, the relative error, and the fix of a buggy DenseTanh backward


def _numgrad_one_sided(f, x, h=1e-5):
    grad = np.zeros_like(x)
    f0 = f(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        grad[idx] = (f(x) - f0) / h
        x[idx] = old
    return grad


def _numgrad_over_h(f, x, h=1e-5):
    return 2.0 * ref.numerical_gradient(f, x, h)


def _numgrad_not_restored(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        f_plus = f(x)
        x[idx] = old - h
        grad[idx] = (f_plus - f(x)) / (2 * h)
    return grad


def _numgrad_restored_by_arithmetic(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        x[idx] += h
        f_plus = f(x)
        x[idx] -= 2 * h
        f_minus = f(x)
        x[idx] += h
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad


def _numgrad_all_at_once(f, x, h=1e-5):  # (in place, so that a function reading x sees it)
    old = x.copy()
    x += h
    f_plus = f(x)
    x[...] = old - h
    f_minus = f(x)
    x[...] = old
    return np.full_like(x, (f_plus - f_minus) / (2 * h))


def _numgrad_flat_view(f, x, h=1e-5):
    flat = x.reshape(-1)  # a view of a contiguous x, but a copy of a transposed one
    grad = np.zeros(x.size)
    for i in range(x.size):
        old = flat[i]
        flat[i] = old + h
        f_plus = f(x)
        flat[i] = old - h
        f_minus = f(x)
        flat[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad.reshape(x.shape)


def _numgrad_rows_view(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in range(len(x)):
        old = x[i]  # a view of row i when x is 2-D: it changes with x
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def _numgrad_default_step(default):
    def buggy(f, x, h=default):
        return ref.numerical_gradient(f, x, h)

    return buggy


_NUMGRAD_DEFAULT_STEP = ("the default step is not 1e-5: called without h (as in these cases), the function must "
                         "use h = 1e-5, def numerical_gradient(f, x, h=1e-5).")


def _numgrad_precedence(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        f_plus = f(x)
        x[idx] = old - h
        f_minus = f(x)
        x[idx] = old
        grad[idx] = (f_plus - f_minus) / 2 * h
    return grad


def _numgrad_on_a_copy(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[idx] += h
        minus[idx] -= h
        grad[idx] = (f(plus) - f(minus)) / (2 * h)
    return grad


def _numgrad_fixed_h(f, x, h=1e-5):
    return ref.numerical_gradient(f, x, 1e-5)


def _numgrad_rows(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in range(x.shape[0]):
        old = x[i].copy()
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


MISTAKES[ref.numerical_gradient] = [
    ("a one-sided difference, (f(x + h) - f(x)) / h, whose error shrinks only like h; the centred "
     "(f(x + h) - f(x - h)) / (2h) has an error like h**2.", _numgrad_one_sided),
    ("divided by h instead of 2h: the two evaluations are 2h apart.", _numgrad_over_h),
    ("x is not put back after each entry: it is left at x - h, so the next entries are measured at the "
     "wrong point. Save the old value and restore it: x[idx] = old.", _numgrad_not_restored),
    ("x is restored by adding h back (x[idx] += h), which leaves round-off behind: save the old value "
     "and put it back exactly, x[idx] = old.", _numgrad_restored_by_arithmetic),
    ("x.reshape(-1) is a view of x only when x is stored in order; for a transposed x (A.T) it is a copy, "
     "and nudging it leaves x unchanged. Nudge x itself: for idx in np.ndindex(x.shape): x[idx] = ...",
     _numgrad_flat_view),
    ("x was copied before nudging; f may read x itself (as a loss reads a layer's weights) and then "
     "sees no change. Nudge x in place and restore it.", _numgrad_on_a_copy),
    ("every entry was nudged at once, f(x + h) - f(x - h); that measures the sum of all the partial "
     "derivatives. Nudge one entry at a time: for idx in np.ndindex(x.shape).", _numgrad_all_at_once),
    ("the argument h is ignored (a fixed 1e-5 is used); use the h you are given.", _numgrad_fixed_h),
    ("whole rows were nudged at once (a loop over x.shape[0] only); nudge one entry at a time, "
     "for idx in np.ndindex(x.shape).", _numgrad_rows),
    ("a loop over range(len(x)) nudges whole rows of a matrix at once, and old = x[i] is then a view of the "
     "row, which changes with it. Nudge one entry at a time: for idx in np.ndindex(x.shape), old = x[idx].",
     _numgrad_rows_view),
    ("(f_plus - f_minus) / 2 * h multiplies by h: Python reads it as ((f_plus - f_minus) / 2) * h. "
     "Divide by the whole step: (f_plus - f_minus) / (2 * h).", _numgrad_precedence),
    *((_NUMGRAD_DEFAULT_STEP, _numgrad_default_step(default)) for default in (1e-1, 1e-2, 1e-3, 1e-4)),
]


def _relerr_absolute(a, b):
    return float(np.linalg.norm(a - b))


def _relerr_over_a(a, b):
    return float(np.linalg.norm(a - b) / np.linalg.norm(a))


def _relerr_over_sum(a, b):
    return float(np.linalg.norm(a - b) / np.linalg.norm(a + b))


def _relerr_entrywise_max(a, b):
    return float(np.max(np.abs(a - b) / (np.abs(a) + np.abs(b))))


def _relerr_squared_norms(a, b):
    return float(np.sum((a - b) ** 2) / (np.sum(a**2) + np.sum(b**2)))


def _relerr_no_zero_guard(a, b):
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))


def _relerr_l1(a, b):
    return float(np.sum(np.abs(a - b)) / (np.sum(np.abs(a)) + np.sum(np.abs(b))))


def _relerr_over_max(a, b):
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a), np.linalg.norm(b)))


def _relerr_max_entries(a, b):
    return float(np.max(np.abs(a - b)) / (np.max(np.abs(a)) + np.max(np.abs(b))))


def _relerr_plus_epsilon(epsilon):
    def buggy(a, b):
        return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b) + epsilon))

    return buggy


def _guarded(buggy):
    """The same mistake with the special case for two zero arrays, as the exercise asks."""
    def guarded(a, b):
        if not np.any(a) and not np.any(b):
            return 0.0
        return buggy(a, b)

    return guarded


_RELERR_OVER_A = ("divided by |a| alone; use |a| + |b|, which treats both alike and is never 0 unless both are.")
_RELERR_OVER_SUM = ("divided by |a + b|, which is 0 when a = -b; divide by |a| + |b|, the sum of the two norms.")
_RELERR_OVER_MAX = ("divided by the larger of |a| and |b|; divide by their sum, |a| + |b|.")
_RELERR_MAX_ENTRIES = ("the largest entries (the max-norm, np.max(np.abs(...))) were used; use the Euclidean "
                       "norm of the whole arrays, np.linalg.norm.")
_RELERR_EPSILON = ("a small number was added to the denominator instead of treating two zero arrays apart: it "
                   "changes the answer for small gradients (1e-9 is a real size for a gradient). Return 0.0 "
                   "when both are all zero, and divide by |a| + |b| alone otherwise.")


MISTAKES[ref.relative_error] = [
    ("that is the absolute error |a - b|; divide by |a| + |b| so that the answer does not depend on "
     "the gradients' size.", _relerr_absolute),
    (_RELERR_OVER_A, _relerr_over_a),
    (_RELERR_OVER_A, _guarded(_relerr_over_a)),
    (_RELERR_OVER_SUM, _relerr_over_sum),
    (_RELERR_OVER_SUM, _guarded(_relerr_over_sum)),
    (_RELERR_OVER_MAX, _relerr_over_max),
    (_RELERR_OVER_MAX, _guarded(_relerr_over_max)),
    (_RELERR_MAX_ENTRIES, _relerr_max_entries),
    (_RELERR_MAX_ENTRIES, _guarded(_relerr_max_entries)),
    (_RELERR_EPSILON, _relerr_plus_epsilon(1e-8)),
    (_RELERR_EPSILON, _relerr_plus_epsilon(1e-10)),
    (_RELERR_EPSILON, _relerr_plus_epsilon(1e-12)),
    ("the largest entry-by-entry relative error; use norms of the whole arrays, "
     "np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)).", _relerr_entrywise_max),
    ("sums of squares without the square root; np.linalg.norm takes it.", _relerr_squared_norms),
    ("0 / 0 when both arrays are all zero: return 0.0 then (they agree).", _relerr_no_zero_guard),
    ("sums of absolute values; the course uses the Euclidean norm, np.linalg.norm.", _relerr_l1),
    ("sums of absolute values; the course uses the Euclidean norm, np.linalg.norm.", _guarded(_relerr_l1)),
    ("the largest entry-by-entry relative error; use norms of the whole arrays, "
     "np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)).", _guarded(_relerr_entrywise_max)),
    ("sums of squares without the square root; np.linalg.norm takes it.", _guarded(_relerr_squared_norms)),
]


class _DenseBug(ref.DenseTanh):
    """The reference forward; backward from the buggy `parts(x, a, dout, W)` -> dz_for_W, dz_for_b, dz_for_x."""

    def backward(self, dout, cache):
        x, a = cache
        W = self.params["W"]
        dz_w, dz_b, dz_x = self.parts(x, a, dout)
        return dz_x @ W.T, {"W": x.T @ dz_w, "b": dz_b.sum(axis=0)}


class _DenseAsGiven(_DenseBug):
    def parts(self, x, a, dout):
        dz = dout * (1.0 - np.tanh(a) ** 2)
        return dout, dz, dz


class _DenseDerivativeOfOutput(_DenseBug):
    def parts(self, x, a, dout):
        dz = dout * (1.0 - np.tanh(a) ** 2)
        return dz, dz, dz


class _DenseWFromDout(_DenseBug):
    def parts(self, x, a, dout):
        dz = dout * (1.0 - a**2)
        return dout, dz, dz


class _DenseNoDerivative(_DenseBug):
    def parts(self, x, a, dout):
        return dout, dout, dout


class _DenseXFromDout(_DenseBug):
    def parts(self, x, a, dout):
        dz = dout * (1.0 - a**2)
        return dz, dz, dout


class _DenseOneMinusASquared(_DenseBug):
    def parts(self, x, a, dout):
        dz = dout * (1.0 - a) ** 2
        return dz, dz, dz


class _DenseOneMinusA(_DenseBug):
    def parts(self, x, a, dout):
        dz = dout * (1.0 - a)
        return dz, dz, dz


class _DenseBiasMean(ref.DenseTanh):
    def backward(self, dout, cache):
        dx, grads = super().backward(dout, cache)
        grads["b"] = grads["b"] / dout.shape[0]
        return dx, grads


MISTAKES[ref.DenseTanh] = [
    ("this is still the backward pass as given, with both of its bugs: 1 - np.tanh(a)**2 takes tanh of a, "
     "which is already tanh(z) (use 1 - a**2), and dW uses dout where it needs dz.", _DenseAsGiven),
    ("1 - np.tanh(a)**2 takes tanh twice: a in the cache is already tanh(z), so this is "
     "1 - tanh(tanh(z))**2. tanh'(z) = 1 - tanh(z)**2 = 1 - a**2.", _DenseDerivativeOfOutput),
    ("dW uses dout; the weights act before the tanh, so their gradient goes through it: dW = x.T @ dz.",
     _DenseWFromDout),
    ("the tanh's derivative is missing: dz = dout * (1 - a**2).", _DenseNoDerivative),
    ("dx uses dout; the input acts before the tanh, so dx = dz @ W.T.", _DenseXFromDout),
    ("the bias gradient is averaged over the batch; sum it: db = dz.sum(axis=0).", _DenseBiasMean),
    ("(1 - a)**2 squares the difference; tanh's derivative squares a first: 1 - a**2.", _DenseOneMinusASquared),
    ("1 - a is not tanh's derivative; it is 1 - a**2 (a = tanh(z) from the cache).", _DenseOneMinusA),
]
