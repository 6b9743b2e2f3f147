"""Lesson 03, the worked 2-2-1 example: every number of seed 002, the step-through explorer, the checks
of the two graded backward passes and the mistakes they name."""

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from conftest import ROOT
from lesson_tools import answer, mistake_versions, printed, quiz_from, run_exercise, visible_failure

from backprop import checks, data, plots, reference
from backprop.explorers import Worked221Explorer
from backprop.quiz import Order
from backprop.worked import steps_221

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


@pytest.fixture(scope="module")
def executed():
    import lesson_tools

    return lesson_tools.executed(LESSON)


def seed_values():
    return reference.worked_221_values(**data.worked_221()["scalars"])


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
        # a batch of three examples: X.T @ delta1 adds up the rows' gradients
        "X.T @ delta1                  = [[-0.0291, -0.0341], [-0.0805, -0.0953]]",
        "sum of the rows' x.T @ delta1 = [[-0.0291, -0.0341], [-0.0805, -0.0953]]",
        "db1 = delta1.sum(axis=0)      = [0.0668 0.0805]",
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
    # h1's numbers sit above h1 (at y = 2), out of the way of the arrow from x2; h2's below h2 (at y = -1.8)
    for text, above in (("z₁ = 0.3500  a₁ = 0.5866", True), ("∂L/∂z₁ = ∂L/∂b₁ = -0.0283", True),
                        ("z₂ = 0.5000  a₂ = 0.6225", False)):
        y = next(t for t in ax.texts if t.get_text() == text).get_position()[1]
        assert (y > 2.3) if above else (y < -2.1), text
    top = max(t.get_position()[1] for t in ax.texts)
    assert top < ax.get_ylim()[1] - 0.1
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
    # at lr = 1 the prediction jumps past the target, almost as far above it as it was below
    e.set_values(x2=0.5, lr=1.0)
    v = e.values()
    checks.check_number("new y_hat at lr 1", v["new_y_hat"], 1.1932)
    checks.check_number("new L at lr 1", v["new_L"], 0.0187)
    # too large a step overshoots: the loss after the update is larger than before (seven times)
    e.set_values(lr=2.0)
    v = e.values()
    assert v["new_L"] > v["L"] and "was" in e.readout.value
    checks.check_number("new y_hat at lr 2", v["new_y_hat"], 1.6284)
    checks.check_number("new L at lr 2", v["new_L"], 0.1974)
    assert round(v["new_L"] / v["L"]) == 7
    # a saturated hidden unit hardly learns
    e.set_values(lr=0.5, w11=3.0, w12=3.0)
    assert e.values()["sigma_prime1"] < 0.011
    assert e.reset_button.description == "the lesson's numbers"
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
    # a batch's gradients are the sums of its rows' gradients, each from the scalar reference
    rng = np.random.default_rng(1)
    sizes = set()
    for _ in range(20):
        m = reference.random_221_matrix(rng)
        sizes.add(len(m["X"]))
        g = {name: 0.0 for name in reference.PARAMETERS_221}
        for x, y in zip(m["X"], m["Y"]):
            s = {"x1": x[0], "x2": x[1], "y": y[0], "w11": m["W1"][0, 0], "w12": m["W1"][1, 0], "b1": m["b1"][0],
                 "w21": m["W1"][0, 1], "w22": m["W1"][1, 1], "b2": m["b1"][1], "v1": m["W2"][0, 0],
                 "v2": m["W2"][1, 0], "b3": m["b2"][0]}
            for name, value in reference.backprop_221(**s).items():
                g[name] += value
        G = reference.backprop_221_matrix(**m)
        np.testing.assert_allclose(G["W1"], [[g["w11"], g["w21"]], [g["w12"], g["w22"]]], rtol=1e-12)
        np.testing.assert_allclose(G["b1"], [g["b1"], g["b2"]], rtol=1e-12)
        np.testing.assert_allclose(G["W2"], [[g["v1"]], [g["v2"]]], rtol=1e-12)
        np.testing.assert_allclose(G["b2"], [g["b3"]], rtol=1e-12)
    assert {1, 5} <= sizes


def test_random_networks_are_not_saturated():
    rng = np.random.default_rng(2)
    for _ in range(200):
        v = reference.worked_221_values(**reference.random_221(rng))
        assert abs(v["z1"]) < 3 and abs(v["z2"]) < 3
        m = reference.random_221_matrix(rng)
        assert m["X"].shape == (len(m["Y"]), 2) and m["Y"].shape[1] == 1
        assert np.all(np.abs(m["X"] @ m["W1"] + m["b1"]) < 3)


@pytest.mark.parametrize("description, buggy", mistake_versions(reference.backprop_221))
def test_every_scalar_mistake_fails_the_visible_test_and_is_named_alone(description, buggy):
    failure = visible_failure(LESSON, "test_backprop_221", backprop_221=buggy)
    assert isinstance(failure, checks.CheckFailed)
    assert [c.says for c in failure.causes] == [description], str(failure)
    with pytest.raises(checks.CheckFailed) as failure:  # and on random networks
        checks.check_function(buggy, reference.backprop_221, reference.random_221, seed=7, outputs=["grads"])
    assert description in str(failure.value).split("Likely cause: ")[1]


@pytest.mark.parametrize("description, buggy", mistake_versions(reference.backprop_221_matrix))
def test_every_matrix_mistake_fails_the_visible_test_and_is_named_alone(description, buggy):
    failure = visible_failure(LESSON, "test_backprop_221_matrix", backprop_221_matrix=buggy)
    assert isinstance(failure, checks.CheckFailed)
    assert [c.says for c in failure.causes] == [description], str(failure)


def test_a_missing_key_or_a_wrong_shape_is_said_plainly(monkeypatch):
    # these wrong answers are built on the reference, which the checks would flag first
    monkeypatch.setattr("backprop.forbidden.forbidden_code", lambda *args: {})

    def only_weights(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
        g = reference.backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3)
        return {k: g[k] for k in g if not k.startswith("b")}

    with pytest.raises(checks.CheckFailed, match=r"grads: expected the keys \['b1', 'b2', 'b3', 'v1'"):
        checks.check_function(only_weights, reference.backprop_221, reference.random_221, seed=0, outputs=["grads"])

    def in_place(X, Y, W1, b1, W2, b2):
        g = reference.backprop_221_matrix(X, Y, W1, b1, W2, b2)
        W1 -= 0.5 * g["W1"]
        return g

    with pytest.raises(checks.CheckFailed, match="the argument W1 was changed in place"):
        checks.check_function(in_place, reference.backprop_221_matrix, reference.random_221_matrix, seed=0,
                              outputs=["grads"])


@pytest.mark.parametrize("solution_id, test_id", [("backprop_221", "test_backprop_221"),
                                                  ("backprop_221_matrix", "test_backprop_221_matrix")])
def test_the_solutions_pass_their_tests(solution_id, test_id, capsys):
    run_exercise(LESSON, solution_id, test_id)
    assert capsys.readouterr().out.count("ok:") == 6


MUTANTS = [
    ("backprop_221", "test_backprop_221", ("d = y_hat - y", "d = 2 * (y_hat - y)")),
    ("backprop_221", "test_backprop_221", ("dz1 = d * v1 * a1 * (1 - a1)", "dz1 = d * v1")),
    ("backprop_221", "test_backprop_221", ('"w12": dz1 * x2', '"w12": dz2 * x1')),
    ("backprop_221", "test_backprop_221", ('"b3": d}', '"b3": d * a1}')),
    ("backprop_221", "test_backprop_221", ("dz2 = d * v2", "dz2 = d * v1")),
    ("backprop_221", "test_backprop_221", ("y_hat = v1 * a1 + v2 * a2 + b3", "y_hat = sigmoid(v1 * a1 + v2 * a2)")),
    ("backprop_221", "test_backprop_221", ("dz1 = d * v1 * a1", "dz1 = d * a1")),           # v left out
    ("backprop_221", "test_backprop_221", ('"b1": dz1,', '"b1": dz1 * x1,')),             # seen only if x1 != 1
    ("backprop_221", "test_backprop_221",                                                  # nudging
     ('return {"w11": dz1 * x1', 'p = dict(x1=x1, x2=x2, y=y, w11=w11, w12=w12, b1=b1, w21=w21, w22=w22, b2=b2, '
      'v1=v1, v2=v2, b3=b3)\n    def L(**q):\n        a1 = sigmoid(q["w11"] * x1 + q["w12"] * x2 + q["b1"])\n'
      '        a2 = sigmoid(q["w21"] * x1 + q["w22"] * x2 + q["b2"])\n'
      '        return 0.5 * (q["v1"] * a1 + q["v2"] * a2 + q["b3"] - y) ** 2\n'
      '    e = 1e-5\n    return {k: (L(**{**p, k: p[k] + e}) - L(**{**p, k: p[k] - e})) / (2 * e)\n'
      '            for k in ("w11", "w12", "b1", "w21", "w22", "b2", "v1", "v2", "b3")}\n'
      '    return {"w11": dz1 * x1')),
    ("backprop_221_matrix", "test_backprop_221_matrix", ('"W1": X.T @ delta1', '"W1": delta1.T @ X')),
    ("backprop_221_matrix", "test_backprop_221_matrix", ('"b1": delta1.sum(axis=0)', '"b1": delta1')),
    ("backprop_221_matrix", "test_backprop_221_matrix", ("delta2 = Y_hat - Y", "delta2 = Y - Y_hat")),
    ("backprop_221_matrix", "test_backprop_221_matrix", ("* A1 * (1 - A1)", "")),
    ("backprop_221_matrix", "test_backprop_221_matrix", ("A1 = sigmoid(X @ W1 + b1)", "A1 = sigmoid(X @ W1.T + b1)")),
    ("backprop_221_matrix", "test_backprop_221_matrix", ('"b1": delta1.sum(axis=0)', '"b1": delta1.sum(axis=1)')),
    ("backprop_221_matrix", "test_backprop_221_matrix", ('"W2": A1.T @ delta2', '"W2": A1.T @ Y_hat')),
    # right for one example, wrong for a batch
    ("backprop_221_matrix", "test_backprop_221_matrix", ('"b1": delta1.sum(axis=0)', '"b1": delta1[0]')),
    ("backprop_221_matrix", "test_backprop_221_matrix", ('"b1": delta1.sum(axis=0)', '"b1": delta1.mean(axis=0)')),
    ("backprop_221_matrix", "test_backprop_221_matrix", ('"W1": X.T @ delta1', '"W1": np.outer(X, delta1)')),
    ("backprop_221_matrix", "test_backprop_221_matrix", ("(delta2 @ W2.T)", "(delta2.sum() * W2.T)")),
    ("backprop_221_matrix", "test_backprop_221_matrix", ("(delta2 @ W2.T)", "delta2")),
    ("backprop_221_matrix", "test_backprop_221_matrix", ("(delta2 @ W2.T)", "(delta2 @ W2)")),
]


@pytest.mark.parametrize("solution_id, test_id, replace", MUTANTS)
def test_an_edited_solution_fails_its_tests(solution_id, test_id, replace):
    with pytest.raises(checks.CheckFailed):
        run_exercise(LESSON, solution_id, test_id, [replace])


@pytest.mark.parametrize("edits", [
    [("dz1 = d * v1 * a1", "dz1 = d * a1")],
    [("dz2 = d * v2 * a2", "dz2 = d * a2")],
    [("dz1 = d * v1 * a1", "dz1 = d * a1"), ("dz2 = d * v2 * a2", "dz2 = d * a2")],
])
def test_a_missing_v_is_named_not_only_called_a_factor_of_two(edits):
    """With v1 = 0.5 the lesson's example makes a missing v1 look like 'exactly twice': the cause is named."""
    with pytest.raises(checks.CheckFailed) as failure:
        run_exercise(LESSON, "backprop_221", "test_backprop_221", edits)
    assert "Likely cause: v was left out of dL/da1 (or dL/da2)" in str(failure.value)


def test_a_bias_gradient_times_x1_shows_on_the_second_visible_case(capsys):
    """With x1 = 1 the lesson's example hides it; the second visible case, x1 = 0.8, names it."""
    with pytest.raises(checks.CheckFailed) as failure:
        run_exercise(LESSON, "backprop_221", "test_backprop_221", [('"b1": dz1,', '"b1": dz1 * x1,'),
                                                                 ('"b2": dz2,', '"b2": dz2 * x1,')])
    message = str(failure.value)
    assert "does not agree with the reference on 1 of 2 cases" in message and "x1=0.8" in message
    assert "Likely cause: a bias gradient was multiplied by an input" in message
    assert capsys.readouterr().out.count("ok:") == 1  # the lesson's example passed


@pytest.mark.parametrize("edit, cause", [
    (('"b1": delta1.sum(axis=0)', '"b1": delta1[0]'), "a bias gradient takes only the first row"),
    (("(delta2 @ W2.T)", "delta2"), "W2 was left out of dL/da1"),
    (("* A1 * (1 - A1)", "* Z1 * (1 - Z1)"), "z was used in place of a"),
    (('"b1": delta1.sum(axis=0)', '"b1": delta1.mean(axis=0)'), "a bias gradient was averaged over the rows"),
])
def test_the_batch_case_names_the_matrix_mistakes(edit, cause):
    old, new = edit
    if "Z1" in new:  # the solution keeps no Z1: compute it
        edit = ("A1 = sigmoid(X @ W1 + b1)", "Z1 = X @ W1 + b1\n    A1 = sigmoid(Z1)")
        with pytest.raises(checks.CheckFailed) as failure:
            run_exercise(LESSON, "backprop_221_matrix", "test_backprop_221_matrix", [edit, (old, new)])
    else:
        with pytest.raises(checks.CheckFailed) as failure:
            run_exercise(LESSON, "backprop_221_matrix", "test_backprop_221_matrix", [edit])
    assert "Likely cause: " + cause in str(failure.value)


def test_a_missing_transpose_in_the_pass_back_says_what_the_shape_error_means():
    with pytest.raises(checks.CheckFailed) as failure:
        run_exercise(LESSON, "backprop_221_matrix", "test_backprop_221_matrix",
                     [("(delta2 @ W2.T)", "(delta2 @ W2)")])
    message = str(failure.value)
    assert "raised ValueError: matmul" in message and "in backprop_221_matrix" in message
    assert "the two sides of @ do not fit: (m, n) @ (n, k) needs the same n in the middle" in message


def test_the_quiz_states_its_precision_and_answers_near_misses():
    first = quiz_from(LESSON)["quiz"].questions[0]
    assert "4 decimals" in first.prompt.value
    assert answer(first, "0.2668")[0] is True
    ok, feedback = answer(first, "0.267")
    assert not ok and "Right to 3 decimals" in feedback
    ok, feedback = answer(first, "0.2700")
    assert not ok and "give 4 decimals" in feedback
    ok, feedback = answer(first, "-0.2668")
    assert not ok and "Check the sign" in feedback


def test_the_order_question_accepts_every_order_that_respects_the_dependencies():
    order = next(q for q in quiz_from(LESSON)["quiz"].questions if isinstance(q, Order))
    steps = order.steps
    assert answer(order, steps)[0] is True
    swapped = steps[:3] + [steps[4], steps[3]] + steps[5:]          # dL/da before dL/dv: both need only dL/dy_hat
    assert answer(order, swapped)[0] is True
    late_dv = steps[:3] + steps[4:7] + [steps[3], steps[7]]          # dL/dv just before the update: fine too
    assert answer(order, late_dv)[0] is True
    update_early = steps[:4] + [steps[7]] + steps[4:7]               # the update before dL/da: wrong, and said why
    ok, feedback = answer(order, update_early)
    assert not ok and "needs" in feedback and "(with the old v)" in feedback
    assert order.start != steps and not order._right(order.start)


def test_the_batch_question_of_the_quiz():
    question = next(q for q in quiz_from(LESSON)["quiz"].questions if "batch" in q.prompt.value)
    right = question.answer
    assert right.startswith("(2,)") and answer(question, right)[0] is True
    for option in question.options:
        if option != right:
            ok, feedback = answer(question, option)
            assert not ok and feedback


def test_an_answer_built_on_the_course_layers_is_told_so():
    """The cell that runs the course's layers comes after the exercises; copying it into the answer is caught."""
    copied = ("A1 = sigmoid(X @ W1 + b1)",
              "net = layers.Sequential(layers.Linear(W1.copy(), b1.copy()), layers.Sigmoid(),\n"
              "                            layers.Linear(W2.copy(), b2.copy()))\n"
              "    out, caches = net.forward(X)\n"
              "    _, g = net.backward(out - Y, caches)\n"
              "    return {'W1': g[0]['W'], 'b1': g[0]['b'], 'W2': g[2]['W'], 'b2': g[2]['b']}\n"
              "    A1 = sigmoid(X @ W1 + b1)")
    with pytest.raises(checks.CheckFailed, match=r"calls the course's own backprop\.layers\."):
        run_exercise(LESSON, "backprop_221_matrix", "test_backprop_221_matrix", [copied])
    nb = nbformat.read(SOLUTION, as_version=4)
    sources = [c.source for c in nb.cells]
    layers_cell = next(i for i, src in enumerate(sources) if "layers.Sequential(" in src and "net.forward" in src)
    last_exercise = max(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade"))
    assert layers_cell > last_exercise


def test_running_an_earlier_cell_again_after_the_matrix_sections_gives_the_same_numbers():
    """The matrix cells use names of their own (X, Z1, A1, b1_vec): steps 1 to 4 can be run again."""
    import contextlib
    import io

    import matplotlib

    matplotlib.use("Agg")
    nb = nbformat.read(SOLUTION, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code" and not c.metadata.get("nbgrader", {}).get("grade")]
    first_matrix = next(i for i, src in enumerate(code) if "X @ W1 + b1_vec" in src)
    namespace = {}

    def run(sources):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            for src in sources:
                exec(src, namespace)
        plt.close("all")
        return out.getvalue()

    before = run(code[:first_matrix])
    run(code[first_matrix:])
    again = run(code[1:first_matrix])   # everything but the imports, once more
    assert again == before and "y_hat = 0.5*0.5866 + 0.6*0.6225 + 0.1 = 0.7668" in again


def test_gradients_from_the_course_s_autograd_fail_with_a_clear_message():
    from backprop.autograd import Tensor

    def backprop_221_matrix(X, Y, W1, b1, W2, b2):
        params = [Tensor(W1), Tensor(b1), Tensor(W2), Tensor(b2)]
        w1, c1, w2, c2 = params
        loss = (((X @ w1 + c1).sigmoid() @ w2 + c2 - Y) ** 2).sum() * 0.5
        loss.backward()
        return dict(zip(["W1", "b1", "W2", "b2"], (p.grad for p in params)))

    def backprop_221(x1, x2, y, **weights):
        names = ["w11", "w12", "b1", "w21", "w22", "b2", "v1", "v2", "b3"]
        t = {k: Tensor(np.array(weights[k])) for k in names}
        a1 = (t["w11"] * x1 + t["w12"] * x2 + t["b1"]).sigmoid()
        a2 = (t["w21"] * x1 + t["w22"] * x2 + t["b2"]).sigmoid()
        (((t["v1"] * a1 + t["v2"] * a2 + t["b3"]) - y) ** 2 * 0.5).backward()
        return {k: float(t[k].grad) for k in names}

    told = "it calls the course's own backprop.autograd.Tensor instead of computing the answer itself"
    assert told in str(visible_failure(LESSON, "test_backprop_221_matrix", backprop_221_matrix=backprop_221_matrix))
    assert told in str(visible_failure(LESSON, "test_backprop_221", backprop_221=backprop_221))


def test_an_answer_that_remembers_the_forward_pass_of_an_example_fails_the_visible_test():
    """The lesson's example again through other weights: a forward pass kept from the first call shows."""
    from backprop.mistakes.l03_worked_221 import _scalar_221

    right = _scalar_221()  # the catalogue's builder with no mistake switched on: the right answer

    def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3, _seen={}):  # noqa: B006  (the mistake under test)
        key = (x1, x2)
        if key not in _seen:
            _seen[key] = right(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3)
        return dict(_seen[key])

    failure = visible_failure(LESSON, "test_backprop_221", backprop_221=backprop_221)
    assert "on 1 of 2 cases" in str(failure).splitlines()[0]
    assert visible_failure(LESSON, "test_backprop_221", backprop_221=right) is None


def test_a_mistake_is_named_whatever_the_order_of_the_answer_s_keys():
    """w12 and w21 read 'from input i to unit j', the dict written in that reading's order: the order of a
    dict's keys is not part of the answer (nor of its dtypes), and the mistake is named."""
    def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
        from backprop.layers import sigmoid
        a1, a2 = sigmoid(w11 * x1 + w21 * x2 + b1), sigmoid(w12 * x1 + w22 * x2 + b2)
        d = v1 * a1 + v2 * a2 + b3 - y
        dz1, dz2 = d * v1 * a1 * (1 - a1), d * v2 * a2 * (1 - a2)
        return {"w11": dz1 * x1, "w21": dz1 * x2, "b1": dz1, "w12": dz2 * x1, "w22": dz2 * x2, "b2": dz2,
                "v1": d * a1, "v2": d * a2, "b3": d}

    failure = visible_failure("03_worked_221", "test_backprop_221", backprop_221=backprop_221)
    assert [c.id for c in failure.causes] == ["l03.w12-w21-read-other-way"]
