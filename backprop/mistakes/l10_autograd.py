"""Lesson 10, from backprop by hand to autograd: the mistakes students make.

What each exercise's answers get wrong, registered on the reference it is checked against:

    reference.add_backward            11 mistakes
    reference.tanh_backward           10 mistakes
    reference.mean_backward           9 mistakes
    reference.matmul_backward         10 mistakes
    reference.topological_order       15 mistakes
"""

import numpy as np

from backprop import reference as ref
from backprop.mistakes.base import register

__all__ = []


def _add_db_not_summed(a, b, dout):
    return dout.copy(), dout.copy()


def _add_db_wrong_axis(a, b, dout):
    return dout.copy(), (dout.sum(axis=1) if b.shape != a.shape else dout.copy())


def _add_db_mean(a, b, dout):
    return dout.copy(), (dout.mean(axis=0) if b.shape != a.shape else dout.copy())


def _add_db_always_summed(a, b, dout):
    return dout.copy(), dout.sum(axis=0)


def _add_db_summed_to_number(a, b, dout):
    return dout.copy(), (np.sum(dout) if b.shape != a.shape else dout.copy())


def _add_local_only(a, b, dout):
    return np.ones_like(a), np.ones_like(b)


def _add_bias_by_length(a, b, dout):
    return dout.copy(), (dout.sum(axis=0) if len(b) != len(a) else dout.copy())


def _tanh_of_input(x, dout):
    return dout * (1.0 - x**2)


def _tanh_prime_of_output(x, dout):
    out = np.tanh(x)
    return dout * (1.0 - np.tanh(out) ** 2)


def _tanh_no_square(x, dout):
    return dout * (1.0 - np.tanh(x))


def _tanh_sigmoid_form(x, dout):
    out = np.tanh(x)
    return dout * out * (1.0 - out)


def _tanh_sign(x, dout):
    return dout * (np.tanh(x) ** 2 - 1.0)


def _tanh_local_only(x, dout):
    return 1.0 - np.tanh(x) ** 2


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
    return dout * np.ones_like(a)


def _mean_over_rows(a, dout):
    return dout * np.ones_like(a) / a.shape[0]


def _mean_over_columns(a, dout):
    return dout * np.ones_like(a) / a.shape[1]


def _mean_a_number(a, dout):
    return dout / a.size


def _mean_local_only(a, dout):
    return np.ones_like(a) / a.size


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


def _add_sum_if_rows(a, b, dout):
    return dout.copy(), (dout.sum(axis=0) if a.shape[0] > 1 else dout.copy())


def _add_sum_if_sizes(a, b, dout):
    return dout.copy(), (dout.sum(axis=0) if b.size != a.size else dout.copy())


def _add_keepdims(a, b, dout):
    return dout.copy(), (dout.sum(axis=0, keepdims=True) if b.shape != a.shape else dout.copy())


def _add_into_b(a, b, dout):
    if b.shape != a.shape:
        db = b
        db[...] = dout.sum(axis=0)
        return dout.copy(), db
    return dout.copy(), dout.copy()


def _add_into_dout(a, b, dout):
    if b.shape != a.shape:
        for i in range(1, dout.shape[0]):
            dout[0] += dout[i]
        return dout, dout[0]
    return dout, dout


register(ref.add_backward, [
    ("add-db-not-summed", "db was not summed over the batch: b (n,) is added to every row, so db = dout.sum(axis=0).",
     _add_db_not_summed),
    ("add-db-wrong-axis",
     "db was summed over the wrong axis: the rows are the examples, so db = dout.sum(axis=0), not axis=1.",
     _add_db_wrong_axis),
    ("add-db-mean", "db was averaged over the batch: each row adds its own share, so db = dout.sum(axis=0), "
     "without a 1/m (the 1/m, if any, belongs to the loss).", _add_db_mean),
    ("add-db-always-summed",
     "db was summed over the rows even when b has a's shape: sum only over the axes that broadcasting "
     "stretched; with equal shapes db = dout.", _add_db_always_summed),
    ("add-db-summed-to-number",
     "db was summed over every entry into one number: sum over the rows only, db = dout.sum(axis=0).",
     _add_db_summed_to_number),
    ("add-local-only",
     "the local derivatives (1 and 1) were returned without the incoming gradient: da = dout * 1 and db "
     "likewise.", _add_local_only),
    ("add-bias-by-length",
     "whether b is a bias row was decided from len(b) (or b.shape[0]), which equals len(a) when a is square "
     "(and when a has one row): compare the shapes, b.shape != a.shape, or look at b.ndim.", _add_bias_by_length),
    ("add-sum-if-several-rows",
     "whether b was broadcast was decided from the number of rows (a.shape[0] > 1): with one row, a bias (n,) "
     "gets dout (1, n) back; with several, a b of a's shape is summed. Compare the shapes, b.shape != a.shape.",
     _add_sum_if_rows),
    ("add-sum-if-sizes",
     "whether b was broadcast was decided from the sizes (b.size != a.size): a one-row a (1, n) and a bias (n,) "
     "have the same size. Compare the shapes, b.shape != a.shape, or look at b.ndim.", _add_sum_if_sizes),
    ("add-db-keepdims", "db was summed with keepdims=True: it has shape (1, n), not b's (n,). Sum without "
     "keepdims, dout.sum(axis=0).", _add_keepdims),
    ("add-changes-its-arguments",
     "an argument is changed in place: db = b (or da = dout) names the caller's own array, and filling it "
     "(db[...] = ..., dout[0] += ...) overwrites the caller's b or dout. Compute new arrays, "
     "db = dout.sum(axis=0), da = dout.copy().", [_add_into_b, _add_into_dout]),
])

def _tanh_square_of_difference(x, dout):
    return dout * (1.0 - np.tanh(x)) ** 2


def _tanh_sech_not_squared(x, dout):
    return dout / np.cosh(x)


def _tanh_into_x(x, dout):
    t = np.tanh(x, out=x)
    return dout * (1 - t * t)


def _tanh_into_dout(x, dout):
    dout *= 1 - np.tanh(x) ** 2
    return dout


def _tanh_difference(h, centred):
    def buggy(x, dout):
        if centred:
            return dout * (np.tanh(x + h) - np.tanh(x - h)) / (2 * h)
        return dout * (np.tanh(x + h) - np.tanh(x)) / h

    return buggy


register(ref.tanh_backward, [
    ("tanh-square-of-difference",
     "(1 - tanh(x))**2 squares the difference: the derivative squares tanh first, 1 - tanh(x)**2.",
     _tanh_square_of_difference),
    ("tanh-sech-not-squared", "1 / cosh(x) is sech(x), not its square: d tanh(x)/dx = sech(x)**2 = 1 - tanh(x)**2.",
     _tanh_sech_not_squared),
    ("tanh-changes-its-arguments",
     "an argument is changed in place (np.tanh(x, out=x), or dout *= ...): the caller's x or dout is overwritten. "
     "Compute a new array, dout * (1 - np.tanh(x)**2).", [_tanh_into_x, _tanh_into_dout]),
    ("tanh-finite-difference",
     "the slope is estimated by a finite difference, good to 10 digits at best: a backward rule is the exact "
     "derivative, dout * (1 - np.tanh(x)**2) (the test compares to 12 digits, more than any finite difference "
     "gives).", [_tanh_difference(h, centred) for centred in (True, False)
                 for h in (1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10)]),
    ("tanh-of-input", "1 - x**2 uses the input: the derivative is 1 - tanh(x)**2, one minus the square of the OUTPUT.",
     _tanh_of_input),
    ("tanh-prime-of-output",
     "tanh'(out) was used where tanh'(x) is meant: 1 - tanh(x)**2 = 1 - out**2, not 1 - tanh(out)**2.",
     _tanh_prime_of_output),
    ("tanh-no-square", "the square is missing: d tanh(x)/dx = 1 - tanh(x)**2.", _tanh_no_square),
    ("tanh-sigmoid-form",
     "that is the sigmoid's derivative, out * (1 - out); tanh's is 1 - out**2.", _tanh_sigmoid_form),
    ("tanh-sign", "a sign error: d tanh(x)/dx = 1 - tanh(x)**2, which is positive.", _tanh_sign),
    ("tanh-local-only",
     "the local derivative was returned without the incoming gradient: multiply it by dout.", _tanh_local_only),
])

def _mean_times_a(a, dout):
    return dout * a / a.size


def _mean_into_a(a, dout):
    a.fill(dout / a.size)
    return a


def _mean_in_a_tuple(a, dout):
    return (np.full_like(a, dout / a.size),)


def _mean_integers(a, dout):
    return np.ones(a.shape, dtype=int) * (dout // a.size)


register(ref.mean_backward, [
    ("mean-times-a", "the entries of a were multiplied in: the mean's derivative does not depend on a's values, "
     "every entry gets dout / N, np.full(a.shape, dout / a.size).", _mean_times_a),
    ("mean-changes-a", "the caller's a is filled in place (a.fill(...)) and returned: compute a new array, "
     "np.full(a.shape, dout / a.size).", _mean_into_a),
    ("mean-in-a-tuple", "da is returned inside a tuple, (da,): a rule with one input returns its gradient alone, "
     "da, an array of a's shape.", _mean_in_a_tuple),
    ("mean-integer-division", "// is integer division, and np.ones(..., dtype=int) holds integers: dout // N is 0 "
     "for dout = 1. Use / and floats, np.full(a.shape, dout / a.size).", _mean_integers),
    ("mean-without-1-over-n",
     "the 1/N is missing: the mean divides the sum by N = a.size, so every entry gets dout / N.",
     _mean_without_1_over_n),
    ("mean-over-rows",
     "divided by the number of rows, a.shape[0]: the mean is over all N = a.size entries, rows times columns.",
     _mean_over_rows),
    ("mean-over-columns",
     "divided by the number of columns, a.shape[1]: the mean is over all N = a.size entries, rows times columns.",
     _mean_over_columns),
    ("mean-a-number", "a single number was returned: dL/da has a's shape, with dout / N in every entry, "
     "np.full(a.shape, dout / a.size).", _mean_a_number),
    ("mean-local-only", "the local derivative 1/N was returned without the incoming gradient: multiply it by dout.",
     _mean_local_only),
])

def _matmul_outer(a, b, dout):
    return dout @ b.T, np.outer(a, dout)


def _matmul_scaled_rows(a, b, dout):
    return dout @ b.T, a.T * dout.sum(axis=0)


def _matmul_shape_set(a, b, dout):
    b.shape = b.shape[::-1]
    a.shape = a.shape[::-1]
    return dout @ b, a @ dout


def _matmul_into_a(a, b, dout):
    da = np.matmul(dout, b.T, out=a)
    return da, a.T @ dout


def _matmul_outer_sums_wrong_axis(a, b, dout):  # the examples' outer products, added up over the wrong axis
    return dout @ b.T, np.moveaxis(a[:, :, None] * dout[:, None, :], 0, -1).sum(axis=1)


register(ref.matmul_backward, [
    ("matmul-outer", "np.outer flattens a and dout: it gives db for one example (lesson 03), not for a batch. For "
     "a batch, db = a.T @ dout, the examples' outer products added up.", _matmul_outer),
    ("matmul-sums-dout-first", "dout was summed over the batch before multiplying (a.T * dout.sum(axis=0)): each "
     "example's a must meet its own dout. db = a.T @ dout.", _matmul_scaled_rows),
    ("matmul-shape-set", "setting .shape to the reversed shape reshapes the array (other numbers in each place), "
     "and changes the caller's array: .T transposes, and makes a new view. da = dout @ b.T, db = a.T @ dout.",
     _matmul_shape_set),
    ("matmul-changes-a", "np.matmul(..., out=a) writes da into the caller's a, and db is then computed from it: "
     "compute new arrays, da = dout @ b.T and db = a.T @ dout.", _matmul_into_a),
    ("matmul-outer-products-summed-wrong", "db adds up the examples' outer products over the wrong axis: over the "
     "examples it is db = a.T @ dout, shape (k, n) like b.", _matmul_outer_sums_wrong_axis),
    ("matmul-db-transposed", "db is transposed: dL/db = a.T @ dout, shape (k, n) like b; dout.T @ a is its transpose.",
     _matmul_db_transposed),
    ("matmul-da-transposed", "da is transposed: dL/da = dout @ b.T, shape (m, k) like a; b @ dout.T is its transpose.",
     _matmul_da_transposed),
    ("matmul-da-without-transpose",
     "da = dout @ b is missing the transpose of b: da = dout @ b.T, shape (m, k) like a (dout @ b only runs "
     "when b is square).", _matmul_da_without_transpose),
    ("matmul-swapped-outputs",
     "the two gradients are returned in the wrong order: return da, db (da = dout @ b.T first).",
     _matmul_swapped_outputs),
    ("matmul-db-over-m",
     "db was divided by m: a matrix product has no 1/m; the 1/m of a mean belongs to the loss's own rule.",
     _matmul_db_over_m),
])

def _order_dedupe_parents(root):
    order = []

    def visit(node):
        for parent in set(node.parents):
            visit(parent)
        order.append(node)

    visit(root)
    return order


def _order_reversed_preorder_stack(root):
    order, seen, stack = [], set(), [root]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        order.append(node)
        stack.extend(node.parents)
    return order[::-1]


def _order_generator(root):
    seen = set()

    def visit(node):
        if node in seen:
            return
        seen.add(node)
        for parent in node.parents:
            yield from visit(parent)
        yield node

    return visit(root)


def _order_without_leaves(root):
    return [node for node in ref.topological_order(root) if node.parents]


def _order_by_value(root):
    order, seen = [], set()

    def visit(node):
        key = (node.data.shape, node.data.tobytes())
        if key in seen:
            return
        seen.add(key)
        for parent in node.parents:
            visit(parent)
        order.append(node)

    visit(root)
    return order


def _order_root_twice(root):
    return ref.topological_order(root) + [root]


_STATE = ("the function keeps something from one call to the next (a set or list as a default argument, a "
          "global, or a mark left on the tensors such as t.visited = True or t.parents = ()), so a second call, or "
          "a graph that shares tensors with an earlier one, comes out empty or incomplete, and loss.backward() works "
          "once. "
          "Start a new set and a new list in every call, and leave the tensors as they were.")

register(ref.topological_order, [
    ("order-walks-every-path",
     "the walk has no record of the tensors already placed, so a tensor reached along two paths is walked again "
     "from there, and the work doubles with every shared step (removing duplicates afterwards does not help). "
     "Keep a set of the tensors already placed and skip those: each tensor is walked once.", []),
    ("order-keeps-state", _STATE, []),
    ("order-generator", "the function is a generator (yield): return a list, which backward() walks from the end "
     "with reversed(order), as a generator cannot be. Append to a list and return it.", _order_generator),
    ("order-without-leaves", "the leaves (tensors without parents) are left out: every tensor the root depends "
     "on belongs to the order, the leaves too (their gradients are what backward() is for).",
     _order_without_leaves),
    ("order-by-value", "tensors were told apart by their values (t.data): two tensors with equal values are still "
     "two tensors. Keep the tensors themselves in the set of placed ones (or their id()).", _order_by_value),
    ("order-root-twice", "the root is appended twice: the walk already appends it last, after everything it "
     "depends on; do not append it again.", _order_root_twice),
    ("order-without-seen", "no record of the tensors already placed: a tensor reached along two paths is listed twice "
     "(set(t.parents) only drops a repeat within one operation). Keep one set of placed tensors for the whole walk "
     "and skip those.", [_order_without_seen, _order_dedupe_parents]),
    ("order-node-before-parents",
     "each tensor is appended BEFORE its parents are visited: append it after the loop over its parents.",
     _order_node_before_parents),
    ("order-root-first", "the order is reversed: the root must come last, after everything it depends on "
     "(backward() walks the list from the end).", _order_root_first),
    ("order-direct-parents-only",
     "only the root's direct parents are listed: visit the parents' parents too, recursively, down to the leaves.",
     _order_direct_parents_only),
    ("order-without-root", "the root itself is missing: it comes last.", _order_without_root),
    ("order-breadth-first",
     "breadth-first order (by distance from the root) is not a topological order: a tensor can be close to "
     "the root along one path and far along another. Visit depth first, appending a tensor after its parents.",
     _order_breadth_first),
    ("order-by-name", "tensors were told apart by their names: many tensors have no name (the results of "
     "(x @ W1 + b1).sigmoid() have none) and several can share one. Keep the tensors themselves in the set "
     "of placed ones (a set of tensors, or of id(tensor)), not their names.", _order_by_name),
    ("order-reversed-preorder",
     "the list is a pre-order turned around: each tensor was listed when first reached from the root, then "
     "the list reversed. A tensor reached early along a short path then comes before a parent found later "
     "along a longer one. Append each tensor after its parents are placed, and do not reverse.",
     [_order_reversed_preorder, _order_reversed_preorder_stack]),
    ("order-counts-users-once-releases-twice",
     "a tensor used twice by one operation (x * x) was counted as one user of x but released twice: count "
     "each use and release each use (once per entry of .parents), or count and release distinct parents "
     "only.", _order_counts_users_once_releases_twice),
])
