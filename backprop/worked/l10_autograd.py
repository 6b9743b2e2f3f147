"""Lesson 10: the backward pass of an autograd graph, one rule at a time, as its explorer shows it.

    backward_steps(order, k)  the gradients after the first k rules of backward(), without touching .grad
"""

import numpy as np

__all__ = ["backward_steps"]


def backward_steps(order, k):
    """The first k steps of backward() over a graph in topological order, without touching .grad.

    Returns (grads, fired, shares): grads[i] the gradient tensor i holds after k rules have
    run (None if nothing has reached it yet; the root holds dL/dL = 1 from the start),
    fired the indices of the tensors whose rules run, in backward order, and shares[i]
    the list of (from index, amount) that tensor i received.
    """
    index = {id(node): i for i, node in enumerate(order)}
    grads = [None] * len(order)
    grads[-1] = np.ones_like(order[-1].data)
    shares = {i: [] for i in range(len(order))}
    fired = [i for i in reversed(range(len(order))) if order[i].grad_fn is not None]
    for i in fired[:k]:
        node = order[i]
        for parent, g in zip(node.parents, node.grad_fn(grads[i])):
            j = index[id(parent)]
            grads[j] = g if grads[j] is None else grads[j] + g
            shares[j].append((i, g))
    return grads, fired, shares
