"""Lesson 03, the worked 2-2-1 example: every number of seed 002, the step-through explorer, the checks
of the two graded backward passes and the mistakes they name."""

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from conftest import ROOT
from nbclient import NotebookClient

from backprop import checks, data, mistakes, plots, reference
from backprop.explorers import Worked221Explorer, steps_221

LESSON = "03_worked_221"
SOLUTION = ROOT / "solutions" / LESSON / f"{LESSON}.ipynb"

# Every number seed 002 prints, by the name the lesson's reference gives it.
SEED_002 = {
    "z1": 0.35, "z2": 0.50, "a1": 0.5866, "a2": 0.6225, "y_hat": 0.7668, "L": 0.0272,
    "dL_dyhat": -0.2332, "dL_dv1": -0.1368, "dL_dv2": -0.1452, "dL_db3": -0.2332,
    "dL_da1": -0.1166, "dL_da2": -0.1399, "sigma_prime1": 0.2425, "sigma_prime2": 0.2350,
    "dL_dz1": -0.0283, "dL_dz2": -0.0329,
    "dL_dw11": -0.0283, "dL_dw12": -0.0141, "dL_db1": -0.0283,
    "dL_dw21": -0.0329, "dL_dw22": -0.0164, "dL_db2": -0.0329,
    "new_v1": 0.5684, "new_v2": 0.6726, "new_b3": 0.2166,
    "new_w11": 0.1141, "new_w12": 0.3071, "new_b1": 0.1141,
    "new_w21": 0.2164, "new_w22": 0.4082, "new_b2": 0.1164,
}


def seed_values():
    return reference.worked_221_values(**data.worked_221()["scalars"])


@pytest.fixture(scope="module")
def executed():
    nb = nbformat.read(SOLUTION, as_version=4)
    resources = {"metadata": {"path": str(SOLUTION.parent)}}
    NotebookClient(nb, timeout=120, kernel_name="python3", resources=resources).execute()
    return nb


def printed(nb):
    return "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
                     if o.output_type == "stream")


def test_every_number_of_seed_002_from_the_package():
    v = seed_values()
    for name, expected in SEED_002.items():
        checks.check_number(name, v[name], expected)
    # every parameter increased, all gradients being negative, and the loss went down
    for name in reference.PARAMETERS_221:
        assert v[f"dL_d{name}"] < 0 and v[f"new_{name}"] > v[name]
    checks.check_number("new y_hat", v["new_y_hat"], 0.9789)
    checks.check_number("new L", v["new_L"], 0.0002)
    assert v["new_L"] < v["L"]


def test_every_number_of_seed_002_is_printed_by_the_lesson(executed):
    text = printed(executed)
    for line in [
        "z1 = 0.1*1.0 + 0.3*0.5 + 0.1 = 0.3500",
        "z2 = 0.2*1.0 + 0.4*0.5 + 0.1 = 0.5000",
        "a1 = sigmoid(0.35) = 0.5866",
        "a2 = sigmoid(0.50) = 0.6225",
        "y_hat = 0.5*0.5866 + 0.6*0.6225 + 0.1 = 0.7668",
        "L = 0.5 * (0.7668 - 1.0)^2 = 0.0272",
        "dL/dy_hat = 0.7668 - 1.0 = -0.2332",
        "dL/dv1 = (-0.2332)(0.5866) = -0.1368",
        "dL/dv2 = (-0.2332)(0.6225) = -0.1452",
        "dL/db3 = -0.2332",
        "dL/da1 = (-0.2332)(0.5) = -0.1166",
        "dL/da2 = (-0.2332)(0.6) = -0.1399",
        "sigma'(z1) = 0.5866(1 - 0.5866) = 0.2425",
        "sigma'(z2) = 0.6225(1 - 0.6225) = 0.2350",
        "dL/dz1 = (-0.1166)(0.2425) = -0.0283",
        "dL/dz2 = (-0.1399)(0.2350) = -0.0329",
        "dL/dw11 = (-0.0283)(1.0) = -0.0283   dL/dw12 = (-0.0283)(0.5) = -0.0141   dL/db1 = -0.0283",
        "dL/dw21 = (-0.0329)(1.0) = -0.0329   dL/dw22 = (-0.0329)(0.5) = -0.0164   dL/db2 = -0.0329",
        "v1  = 0.5 - 0.5(-0.1368) = 0.5684",
        "v2  = 0.6 - 0.5(-0.1452) = 0.6726",
        "b3  = 0.1 - 0.5(-0.2332) = 0.2166",
        "w11 = 0.1 - 0.5(-0.0283) = 0.1141",
        "w12 = 0.3 - 0.5(-0.0141) = 0.3071",
        "b1  = 0.1 - 0.5(-0.0283) = 0.1141",
        "w21 = 0.2 - 0.5(-0.0329) = 0.2164",
        "w22 = 0.4 - 0.5(-0.0164) = 0.4082",
        "b2  = 0.1 - 0.5(-0.0329) = 0.1164",
        "all nine gradients negative: True",
        "prediction: 0.7668 -> 0.9789",
        "loss:       0.0272 -> 0.0002",
        # the matrix form, the column form and the reference layers give the same numbers
        "dW1 = [[-0.0283, -0.0329], [-0.0141, -0.0164]]  db1 = [-0.0283 -0.0329]",
        "dW2 = [-0.1368 -0.1452]  db2 = [-0.2332]",
        "W1 in columns, [[w11, w12], [w21, w22]] = [[0.1, 0.3], [0.2, 0.4]]",
        "dW1 in columns: [[-0.0283, -0.0141], [-0.0329, -0.0164]]",
        "columns and rows agree after a transpose: True True True",
        "after the update: W1 = [[0.1141, 0.2164], [0.3071, 0.4082]]  b1 = [0.1141 0.1164]",
        "W2 = [0.5684 0.6726]  b2 = [0.2166]",
    ]:
        assert line in text, line
    for line in text.splitlines():
        if "backprop" in line and "nudging" in line:
            _, analytic, _, numerical = line.split()[-4:]
            assert analytic == numerical, line


def test_the_step_through_shows_every_seed_number_with_its_formula():
    v = seed_values()
    steps = steps_221(v)
    assert len(steps) == 27
    shown = [name for s in steps for name in s["shows"]]
    assert set(SEED_002) | {"new_y_hat", "new_L"} == set(shown) and len(shown) == len(set(shown))
    formulas = " ".join(s["formula"] for s in steps)
    for name, expected in SEED_002.items():
        assert f"= {expected:.4f}" in formulas, name
    by_name = {name: s for s in steps for name in s["shows"]}
    assert by_name["z1"]["formula"] == ("z_1 = w_{11} x_1 + w_{12} x_2 + b_1 = 0.1\\cdot1 + 0.3\\cdot0.5 + 0.1 "
                                        "= 0.3500")
    assert by_name["dL_dz1"]["formula"].endswith("(-0.1166)\\cdot0.2425 = -0.0283")
    assert ("x2", "h1") in by_name["dL_dw12"]["highlight"]
    assert by_name["new_w12"]["formula"].count("\\leftarrow") == 3
    assert "0.3 - 0.5\\cdot(-0.0141) = 0.3071" in by_name["new_w12"]["formula"]


def texts(ax):
    return [t.get_text() for t in ax.texts]


def test_the_network_drawing_writes_numbers_where_they_belong(artifacts):
    v = seed_values()
    ax = plots.draw_221(v, shown=[])
    shown = texts(ax)
    assert "w₁₂ = 0.3" in shown and "v₂ = 0.6" in shown and "b₁ = 0.1" in shown and "y = 1" in shown
    assert not any("0.3500" in t or "∂L" in t for t in shown)
    plt.close(ax.figure)
    ax = plots.draw_221(v, highlight=["h1"])
    shown = texts(ax)
    for expected in ["z₁ = 0.3500  a₁ = 0.5866", "∂L/∂a₁ = -0.1166  σ′ = 0.2425", "∂L/∂z₁ = ∂L/∂b₁ = -0.0283",
                     "w₁₂ = 0.3 → 0.3071", "∂L/∂w₁₂ = -0.0141", "v₁ = 0.5 → 0.5684", "∂L/∂v₁ = -0.1368",
                     "ŷ = 0.7668 → 0.9789", "∂L/∂ŷ = ∂L/∂b₃ = -0.2332", "L = 0.0272 → 0.0002", "b₂ = 0.1 → 0.1164"]:
        assert expected in shown, expected
    gradient = next(t for t in ax.texts if t.get_text() == "∂L/∂w₁₂ = -0.0141")
    assert gradient.get_color() == plots.GRADIENT_COLOUR
    ax.figure.savefig(artifacts / "worked_221_all.png", dpi=90)
    plt.close(ax.figure)


def test_the_drawing_and_the_values_name_bad_arguments():
    with pytest.raises(TypeError, match="values must be the dict of reference.worked_221_values, but got list"):
        plots.draw_221([1, 2])
    with pytest.raises(ValueError, match=r"values is missing \['b3'"):
        v = seed_values()
        del v["b3"]
        plots.draw_221(v)
    with pytest.raises(TypeError, match="w12 must be a finite number, but got '0.3'"):
        reference.worked_221_values(**{**data.worked_221()["scalars"], "w12": "0.3"})
    with pytest.raises(TypeError, match="v2 must be a finite number, but got nan"):
        reference.loss_221(**{**reference.random_221(np.random.default_rng(0)), "v2": float("nan")})
    with pytest.raises(TypeError, match="v must be the dict of reference.worked_221_values, but got list"):
        steps_221([])
    with pytest.raises(TypeError, match="without the numbers of the update"):
        steps_221({"z1": 0.35})


def test_the_explorer_steps_forward_and_back(artifacts):
    e = Worked221Explorer()
    assert e.step.value == 0 and e.back_button.disabled and "Step 0 of 26" in e.readout.value
    first = e.image.value
    for _ in range(5):
        e.next_button.click()
    assert e.step.value == 5 and e.image.value != first
    assert "= 0.7668" in e.readout.value and "forward pass" in e.readout.value
    assert "background:#fff4c2;font-weight:bold'><td style='padding:0 8px'>ŷ</td>" in e.table.value
    e.back_button.click()
    assert e.step.value == 4 and "a_2 = \\sigma(z_2)" in e.readout.value
    e.step.value = 15
    assert "(-0.1166)\\cdot0.2425 = -0.0283" in e.readout.value
    (artifacts / "worked_221_explorer_step15.png").write_bytes(e.image.value)
    e.step.value = 26
    assert e.next_button.disabled
    assert "L = 0.0002\\ (\\text{was } 0.0272)" in e.readout.value
    (artifacts / "worked_221_explorer_end.png").write_bytes(e.image.value)
    e.next_button.click()
    assert e.step.value == 26


def test_changing_a_number_recomputes_everything():
    e = Worked221Explorer(step=26)
    table = e.table.value
    # a target below the prediction: every gradient positive, every parameter decreases
    e.y.value = 0.5
    v = e.values()
    assert all(v[f"dL_d{n}"] > 0 and v[f"new_{n}"] < v[n] for n in reference.PARAMETERS_221)
    assert e.table.value != table and "0.2668" in e.table.value
    # no input on x2: its weights get no gradient
    e.set_values(y=1.0, x2=0.0)
    assert e.values()["dL_dw12"] == 0.0 == e.values()["dL_dw22"]
    # too large a step overshoots: the loss after the update is larger than before
    e.set_values(x2=0.5, lr=2.0)
    v = e.values()
    assert v["new_L"] > v["L"] and "was" in e.readout.value
    # a saturated hidden unit hardly learns
    e.set_values(lr=0.5, w11=3.0, w12=3.0)
    assert e.values()["sigma_prime1"] < 0.011
    e.reset_button.click()
    assert e.inputs() == data.worked_221()["scalars"]
    assert e.table.value == table


def test_the_explorer_names_bad_arguments():
    with pytest.raises(ValueError, match=r"step must be an integer from 0 to 26, but is 40"):
        Worked221Explorer(step=40)
    with pytest.raises(ValueError, match=r"unknown starting values \['w13'\]"):
        Worked221Explorer(w13=1.0)


# --- the graded exercises: reference, random cases, mistakes, edited solutions -----------------


def test_the_references_agree_with_finite_differences_and_with_each_other():
    checks.check_numerical_gradient(reference.backprop_221, reference.loss_221, reference.random_221,
                                    wrt=list(reference.PARAMETERS_221), trials=20, seed=0)
    checks.check_numerical_gradient(reference.backprop_221_matrix, reference.loss_221_matrix,
                                    reference.random_221_matrix, wrt=["W1", "b1", "W2", "b2"], trials=20, seed=0)
    rng = np.random.default_rng(1)
    for _ in range(20):
        m = reference.random_221_matrix(rng)
        s = {"x1": m["x"][0, 0], "x2": m["x"][0, 1], "y": m["y"][0, 0], "w11": m["W1"][0, 0], "w12": m["W1"][1, 0],
             "b1": m["b1"][0], "w21": m["W1"][0, 1], "w22": m["W1"][1, 1], "b2": m["b1"][1], "v1": m["W2"][0, 0],
             "v2": m["W2"][1, 0], "b3": m["b2"][0]}
        g, G = reference.backprop_221(**s), reference.backprop_221_matrix(**m)
        np.testing.assert_allclose(G["W1"], [[g["w11"], g["w21"]], [g["w12"], g["w22"]]], rtol=1e-12)
        np.testing.assert_allclose(G["b1"], [g["b1"], g["b2"]], rtol=1e-12)
        np.testing.assert_allclose(G["W2"], [[g["v1"]], [g["v2"]]], rtol=1e-12)
        np.testing.assert_allclose(G["b2"], [g["b3"]], rtol=1e-12)


def test_random_networks_are_not_saturated():
    rng = np.random.default_rng(2)
    for _ in range(200):
        v = reference.worked_221_values(**reference.random_221(rng))
        assert abs(v["z1"]) < 3 and abs(v["z2"]) < 3


@pytest.mark.parametrize("description, buggy", mistakes.MISTAKES[reference.backprop_221])
def test_every_scalar_mistake_fails_and_is_named(description, buggy):
    with pytest.raises(checks.CheckFailed) as failure:
        checks.check_function(buggy, reference.backprop_221, reference.random_221, seed=7, outputs=["grads"])
    assert description in str(failure.value).split("Likely cause: ")[1]


@pytest.mark.parametrize("description, buggy", mistakes.MISTAKES[reference.backprop_221_matrix])
def test_every_matrix_mistake_fails_and_is_named(description, buggy):
    with pytest.raises(checks.CheckFailed) as failure:
        checks.check_function(buggy, reference.backprop_221_matrix, reference.random_221_matrix, seed=8,
                              outputs=["grads"])
    assert description in str(failure.value).split("Likely cause: ")[1]


def test_a_missing_key_or_a_wrong_shape_is_said_plainly(monkeypatch):
    # these wrong answers are built on the reference, which the checks would flag first
    monkeypatch.setattr(checks, "_forbidden", lambda *args: {})

    def only_weights(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
        g = reference.backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3)
        return {k: g[k] for k in g if not k.startswith("b")}

    with pytest.raises(checks.CheckFailed, match=r"grads: expected the keys \['b1', 'b2', 'b3', 'v1'"):
        checks.check_function(only_weights, reference.backprop_221, reference.random_221, seed=0, outputs=["grads"])

    def in_place(x, y, W1, b1, W2, b2):
        g = reference.backprop_221_matrix(x, y, W1, b1, W2, b2)
        W1 -= 0.5 * g["W1"]
        return g

    with pytest.raises(checks.CheckFailed, match="the argument W1 was changed in place"):
        checks.check_function(in_place, reference.backprop_221_matrix, reference.random_221_matrix, seed=0,
                              outputs=["grads"])


def run_exercise(solution_id, test_id, replace=None):
    """Run the lesson's imports, one solution cell (optionally edited) and its test cell, hidden tests included."""
    nb = nbformat.read(SOLUTION, as_version=4)
    setup = next(c.source for c in nb.cells if c.cell_type == "code")
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in nb.cells}
    source = cells[solution_id]
    if replace is not None:
        old, new = replace
        assert old in source, f"{old!r} is not in the solution of {solution_id}"
        source = source.replace(old, new)
    namespace = {}
    exec(setup, namespace)
    exec(source, namespace)
    exec(cells[test_id], namespace)


@pytest.mark.parametrize("solution_id, test_id", [("backprop_221", "test_backprop_221"),
                                                  ("backprop_221_matrix", "test_backprop_221_matrix")])
def test_the_solutions_pass_their_tests(solution_id, test_id, capsys):
    run_exercise(solution_id, test_id)
    assert capsys.readouterr().out.count("ok:") == 5


MUTANTS = [
    ("backprop_221", "test_backprop_221", ("d = y_hat - y", "d = 2 * (y_hat - y)")),
    ("backprop_221", "test_backprop_221", ("dz1 = d * v1 * a1 * (1 - a1)", "dz1 = d * v1")),
    ("backprop_221", "test_backprop_221", ('"w12": dz1 * x2', '"w12": dz2 * x1')),
    ("backprop_221", "test_backprop_221", ('"b3": d}', '"b3": d * a1}')),
    ("backprop_221", "test_backprop_221", ("dz2 = d * v2", "dz2 = d * v1")),
    ("backprop_221", "test_backprop_221", ("y_hat = v1 * a1 + v2 * a2 + b3", "y_hat = sigmoid(v1 * a1 + v2 * a2)")),
    ("backprop_221_matrix", "test_backprop_221_matrix", ('"W1": x.T @ delta1', '"W1": delta1.T @ x')),
    ("backprop_221_matrix", "test_backprop_221_matrix", ('"b1": delta1.sum(axis=0)', '"b1": delta1')),
    ("backprop_221_matrix", "test_backprop_221_matrix", ("delta2 = y_hat - y", "delta2 = y - y_hat")),
    ("backprop_221_matrix", "test_backprop_221_matrix", ("* a1 * (1 - a1)", "")),
    ("backprop_221_matrix", "test_backprop_221_matrix", ("a1 = sigmoid(x @ W1 + b1)", "a1 = sigmoid(x @ W1.T + b1)")),
    ("backprop_221_matrix", "test_backprop_221_matrix", ('"b1": delta1.sum(axis=0)', '"b1": delta1.sum(axis=1)')),
    ("backprop_221_matrix", "test_backprop_221_matrix", ('"W2": a1.T @ delta2', '"W2": a1.T @ y_hat')),
]


@pytest.mark.parametrize("solution_id, test_id, replace", MUTANTS)
def test_an_edited_solution_fails_its_tests(solution_id, test_id, replace):
    with pytest.raises(checks.CheckFailed):
        run_exercise(solution_id, test_id, replace)
