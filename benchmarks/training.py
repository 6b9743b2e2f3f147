"""3. Training: the course's softmax network against the same network in PyTorch, and the
digits classifier of lesson 06.

The training step is the course's reference one (backprop.layers: Linear, ReLU, Linear,
SoftmaxCrossEntropy, sgd_step), as lesson 06 trains: forward, loss, backward, update, in
float64. PyTorch (CPU, optional: never a course dependency) runs the same network, the same
batch and the same update in float64 (and, for comparison, float32). Rounds of the two
alternate in one run, so that both see the same load; the ratio is ours / PyTorch's.

GFLOP/s: the multiply-adds a training step needs (forward: x W1, a1 W2; backward: dW2, da1,
dW1), 4 m d h + 6 m h k floating-point operations, over the step's time; beside np.matmul
doing only those five products on the same shapes. PyTorch runs with its default number of
threads and with one (at these sizes threads cost more than they bring, and on a loaded
machine far more); the ratio is against the faster of the two.

The digits classifier is lesson 06's own code (its `train` and `two_layer_net`, taken from
the solution notebook), trained as the lesson trains it, timed without the notebook.

    python benchmarks/training.py [--smoke]      prints this section's results as JSON
"""

import json
import re
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.measure import ROOT, summary  # noqa: E402

SIZES = {"digits (lesson 06)": (64, 128, 10, 32), "spirals (lesson 06)": (2, 100, 3, 30)}


def flops(d, h, k, m):
    return 4 * m * d * h + 6 * m * h * k


def ours(d, h, k, m, seed=0):
    from backprop.layers import Linear, ReLU, Sequential, SoftmaxCrossEntropy, sgd_step

    rng = np.random.default_rng(seed)
    net = Sequential(Linear(rng.standard_normal((d, h)) * np.sqrt(2 / d), np.zeros(h)), ReLU(),
                     Linear(rng.standard_normal((h, k)) * np.sqrt(1 / h), np.zeros(k)))
    loss_fn = SoftmaxCrossEntropy()
    X, y = rng.standard_normal((m, d)), rng.integers(0, k, m)

    def step():
        scores, caches = net.forward(X)
        _, cache = loss_fn.forward(scores, y)
        dscores, _ = loss_fn.backward(1.0, cache)
        _, grads = net.backward(dscores, caches)
        sgd_step(net.params, grads, 0.01)

    return step


def theirs(d, h, k, m, dtype="float64", seed=0):
    import torch

    torch.manual_seed(seed)
    kind = getattr(torch, dtype)
    model = torch.nn.Sequential(torch.nn.Linear(d, h), torch.nn.ReLU(), torch.nn.Linear(h, k)).to(kind)
    optimiser = torch.optim.SGD(model.parameters(), lr=0.01)
    rng = np.random.default_rng(seed)
    X = torch.from_numpy(rng.standard_normal((m, d))).to(kind)
    y = torch.from_numpy(rng.integers(0, k, m))

    def step():
        optimiser.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(model(X), y)
        loss.backward()
        optimiser.step()

    return step


def matmuls(d, h, k, m, seed=0):
    """The five products of a training step, alone."""
    rng = np.random.default_rng(seed)
    x, W1, W2 = rng.standard_normal((m, d)), rng.standard_normal((d, h)), rng.standard_normal((h, k))
    a1, ds = rng.standard_normal((m, h)), rng.standard_normal((m, k))

    def step():
        np.matmul(x, W1)
        np.matmul(a1, W2)
        np.matmul(a1.T, ds)
        np.matmul(ds, W2.T)
        np.matmul(x.T, a1)

    return step


def per_step(step, steps, max_seconds=1.0):
    """(wall, CPU) seconds per call of step, over `steps` calls, or fewer if they take more
    than max_seconds (a slow contender on a loaded machine)."""
    step()  # warm
    wall, cpu = time.perf_counter(), time.process_time()
    done = 0
    while done < steps:
        step()
        done += 1
        if done % 10 == 0 and time.perf_counter() - wall > max_seconds:
            break
    return (time.perf_counter() - wall) / done, (time.process_time() - cpu) / done


def compare(steps=2000, rounds=7):
    try:
        import torch
    except ImportError:
        torch = None
    out = {"torch": None if torch is None else torch.__version__, "steps_per_round": steps, "rounds": rounds,
           "sizes": {}}
    if torch is not None:
        out["torch_threads"] = torch.get_num_threads()
    for name, (d, h, k, m) in SIZES.items():
        contenders = {"ours (NumPy, float64)": (None, ours(d, h, k, m)),
                      "np.matmul alone": (None, matmuls(d, h, k, m))}
        if torch is not None:
            threads = out["torch_threads"]
            contenders[f"PyTorch (float64, {threads} threads)"] = (threads, theirs(d, h, k, m, "float64"))
            contenders["PyTorch (float64, 1 thread)"] = (1, theirs(d, h, k, m, "float64"))
            contenders["PyTorch (float32, 1 thread)"] = (1, theirs(d, h, k, m, "float32"))
        times = {c: {"wall": [], "cpu": []} for c in contenders}
        for _ in range(rounds):  # alternate, so that every contender sees the same load
            for c, (threads, step) in contenders.items():
                if threads is not None:
                    torch.set_num_threads(threads)
                wall, cpu = per_step(step, steps)
                times[c]["wall"].append(wall)
                times[c]["cpu"].append(cpu)
        entry = {"shape": {"d": d, "h": h, "k": k, "batch": m}, "flops_per_step": flops(d, h, k, m)}
        for c, t in times.items():
            wall, cpu = summary(t["wall"]), summary(t["cpu"])
            entry[c] = {"us_per_step": round(wall["median"] * 1e6, 2), "cpu_us_per_step": round(cpu["median"] * 1e6, 2),
                        "us_min": round(wall["min"] * 1e6, 2), "us_max": round(wall["max"] * 1e6, 2),
                        "gflops": round(flops(d, h, k, m) / wall["median"] / 1e9, 3)}
        if torch is not None:  # against PyTorch's faster float64 set-up
            torch.set_num_threads(out["torch_threads"])
            best = min((c for c in entry if c.startswith("PyTorch (float64")), key=lambda c: entry[c]["us_per_step"])
            entry["torch_compared"] = best
            entry["ratio_ours_to_torch"] = round(entry["ours (NumPy, float64)"]["us_per_step"]
                                                 / entry[best]["us_per_step"], 3)
            entry["ratio_ours_to_torch_cpu"] = round(entry["ours (NumPy, float64)"]["cpu_us_per_step"]
                                                     / entry[best]["cpu_us_per_step"], 3)
        out["sizes"][name] = entry
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((512, 512)), rng.standard_normal((512, 512))
    wall, _ = per_step(lambda: np.matmul(a, b), 20)
    out["matmul_512_gflops"] = round(2 * 512**3 / wall / 1e9, 2)
    return out


def lesson_06_code():
    """The digits run of lesson 06: its train() and two_layer_net() and its settings."""
    import nbformat

    nb = nbformat.read(ROOT / "solutions" / "06_softmax_classifier" / "06_softmax_classifier.ipynb", as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    definitions = next(s for s in code if "def two_layer_net" in s and "def train" in s)
    digits = next(s for s in code if "two_layer_net(64" in s)
    call = re.search(r"train\(two_layer_net\((\d+), (\d+), (\d+)\), X_train_n, y_train, epochs=(\d+), "
                     r"lr=([\d.]+), batch_size=(\d+)", digits)
    if call is None:
        raise ValueError("lesson 06's digits cell no longer trains as this benchmark expects")
    d, h, k, epochs, lr, batch = call.groups()
    settings = {"d": int(d), "h": int(h), "k": int(k), "epochs": int(epochs), "lr": float(lr), "batch_size": int(batch)}
    preparation = "\n".join(line for line in digits.splitlines() if line.startswith(("mean, spread", "X_train_n")))
    return definitions, preparation, settings


def digits(repeats=5, epochs=None):
    from backprop import data
    from backprop.layers import Linear, ReLU, Sequential, SoftmaxCrossEntropy, sgd_step

    definitions, preparation, settings = lesson_06_code()
    if epochs is not None:
        settings["epochs"] = epochs
    namespace = {"np": np, "data": data, "Linear": Linear, "ReLU": ReLU, "Sequential": Sequential,
                 "SoftmaxCrossEntropy": SoftmaxCrossEntropy, "sgd_step": sgd_step}
    exec(definitions, namespace)  # noqa: S102  (the course's own code)
    X_train, y_train, X_test, y_test = data.digits_split()
    namespace.update(X_train=X_train, X_test=X_test)
    exec(preparation, namespace)  # noqa: S102
    X_train_n, X_test_n = namespace["X_train_n"], namespace["X_test_n"]
    walls, cpus, accuracies = [], [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        net = namespace["train"](namespace["two_layer_net"](settings["d"], settings["h"], settings["k"]), X_train_n,
                                 y_train, epochs=settings["epochs"], lr=settings["lr"],
                                 batch_size=settings["batch_size"])
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        accuracies.append(namespace["accuracy"](net, X_test_n, y_test))
    steps = settings["epochs"] * -(-len(X_train) // settings["batch_size"])
    return {"settings": settings, "train_examples": len(X_train), "test_examples": len(X_test), "steps": steps,
            "wall": summary(walls), "cpu": summary(cpus), "test_accuracy": summary(accuracies)}


def run(entry, smoke=False):
    entry.update(compare(steps=20, rounds=2) if smoke else compare())
    entry["digits"] = digits(repeats=1, epochs=1) if smoke else digits()
    return entry


if __name__ == "__main__":
    print(json.dumps(run({}, smoke="--smoke" in sys.argv)))
