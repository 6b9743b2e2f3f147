"""Checks for your code, used in the lessons' test cells.

Each check runs your function and a trusted one on the same inputs and, if they differ, fails
with a CheckFailed (an AssertionError) that lists every problem at once: which case, which
output, wrong shape or dtype, NaN, the index and size of the largest difference, and, when the
answer matches a mistake students often make, the likely cause. A check that passes prints one
line and writes nothing to stderr, even if NumPy warns.

    check_function(yours, reference, cases)        same outputs as the reference?
    check_numerical_gradient(yours, loss, cases)   same as finite differences of the loss?
    check_layer(YourLayer, ReferenceLayer, cases)  forward, backward, cache, finite differences
    check_number(name, got, expected)              a worked number, to 4 decimals
    layer_from(forward, backward)                  a pair of functions as a layer, for check_layer
    CheckFailed                                    what a failed check raises
    Grading, grading(session)                      what a grader plugs in (seeds; what each check compares with;
                                                   whether a failure raises, or, in a student's kernel, is shown)
    RTOL, ATOL                                     the tolerances against the reference (relative, absolute)

One module per kind, and the checks of single lessons in their lesson's module:

    base                   the machinery: running an answer, likely causes, the failure's message
    compare                is an output right, and how is it wrong
    function               check_function, check_numerical_gradient, check_number
    layer                  check_layer, layer_from
    cascade                a later answer failing because an earlier one it calls is wrong: checked again
                           with the reference's version in its place (declared by mistakes.depends)
    l01_one_neuron         check_gradients (gradients by the chain rule; names gradients found by nudging)
    l02_chain_rule         check_new_arrays (a pair of layer functions returns new arrays, not its arguments)
    l08_deep_networks      check_init_scale (the statistics of an initialisation)
    l09_training           gradients_of, layer_from_seeded (functions returning (loss, grads); dropout)
    l10_autograd           check_topological_order
"""

from backprop._lessons import gather
from backprop.checks.base import ATOL, RTOL, CheckFailed, Grading, current_grading, grading, shown_in_notebook
from backprop.checks.function import check_function, check_number, check_numerical_gradient
from backprop.checks.layer import check_layer, layer_from

__all__ = ["check_function", "check_numerical_gradient", "check_layer", "check_number", "layer_from", "CheckFailed",
           "Grading", "grading", "current_grading", "RTOL", "ATOL", *gather(__name__, globals())]

# The checks as test cells call them: in a student's own kernel a failure is shown and the notebook goes on
# (base.shown_in_notebook); everywhere else it raises.
for _name in [n for n in __all__ if n.startswith("check_")]:
    globals()[_name] = shown_in_notebook(globals()[_name])
del _name
