"""The helper package of the backpropagation course.

Import the module you need; each says at its top what it holds:

    layers      reference layers (rows as examples): Linear, Sigmoid, Tanh, ReLU, losses, Sequential
    gradcheck   numerical gradients, relative error, gradient-check reports
    checks      the checks behind the lessons' test cells
    reference   reference answers of the graded exercises, and their random inputs
    mistakes    mistakes students make, so that a failing check can name the cause
    data        XOR, spirals, the worked examples, handwritten digits
    plots       network diagrams, loss curves, decision boundaries, activations
    explorers   the interactive explorers
    quiz        "Try it" questions
    validation  argument checks with errors that teach
    course      open the course, and get feedback on a submission
"""

__version__ = "0.1.0"
