"""Lesson 08, deep networks: its numbers, its package functions, its checks and mistakes, its explorer."""


import lesson_tools
import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from conftest import ROOT
from lesson_tools import mistake_versions

from backprop import checks, data, mistakes, plots, reference
from backprop.explorers import DeepGradientExplorer
from backprop.layers import (
    Linear,
    ReLU,
    Sequential,
    Sigmoid,
    SoftmaxCrossEntropy,
    Tanh,
    deep_network,
    global_norm,
    init_std,
    sigmoid,
    train,
)

LESSON = ROOT / "solutions" / "08_deep_networks" / "08_deep_networks.ipynb"


def standardised_digits():
    X_train, y_train, X_test, y_test = data.digits_split()
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std[std == 0] = 1.0
    return (X_train - mean) / std, y_train, (X_test - mean) / std, y_test


def layer_gradient_norms(net, X, y):
    loss_fn = SoftmaxCrossEntropy()
    out, caches = net.forward(X)
    _, cache = loss_fn.forward(out, y)
    _, grads = net.backward(loss_fn.backward(1.0, cache)[0], caches)
    return [np.linalg.norm(g["W"]) for g in grads if "W" in g]


# --- the lesson's numbers, recomputed with the package ------------------------------------


def test_seed_001_sigmoid_bound():
    z = np.linspace(-6, 6, 1201)
    slope = sigmoid(z) * (1 - sigmoid(z))
    assert slope.max() == pytest.approx(0.25, abs=1e-12) and z[slope.argmax()] == 0.0
    checks.check_number("slope at z = 5", slope[z == 5.0][0], 0.0066)
    assert f"{0.25**20:.2e}" == "9.09e-13"
    assert 0.25**20 == pytest.approx(9.0949e-13, rel=1e-4)
    assert ReLU().derivative(z[z > 0], None).min() == 1.0


def test_the_measured_gradients_of_a_20_layer_network():
    X, y, _, _ = standardised_digits()
    sizes = [64] + [64] * 20 + [10]
    norms = {}
    for activation, init in [("sigmoid", "xavier"), ("tanh", "xavier"), ("relu", "small"), ("relu", "he"),
                             ("relu", "large")]:
        net = deep_network(sizes, activation=activation, init=init, rng=np.random.default_rng(0))
        norms[activation, init] = layer_gradient_norms(net, X[:128], y[:128])
    sig = norms["sigmoid", "xavier"]
    assert f"{sig[0]:.3g}" == "4.55e-13" and f"{sig[-1]:.3g}" == "0.91"
    assert f"{sig[0] / sig[-1]:.2e}" == "5.00e-13"
    assert all(a < b for a, b in zip(sig, sig[1:]))           # climbs steadily towards the output
    for healthy in [("tanh", "xavier"), ("relu", "he")]:
        assert 0.2 < norms[healthy][0] / norms[healthy][-1] < 5
    assert max(norms["relu", "small"]) < 1e-24
    assert min(norms["relu", "large"]) > 1e14


def test_variance_of_a_sum_and_the_initialisations():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2000, 256))
    printed = {}
    for scheme in ["small", "xavier", "he"]:
        W = rng.standard_normal((256, 256)) * init_std(scheme, 256, 256)
        z = x @ W
        printed[scheme] = (W.std(), z.std(), np.mean(np.maximum(z, 0) ** 2))
    checks.check_number("std of z, small", printed["small"][1], 0.1597)
    checks.check_number("std of z, Xavier", printed["xavier"][1], 1.0034)
    checks.check_number("mean square of relu(z), He", printed["he"][2], 0.9996)


def test_clipping_worked_example_of_seed_001():
    grads = [np.array([3.0, 4.0]), np.array([[12.0]])]
    max_norm = 1.0
    grad_norm = np.sqrt(sum(np.sum(g**2) for g in grads))
    if grad_norm > max_norm:
        grads = [g * (max_norm / grad_norm) for g in grads]
    assert grad_norm == 13.0
    np.testing.assert_allclose(np.round(grads[0], 4), [0.2308, 0.3077])
    np.testing.assert_allclose(np.round(grads[1], 4), [[0.9231]])
    assert global_norm(grads) == pytest.approx(1.0)
    # the same with the course's list of dicts
    clipped, norm = reference.clip_by_global_norm([{"W": np.array([[3.0, 4.0]])}, {}, {"b": np.array([12.0])}], 1.0)
    assert norm == 13.0 and global_norm(clipped) == pytest.approx(1.0)
    original = np.array([3.0, 4.0, 12.0])
    clamped = np.clip(original, -1.0, 1.0)
    cosine = original @ clamped / (np.linalg.norm(original) * np.linalg.norm(clamped))
    checks.check_number("cosine", cosine, 0.8438)


def test_the_exploding_run_diverges_and_clipping_rescues_it():
    X, y, X_test, y_test = standardised_digits()
    runs = {}
    for cap in [None, 1.0, 5.0]:
        net = deep_network([64] + [64] * 10 + [10], activation="relu", init="he", rng=np.random.default_rng(0),
                           gain=1.4)
        runs[cap] = train(net, SoftmaxCrossEntropy(), X, y, steps=200, lr=0.1, batch_size=64, seed=1,
                          max_norm=cap, eval_sets={"test": (X_test, y_test)}, eval_every=200)
    assert runs[None]["diverged_at"] == 4
    assert f"{runs[None]['grad_norm'][0]:.1f}" == "186.4"
    assert runs[None]["loss"][0] == pytest.approx(50.26, abs=0.01)
    assert runs[None]["loss"][3] > 1e50
    for cap in [1.0, 5.0]:
        assert runs[cap]["diverged_at"] is None and len(runs[cap]["loss"]) == 200
        assert runs[cap]["grad_norm"][-1] < 30
    assert 0.6 < runs[1.0]["test_accuracy"][-1] < runs[5.0]["test_accuracy"][-1]
    assert runs[5.0]["test_accuracy"][-1] > 0.85


def test_raw_inputs_kill_every_relu_and_standardised_ones_train():
    X_train, y_train, X_test, y_test = data.digits_split()
    raw, raw_test = X_train * 16, X_test * 16
    mean, std = raw.mean(axis=0), raw.std(axis=0)
    std[std == 0] = 1.0
    results = {}
    for label, (A, B) in {"raw": (raw, raw_test), "std": ((raw - mean) / std, (raw_test - mean) / std)}.items():
        net = deep_network([64, 32, 10], activation="relu", init="he", rng=np.random.default_rng(0))
        z1 = net.layers[0].forward(A)[0]
        h = train(net, SoftmaxCrossEntropy(), A, y_train, steps=300, lr=0.2, batch_size=64, seed=1,
                  eval_sets={"test": (B, y_test)}, eval_every=25)
        dead = int(np.sum(np.maximum(net.layers[0].forward(A)[0], 0).max(axis=0) == 0))
        results[label] = (np.abs(z1).mean(), h["test_accuracy"][-1], dead)
    checks.check_number("mean |z| raw", results["raw"][0], 8.2994)
    checks.check_number("mean |z| standardised", results["std"][0], 1.0354)
    assert results["raw"][2] == 32 and results["raw"][1] < 0.15
    assert results["std"][2] == 0 and results["std"][1] > 0.93


# --- the lesson notebook prints those numbers -----------------------------------------------


@pytest.fixture(scope="module")
def executed_lesson():
    """What the solution notebook printed, run top to bottom in a fresh kernel."""
    return lesson_tools.printed(lesson_tools.executed(LESSON.stem))


def test_the_lesson_prints_the_worked_numbers(executed_lesson):
    for line in [
        "largest sigmoid slope: 0.2500, at z = 0.0",
        "20 sigmoid slopes multiplied, at best: 0.25**20 = 9.09e-13",
        "ReLU slope for z > 0: 1 everywhere; 20 of them: 1**20 = 1",
        "layer  1: |dL/dW| = 4.55e-13",
        "layer 1 gets 5.00e-13 of the output layer's gradient",
        "global norm before: 13.0000",
        "clipped: [[0.2308, 0.3077], [[0.9231]]]",
        "global norm after: 1.0000",
        "cosine with the original direction: 0.8438",
        "no clipping  first gradient norm   186.4   diverged at step 4",
        "32 of 32 hidden units dead",
        "0 of 32 hidden units dead",
        "ok: clip_by_global_norm agrees with the reference on 2 cases.",
        "ok: he_init draws weights with mean 0 and standard deviation sqrt(2 / n_in) on 3 large layers.",
    ]:
        assert line in executed_lesson, line


# --- the package: initialisations, networks, norms, training --------------------------------


def test_init_std_and_deep_network():
    assert init_std("small", 5, 7) == 0.01
    assert init_std("xavier", 30, 20) == pytest.approx(np.sqrt(2 / 50))
    assert init_std("he", 50, 10) == pytest.approx(0.2)
    assert init_std("large", 3, 3) == 1.0
    net = deep_network([4, 6, 6, 3], activation="tanh", init="he", rng=np.random.default_rng(2), gain=2.0)
    assert [type(layer) for layer in net.layers] == [Linear, Tanh, Linear, Tanh, Linear]
    assert [layer.params["W"].shape for layer in net.layers[::2]] == [(4, 6), (6, 6), (6, 3)]
    rng = np.random.default_rng(2)
    np.testing.assert_array_equal(net.layers[0].params["W"], rng.standard_normal((4, 6)) * 2.0 * np.sqrt(2 / 4))
    assert all(np.all(layer.params["b"] == 0) for layer in net.layers[::2])
    with pytest.raises(ValueError, match=r"scheme must be one of .* but got 'glorot'"):
        init_std("glorot", 3, 3)
    with pytest.raises(ValueError, match=r"n_in must be a positive whole number .* but got 0"):
        init_std("he", 0, 3)
    with pytest.raises(ValueError, match=r"activation must be one of .* but got 'softplus'"):
        deep_network([2, 2], activation="softplus")
    with pytest.raises(ValueError, match=r"sizes must be a list of at least two layer sizes"):
        deep_network([3])


def test_matrix_products_run_on_one_thread_unless_told_otherwise():
    import os
    import subprocess
    import sys

    from backprop import layers

    if layers.blas_threads() is None:
        pytest.skip("NumPy does not use OpenBLAS here")
    code = "import numpy, backprop.layers as l; print(l.blas_threads())"
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                                                             "GOTO_NUM_THREADS")}
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "1" and run.stderr == ""
    env["OPENBLAS_NUM_THREADS"] = "2"
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "2"
    with pytest.raises(ValueError, match="n must be a positive whole number of threads, but got 0"):
        layers.blas_threads(0)


def test_global_norm_of_lists_dicts_and_arrays():
    grads = [{"W": np.array([[3.0, 4.0]]), "b": np.zeros(2)}, {}, {"W": np.array([[12.0]])}]
    assert global_norm(grads) == 13.0
    assert global_norm(grads[0]) == 5.0
    assert global_norm([np.array([3.0]), np.array([4.0])]) == 5.0
    with pytest.raises(TypeError, match=r"grads\[0\]\['W'\] .* holds str"):
        global_norm([{"W": "3"}])


def test_train_clips_every_step_and_stops_when_the_numbers_overflow():
    X, y, _, _ = standardised_digits()
    net = deep_network([64, 16, 10], activation="relu", init="he", rng=np.random.default_rng(0), gain=3.0)
    before = [p["W"].copy() for p in net.params if "W" in p]
    h = train(net, SoftmaxCrossEntropy(), X, y, steps=1, lr=0.1, batch_size=32, max_norm=0.5)
    moved = np.sqrt(sum(np.sum((p["W"] - b) ** 2) for p, b in zip([p for p in net.params if "W" in p], before)))
    assert h["grad_norm"][0] > 0.5 and moved <= 0.1 * 0.5 + 1e-12
    net = deep_network([64, 16, 10], activation="relu", init="large", rng=np.random.default_rng(0))
    h = train(net, SoftmaxCrossEntropy(), X * 1e3, y, steps=50, lr=10.0)
    assert h["diverged_at"] is not None and len(h["loss"]) <= h["diverged_at"] + 1
    with pytest.raises(ValueError, match="batch_size must be a positive whole number"):
        train(net, SoftmaxCrossEntropy(), X, y, steps=1, lr=0.1, batch_size=0)


def test_figures_of_the_lesson(artifacts):
    ax = plots.plot_gradient_norms({"a": [1e-3, 1e-2, 0.0, 1.0], "b": [1.0, 1.0, 1.0, 1.0]})
    assert ax.get_yscale() == "log" and len(ax.lines) == 2
    assert list(ax.lines[0].get_xdata()) == [1, 2, 4]           # the zero is left out
    ax.figure.savefig(artifacts / "lesson08_gradient_norms.png", dpi=80, bbox_inches="tight")
    plt.close(ax.figure)
    runs = {"fine": {"loss": [3.0, 2.0, 1.0], "grad_norm": [1, 1, 1], "eval_step": [0, 3], "test_accuracy": [0.1, 0.9],
                     "diverged_at": None},
            "broken": {"loss": [3.0, 1e9], "grad_norm": [1, 1e12], "eval_step": [0], "test_accuracy": [0.1],
                       "diverged_at": 1}}
    ax = plots.plot_runs(runs, "loss", top=1e4)
    labels = [line.get_label() for line in ax.lines]
    assert "broken (diverged at step 1)" in labels and ax.get_ylim()[1] == 1e4
    cross = [line for line in ax.lines if line.get_marker() == "x"][0]
    assert cross.get_ydata()[0] == 1e4
    plt.close(ax.figure)
    ax = plots.plot_runs(runs, "test_accuracy", log=False)
    assert list(ax.lines[0].get_xdata()) == [0, 3]
    plt.close(ax.figure)


# --- the graded functions: references, validation, checks and known mistakes -----------------


CLIP_OUTPUTS = ["clipped_grads", "norm"]


def clip_cases():
    example = [{"W": np.array([[3.0]]), "b": np.array([4.0])}, {}, {"W": np.array([[12.0]]), "b": np.array([0.0])}]
    one_layer = [{"W": np.array([[3.0, 4.0]]), "b": np.array([12.0])}]
    return [{"grads": example, "max_norm": 1.0}, {"grads": example, "max_norm": 20.0},
            {"grads": one_layer, "max_norm": 3.5}]


def zero_cases():
    """Every gradient 0 (all units dead): the norm is 0, and nothing may divide by it; then a case below the cap."""
    dead = [{"W": np.zeros((2, 3)), "b": np.zeros(3)}, {}, {"W": np.zeros((3, 1)), "b": np.zeros(1)}]
    return [{"grads": dead, "max_norm": 1.0}, clip_cases()[1]]


CLIP_TOLERANCE = 1e-6  # the exercise's: PyTorch's max_norm / (norm + 1e-6) is within it


def test_the_references_pass_their_own_checks(capsys):
    checks.check_function(reference.clip_by_global_norm, reference.clip_by_global_norm, clip_cases(),
                          outputs=CLIP_OUTPUTS, strict=True)
    checks.check_function(reference.clip_by_global_norm, reference.clip_by_global_norm, reference.random_gradients,
                          seed=8, trials=8, outputs=CLIP_OUTPUTS, strict=True)
    checks.check_function(reference.clip_by_global_norm, reference.clip_by_global_norm, zero_cases(),
                          outputs=CLIP_OUTPUTS, strict=True)
    clipped, norm = reference.clip_by_global_norm(zero_cases()[0]["grads"], 1.0)
    assert norm == 0.0 and all(np.all(g == 0) for layer in clipped for g in layer.values())
    for init in (reference.xavier_init, reference.he_init):
        checks.check_function(init, init, reference.random_init_case, seed=11, outputs=["W"])
        checks.check_init_scale(init, init, seed=12)
    assert capsys.readouterr().err == ""


def test_random_gradients_are_above_and_below_their_cap():
    rng = np.random.default_rng(8)
    above, batch_norm = [], []
    for _ in range(8):
        case = reference.random_gradients(rng)
        assert any(layer == {} for layer in case["grads"])
        above.append(global_norm(case["grads"]) > case["max_norm"])
        batch_norm.append(any(set(layer) == {"gamma", "beta"} for layer in case["grads"]))
    assert any(above) and not all(above)
    assert any(batch_norm) and not all(batch_norm)     # the visible test has layers keyed gamma and beta


def test_clip_leaves_its_input_alone_and_keeps_the_direction():
    rng = np.random.default_rng(0)
    case = reference.random_gradients(rng)
    copy = [{k: v.copy() for k, v in layer.items()} for layer in case["grads"]]
    clipped, norm = reference.clip_by_global_norm(case["grads"], 0.5 * global_norm(case["grads"]))
    for before, after in zip(copy, case["grads"]):
        for k in before:
            np.testing.assert_array_equal(before[k], after[k])
    assert global_norm(clipped) == pytest.approx(0.5 * norm)
    for layer, original in zip(clipped, case["grads"]):
        for k in layer:
            np.testing.assert_allclose(layer[k], 0.5 * original[k])


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match=r"grads must be a list of dicts of arrays.*got a dict"):
        reference.clip_by_global_norm({"W": np.ones(2)}, 1.0)
    with pytest.raises(ValueError, match=r"max_norm must be a positive number, but got the float -1.0"):
        reference.clip_by_global_norm([{"W": np.ones(2)}], -1.0)
    with pytest.raises(TypeError, match=r"grads\[0\]\['W'\] must be a NumPy array"):
        reference.clip_by_global_norm([{"W": [1.0]}], 1.0)
    with pytest.raises(ValueError, match=r"n_out must be a positive whole number .* got the float 2.5"):
        reference.he_init(3, 2.5, np.random.default_rng(0))
    with pytest.raises(TypeError, match=r"rng must be a NumPy random Generator .* got the int 0"):
        reference.xavier_init(3, 2, 0)


@pytest.mark.parametrize("description, buggy", mistake_versions(reference.clip_by_global_norm))
def test_every_clipping_mistake_fails_and_is_named(description, buggy):
    message = None
    for cases, seed in [(clip_cases(), None), (zero_cases(), None), (reference.random_gradients, 8)]:
        try:
            checks.check_function(buggy, reference.clip_by_global_norm, cases, seed=seed, trials=8,
                                  outputs=CLIP_OUTPUTS, strict=True, atol=CLIP_TOLERANCE)
        except AssertionError as failure:
            message = str(failure)
            break
    assert message is not None and "Likely cause: " + description in message and " Or: " not in message


def test_a_clip_that_scales_in_place_is_told_where():
    buggy = [b for d, b in mistake_versions(reference.clip_by_global_norm) if "caller's dicts" in d][0]
    with pytest.raises(AssertionError, match=r"the argument grads was changed in place \(grads\[0\]\['W'\]\)"):
        checks.check_function(buggy, reference.clip_by_global_norm, clip_cases(), outputs=CLIP_OUTPUTS)

    def reassigns(grads, max_norm):  # d[k] = d[k] * s: new arrays, but in the caller's dicts
        norm = float(np.sqrt(sum(np.sum(g**2) for layer in grads for g in layer.values())))
        for layer in grads:
            for key in layer:
                layer[key] = layer[key] * (max_norm / norm if norm > max_norm else 1.0)
        return grads, norm

    with pytest.raises(AssertionError) as failure:
        checks.check_function(reassigns, reference.clip_by_global_norm, clip_cases(), outputs=CLIP_OUTPUTS,
                              strict=True)
    message = str(failure.value)
    assert "the argument grads was changed in place" in message and "layer[k] = layer[k] * scale" in message


def _norm(grads):
    return float(np.sqrt(sum(np.sum(g**2) for layer in grads for g in layer.values())))


def _clip_returning_itself(grads, max_norm):
    norm = _norm(grads)
    if norm <= max_norm:
        return grads, norm
    return [{k: g * (max_norm / norm) for k, g in layer.items()} for layer in grads], norm


def _clip_tuple(grads, max_norm):
    norm = _norm(grads)
    scale = max_norm / norm if norm > max_norm else 1.0
    return tuple({k: g * scale for k, g in layer.items()} for layer in grads), norm


def _clip_0d_norm(grads, max_norm):
    norm = _norm(grads)
    scale = max_norm / norm if norm > max_norm else 1.0
    return [{k: g * scale for k, g in layer.items()} for layer in grads], np.asarray(norm)


def _clip_w_and_b_only(grads, max_norm):
    norm = _norm(grads)
    scale = max_norm / norm if norm > max_norm else 1.0
    return [{k: layer[k] * scale for k in ("W", "b") if k in layer} for layer in grads], norm


@pytest.mark.parametrize("buggy, message", [
    (_clip_returning_itself, "clipped_grads is the list grads that was passed in, not a new list"),
    (_clip_tuple, "clipped_grads is a tuple; return a list"),
    (_clip_0d_norm, "norm is a 0-d NumPy array; return a plain number, float"),
    (_clip_w_and_b_only, r"clipped_grads\[1\]: expected the keys \['beta', 'gamma'\], got \[\]"),
])
def test_answers_that_once_passed_the_visible_tests_now_fail_them(buggy, message):
    with pytest.raises(AssertionError, match=message) as failure:
        for cases, seed in [(clip_cases(), None), (reference.random_gradients, 8)]:
            checks.check_function(buggy, reference.clip_by_global_norm, cases, seed=seed, trials=8,
                                  outputs=CLIP_OUTPUTS, strict=True)
    if buggy is _clip_returning_itself:  # right values, the wrong list: a known mistake
        assert "Likely cause: below the cap the caller's own list" in str(failure.value)
    elif buggy is not _clip_w_and_b_only:  # right values, wrong kinds: no known mistake is the cause
        assert "Likely cause" not in str(failure.value)


def test_a_clip_that_divides_before_comparing_fails_on_zero_gradients():
    # scale = min(1.0, max_norm / norm) is right for every norm but 0, where it raises
    with pytest.raises(AssertionError) as failure:
        lesson_tools.run_exercise(LESSON.stem, "clip_by_global_norm", "test_clip_by_global_norm",
                                  [("max_norm / norm if norm > max_norm else 1.0", "min(1.0, max_norm / norm)")])
    message = str(failure.value)
    assert "raised ZeroDivisionError: float division by zero" in message
    assert "Every gradient is 0 in the first case, so the global norm is 0" in message
    assert "Likely cause: max_norm / norm is computed before the norm is compared with max_norm" in message


def test_the_course_global_norm_is_forbidden_in_the_clipping_exercise():
    setup = next(c.source for c in nbformat.read(LESSON, as_version=4).cells if c.cell_type == "code")
    assert "global_norm" not in setup      # the setup cell no longer hands it over
    with pytest.raises(AssertionError, match=r"it calls the course's own backprop.layers.global_norm instead"):
        lesson_tools.run_exercise(LESSON.stem, "clip_by_global_norm", "test_clip_by_global_norm", [
            ("    norm = float(np.sqrt(sum(np.sum(g**2) for layer in grads for g in layer.values())))",
             "    from backprop.layers import global_norm\n    norm = float(global_norm(grads))")])
    tests = lesson_tools.solution_and_tests(LESSON.stem, "clip_by_global_norm")[1]
    seen = lesson_tools.forbidden_names_seen(tests, **lesson_tools.solution_namespace(LESSON.stem))
    assert "backprop.layers.global_norm" in seen


@pytest.mark.parametrize("name, scheme", [("xavier_init", "xavier"), ("he_init", "he")])
@pytest.mark.parametrize("bypass, called", [
    ("from backprop.layers import init_std\n"
     "    return rng.standard_normal((n_in, n_out)) * init_std('{scheme}', n_in, n_out)", "init_std"),
    ("from backprop.layers import deep_network\n"
     "    return deep_network([n_in, n_out], activation='relu', init='{scheme}', rng=rng).layers[0].params['W']",
     "deep_network"),
])
def test_the_course_init_std_and_deep_network_are_forbidden_in_the_init_exercises(name, scheme, bypass, called):
    solution = lesson_tools.solution_and_tests(LESSON.stem, name)[0]
    body = solution.strip().splitlines()[-2].strip()  # the solution's return line
    assert body.startswith("return rng.standard_normal((n_in, n_out))")
    message = rf"it calls the course's own backprop\.layers\.{called} instead"
    with pytest.raises(AssertionError, match=message) as failure:
        lesson_tools.run_exercise(LESSON.stem, name, f"test_{name}", [(body, bypass.format(scheme=scheme))])
    assert str(failure.value).startswith(f"{name}: the weights it draws")  # the first check says so already
    tests = lesson_tools.solution_and_tests(LESSON.stem, name)[1]
    seen = lesson_tools.forbidden_names_seen(tests, **lesson_tools.solution_namespace(LESSON.stem))
    assert {"backprop.layers.init_std", "backprop.layers.deep_network"} <= seen


@pytest.mark.parametrize("init", [reference.xavier_init, reference.he_init], ids=["xavier", "he"])
def test_every_initialisation_mistake_fails_both_checks_and_is_named(init, capsys):
    for description, buggy in mistake_versions(init):
        same = [buggy(5, 3, np.random.default_rng(0)) for _ in range(2)]
        if np.array_equal(*same):  # (one that draws from np.random is named by the statistics' check alone)
            with pytest.raises(AssertionError) as failure:
                checks.check_function(buggy, init, reference.random_init_case, seed=11, outputs=["W"])
            assert "Likely cause: " + description in str(failure.value)
        numbers_only = (mistakes.l08_deep_networks._DRAWN_TRANSPOSED, mistakes.l08_deep_networks._DRAWN_TWICE,
                        mistakes.l08_deep_networks._STANDARDISED)
        if description in numbers_only:
            checks.check_init_scale(buggy, init, seed=12)  # right statistics: only the numbers tell
            continue
        with pytest.raises(AssertionError) as failure:
            checks.check_init_scale(buggy, init, seed=12)
        assert not any(d in str(failure.value) for d in numbers_only)
        if "integer division" in description:
            assert "every weight is 0, so the standard deviation is 0" in str(failure.value)
            assert "two different generators" not in str(failure.value)
            assert "uniform" not in str(failure.value)
        assert "Likely cause: " + description in str(failure.value) and " Or: " not in str(failure.value)
        if "the shape is (n_out, n_in)" in description:  # a wrong shape is reported as such, before any statistics
            assert "(the transpose: W has one row per input)" in str(failure.value)


def test_initialisations_that_ignore_rng_or_draw_uniformly_are_caught():
    def from_global_state(n_in, n_out, rng):
        return np.random.standard_normal((n_in, n_out)) * np.sqrt(2 / n_in)

    def own_generator(n_in, n_out, rng):
        return np.random.default_rng(0).standard_normal((n_in, n_out)) * np.sqrt(2 / n_in)

    def uniform_same_variance(n_in, n_out, rng):
        return rng.uniform(-1, 1, (n_in, n_out)) * np.sqrt(3) * np.sqrt(2 / n_in)

    for buggy, message in [(from_global_state, "draw the numbers from the rng argument"),
                           (own_generator, "two different generators gave the same weights"),
                           (uniform_same_variance, "uniform draws give 57.7%")]:
        with pytest.raises(AssertionError, match=message):
            checks.check_init_scale(buggy, reference.he_init, seed=3)
    with pytest.raises(AssertionError, match="not written yet"):
        checks.check_init_scale(lambda n_in, n_out, rng: (_ for _ in ()).throw(NotImplementedError()),
                                reference.he_init, seed=3)


@pytest.mark.parametrize("grade_id, edit", [
    ("clip_by_global_norm", ("max_norm / norm if", "norm / max_norm if")),
    ("clip_by_global_norm", ("if norm > max_norm else 1.0", "")),
    ("clip_by_global_norm", ("return clipped, norm", "return clipped, min(norm, max_norm)")),
    ("clip_by_global_norm", ("np.sqrt(sum(", "(sum(")),
    ("xavier_init", ("2.0 / (n_in + n_out)", "1.0 / n_in")),
    ("xavier_init", ("(n_in, n_out)) *", "(n_out, n_in)).T *")),
    ("he_init", ("2.0 / n_in", "2.0 / n_out")),
    ("he_init", ("np.sqrt(2.0 / n_in)", "(2.0 / n_in)")),
    ("he_init", ("2.0 / n_in", "2 // n_in")),
    ("he_init", ("rng.standard_normal((n_in, n_out))", "rng.standard_normal((n_out, n_in)).T")),
    ("clip_by_global_norm", ("return clipped, norm", "return tuple(clipped), norm")),
    ("clip_by_global_norm", ("return clipped, norm", "return clipped, np.asarray(norm)")),
    ("clip_by_global_norm", ("clipped = [", "clipped = grads if scale == 1.0 else [")),
    ("clip_by_global_norm", ("{key: g * scale for key, g in layer.items()}",
                             "{key: layer[key] * scale for key in ('W', 'b') if key in layer}")),
    ("clip_by_global_norm", ("max_norm / norm if", "max_norm / (norm + 1e-4) if")),
])
def test_a_changed_solution_fails_its_tests(grade_id, edit):
    solution, tests = lesson_tools.solution_and_tests(LESSON.stem, grade_id)
    namespace = {"np": np}
    exec(solution, namespace)
    exec(tests, namespace)  # the solution passes its own tests
    old, new = edit
    assert old in solution
    namespace = {"np": np}
    exec(solution.replace(old, new), namespace)
    with pytest.raises(AssertionError):
        exec(tests, namespace)


# --- the explorer --------------------------------------------------------------------------------


def test_the_explorers_sigmoid_ratio_is_within_the_factor_the_lesson_says_of_the_slopes_bound():
    """Within a factor of 3.2 of 0.25**depth at every depth, as the lesson says (it said 3: 3.13 at depth 26)."""
    e = DeepGradientExplorer()
    apart = {}
    for depth in range(e.depth.min, e.depth.max + 1):
        e.depth.value = depth
        ratio = e.values["ratio"] / 0.25**depth
        apart[depth] = max(ratio, 1 / ratio)
    furthest = max(apart, key=apart.get)
    assert furthest == 26 and f"{apart[26]:.2f}" == "3.13" and max(apart.values()) < 3.2
    text = (ROOT / "solutions" / "08_deep_networks" / "08_deep_networks.md").read_text()
    assert ("within a factor of 3.2 of each other, on either side\n  (the furthest apart, 3.13 times, at depth 26)"
            in text)


def test_explorer_shows_vanishing_healthy_and_exploding_gradients(artifacts):
    e = DeepGradientExplorer()
    first = e.image.value
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert (e.depth.value, e.activation.value, e.init.value) == (20, "sigmoid", "xavier")
    norms = e.values["norms"]
    assert len(norms) == 21 and f"{e.values['ratio']:.2e}" == "5.00e-13"     # the lesson's network
    assert "multiply to at most $0.25^{20} = 9.09 \\times 10^{-13}$" in e.readout.value
    assert sum(bar.get_visible() for bar in e.bars) == 21
    # the explorer's numbers are those of the same network built by hand
    net = e.network()
    np.testing.assert_allclose(layer_gradient_norms(net, e.X, e.y), norms)

    e.depth.value = 5
    assert e.image.value != first and len(e.values["norms"]) == 6
    assert sum(bar.get_visible() for bar in e.bars) == 6
    assert e.values["ratio"] > 1e-4  # fewer sigmoids, less vanishing

    # the activations panel fits its range to the spreads, so that 0.14 and 0.55 look different
    e.set_values(depth=5, activation="relu", init="xavier")
    low, high = e.ax_act.get_ylim()
    assert -3 <= low < np.log10(e.values["spreads"].min()) and 0 < high <= 2
    assert all(float(t).is_integer() for t in e.ax_act.get_xticks())
    e.set_values(depth=20, activation="relu", init="small")
    assert e.ax_act.get_ylim()[0] < np.log10(e.values["spreads"].min()) < -20
    e.set_values(depth=20, activation="relu", init="he")
    assert 0.3 < e.values["ratio"] < 3
    assert "0.25^" not in e.readout.value
    healthy = e.image.value
    e.init.value = "large"
    assert min(e.values["norms"]) > 1e10 and e.values["spreads"][-1] > 1e10
    e.init.value = "small"
    assert max(e.values["norms"]) < 1e-20
    e.set_values(activation="tanh", init="xavier")
    assert 0.3 < e.values["ratio"] < 5
    assert e.image.value != healthy
    (artifacts / "deep_gradient_explorer.png").write_bytes(e.image.value)


def test_explorer_network_matches_the_layer_classes():
    e = DeepGradientExplorer(depth=3, activation="tanh", init="he")
    kinds = [type(layer) for layer in e.network().layers]
    assert kinds == [Linear, Tanh, Linear, Tanh, Linear, Tanh, Linear]
    e.activation.value = "sigmoid"
    assert type(e.network().layers[1]) is Sigmoid
    e.activation.value = "relu"
    assert isinstance(e.network(), Sequential) and type(e.network().layers[1]) is ReLU


# --- the quiz ---------------------------------------------------------------------------------------


def test_quiz_gives_feedback_on_every_answer():
    quiz = lesson_tools.quiz_from(LESSON.stem)["quiz"]
    kinds = [type(q).__name__ for q in quiz.questions]
    assert kinds.count("Numeric") == 3 and kinds.count("MultipleChoice") == 2 and kinds.count("Order") == 1
    lesson_tools.assert_every_answer_gets_feedback(quiz)
    # the numbers the questions rely on
    assert quiz.questions[0].answer == pytest.approx(9.5367e-7, rel=1e-4)
    assert quiz.questions[3].answer == pytest.approx(12 * 2.6 / 13)


def test_the_he_question_has_one_right_answer_and_names_each_slip():
    he = lesson_tools.quiz_from(LESSON.stem)["quiz"].questions[2]
    assert "$n_\\text{in} = 50$" in he.prompt.value and "$n_\\text{out} = 20$" in he.prompt.value
    n_in, n_out = 50, 20
    assert he.answer == pytest.approx(init_std("he", n_in, n_out)) == pytest.approx(0.2)
    slips = {"variance": 2 / n_in, "no factor 2": np.sqrt(1 / n_in), "n_out": np.sqrt(2 / n_out),
             "variance with n_out": 2 / n_out, "Xavier": init_std("xavier", n_in, n_out)}
    for slip, value in slips.items():  # each slip is wrong, and has its own feedback
        assert abs(value - he.answer) > 10 * he.tolerance, slip
        matches = [w for w in he.wrong if abs(w - value) <= he.tolerance]
        assert len(matches) == 1, slip
        correct, feedback = lesson_tools.answer(he, f"{value:.4f}")
        assert correct is False and he.wrong[matches[0]] in feedback, slip
    assert "ReLU zeroes about half" in lesson_tools.answer(he, "0.1414")[1]


def test_the_clipping_question_names_both_ways_of_getting_the_cap():
    clip = lesson_tools.quiz_from(LESSON.stem)["quiz"].questions[3]
    feedback = lesson_tools.answer(clip, "2.6")[1]
    assert "clamping the entry at the cap" in feedback and "each layer by its own norm" in feedback
    layer_norm_clipped = 12 * min(1.0, 2.6 / 12)   # the layer (12) clipped by its own norm
    assert layer_norm_clipped == pytest.approx(2.6)


def test_the_order_question_accepts_every_order_that_works():
    namespace = lesson_tools.quiz_from(LESSON.stem)
    order = namespace["quiz"].questions[5]
    forward, loss, backward, norm, clip, update = namespace["steps"]
    assert order.steps == namespace["steps"] and order.needs is not None
    for steps, right in (([forward, loss, backward, norm, clip, update], True),
                         ([forward, backward, loss, norm, clip, update], True),
                         ([forward, backward, norm, clip, update, loss], True),   # the loss is for watching
                         ([forward, backward, norm, loss, clip, update], True),
                         ([loss, forward, backward, norm, clip, update], False),  # no output to score yet
                         ([forward, loss, backward, clip, norm, update], False),  # scaled before the norm is known
                         ([forward, loss, backward, norm, update, clip], False),  # clipped after the update
                         ([forward, loss, norm, backward, clip, update], False)):
        correct, feedback = lesson_tools.answer(order, steps)
        assert correct is right, steps
        assert ("which comes after it" in feedback) is not right, feedback
    assert "any time after the forward pass" in lesson_tools.answer(order, order.steps)[1]
    assert lesson_tools.answer(order, [loss, forward, backward, norm, clip, update])[1].endswith(
        f"Step 1, \u201c{loss}\u201d, needs \u201c{forward}\u201d, which comes after it (step 2).</div>")


def test_an_initialisation_drawing_from_np_random_is_told_so_by_the_first_check():
    solution, tests = lesson_tools.solution_and_tests(LESSON.stem, "he_init")
    namespace = {"np": np}
    exec(solution.replace("rng.standard_normal(", "np.random.standard_normal("), namespace)
    with pytest.raises(AssertionError, match="draw the numbers from the rng argument"):
        exec(tests, namespace)


# --- the tolerance of the clipping exercise, and wrong answers a newcomer wrote --------------------


@pytest.mark.parametrize("epsilon, passes", [(1e-6, True), (1e-7, True), (1e-4, False), (1e-2, False)])
def test_the_clipping_tolerance_accepts_pytorchs_epsilon_and_no_larger_one(epsilon, passes):
    """The exercise says: clipped gradients within 1e-6 of the exact scaling; PyTorch's 1e-6 passes."""
    edit = ("scale = max_norm / norm if norm > max_norm else 1.0",
            f"scale = min(max_norm / (norm + {epsilon!r}), 1.0)")
    run = lambda: lesson_tools.run_exercise(LESSON.stem, "clip_by_global_norm",  # noqa: E731
                                            "test_clip_by_global_norm", [edit])  # hidden tests included
    if passes:
        run()
    else:
        with pytest.raises(AssertionError, match="Likely cause: the scale is max_norm / .norm . eps. with an eps"):
            run()
    assert "`max_norm / (norm + 1e-6)`, which guards against a division by 0, passes" in \
        " ".join(LESSON.with_suffix(".md").read_text().split()).replace("PyTorch's `", "`")


def test_a_scale_far_off_is_not_also_blamed_on_the_mean():
    def precedence(n_in, n_out, rng):
        return rng.standard_normal((n_in, n_out)) * np.sqrt(2 / n_in + n_out)

    with pytest.raises(AssertionError) as failure:
        checks.check_init_scale(precedence, reference.xavier_init, seed=12)
    message = str(failure.value)
    assert "Likely cause: np.sqrt(2 / n_in + n_out) divides 2 by n_in alone" in message
    assert "centred on 0" not in message and " Or: " not in message

    def uniform_from_0(n_in, n_out, rng):  # really off centre: told so
        return rng.random((n_in, n_out)) * np.sqrt(2 / n_in)

    with pytest.raises(AssertionError, match="far from 0 for their spread"):
        checks.check_init_scale(uniform_from_0, reference.he_init, seed=12)


@pytest.mark.parametrize("body, says", [
    ("return np.random.randn(n_in, n_out) * np.sqrt(2 / (n_in + n_out))", "the numbers come from np.random"),
    ("return np.random.default_rng(0).standard_normal((n_in, n_out)) * np.sqrt(2 / (n_in + n_out))",
     "np.random.default_rng(0) is a generator of your own"),
    ("return (rng.standard_normal((n_in, n_out)) * np.sqrt(2 / (n_in + n_out))).astype(np.float32)",
     "the weights are float32"),
    ("limit = np.sqrt(6 / (n_in + n_out))\n    return rng.uniform(-limit, limit, (n_in, n_out))",
     "rng.uniform(-limit, limit) is the uniform form"),
    ("return 2 / (n_in + n_out) ** 0.5 * rng.standard_normal((n_in, n_out))",
     "the square root was taken of the denominator only"),
])
def test_xavier_initialisations_a_newcomer_wrote_are_named(body, says):
    namespace = {"np": np}
    exec(f"def xavier_init(n_in, n_out, rng):\n    {body}\n", namespace)
    with pytest.raises(AssertionError) as failure:
        exec(lesson_tools.cell_source(LESSON.stem, "test_xavier_init"), namespace)
    assert "Likely cause: " + says in str(failure.value) and " Or: " not in str(failure.value)
