"""Mistakes students really make, one buggy version per mistake, for each graded exercise.

When your answer is wrong, the checks run every known mistake of that exercise on the same
inputs; if one of them gives exactly your outputs, the message names it as the likely cause.

MISTAKES maps a reference function (or layer class) to [(description, buggy version), ...];
each lesson adds its own entries in its own section below.
"""

from backprop import reference as ref
from backprop.layers import sigmoid

MISTAKES = {}


def known_for(reference):
    """The (description, buggy function) pairs known for a reference function."""
    return MISTAKES.get(getattr(reference, "__func__", reference), [])

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
    ("the sign is flipped: dL/da = 2(a - y), not 2(y - a); and da/dz = a(1 - a), not a(a - 1).", _grads_sign),
    ("the two gradients are in the wrong order: return dL_dw, dL_db.", _grads_swapped),
    ("the sigmoid itself was used as its derivative: da/dz = a(1 - a), not a.", _grads_sigmoid_as_its_own_derivative),
    ("w was used where x belongs: dz/dw = x, so dL/dw = dL/dz * x.", _grads_w_for_x),
    ("the bias b is left out of z = w*x + b in the gradients.", _grads_no_bias),
    ("the sigmoid's derivative da/dz = a(1 - a) is missing from the chain.", _grads_no_activation_derivative),
    ("sigma'(a) was used where sigma'(z) is meant: da/dz = sigmoid(z)(1 - sigmoid(z)) = a(1 - a), "
     "not sigmoid(a)(1 - sigmoid(a)).", _grads_sigma_prime_of_a),
    ("z was used in place of a in the derivative: da/dz = a(1 - a), not z(1 - z).", _grads_z_for_a_in_derivative),
    ("dL/db was multiplied by x: dz/db = 1, so dL/db = dL/dz.", _grads_db_times_x),
    ("dL/dw is missing the factor x: dz/dw = x, so dL/dw = dL/dz * x.", _grads_dw_without_x),
    ("the gradients are those of a neuron without the sigmoid (a = z).", _grads_linear_neuron),
]

# --- lesson 10 ------------------------------------------------------------------------
# The backward rules of add, mul, tanh and matmul, and the topological order.

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


def _mul_swapped(a, b, dout):
    return dout * a, dout * b


def _mul_local_only(a, b, dout):
    return b.copy(), a.copy()


def _mul_like_add(a, b, dout):
    return dout.copy(), dout.copy()


def _mul_dout_in_place(a, b, dout):
    da = dout
    da *= b             # changes dout itself ...
    return da, dout * a  # ... so this is dout * b * a


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


def _matmul_swapped_outputs(a, b, dout):
    return a.T @ dout, dout @ b.T


def _matmul_db_over_m(a, b, dout):
    return dout @ b.T, a.T @ dout / a.shape[0]


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
     "stretched (unbroadcast(dout, b.shape) does it); with equal shapes db = dout.", _add_db_always_summed),
    ("db was summed over every entry into one number: sum over the rows only, db = dout.sum(axis=0).",
     _add_db_summed_to_number),
    ("the local derivatives (1 and 1) were returned without the incoming gradient: da = dout * 1 and db "
     "likewise.", _add_local_only),
]

MISTAKES[ref.mul_backward] = [
    ("the two gradients are swapped: each input gets dout times the OTHER input, da = dout * b, db = dout * a.",
     _mul_swapped),
    ("the local derivatives were returned without the incoming gradient: da = dout * b, not b.", _mul_local_only),
    ("the rule of addition was used: for a product, da = dout * b and db = dout * a.", _mul_like_add),
    ("dout was changed in place (da = dout; da *= b), so db was computed from the changed dout: "
     "write da = dout * b, which makes a new array.", _mul_dout_in_place),
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

MISTAKES[ref.matmul_backward] = [
    ("db is transposed: dL/db = a.T @ dout, shape (k, n) like b; dout.T @ a is its transpose.",
     _matmul_db_transposed),
    ("da is transposed: dL/da = dout @ b.T, shape (m, k) like a; b @ dout.T is its transpose.",
     _matmul_da_transposed),
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
]
