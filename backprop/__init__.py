"""The helper package of the backpropagation course.

Import the module you need; each says at its top what it holds:

    layers      reference layers (rows as examples): Linear, Sigmoid, Tanh, ReLU, losses, Sequential
    gradcheck   numerical gradients, relative error, gradient-check reports
    autograd    the tiny reverse-mode engine of lesson 10
    data        XOR, spirals, the worked examples, handwritten digits
    plots       network diagrams, loss curves, decision boundaries, activations
    quiz        "Try it" questions
    validation  argument checks with errors that teach (require_array, ...)
    course      open the course, submit, and get feedback on a submission

One module per lesson in each of these packages (lNN_topic.py; the package re-exports their names):

    reference   reference answers of the graded exercises, and their random inputs
    mistakes    mistakes students make, so that a failing check can name the cause
    checks      the checks behind the lessons' test cells
    explorers   the interactive explorers
    worked      the worked computations the explorers show (model maths without widgets)

and `forbidden`: what a graded answer may not call, one rule for the checks and the grader.
"""

__version__ = "0.1.0"
__all__ = []
