"""How the grader and a student's sandbox talk: objects shared between two processes, kept in step.

The grader runs the test cells; the sandbox runs the student's code. A check passes arguments to
the student's function and inspects what comes back, and what the function did to its arguments,
exactly as it would in the student's own kernel. So values do not cross as copies: each side
keeps a table of the objects it shares with the other, and both sides see the same objects.

- Data (NumPy arrays, lists, dicts, tuples, sets, NumPy random generators) is replicated on both
  sides. Each copy has a token; an object sent again arrives as the same object, so identity
  (`out is x`), aliasing (an output that is an input, or a view of one, or an earlier output) and
  layouts (a transposed view stays a view of its memory) are the same on both sides. At every
  message (a call, its reply, a call back) the sender sends what changed in the data of the
  current trial, and the receiver changes its copies in place: an array changed in place, a list
  that grew or shrank, a dict whose entries were replaced, reach the other side before anything
  else happens there.
- A call of a function the grader marks scoped (SCOPED: a cascade's stand-in for an earlier answer,
  backprop/checks/cascade.py) shares its objects only until it returns: then both sides forget the
  objects first shared during it (they stay as they are, untracked; sent again, they cross anew), so
  that a training loop calling it hundreds of times does not leave hundreds of arrays to keep in step.
- Anything else (the student's functions, classes and their instances; the grader's functions and
  the course's objects a test passes) stays where it is, behind a handle: a proxy on the other
  side whose calls, attribute reads and iteration are requests to the owner.

Only data crosses: JSON with NumPy arrays as raw bytes, never pickles, so nothing one side sends
can run code on the other. Messages are length-prefixed and bounded in size and nesting.

    Peer(side, read_fd, write, make_proxy, ...)    one side: its shared objects, requests and replies
    Remote(ask, handle)                            the proxy of an object of the other side
    Handle                                         what a proxy knows: its token, kind, name, signature
    ask(peer, serve, remote, op, ...)              a request about an object of the other side; its answer
    perform(peer, request, call)                   carry out the other side's request on an object we lent
    describe_exception(exc), raise_error(error)    an exception as data, and raised again on the other side
    signature_from(description)                    a proxy's inspect.Signature
    OPERATORS, ENGINE_FILES                        the operators a proxy forwards; the engine's own files
    SCOPED                                         the mark of a function whose calls share nothing after they return
    MessageError                                   a message that is too large, malformed, or never arrives
    send(write, message), receive(read, ...)       the framing
    MAX_MESSAGE, MAX_DEPTH, MAX_ARRAYS, SMALL_ARRAY the bounds (an array no larger, as an array, than the
                                                    memory it views or SMALL_ARRAY; all of a message's
                                                    arrays together no larger than MAX_ARRAYS)
"""

import base64
import json
import select
import struct
import time
import types
import warnings

import numpy as np

__all__ = ["Peer", "Handle", "SCOPED", "MessageError", "Remote", "perform", "describe_exception", "raise_error",
           "signature_from", "ask", "send", "receive", "MAX_MESSAGE", "MAX_DEPTH", "MAX_ARRAYS", "SMALL_ARRAY",
           "OPERATORS", "ENGINE_FILES"]

MAX_MESSAGE = 64 * 1024 * 1024  # bytes in one message (a 6-million-float reply is refused)
MAX_DEPTH = 64                  # nesting of lists, dicts and tuples
MAX_ARRAYS = 2 * MAX_MESSAGE    # bytes the arrays of one message may hold as arrays (a view may repeat its memory)
SMALL_ARRAY = 2**20             # an array this large may repeat its memory freely (np.broadcast_to of a row)
BIT_GENERATORS = ("PCG64", "PCG64DXSM", "Philox", "SFC64", "MT19937")


class MessageError(Exception):
    """A message that is too large, malformed or incomplete, or that did not arrive in time."""


class Handle:
    """What a proxy of an object of the other side knows about it."""

    def __init__(self, token, kind, name="", signature=None, type_name="object"):
        self.token, self.kind, self.name, self.signature = token, kind, name, signature
        self.type_name = type_name  # (the name of its type over there: what a message about it calls it)


# ---------------------------------------------------------------------------------------------
# framing


def send(write, message):
    data = json.dumps(message, allow_nan=False).encode()
    if len(data) > MAX_MESSAGE:
        raise MessageError(f"a message of {len(data)} bytes is more than the {MAX_MESSAGE} allowed")
    write(struct.pack(">Q", len(data)) + data)


def receive(fd, deadline=None):
    """One message from the file descriptor `fd`, or None if the other side has gone. With a
    deadline (time.monotonic()), MessageError when the whole message has not arrived by then."""
    header = _read(fd, 8, deadline)
    if header is None:
        return None
    (size,) = struct.unpack(">Q", header)
    if size > MAX_MESSAGE:
        raise MessageError(f"a message of {size} bytes was announced, more than the {MAX_MESSAGE} allowed")
    data = _read(fd, size, deadline)
    if data is None:
        raise MessageError("the other side went away in the middle of a message")
    try:
        return json.loads(data)
    except ValueError as exc:
        raise MessageError(f"a message that is not JSON ({exc})") from None


def _read(fd, size, deadline):
    chunks, remaining = [], size
    while remaining:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise MessageError("no answer in time")
        chunk = _os_read(fd, min(remaining, 1 << 20))
        if not chunk:
            if remaining == size and not chunks:
                return None
            raise MessageError("the other side went away in the middle of a message")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _os_read(fd, n):
    import os

    return os.read(fd, n)


# ---------------------------------------------------------------------------------------------
# values


def _npy_bytes(array):
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def _memory_of(array):
    """The ndarray that owns the memory `array` lives in, when that memory can be shared as one
    block (it owns its data and is C- or F-contiguous); else None."""
    root = array
    while isinstance(root.base, np.ndarray):
        root = root.base
    if root.base is not None or not (root.flags.c_contiguous or root.flags.f_contiguous):
        return None
    return root


def _raw(memory):
    """The bytes of a memory block, in memory order, as a 1-D uint8 array (a view, no copy)."""
    return memory.ravel(order="K").view(np.uint8)


def _offset(array, memory):
    return array.__array_interface__["data"][0] - memory.__array_interface__["data"][0]


class _Memory:
    """The receiving side's copy of a block of memory: aligned bytes that arrays are views of."""

    def __init__(self, nbytes):
        self.bytes = np.empty(nbytes, dtype=np.uint8)


class Peer:
    """One side of the conversation.

    side        "g" (the grader) or "s" (the sandbox): the prefix of the tokens it gives
    read_fd     the file descriptor it receives on; write(bytes) sends
    make_proxy  make_proxy(handle) -> the local stand-in for an object of the other side
    may_lend    may_lend(obj) -> whether one of our non-data objects may be handed out (as a handle)
    public_only refuse requests for attributes that start with "_" (the grader's side)
    serve       serve(request) -> reply: what to do with a request of the other side
    """

    def __init__(self, side, read_fd, write, make_proxy, may_lend=lambda obj: True, public_only=False):
        self.side, self.read_fd, self.write = side, read_fd, write
        self.make_proxy, self.may_lend, self.public_only = make_proxy, may_lend, public_only
        self.deadline = None
        self.array_budget = MAX_ARRAYS  # (of the message being read)
        self.reset()

    def reset(self):
        """Forget every shared object (a new test cell)."""
        self.objects = {}    # token -> object (ours, or our copy of theirs, or a proxy)
        self.tokens = {}     # id(object) -> token
        self.memories = {}   # token -> ndarray (ours) or _Memory (our copy)
        self.memory_tokens = {}  # id(memory ndarray) -> token
        self.raws = {}       # memory token -> its bytes as a uint8 view (what changes() compares)
        self.created = []    # every token made or learnt, in order (what a scoped call forgets)
        self.snapshots = {}  # token -> state last sent or received
        self.lent = set()    # tokens of our non-data objects the other side holds handles of
        self.live = set()    # tokens of data touched in the current trial
        self.counter = 0
        self.trial = 0

    def begin_trial(self):
        """A new call of the student's answer: the data of earlier calls is no longer watched."""
        self.trial += 1
        self.live = set()

    def _new_token(self):
        self.counter += 1
        return f"{self.side}{self.counter}"

    def _remember(self, obj, token):
        self.objects[token] = obj
        self.tokens[id(obj)] = token
        self.created.append(token)

    def forget(self, tokens):
        """Stop sharing these objects (those first shared during a scoped call, when it has returned): both
        sides keep them as they are, untracked; sent again, they cross as new objects."""
        for token in tokens:
            obj = self.objects.pop(token, None)
            if obj is not None and self.tokens.get(id(obj)) == token:
                del self.tokens[id(obj)]
            memory = self.memories.pop(token, None)
            if memory is not None:
                held = memory.bytes if isinstance(memory, _Memory) else memory
                if self.memory_tokens.get(id(held)) == token:
                    del self.memory_tokens[id(held)]
            for table in (self.snapshots, self.raws):
                table.pop(token, None)
            self.live.discard(token)
            self.lent.discard(token)

    # --- encoding -------------------------------------------------------------------------

    def encode(self, value, depth=0):
        if depth > MAX_DEPTH:
            raise MessageError(f"a value nested more than {MAX_DEPTH} deep")
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, np.generic) and not isinstance(value, np.object_):
            return {"n": _npy_bytes(np.asarray(value)), "dt": value.dtype.str}
        if isinstance(value, int):
            return {"i": str(value)}
        if isinstance(value, float):
            return {"f": repr(value)}
        if isinstance(value, complex):
            return {"c": [repr(value.real), repr(value.imag)]}
        token = self.tokens.get(id(value))
        if token is not None and self.objects.get(token) is value:
            if token in self.snapshots:
                self.live.add(token)
            return {"r": token}
        if isinstance(value, np.ndarray) and value.dtype != object:
            return self._encode_array(value)
        if isinstance(value, (list, tuple, dict, set, frozenset)):
            token = self._new_token()
            self._remember(value, token)
            kind = {list: "list", tuple: "tuple", dict: "dict", set: "set", frozenset: "frozenset"}.get(type(value))
            if kind is None:  # a subclass (a namedtuple, an OrderedDict...) stays behind a handle
                self.objects.pop(token)
                self.tokens.pop(id(value))
                return self._encode_handle(value)
            items = self._encode_items(value, depth)
            if kind in ("list", "dict", "set"):
                self.snapshots[token] = self._signature(value)
                self.live.add(token)
            return {"new": token, "kind": kind, "items": items}
        if isinstance(value, np.random.Generator):
            token = self._new_token()
            self._remember(value, token)
            state = _state_to_json(value.bit_generator.state)
            self.snapshots[token] = json.dumps(state, sort_keys=True)
            self.live.add(token)
            return {"new": token, "kind": "rng", "state": state}
        return self._encode_handle(value)

    def _encode_items(self, value, depth):
        if isinstance(value, dict):
            return [[self.encode(k, depth + 1), self.encode(v, depth + 1)] for k, v in value.items()]
        return [self.encode(v, depth + 1) for v in value]

    def _encode_handle(self, value):
        if not self.may_lend(value):
            raise MessageError(f"a {type(value).__name__} cannot be handed to the other side")
        token = self._new_token()
        self._remember(value, token)
        self.lent.add(token)
        kind = "class" if isinstance(value, type) else "callable" if callable(value) else "object"
        return {"new": token, "kind": "handle", "of": kind, "name": str(getattr(value, "__name__", ""))[:200],
                "type": type(value).__name__[:100],
                "sig": _signature_of(value) if callable(value) else None}

    def _encode_array(self, array):
        token = self._new_token()
        self._remember(array, token)
        memory = _memory_of(array)
        if memory is None:  # memory that cannot be shared as one block: the array crosses as a copy
            memory = np.array(array, order="K")
            geometry = {"off": 0, "shape": list(array.shape), "strides": list(memory.strides)}
        else:
            geometry = {"off": _offset(array, memory), "shape": list(array.shape), "strides": list(array.strides)}
        tree = {"new": token, "kind": "array", "dt": array.dtype.str, "w": bool(array.flags.writeable), **geometry}
        memory_token = self.memory_tokens.get(id(memory))
        if memory_token is not None and self._memory_object(memory_token) is memory:
            tree["mem"] = {"r": memory_token}
            self.live.add(memory_token)
        else:
            memory_token = self._new_token()
            self.memories[memory_token] = memory
            self.created.append(memory_token)
            self.memory_tokens[id(memory)] = memory_token
            raw = self.raws[memory_token] = _raw(memory)
            self.snapshots[memory_token] = raw.tobytes()
            self.live.add(memory_token)
            tree["mem"] = {"new": memory_token, "nbytes": int(raw.size), "data": _npy_bytes(raw)}
        self.snapshots[token] = tuple(array.shape)
        self.live.add(token)
        return tree

    def _memory_object(self, token):
        memory = self.memories.get(token)
        return memory.bytes if isinstance(memory, _Memory) else memory

    def _signature(self, container):
        """What a list, dict or set holds, as a comparable value (tokens for shared objects)."""
        def item(v):
            if v is None or isinstance(v, (bool, str, int, float, complex)):
                return (type(v).__name__, v)
            if isinstance(v, np.generic):
                return ("n", v.dtype.str, v.tobytes())
            token = self.tokens.get(id(v))
            return ("r", token) if token is not None and self.objects.get(token) is v else ("new", id(v))

        if isinstance(container, dict):
            return tuple((item(k), item(v)) for k, v in container.items())
        if isinstance(container, (set, frozenset)):
            return frozenset(item(v) for v in container)
        return tuple(item(v) for v in container)

    def _touch(self, value, depth, seen):
        """Make the shared data in `value` (and in the containers it holds) live."""
        if depth > MAX_DEPTH or id(value) in seen:
            return
        if isinstance(value, (list, tuple, dict, set, frozenset, np.ndarray, np.random.Generator)):
            seen.add(id(value))
            token = self.tokens.get(id(value))
            if token is not None and self.objects.get(token) is value and token in self.snapshots:
                self.live.add(token)
        if isinstance(value, np.ndarray):
            node = value
            while isinstance(node, np.ndarray):  # (the memory block it lives in, if shared)
                memory_token = self.memory_tokens.get(id(node))
                if memory_token is not None and self._memory_object(memory_token) is node:
                    self.live.add(memory_token)
                    break
                node = node.base
        elif isinstance(value, dict):
            for k, v in value.items():
                self._touch(k, depth + 1, seen)
                self._touch(v, depth + 1, seen)
        elif isinstance(value, (list, tuple, set, frozenset)):
            for v in value:
                self._touch(v, depth + 1, seen)

    def changes(self):
        """What changed in the live data since it was last sent or received, as sync entries."""
        entries = []
        raws = self.raws
        for token in sorted(self.live):
            raw = raws.get(token)
            if raw is not None:
                now = raw.tobytes()  # (bytes compare at memcmp speed: many small arrays live in a long trial)
                if now != self.snapshots[token]:
                    self.snapshots[token] = now
                    entries.append({"mem": token, "data": _npy_bytes(raw)})
                continue
            obj = self.objects.get(token)
            if isinstance(obj, np.ndarray):
                if tuple(obj.shape) != self.snapshots.get(token):
                    self.snapshots[token] = tuple(obj.shape)
                    entries.append({"shape": token, "to": list(obj.shape), "strides": list(obj.strides)})
            elif isinstance(obj, (list, dict, set)):
                signature = self._signature(obj)
                if signature != self.snapshots.get(token):
                    items = self._encode_items(obj, 1)
                    self.snapshots[token] = self._signature(obj)
                    entries.append({"items": token, "to": items})
            elif isinstance(obj, np.random.Generator):
                state = json.dumps(_state_to_json(obj.bit_generator.state), sort_keys=True)
                if state != self.snapshots.get(token):
                    self.snapshots[token] = state
                    entries.append({"rng": token, "to": json.loads(state)})
        return entries

    # --- decoding -------------------------------------------------------------------------

    def decode(self, tree, depth=0):
        if depth > MAX_DEPTH:
            raise MessageError(f"a value nested more than {MAX_DEPTH} deep")
        if tree is None or isinstance(tree, (bool, str)):
            return tree
        if not isinstance(tree, dict):
            raise MessageError(f"malformed value: {str(tree)[:60]}")
        if "r" in tree:
            token = tree["r"]
            if token not in self.objects:
                raise MessageError(f"an unknown object {str(token)[:20]}")
            if token in self.snapshots:
                self.live.add(token)
            return self.objects[token]
        if "i" in tree:
            return int(tree["i"])
        if "f" in tree:
            return float(tree["f"])
        if "c" in tree:
            return complex(float(tree["c"][0]), float(tree["c"][1]))
        if "n" in tree:
            dtype = _dtype(tree["dt"])
            return np.frombuffer(base64.b64decode(tree["n"]), dtype=dtype).reshape(())[()]
        token, kind = tree.get("new"), tree.get("kind")
        if not isinstance(token, str) or token in self.objects or token[:1] == self.side:
            raise MessageError("malformed value: a new object with a bad token")
        if kind == "array":
            return self._decode_array(tree, token)
        if kind in ("list", "tuple", "set", "frozenset"):
            if kind == "tuple" or kind == "frozenset":
                items = [self.decode(v, depth + 1) for v in tree["items"]]
                value = tuple(items) if kind == "tuple" else frozenset(_hashable(v) for v in items)
                self._remember(value, token)
                return value
            value = [] if kind == "list" else set()
            self._remember(value, token)  # (before its items: a list may hold itself)
            items = [self.decode(v, depth + 1) for v in tree["items"]]
            if kind == "list":
                value.extend(items)
            else:
                value.update(_hashable(v) for v in items)
            self.snapshots[token] = self._signature(value)
            self.live.add(token)
            return value
        if kind == "dict":
            value = {}
            self._remember(value, token)
            for k, v in tree["items"]:
                value[_hashable(self.decode(k, depth + 1))] = self.decode(v, depth + 1)
            self.snapshots[token] = self._signature(value)
            self.live.add(token)
            return value
        if kind == "rng":
            value = _generator(_state_from_json(tree["state"]))
            self._remember(value, token)
            self.snapshots[token] = json.dumps(_state_to_json(value.bit_generator.state), sort_keys=True)
            self.live.add(token)
            return value
        if kind == "handle":
            handle = Handle(token, tree.get("of", "object"), str(tree.get("name", ""))[:200], tree.get("sig"),
                            str(tree.get("type", "object"))[:100])
            proxy = self.make_proxy(handle)
            self._remember(proxy, token)
            return proxy
        raise MessageError(f"malformed value: unknown kind {str(kind)[:20]}")

    def _decode_array(self, tree, token):
        dtype = _dtype(tree["dt"])
        mem = tree["mem"]
        if "r" in mem:
            memory = self._memory_object(mem["r"])
            if memory is None:
                raise MessageError("an array in unknown memory")
            self.live.add(mem["r"])
        else:
            memory_token = mem["new"]
            if not isinstance(memory_token, str) or memory_token[:1] == self.side or memory_token in self.memories:
                raise MessageError("malformed value: memory with a bad token")
            nbytes = int(mem["nbytes"])
            data = base64.b64decode(mem["data"])
            if len(data) != nbytes:
                raise MessageError("malformed value: memory of the wrong size")
            block = _Memory(nbytes)
            block.bytes[:] = np.frombuffer(data, dtype=np.uint8)
            self.memories[memory_token] = block
            self.created.append(memory_token)
            self.memory_tokens[id(block.bytes)] = memory_token
            self.snapshots[memory_token] = block.bytes.tobytes()
            self.raws[memory_token] = _raw(block.bytes)
            self.live.add(memory_token)
            memory = block.bytes
        shape, strides, offset = tuple(int(n) for n in tree["shape"]), tuple(int(n) for n in tree["strides"]), int(
            tree["off"])
        _check_geometry(memory.nbytes, dtype.itemsize, offset, shape, strides)
        self.array_budget = _check_size(memory.nbytes, dtype, shape, self.array_budget)
        array = np.ndarray(shape, dtype=dtype, buffer=_raw(memory) if memory.ndim != 1 or memory.dtype != np.uint8
                           else memory, offset=offset, strides=strides)
        if not tree.get("w", True):
            array.flags.writeable = False
        self._remember(array, token)
        self.snapshots[token] = tuple(array.shape)
        self.live.add(token)
        return array

    def apply(self, entries):
        """Change our copies as the other side's sync entries say."""
        if not isinstance(entries, list):
            raise MessageError("malformed sync")
        for entry in entries:
            if "mem" in entry:
                token = entry["mem"]
                memory = self._memory_object(token)
                if memory is None:
                    raise MessageError("sync of unknown memory")
                data = np.frombuffer(base64.b64decode(entry["data"]), dtype=np.uint8)
                raw = _raw(memory)
                if data.size != raw.size:
                    raise MessageError("sync of memory with the wrong size")
                if raw.flags.writeable:
                    raw[:] = data
                else:
                    with _writeable(memory):
                        _raw(memory)[:] = data
                self.snapshots[token] = raw.tobytes()
                self.live.add(token)
            elif "shape" in entry:
                obj = self.objects.get(entry["shape"])
                if isinstance(obj, np.ndarray):
                    try:
                        obj.shape = tuple(int(n) for n in entry["to"])
                    except (ValueError, AttributeError):
                        pass  # (a shape this copy cannot take in place)
                    self.snapshots[entry["shape"]] = tuple(obj.shape)
            elif "items" in entry:
                token = entry["items"]
                obj = self.objects.get(token)
                if isinstance(obj, list):
                    obj[:] = [self.decode(v, 1) for v in entry["to"]]
                elif isinstance(obj, dict):
                    pairs = [(_hashable(self.decode(k, 1)), self.decode(v, 1)) for k, v in entry["to"]]
                    obj.clear()
                    obj.update(pairs)
                elif isinstance(obj, set):
                    items = [_hashable(self.decode(v, 1)) for v in entry["to"]]
                    obj.clear()
                    obj.update(items)
                else:
                    raise MessageError("sync of an unknown container")
                self.snapshots[token] = self._signature(obj)
                self.live.add(token)
            elif "rng" in entry:
                obj = self.objects.get(entry["rng"])
                if not isinstance(obj, np.random.Generator):
                    raise MessageError("sync of an unknown generator")
                state = _state_from_json(entry["to"])
                _generator(state)  # (checked first)
                obj.bit_generator.state = state
                self.snapshots[entry["rng"]] = json.dumps(_state_to_json(obj.bit_generator.state), sort_keys=True)
            else:
                raise MessageError("malformed sync entry")

    # --- requests and replies ---------------------------------------------------------------

    VALUES = ("target", "key", "ok", "value")  # fields holding one value
    LISTS = ("args",)                          # fields holding a list of values
    DICTS = ("kwargs",)                        # fields holding a dict of values by name

    def message(self, body):
        """A message: what changed in the live data, then the body's values encoded (in that order,
        so that the body may name objects the changes define). The shared data the body holds is
        live first: an object of an earlier trial, changed since and sent again (a dict made once and
        returned by every call), arrives as it is now."""
        seen = set()
        for key, value in body.items():
            if key in self.VALUES:
                self._touch(value, 0, seen)
            elif key in self.LISTS:
                for v in value:
                    self._touch(v, 0, seen)
            elif key in self.DICTS:
                for v in value.values():
                    self._touch(v, 0, seen)
        message = {"sync": self.changes(), "trial": self.trial}
        for key, value in body.items():
            if key in self.VALUES:
                message[key] = self.encode(value)
            elif key in self.LISTS:
                message[key] = [self.encode(v) for v in value]
            elif key in self.DICTS:
                message[key] = {str(k): self.encode(v) for k, v in value.items()}
            else:
                message[key] = value
        return message

    def read_message(self, message):
        """Apply a message's changes to our copies, then decode its values."""
        if not isinstance(message, dict):
            raise MessageError("malformed message")
        trial = message.get("trial")
        self.array_budget = MAX_ARRAYS
        if self.side == "s" and isinstance(trial, int) and trial != self.trial:  # the grader began a new trial
            self.trial, self.live = trial, set()
        self.apply(message.get("sync", []))
        decoded = {}
        for key, value in message.items():
            if key in ("sync", "trial", "forget"):
                continue
            if key in self.VALUES:
                decoded[key] = self.decode(value)
            elif key in self.LISTS:
                if not isinstance(value, list):
                    raise MessageError("malformed message")
                decoded[key] = [self.decode(v) for v in value]
            elif key in self.DICTS:
                if not isinstance(value, dict):
                    raise MessageError("malformed message")
                decoded[key] = {str(k): self.decode(v) for k, v in value.items()}
            else:
                decoded[key] = value
        forget = message.get("forget")
        if forget is not None:  # a scoped call has returned: what it shared is shared no more
            if not isinstance(forget, list) or not all(isinstance(t, str) for t in forget):
                raise MessageError("malformed message")
            self.forget(forget)
        return decoded

    def request(self, body, serve):
        """Send a request and wait for its reply, serving the other side's requests meanwhile
        (calls back into this side). Returns the decoded reply."""
        send(self.write, self.message(body))
        while True:
            incoming = receive(self.read_fd, self.deadline)
            if incoming is None:
                raise EOFError("the other side has gone")
            mark = len(self.created)
            decoded = self.read_message(incoming)
            if "op" not in decoded:  # the reply
                return decoded
            message = self.message(serve(decoded))
            if decoded.get("op") == "call" and _scoped(decoded.get("target")):
                message["forget"] = self.created[mark:]  # what this call shared, forgotten on both sides
                send(self.write, message)
                self.forget(message["forget"])
            else:
                send(self.write, message)

    def check_request(self, request):
        """The object a request of the other side is about: one we lent it, and, on the grader's
        side, only public attributes."""
        target = request.get("target")
        token = self.tokens.get(id(target))
        if token is None or token not in self.lent:
            raise PermissionError("a request about an object that was not handed out")
        name = request.get("name")
        if name is not None and (not isinstance(name, str) or (self.public_only and name.startswith("_"))):
            raise PermissionError(f"the attribute {str(name)[:40]!r} may not be read")
        return target


class _writeable:
    def __init__(self, array):
        self.array = array

    def __enter__(self):
        self.array.flags.writeable = True

    def __exit__(self, *exc):
        self.array.flags.writeable = False


def _check_geometry(nbytes, itemsize, offset, shape, strides):
    if len(shape) != len(strides) or len(shape) > 32 or any(n < 0 for n in shape) or offset < 0:
        raise MessageError("malformed array geometry")
    if any(n == 0 for n in shape):
        return
    low = offset + sum(s * (n - 1) for s, n in zip(strides, shape) if s < 0)
    high = offset + sum(s * (n - 1) for s, n in zip(strides, shape) if s > 0) + itemsize
    if low < 0 or high > nbytes:
        raise MessageError("an array reaching outside its memory")


def _check_size(nbytes, dtype, shape, budget):
    """What is left of a message's budget for arrays after this one; MessageError (in words a student
    reads) for an array that repeats its memory beyond SMALL_ARRAY (stride 0, or overlapping: it would
    be that large in the grader as soon as a check computes with it), or one past the budget."""
    size = dtype.itemsize
    for n in shape:
        size *= n
    if size > max(nbytes, SMALL_ARRAY):
        raise MessageError(f"an array of shape {tuple(shape)} that repeats its {_in_words(nbytes)} of data "
                           f"(a broadcast or strided view, {_in_words(size)} as an array): return a real array "
                           f"(np.array(...) copies one)")
    if size > budget:
        raise MessageError(f"its arrays hold more than the {_in_words(MAX_ARRAYS)} that may cross at once")
    return budget - size


def _in_words(nbytes):
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if nbytes >= scale:
            return f"{nbytes / scale:.3g} {unit}"
    return f"{nbytes} bytes"


def _dtype(text):
    dtype = np.dtype(str(text))
    if dtype.hasobject or dtype.kind not in "biufcSUV?":
        raise MessageError(f"an array of dtype {dtype} cannot cross")
    return dtype


def _generator(state):
    if not isinstance(state, dict) or state.get("bit_generator") not in BIT_GENERATORS:
        raise MessageError("malformed value: not the state of a NumPy random generator")
    bit_generator = getattr(np.random, state["bit_generator"])()
    bit_generator.state = state
    return np.random.Generator(bit_generator)


def _state_to_json(state, depth=0):
    """A bit generator's state (dicts of ints, strings and small arrays) as plain JSON."""
    if depth > 8:
        raise MessageError("a generator state nested too deep")
    if isinstance(state, dict):
        return {str(k): _state_to_json(v, depth + 1) for k, v in state.items()}
    if isinstance(state, np.ndarray):
        return {"__array__": state.tolist(), "dtype": state.dtype.str}
    if isinstance(state, (np.integer,)):
        return int(state)
    if isinstance(state, (bool, int, str, float)) or state is None:
        return state
    raise MessageError(f"a generator state holding a {type(state).__name__}")


def _state_from_json(state, depth=0):
    if depth > 8:
        raise MessageError("a generator state nested too deep")
    if isinstance(state, dict):
        if "__array__" in state:
            return np.array(state["__array__"], dtype=_dtype(state.get("dtype", "<u4")))
        return {str(k): _state_from_json(v, depth + 1) for k, v in state.items()}
    if isinstance(state, (bool, int, str, float)) or state is None:
        return state
    raise MessageError("malformed generator state")


def _hashable(key):
    try:
        hash(key)
    except TypeError:
        raise MessageError("malformed value: an unhashable dict key or set item") from None
    return key


def _signature_of(function):
    """A callable's parameters as [[name, kind, has_default], ...], or None."""
    import inspect

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return None
    return [[p.name, int(p.kind), p.default is not p.empty] for p in parameters][:50]


def signature_from(description):
    """An inspect.Signature from what _signature_of sent, or None."""
    import inspect

    if not isinstance(description, list):
        return None
    try:
        return inspect.Signature([inspect.Parameter(str(name), inspect._ParameterKind(int(kind)),
                                                    default=None if has_default else inspect.Parameter.empty)
                                  for name, kind, has_default in description])
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------------------------------------
# serving the other side's requests, and raising its errors


SCOPED = "__call_scoped__"


def _scoped(target):
    """A function of ours marked scoped (target.__call_scoped__ = True): what its calls share is forgotten
    when each returns. A grader's stand-in, called hundreds of times in one trial (a training loop),
    would otherwise leave hundreds of arrays to compare at every message (backprop/checks/cascade.py)."""
    return isinstance(target, types.FunctionType) and target.__dict__.get(SCOPED) is True


def perform(peer, request, call=None):
    """Carry out a request of the other side about an object we lent it: call it, read an
    attribute, take its repr, len, iter or next, index it, ask its truth, apply an operator.
    `call(target, args, kwargs) -> (value, extra)` may wrap calls (extra goes into the reply).
    Returns the reply's body: {"ok": value}, {"stop": True} after an iterator's end, or
    {"error": {...}} with the exception the object raised."""
    op = request.get("op")
    extra = {}
    try:
        target = peer.check_request(request)
        if op == "call":
            args, kwargs = request.get("args", []), request.get("kwargs", {})
            if call is None:
                value = target(*args, **kwargs)
            else:
                value, extra = call(target, args, kwargs)
        elif op == "getattr":
            value = getattr(target, request["name"])
        elif op == "repr":
            value = repr(target)[:500]
        elif op == "len":
            value = len(target)
        elif op == "iter":
            value = iter(target)
        elif op == "next":
            value = next(target)
        elif op == "getitem":
            value = target[request.get("key")]
        elif op == "bool":
            value = bool(target)
        elif op == "operator" and request.get("name") in OPERATORS:
            value = getattr(target, request["name"])(*request.get("args", []))
        else:
            raise PermissionError(f"an unknown request {str(op)[:20]!r}")
    except StopIteration:
        return {"stop": True}
    except (KeyboardInterrupt, MessageError, EOFError):
        raise
    except BaseException as exc:  # noqa: BLE001  (the object's own exception, told to the other side)
        return {"error": describe_exception(exc), **extra}
    return {"ok": value, **extra}


def ask(peer, serve, remote, op, **fields):
    """Ask the other side to do `op` on the object behind the proxy `remote`, serving its requests
    meanwhile; its answer. Warnings the object gave are given again here, its exception raised here."""
    reply = peer.request({"op": op, "target": remote, **fields}, serve)
    for category, message in reply.get("warnings", [])[:50]:
        kind = getattr(__import__("builtins"), str(category), None)
        kind = kind if isinstance(kind, type) and issubclass(kind, Warning) else RuntimeWarning
        warnings.warn(str(message)[:500], kind, stacklevel=2)
    if "stop" in reply:
        raise StopIteration
    if "error" in reply:
        raise_error(reply["error"])
    return reply.get("ok")


ENGINE_FILES = ("wire.py", "sandbox.py")


def describe_exception(exc):
    """An exception as data: its type's name, its message, and where in the student's code it was raised."""
    import traceback

    where = ""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        name = frame.filename.replace("\\", "/").rsplit("/", 1)[-1]
        if name not in ENGINE_FILES and "site-packages" not in frame.filename and "/backprop/" not in frame.filename:
            where = f" in {frame.name}, at: {frame.line.strip()}" if frame.line else f" in {frame.name}"
            break
    return {"type": type(exc).__name__, "message": str(exc)[:2000], "where": where}


def raise_error(error):
    """Raise, here, the exception the other side described: a built-in exception class where one has
    that name (NotImplementedError stays NotImplementedError), else a class of that name."""
    import builtins

    if not isinstance(error, dict):
        raise MessageError("malformed error")
    name, message = str(error.get("type", "Exception"))[:100], str(error.get("message", ""))[:2000]
    cls = getattr(builtins, name, None)
    if not (isinstance(cls, type) and issubclass(cls, Exception)) or issubclass(cls, (StopIteration,)):
        cls = type(name if name.isidentifier() else "Exception", (Exception,), {})
    try:
        exc = cls(_key_error_argument(message) if cls is KeyError else message)
    except TypeError:
        exc = type(name if name.isidentifier() else "Exception", (Exception,), {})(message)
    exc.where = str(error.get("where", ""))[:300]
    raise exc


def _key_error_argument(message):
    """The key a KeyError's message stands for: str(KeyError('W')) is "'W'", so the key is read back from it (a
    literal only), and the exception raised here reads as the student's does."""
    import ast

    try:
        return ast.literal_eval(message)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return message


# ---------------------------------------------------------------------------------------------
# proxies


class Remote:
    """An object of the other side: calling it, reading an attribute, iterating or indexing it are
    requests to the owner. `_ask(op, **fields)` sends one and returns the decoded answer."""

    def __init__(self, ask, handle):
        self._ask_function, self._handle = ask, handle

    def _ask(self, op, **fields):
        return self._ask_function(self, op, **fields)

    @property
    def __name__(self):
        return self._handle.name or f"<{self._handle.kind}>"

    @property
    def __type_name__(self):
        """The name of its type on the other side (a generator, a list_reverseiterator, the student's
        class): what a message about the object calls it (backprop.validation.type_name)."""
        return self._handle.type_name

    @property
    def __signature__(self):
        return signature_from(self._handle.signature)

    def __call__(self, *args, **kwargs):
        return self._ask("call", args=list(args), kwargs=kwargs)

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._ask("getattr", name=name)

    def __repr__(self):
        try:
            return str(self._ask("repr"))[:500]
        except Exception:  # noqa: BLE001  (a repr never fails)
            return f"<{self.__name__}>"

    def __len__(self):
        return int(self._ask("len"))

    def __iter__(self):
        iterator = self._ask("iter")
        while True:
            try:
                yield iterator._ask("next")
            except StopIteration:
                return

    def __next__(self):
        return self._ask("next")

    def __getitem__(self, key):
        return self._ask("getitem", key=key)

    def __bool__(self):
        return bool(self._ask("bool"))


def _operator(name):
    def method(self, *args):
        return self._ask("operator", name=name, args=list(args))

    method.__name__ = name
    return method


OPERATORS = ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__",
             "__pow__", "__rpow__", "__matmul__", "__rmatmul__", "__neg__", "__lt__", "__le__", "__gt__", "__ge__")
for _name in OPERATORS:
    setattr(Remote, _name, _operator(_name))

