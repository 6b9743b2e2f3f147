"""Lesson 00, start here: reference answers and random cases.

    slope_of_square(x)  The derivative of x**2
"""

__all__ = ["slope_of_square"]


def slope_of_square(x):
    """The derivative of x**2: 2 x."""
    return 2 * x
