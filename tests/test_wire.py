"""What crosses between the grader and a student's sandbox comes back as it was sent."""


import numpy as np
import pytest

from autograde import wire


@pytest.mark.parametrize("value", [
    np.float64(-2.950383341842019), np.float32(1.5), np.int64(3), np.bool_(True),  # NumPy scalars
    2.5, float("inf"), 3, True, None, "text",
    np.array(2.0), np.arange(6.0).reshape(2, 3).T, np.arange(6.0)[::2], np.zeros((0, 3)),  # 0-d, strided, empty
])
def test_values_cross_as_themselves(value):
    back = wire.decode(wire.encode(value, None), None)
    assert type(back) is type(value)
    if isinstance(value, np.ndarray):
        assert back.shape == value.shape and back.dtype == value.dtype and np.array_equal(back, value)
    else:
        assert back == value
