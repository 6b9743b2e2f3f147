"""What crosses between the grader and a student's sandbox: the same objects on both sides, kept in step.

The student's side runs here in a thread, on a pair of pipes, with the student's functions defined
in a namespace; the grader's side calls them through proxies, as autograde.verify does."""

import json
import os
import struct
import threading

import numpy as np
import pytest

from autograde import wire

STUDENT_CODE = '''
import numpy as np

def identity(x):
    return x

def minus_one_in_place(x):
    x -= 1

def transposed(x):
    return x.T

def flat(x):
    return x.reshape(-1)

def pop_last(caches):
    caches.pop()
    return len(caches)

def replace_entry(params):
    params["W"] = params["W"] * 2

def nudge_and_call(f, x):
    x[0] += 1.0
    value = f(x)
    x[0] -= 1.0
    return value

def reuse_buffer(x, _kept=[]):
    if not _kept:
        _kept.append(np.zeros_like(x))
    _kept[0][...] = 2 * x
    return _kept[0]

GRADS = {}

def losses_one_by_one(n):
    for k in range(n):
        yield float(k)

def reversed_list(values):
    return reversed(values)

def fill_shared(x):
    GRADS["x"] = x * 2
    GRADS["buffer"] = GRADS.get("buffer", np.zeros(2))
    GRADS["buffer"][...] = x
    return GRADS

def pair_sharing(x):
    return x, x[0]

def draw(rng):
    return rng.standard_normal(3)

def secret_reader(handle):
    return handle.__class__

def fails(x):
    raise ValueError(f"bad x of shape {x.shape}")

def warns(x):
    import warnings
    warnings.warn("careful", RuntimeWarning)
    return x + 0

def attribute(obj, name):
    return getattr(obj, name)

def loop_with(step, W, n):
    g = None
    for _ in range(n):
        g = step(W, g)  # the last result, changed in place here, goes back
        g *= 0.5
        W -= g
    return W

class Layer:
    def __init__(self, W):
        self.params = {"W": W}
        self.W_copy = W.copy()

    def forward(self, x):
        return x @ self.params["W"]

    def forward_with_copy(self, x):
        return x @ self.W_copy
'''


class Pair:
    """A grader's Peer talking to a student's Peer (in a thread) over two pipes."""

    def __init__(self):
        grader_r, student_w = os.pipe()
        student_r, grader_w = os.pipe()
        self.fds = [grader_r, student_w, student_r, grader_w]
        self.namespace = {}
        exec(STUDENT_CODE, self.namespace)  # noqa: S102  (the test's own student)
        boxes = {}

        def proxy(side):
            def make(handle):
                return wire.Remote(lambda remote, op, **fields: wire.ask(boxes[side], serve[side], remote, op,
                                                                         **fields), handle)
            return make

        def write(fd):
            return lambda data: os.write(fd, data)

        boxes["g"] = self.grader = wire.Peer("g", grader_r, write(grader_w), proxy("g"), public_only=True)
        boxes["s"] = self.student = wire.Peer("s", student_r, write(student_w), proxy("s"))

        def student_serve(request):
            if request["op"] == "lookup":
                return {"ok": self.namespace[request["name"]]}
            return wire.perform(self.student, request)

        serve = {"g": lambda request: wire.perform(self.grader, request), "s": student_serve}
        self.serve = serve

        def loop():
            while True:
                message = wire.receive(student_r)
                if message is None:
                    return
                reply = student_serve(self.student.read_message(message))
                wire.send(write(student_w), self.student.message(reply))

        self.thread = threading.Thread(target=loop, daemon=True)
        self.thread.start()

    def lookup(self, name):
        return self.grader.request({"op": "lookup", "name": name}, self.serve["g"])["ok"]

    def close(self):
        grader_r, student_w, student_r, grader_w = self.fds
        os.close(grader_w)  # the student's side reads the end of its input, and stops
        self.thread.join(timeout=10)
        for fd in (grader_r, student_w, student_r):
            os.close(fd)


@pytest.fixture
def pair():
    p = Pair()
    yield p
    p.close()


@pytest.mark.parametrize("value", [
    np.float64(-2.950383341842019), np.float32(1.5), np.int64(3), np.bool_(True),  # NumPy scalars
    2.5, float("inf"), float("nan"), 3, 2**80, True, None, "text", 1 + 2j,
    np.array(2.0), np.arange(6.0).reshape(2, 3).T, np.arange(6.0)[::2], np.zeros((0, 3)),  # 0-d, strided, empty
    np.arange(6, dtype=np.float32), np.array([True, False]), [1, [2.0, "a"]], (1, (2,)), {"a": [1], 2: None},
    {1, 2}, frozenset({"x"}),
])
def test_values_cross_as_themselves(pair, value):
    back = pair.lookup("identity")(value)
    assert type(back) is type(value)
    if isinstance(value, np.ndarray):
        assert back.shape == value.shape and back.dtype == value.dtype and np.array_equal(back, value)
        assert back.strides == value.strides  # the same layout: a transposed view stays transposed
    elif isinstance(value, float) and value != value:
        assert back != back
    else:
        assert back == value


def test_an_output_that_is_an_input_is_the_same_object(pair):
    x = np.ones(3)
    assert pair.lookup("identity")(x) is x
    items = [x]
    assert pair.lookup("identity")(items) is items
    out, first = pair.lookup("pair_sharing")(x)
    assert out is x and first == 1.0


def test_a_view_of_an_input_shares_its_memory(pair):
    x = np.arange(6.0).reshape(2, 3)
    view = pair.lookup("transposed")(x)
    assert np.shares_memory(view, x) and view.shape == (3, 2)
    view[0, 1] = 100.0  # a write through the view reaches the input, as in-process
    assert x[1, 0] == 100.0


def test_a_transposed_input_stays_a_view_so_reshape_copies_it(pair):
    x = np.arange(6.0).reshape(2, 3).T  # F-ordered: reshape(-1) is a copy, in the student's kernel too
    flat = pair.lookup("flat")(x)
    assert not np.shares_memory(flat, x)
    c = np.arange(6.0).reshape(2, 3)
    assert np.shares_memory(pair.lookup("flat")(c), c)


def test_arguments_changed_in_place_are_changed_here(pair):
    x = np.arange(3.0)
    pair.lookup("minus_one_in_place")(x)
    assert x.tolist() == [-1.0, 0.0, 1.0]
    caches = [np.ones(2), np.ones(3), np.ones(4)]
    assert pair.lookup("pop_last")(caches) == 2 and len(caches) == 2  # a list that shrank
    params = {"W": np.ones(2)}
    pair.lookup("replace_entry")(params)
    assert params["W"].tolist() == [2.0, 2.0]  # an entry replaced


def test_a_call_back_sees_the_argument_as_it_is_then(pair):
    x = np.zeros(3)
    seen = []
    value = pair.lookup("nudge_and_call")(lambda z: seen.append(z.copy()) or float(z.sum()), x)
    assert value == 1.0 and seen[0].tolist() == [1.0, 0.0, 0.0] and x.tolist() == [0.0, 0.0, 0.0]


def test_outputs_kept_from_call_to_call_alias_as_in_process(pair):
    reuse = pair.lookup("reuse_buffer")
    first = reuse(np.ones(2))
    second = reuse(np.full(2, 3.0))
    assert first is second and first.tolist() == [6.0, 6.0]


def test_an_object_of_an_earlier_trial_returned_again_arrives_as_it_is_now(pair):
    """One dict made outside the function, filled and returned by every call, checked in separate trials
    (a check's cases): the grader's copy is the one dict, as it is after the last call, as in one process."""
    fill = pair.lookup("fill_shared")
    pair.grader.begin_trial()
    first = fill(np.ones(2))
    pair.grader.begin_trial()
    second = fill(np.full(2, 3.0))
    assert first is second
    assert second["x"].tolist() == [6.0, 6.0] and second["buffer"].tolist() == [3.0, 3.0]


def test_an_object_that_stays_over_there_is_called_by_its_own_types_name(pair):
    """A generator or an iterator the student returns stays in the sandbox behind a proxy; a message about
    it names its type as the notebook does ("got a generator"), never the proxy's."""
    from backprop.validation import describe, type_name

    assert describe(pair.lookup("losses_one_by_one")(3)) == "a generator"
    assert type_name(pair.lookup("reversed_list")([1, 2])) == "list_reverseiterator"
    assert type_name(np.zeros(2)) == "ndarray"


def test_a_layer_that_reads_its_params_follows_changes_made_here(pair):
    layer = pair.lookup("Layer")(np.eye(2))
    W = layer.params["W"]
    W += 1.0
    x = np.ones((1, 2))
    assert layer.forward(x).tolist() == [[3.0, 3.0]]
    assert layer.forward_with_copy(x).tolist() == [[1.0, 1.0]]  # the copy made in __init__ never learns


def test_a_generator_advances_on_both_sides(pair):
    rng = np.random.default_rng(0)
    drawn = pair.lookup("draw")(rng)
    expected = np.random.default_rng(0)
    assert drawn.tolist() == expected.standard_normal(3).tolist()
    assert rng.standard_normal() == expected.standard_normal()


def test_errors_and_warnings_of_the_student_arrive_as_theirs(pair):
    with pytest.raises(ValueError, match=r"bad x of shape \(2,\)") as failure:
        pair.lookup("fails")(np.ones(2))
    assert failure.value.where.startswith(" in fails")  # where in the student's code it was raised
    with pytest.warns(RuntimeWarning, match="careful"):
        pair.lookup("warns")(np.ones(2))


def test_the_student_reads_only_public_attributes_of_the_graders_objects(pair):
    class Course:
        public = 1
        _private = 2

    course = Course()
    attribute = pair.lookup("attribute")
    assert attribute(course, "public") == 1
    with pytest.raises(PermissionError):
        attribute(course, "_private")
    assert pair.lookup("secret_reader")(course) is not Course  # a dunder is the proxy's own: nothing crosses


def test_malformed_and_oversized_messages_are_refused():
    peer = wire.Peer("g", 0, lambda data: None, lambda handle: None)
    for bad in [{"r": "s404"}, {"new": "g1", "kind": "list", "items": []}, {"new": "s1", "kind": "array", "dt": "|O8",
                                                                               "mem": {"new": "s2", "nbytes": 8,
                                                                                       "data": "AAAAAAAAAAA="},
                                                                               "off": 0, "shape": [1], "strides": [8]},
                {"new": "s3", "kind": "array", "dt": "<f8", "mem": {"new": "s4", "nbytes": 8, "data": "AAAAAAAAAAA="},
                 "off": 0, "shape": [4], "strides": [8]}, [1, 2], {"x": 1}]:
        with pytest.raises(wire.MessageError):
            peer.decode(bad)
    deep = "x"
    for _ in range(wire.MAX_DEPTH + 5):
        deep = {"new": f"s{id(deep)}", "kind": "list", "items": [deep]}
    with pytest.raises(wire.MessageError):
        peer.decode(deep)
    read, write = os.pipe()
    os.write(write, struct.pack(">Q", wire.MAX_MESSAGE + 1))
    with pytest.raises(wire.MessageError, match="announced"):
        wire.receive(read)
    os.close(write)
    os.close(read)


def test_a_message_that_trickles_in_stops_at_its_deadline():
    import time

    read, write = os.pipe()
    data = json.dumps({"ok": None}).encode()
    os.write(write, struct.pack(">Q", len(data) + 100) + data)  # announced longer than it is
    started = time.monotonic()
    with pytest.raises(wire.MessageError, match="in time"):
        wire.receive(read, deadline=time.monotonic() + 0.5)
    assert time.monotonic() - started < 2
    os.close(write)
    os.close(read)


def _step(W, g):
    return W * 0.1 if g is None else W * 0.1 + g


@pytest.mark.parametrize("n", [3, 60])
def test_what_a_scoped_call_shared_is_forgotten_when_it_returns_and_crosses_again_as_it_is_then(pair, n):
    """A grader's function marked scoped (a cascade's stand-in, called once per step of a training loop):
    the loop gives what it gives in one process, and the objects its calls shared do not pile up."""
    def step(W, g):
        return _step(W, g)

    setattr(step, wire.SCOPED, True)
    W = np.arange(4.0).reshape(2, 2)
    got = pair.lookup("loop_with")(step, W, n)
    expected = np.arange(4.0).reshape(2, 2)
    exec(STUDENT_CODE, namespace := {})  # noqa: S102  (the same loop, in one process)
    namespace["loop_with"](_step, expected, n)
    assert got is W and np.array_equal(W, expected)
    assert len(pair.grader.objects) < 12 and len(pair.student.objects) < 12  # (not one per step)


def test_a_function_not_marked_scoped_keeps_what_its_calls_shared(pair):
    W = np.arange(4.0).reshape(2, 2)
    pair.lookup("loop_with")(_step, W, 30)
    assert len(pair.grader.objects) > 30  # (a result of each step)


def test_a_key_error_reads_the_same_on_both_sides():
    # str(KeyError('W')) is "'W'": raised again from its description, it must not become "\"'W'\""
    for key in ("W", 3, ("a", 1)):
        with pytest.raises(KeyError) as raised:
            wire.raise_error(wire.describe_exception(KeyError(key)))
        assert str(raised.value) == str(KeyError(key))
    with pytest.raises(KeyError) as raised:  # a message that is no literal stays as it is
        wire.raise_error({"type": "KeyError", "message": "not a literal"})
    assert raised.value.args == ("not a literal",)


def test_an_array_that_repeats_its_memory_is_refused_before_it_is_made():
    """The red team's huge_reply: a 20000 x 20000 array viewing 8 bytes (strides 0) crosses as 8 bytes, and the
    grader's checks would expand it to 3 GB. A view repeating its memory crosses only up to SMALL_ARRAY."""
    student = wire.Peer("s", 0, lambda data: None, lambda handle: None)
    grader = wire.Peer("g", 0, lambda data: None, lambda handle: None)
    one = np.zeros(1)
    huge = np.ndarray(shape=(20000, 20000), dtype=np.float64, buffer=one, strides=(0, 0))
    message = student.message({"ok": huge})
    assert len(json.dumps(message)) < 1000  # (it would cross as 8 bytes)
    with pytest.raises(wire.MessageError, match=r"shape \(20000, 20000\) that repeats its 8 bytes.*np\.array"):
        grader.read_message(message)
    row = np.zeros(4096)  # overlapping rows: 24 MB as an array, of 32 KB
    windows = np.ndarray(shape=(3073, 1024), dtype=np.float64, buffer=row, strides=(8, 8))
    with pytest.raises(wire.MessageError, match="repeats its 32 KB"):
        grader.read_message(student.message({"ok": windows}))
    small = np.broadcast_to(np.arange(3.0), (100, 3))  # a broadcast this small crosses as it is
    got = grader.read_message(student.message({"ok": small}))["ok"]
    assert got.strides == (0, 8) and (got == small).all()


def test_the_arrays_of_one_message_are_bounded_together():
    student = wire.Peer("s", 0, lambda data: None, lambda handle: None)
    grader = wire.Peer("g", 0, lambda data: None, lambda handle: None)
    block = np.zeros(wire.MAX_ARRAYS // 8 // 4)  # a quarter of the budget, sent once, then viewed again and again
    views = [block[::-1] for _ in range(5)]
    with pytest.raises(wire.MessageError, match="more than the 128 MB"):
        grader.read_message(student.message({"ok": views}))
    assert len(grader.read_message(student.message({"ok": views[:3]}))["ok"]) == 3  # (the budget is per message)
