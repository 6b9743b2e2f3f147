"""The worked computations the explorers show, one module per lesson: the model maths, kept out of the
widget code, so that a lesson's cells and tests can use them without a widget.

    l03_worked_221  steps_221: one training step of the 2-2-1 network as named steps
    l04_layers      train_231, sweep_231: the 2-3-1 network trained, and swept forward and backward
    l10_autograd    backward_steps: an autograd graph's backward pass, one rule at a time
"""

from backprop._lessons import gather

__all__ = gather(__name__, globals())
