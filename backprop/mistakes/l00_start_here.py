"""Lesson 00, start here: the mistakes students make.

What each exercise's answers get wrong, registered on the reference it is checked against:

    reference.slope_of_square         1 mistake
"""

from backprop import reference as ref
from backprop.mistakes.base import register

__all__ = []


def _slope_of_square_without_the_2(x):
    return x


register(ref.slope_of_square, [
    ("slope-of-square-without-the-2",
     "the 2 from differentiating the square is missing: the derivative of x**2 is 2*x.",
     _slope_of_square_without_the_2),
])
