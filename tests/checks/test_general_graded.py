"""The general causes (backprop/checks/general.py, and the layer probe's) name the same mistake when graded as
in the student's notebook: the student's functions then live in the grader's sandbox, and what they return
reaches the checks through autograde/wire.py (a buffer returned twice, state kept between calls, an argument
changed in place must still show). Wrong answers of the newcomers' corpus, graded both ways.

(Not here: l03-221-shared-dict, one dict made outside the function and filled by every call. Graded, a
one-case check after an earlier check's call already fails, and the cause, output-reused, is not seen:
the test cell fails both ways, with the cause only in the notebook.)"""

import importlib.util
from pathlib import Path

import pytest
from test_cascade import graded, in_the_notebook, instructors_notebook  # (tests/checks/test_cascade.py)

from autograde import isolation

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

# corpus entry -> (its lesson's corpus file, the test cell, the general cause it gets)
ENTRIES = {
    "l01-forward-float32": ("l01_one_neuron", "test_neuron_forward", "course.float32"),
    "l01-forward-rounds": ("l01_one_neuron", "test_neuron_forward", "course.rounded"),
    "l01-forward-memo-on-x": ("l01_one_neuron", "test_neuron_forward", "course.state-between-calls"),
    "l01-grad-running-sum": ("l01_one_neuron", "test_neuron_gradients", "course.state-between-calls"),
    "l02-relu-back-inplace-da": ("l02_chain_rule", "test_relu_layer", "course.changes-argument"),
    "l04-lin-swapped-return": ("l04_layers_matrix_form", "test_linear_layer", "course.outputs-swapped"),
    "l04-lin-out-buffer": ("l04_layers_matrix_form", "test_linear_layer", "course.forward-reuses-output"),
    "l04-lin-self-x": ("l04_layers_matrix_form", "test_linear_layer", "course.backward-not-from-cache"),
    "l04-sig-cache-in-place": ("l04_layers_matrix_form", "test_sigmoid_layer", "course.backward-changes-cache"),
}


def corpus_entry(stem, entry_id):
    spec = importlib.util.spec_from_file_location(stem, CORPUS / f"{stem}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.LESSON, next(e for e in module.WRONG if e["id"] == entry_id)


@pytest.fixture(scope="module")
def zygote(tmp_path_factory):
    folder = tmp_path_factory.mktemp("general-grading")
    made = isolation.Zygote(isolation.engine(), folder / "zygote", folder / "views")
    yield made
    made.close()


@pytest.mark.parametrize("entry_id", sorted(ENTRIES))
def test_a_general_cause_is_named_alike_in_the_notebook_and_when_graded(zygote, entry_id):
    stem, test_cell, cause = ENTRIES[entry_id]
    lesson, entry = corpus_entry(stem, entry_id)
    nb = instructors_notebook(lesson, entry["cells"])
    notebook, grader = in_the_notebook(nb, "s1"), graded(nb, "s1", zygote)
    assert notebook[test_cell][:2] == (False, [cause]), notebook[test_cell]
    assert {g: v[:2] for g, v in grader.items()} == {g: v[:2] for g, v in notebook.items()}, (notebook, grader)
