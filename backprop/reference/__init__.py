"""Reference answers to the graded exercises, and the random inputs the checks draw for them.

The tests in the lessons run your function and the one here on the same fresh random inputs
and compare. Reading these before you have tried is allowed, but you will learn less.

One module per lesson; every public name of each is also a name of this package
(`reference.softmax`):

    l00_start_here         the demonstration of a failing check
    l01_one_neuron         one sigmoid neuron: its output, loss and gradients
    l02_chain_rule         sigmoid, tanh and ReLU layers; the gradients of a small graph
    l03_worked_221         the worked 2-2-1 network, by name and in matrix form
    l04_layers             Linear and Sigmoid layers, the backward loop over a network
    l05_batches            the batched backward pass and the training loop of a regression network
    l06_softmax            softmax, cross-entropy, a two-layer classifier
    l07_gradient_checking  numerical gradients, the relative error, a dense tanh layer
    l08_deep_networks      clipping by global norm; Xavier and He initialisation
    l09_training           the L2 penalty; inverted dropout
    l10_autograd           backward rules of an autograd engine; the topological order
"""

from backprop._lessons import gather

__all__ = gather(__name__, globals())
