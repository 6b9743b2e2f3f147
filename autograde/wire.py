"""How the grader and a student's sandbox talk: length-prefixed JSON over a pipe.

Values cross as data, never as pickles, so nothing the student's process sends can run
code in the grader: None, bools, numbers (NaN and infinities included), strings, lists,
tuples, dicts, NumPy arrays and scalars (as .npy bytes, object arrays refused), and
handles: references to objects that stay in the sandbox (a layer's cache, an instance of
the student's class).
"""

import base64
import io
import json
import math
import struct

import numpy as np

MAX_MESSAGE = 256 * 1024 * 1024  # a reply larger than this is refused


class Handle:
    """An object that lives in the other process, named by a number."""

    def __init__(self, ident, kind):
        self.ident, self.kind = ident, kind


def encode(value, keep, custom=None):
    """value -> JSON-able tree. An object that cannot cross goes to custom(value) -> tree or
    None, then to keep(value) -> Handle, which stores it on this side."""
    def again(v):
        return encode(v, keep, custom)

    if value is None or isinstance(value, (bool, str)):
        return value
    # before int and float: np.float64 is a float, whose repr ("np.float64(0.5)") float() cannot read
    if isinstance(value, np.generic) and not isinstance(value, np.object_):
        return {"npscalar": _npy(np.asarray(value))}
    if isinstance(value, int) and not isinstance(value, bool):
        return {"int": str(value)}
    if isinstance(value, float):
        return {"float": repr(value)}
    if isinstance(value, np.ndarray) and value.dtype != object:
        return {"ndarray": _npy(value)}
    if isinstance(value, tuple):
        return {"tuple": [again(v) for v in value]}
    if isinstance(value, list):
        return {"list": [again(v) for v in value]}
    if isinstance(value, dict):
        return {"dict": [[again(k), again(v)] for k, v in value.items()]}
    if isinstance(value, (set, frozenset)):
        return {"set": [again(v) for v in value]}
    if isinstance(value, Handle):
        return {"handle": value.ident, "kind": value.kind}
    tree = custom(value) if custom else None
    if tree is not None:
        return tree
    handle = keep(value)
    return {"handle": handle.ident, "kind": handle.kind}


def encode_course_object(value, sent):
    """An instance of one of the course's own classes (a reference layer, a tensor of a graph)
    as its class name and data attributes, to be rebuilt on the other side; None for anything
    else. `sent` maps a token to each object sent, so that the other side can send it back
    by its token and shared objects stay shared (a graph stays a graph)."""
    cls = type(value)
    if not (cls.__module__.startswith("backprop.") and hasattr(value, "__dict__")):
        return None
    token = id(value)
    if token in sent:
        return {"object_ref": token}
    sent[token] = value
    state = {k: v for k, v in vars(value).items() if not callable(v)}
    return {"object": f"{cls.__module__}.{cls.__qualname__}", "token": token,
            "state": encode(state, _refuse, lambda v: encode_course_object(v, sent))}


def _refuse(value):
    raise TypeError(f"cannot send a {type(value).__name__} across processes")


def decode(tree, resolve):
    """The inverse of encode; `resolve(ident, kind)` turns a handle into an object."""
    if tree is None or isinstance(tree, (bool, str)):
        return tree
    if not isinstance(tree, dict) or len(tree) not in (1, 2, 3):
        raise ValueError(f"malformed message: {str(tree)[:80]}")
    if "object" in tree:
        return resolve(tree, "course-object")
    if "object_ref" in tree:
        return resolve(int(tree["object_ref"]), "object-ref")
    (key, item), *_ = tree.items()
    if key == "int":
        return int(item)
    if key == "float":
        return float(item) if item not in ("nan", "inf", "-inf") else {"nan": math.nan, "inf": math.inf,
                                                                      "-inf": -math.inf}[item]
    if key == "npscalar":
        return _from_npy(item)[()]
    if key == "ndarray":
        return _from_npy(item)
    if key == "tuple":
        return tuple(decode(v, resolve) for v in item)
    if key == "list":
        return [decode(v, resolve) for v in item]
    if key == "dict":
        return {_hashable(decode(k, resolve)): decode(v, resolve) for k, v in item}
    if key == "set":
        return {_hashable(decode(v, resolve)) for v in item}
    if key == "handle":
        return resolve(int(item), str(tree.get("kind", "object")))
    raise ValueError(f"malformed message: unknown type {key!r}")


def _hashable(key):
    try:
        hash(key)
    except TypeError:
        raise ValueError("malformed message: an unhashable dict key") from None
    return key


def _npy(array):
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(array), allow_pickle=False)  # keeps the shape, 0-d included
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _from_npy(text):
    return np.load(io.BytesIO(base64.b64decode(text)), allow_pickle=False)


def send(stream, message):
    data = json.dumps(message).encode()
    stream.write(struct.pack(">Q", len(data)) + data)
    stream.flush()


def receive(stream):
    """One message, or None if the other side has gone."""
    header = stream.read(8)
    if len(header) < 8:
        return None
    (size,) = struct.unpack(">Q", header)
    if size > MAX_MESSAGE:
        raise ValueError(f"a message of {size} bytes is more than the {MAX_MESSAGE} allowed")
    data = stream.read(size)
    if len(data) < size:
        return None
    return json.loads(data)
