"""Mistakes students really make, one module per lesson, so that a failing check can name the cause.

When your answer is wrong, the checks run every known mistake of that exercise on the same
inputs; if one of them gives exactly your outputs, the message names it as the likely cause.
The machinery is in `base`; each lesson's module registers its exercises' mistakes:

    base                   Mistake, register, general, known_for, catalogue; Dependency, depends,
                           dependencies_for (a later exercise that calls an earlier one)
    l00_start_here         the missing 2 of lesson 00's demonstration
    l01_one_neuron         the neuron's forward pass and gradients
    l02_chain_rule         sigmoid, tanh and ReLU layers; the small graph's gradients
    l03_worked_221         the 2-2-1 network's gradients, by name and in matrix form
    l04_layers             Linear and Sigmoid layers; the backward loop
    l05_batches            the batched backward pass; the training loop
    l06_softmax            softmax; cross-entropy; the two-layer classifier
    l07_gradient_checking  numerical gradients; the relative error; the dense tanh layer
    l08_deep_networks      clipping by global norm; Xavier and He initialisation
    l09_training           the L2 penalty; dropout
    l10_autograd           backward rules; the topological order
"""

from backprop._lessons import gather
from backprop.mistakes.base import (
           Dependency,
           Mistake,
           catalogue,
           dependencies_for,
           depends,
           general,
           known_for,
           register,
)

__all__ = ["Mistake", "register", "general", "known_for", "catalogue", "Dependency", "depends", "dependencies_for",
           *gather(__name__, globals())]
