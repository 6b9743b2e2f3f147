"""Interactive explorers: controls on the left of a figure that redraws as you move them.

Each explorer is a widget; show it by making it the last line of a cell. One module per lesson,
the machinery in `base`; every explorer is also a name of this package:

    base                   Explorer, the widget they are all built on
    l00_start_here         SlopeExplorer: a curve, its tangent, and the slope measured two ways
    l01_one_neuron         NeuronExplorer: one neuron's loss, the tangent, and gradient steps
    l02_chain_rule         ActivationExplorer: sigmoid, tanh or ReLU, its slope, and a gradient through n of them
    l03_worked_221         Worked221Explorer: one training step of the 2-2-1 network, with Back and Next
    l04_layers             LayerSweepExplorer: the backward sweep through the 2-3-1 network, epoch by epoch
    l05_batches            DescentPathExplorer: the path of batch, mini-batch or stochastic gradient descent
    l06_softmax            SoftmaxExplorer, TrainingMonitor: softmax and cross-entropy; a classifier training
    l07_gradient_checking  FiniteDifferenceExplorer: the step h of a finite difference against round-off
    l08_deep_networks      DeepGradientExplorer: gradients through a deep network, by activation and initialisation
    l09_training           RegularisationExplorer: L2 and dropout on a small network's decision regions
    l10_autograd           BackwardSweepExplorer: an autograd graph's backward pass, one rule at a time
"""

from backprop._lessons import gather
from backprop.explorers.base import Explorer

__all__ = ["Explorer", *gather(__name__, globals())]
