"""Figures, explorers and quizzes, driven from Python as a student would drive them."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from backprop import data, plots
from backprop.explorers import NeuronExplorer
from backprop.quiz import MultipleChoice, Numeric, Order, Quiz


def texts(ax):
    return [t.get_text() for t in ax.texts]


def test_network_diagram_writes_values_and_gradients(artifacts):
    ax = plots.draw_network(
        [2, 2, 1], names=[["x1", "x2"], ["h1", "h2"], ["y"]],
        node_text={"h1": "a=0.5866\ngrad:dL/dz=-0.0283"},
        edge_text={("x1", "h1"): "w11=0.1\ngrad:-0.0283"}, loss="0.0272", highlight=["h1"],
    )
    shown = texts(ax)
    for expected in ["x1", "h1", "a=0.5866", "dL/dz=-0.0283", "w11=0.1", "-0.0283", "0.0272"]:
        assert expected in shown
    gradient_texts = [t for t in ax.texts if t.get_text() == "dL/dz=-0.0283"]
    assert gradient_texts[0].get_color() == plots.GRADIENT_COLOUR
    ax.figure.savefig(artifacts / "network_221.png", dpi=100, bbox_inches="tight")
    plt.close(ax.figure)


def test_network_diagram_rejects_names_of_the_wrong_sizes():
    with pytest.raises(ValueError, match=r"names has layers of sizes \[2, 1\] but sizes is \[2, 2\]"):
        plots.draw_network([2, 2], names=[["a", "b"], ["c"]])


def test_loss_curves_activations_and_decision_boundary(artifacts):
    ax = plots.plot_losses({"batch": [3, 2, 1], "stochastic": [3, 2.5, 1.5, 1.2]}, log=True)
    assert [line.get_label() for line in ax.lines] == ["batch", "stochastic"]
    assert ax.get_yscale() == "log"
    plt.close(ax.figure)

    axes = plots.plot_activations(mark=0.0)
    assert [a.get_title() for a in axes] == ["sigmoid", "tanh", "relu"]
    sigmoid_derivative = axes[0].lines[1].get_ydata()
    assert sigmoid_derivative.max() == pytest.approx(0.25)
    axes[0].figure.savefig(artifacts / "activations.png", dpi=80, bbox_inches="tight")
    plt.close(axes[0].figure)

    X, y = data.spiral(n_per_class=40, seed=0)
    ax = plots.plot_decision_boundary(lambda P: np.column_stack([P[:, 0], P[:, 1], -P[:, 0]]), X, y, resolution=50)
    image = ax.images[0].get_array()
    assert set(np.unique(image)) == {0, 1, 2}
    ax.figure.savefig(artifacts / "decision_boundary.png", dpi=80, bbox_inches="tight")
    plt.close(ax.figure)


def test_neuron_explorer_moves_and_steps(artifacts):
    e = NeuronExplorer()
    first = e.image.value
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert "L = (\\hat y - y)^2 = 9.0000" in e.readout.value
    assert "-12.0000" in e.readout.value
    e.w.value = 1.0
    assert e.image.value != first
    assert "L = (\\hat y - y)^2 = 4.0000" in e.readout.value
    assert e.point_w.get_ydata()[0] == pytest.approx(4.0)
    # one gradient step from the seed's starting point lands on w = 1.7, the bias untouched
    e.set_values(w=0.5, b=0.0)
    e.step_button.click()
    assert e.w.value == pytest.approx(1.7) and e.b.value == 0.0
    assert "L = (\\hat y - y)^2 = 0.3600" in e.readout.value
    assert len(e.trail) == 1
    e.learn_b.value = True
    e.step_button.click()
    assert e.b.value != 0.0
    e.reset_button.click()
    assert (e.w.value, e.b.value, e.trail) == (0.5, 0.0, [])
    (artifacts / "neuron_explorer.png").write_bytes(e.image.value)


def test_multiple_choice_gives_feedback_on_each_answer():
    q = MultipleChoice("2 + 2?", {"4": "Yes.", "5": "One too many."}, answer="4")
    q.check_button.click()
    assert q.correct is False and "Pick an option first" in q.feedback.value
    q.answer_widget.value = "5"
    q.check_button.click()
    assert q.correct is False and "One too many." in q.feedback.value and "Not quite" in q.feedback.value
    q.answer_widget.value = "4"
    q.check_button.click()
    assert q.correct is True and "Correct." in q.feedback.value and "Yes." in q.feedback.value
    with pytest.raises(ValueError, match="answer '3' is not one of the options"):
        MultipleChoice("2 + 2?", {"4": "", "5": ""}, answer="3")


def test_numeric_question():
    q = Numeric("dL/db?", answer=-6.0, explanation="2(1 - 4) = -6.", wrong={-12.0: "That is dL/dw."})
    for typed, correct, said in [("", False, "Type a number"), ("abc", False, "is not a number"),
                                 ("-12", False, "That is dL/dw."), ("3", False, "one step at a time"),
                                 ("\u22126.0", True, "2(1 - 4) = -6.")]:
        q.answer_widget.value = typed
        assert q.check() is correct
        assert said in q.feedback.value


def test_order_question_says_which_step_is_misplaced():
    steps = ["first", "second", "third", "fourth"]
    q = Order("Order them", steps, explanation="That is the order.")
    assert q.answer_widget.value != steps and sorted(q.answer_widget.value) == sorted(steps)
    q.answer_widget.value = ["first", "third", "second", "fourth"]
    assert q.check() is False
    assert "2 of 4 steps are in place. Step 2 should be \u201csecond\u201d" in q.feedback.value
    q.answer_widget.value = ["first", "second", "fourth"]
    assert q.check() is False and "Some steps were removed: third" in q.feedback.value
    q.reset_button.click()
    assert sorted(q.answer_widget.value) == sorted(steps)
    q.answer_widget.value = steps
    assert q.check() is True and "That is the order." in q.feedback.value


def test_quiz_collects_questions():
    q = Quiz([Numeric("1?", 1.0, "yes")])
    assert len(q.questions) == 1 and "Try it" in q.children[0].value


def test_the_answers_of_a_quiz_are_not_always_in_the_same_place():
    options = {"right": "Right: it is.", "wrong": "No.", "also wrong": "No again."}
    questions = [MultipleChoice(f"Question {k}?", options, answer="right") for k in range(6)]
    Quiz(questions)
    positions = [q.answer_widget.options.index("right") for q in questions]
    assert positions == [q.answer_position for q in questions]
    assert all(a != b for a, b in zip(positions, positions[1:])), positions  # never twice running
    assert [sorted(q.answer_widget.options) for q in questions] == [sorted(options)] * 6
    again = MultipleChoice("Question 0?", options, answer="right")
    assert again.answer_widget.options == MultipleChoice("Question 0?", options, answer="right").answer_widget.options
    # the feedback of a right answer that says so itself is not prefixed with "Correct."
    q = questions[0]
    q.answer_widget.value = "right"
    assert q.check() is True and "Correct." not in q.feedback.value and "Right: it is." in q.feedback.value


def test_an_explorer_draws_its_figure_once_per_redraw(monkeypatch):
    import matplotlib.figure

    e = NeuronExplorer()
    draws = []
    original = matplotlib.figure.Figure.draw
    def counting(fig, renderer):
        draws.append(1)
        return original(fig, renderer)

    monkeypatch.setattr(matplotlib.figure.Figure, "draw", counting)
    e.w.value = 1.0
    assert len(draws) == 1


def test_order_question_with_needs_accepts_every_order_that_respects_them():
    steps = ["loss", "delta", "weights", "pass back"]
    needs = {"delta": ["loss"], "weights": ["delta"], "pass back": ["delta"]}
    q = Order("Order them", steps, explanation="Any order that respects the chain.", needs=needs)
    assert not q._right(q.answer_widget.value) and sorted(q.answer_widget.value) == sorted(steps)
    for right in (steps, ["loss", "delta", "pass back", "weights"]):
        q.answer_widget.value = right
        assert q.check() is True and "Any order that respects the chain." in q.feedback.value
    q.answer_widget.value = ["loss", "weights", "delta", "pass back"]
    assert q.check() is False
    assert "Step 2, \u201cweights\u201d, needs \u201cdelta\u201d, which comes after it (step 3)" in q.feedback.value
    with pytest.raises(ValueError, match=r"needs names steps that are not in steps: \['nothing'\]"):
        Order("?", steps, "", needs={"nothing": ["loss"]})
    with pytest.raises(ValueError, match="must respect needs"):
        Order("?", steps, "", needs={"loss": ["delta"]})


def test_a_change_during_a_redraw_is_drawn_after_it_not_into_it():
    """The browser echoes a slider value it rounded while the kernel is still drawing."""
    calls = []

    class Echoing(NeuronExplorer):
        def update(self):
            calls.append(self.w.value)
            if len(calls) == 2:      # the redraw after a step: the slider's echo arrives mid-draw
                self.w.value = 1.25  # a nested redraw, which must wait for this one
            super().update()

    e = Echoing()
    e.w.value = 1.0
    assert calls == [0.5, 1.0, 1.25]  # the echoed value is drawn once the running redraw is done
    assert "L = (\\hat y - y)^2 = 2.2500" in e.readout.value
    assert len(e.image.value) > 5000 and not e._pending


def test_a_figure_made_after_an_explorer_is_still_shown_in_a_notebook():
    """In a fresh kernel, the first figure pyplot makes picks its backend and switches interactive
    mode on; an explorer made inside rc_context must not switch it off for the figures after it."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in [
        "import matplotlib.pyplot as plt\nfrom backprop.explorers import NeuronExplorer\nNeuronExplorer()",
        "fig, ax = plt.subplots()\nax.plot([1, 2]);",
    ]]
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    shown = [o for o in nb.cells[1].outputs if "image/png" in o.get("data", {})]
    assert len(shown) == 1, f"the figure after the explorer was not shown: {nb.cells[1].outputs}"
