"""Text alternatives, live readouts, keyboard reordering and colours, without a browser
(tests/test_accessibility.py checks the same in JupyterLab, with axe-core).

The colour checks draw every figure of the plots module and every explorer, render it to PNG, and
measure what is on the image: each text's contrast against what is behind it (WCAG 2.1 AA: 4.5:1),
and, for every pair of lines or markers in one panel, whether a person with protanopia, deuteranopia
or tritanopia can tell them apart (Machado et al. 2009 simulation on the rendered pixels) or has a
second cue (line style or marker). The simulated images are saved in tests/artifacts/colour/.
"""

import io
import itertools
import re

import matplotlib
import matplotlib.pyplot as plt
import nbformat
import numpy as np
import PIL.Image
import pytest

from backprop import access, data, explorers, plots, quiz

matplotlib.use("Agg")

KINDS = ("protanopia", "deuteranopia", "tritanopia")
MIN_DELTA_E = 15.0  # CIE76; under about 10, two colours are easily confused in a plot


# ------------------------------------------------------------------------------------------ alt text


def test_a_loss_curve_is_described_from_what_to_what_over_how_many_steps():
    fig, ax = plt.subplots()
    plots.plot_losses([0.6931, 0.5, 0.3, 0.2, 0.0123], ax=ax)
    words = access.describe_figure(fig)
    assert "loss from 0.6931 at step = 0 to 0.0123 at step = 4" in words and "(5 points)" in words, words
    assert "y axis loss" in words and "x axis step" in words
    plt.close(fig)


def test_the_221_diagram_is_described_with_its_values_and_gradients():
    p = data.worked_221()["scalars"]
    ax = plots.draw_221(p)
    words = access.describe_figure(ax.figure)
    drawn = [t.get_text() for t in ax.texts if re.search(r"\d", t.get_text())]
    assert len(drawn) > 10
    for text in drawn:  # every number written on the diagram is in its description
        assert access._clean(text) in words, (text, words)
    plt.close(ax.figure)


def test_show_gives_jupyterlab_and_nbconvert_the_alt_text(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: shown.append((a, k)))
    fig, ax = plt.subplots()
    ax.plot([0, 10], [2.0, 0.5], label="loss")
    plots.show("The loss falls.", fig)
    (bundle,), options = shown[0]
    alt = options["metadata"]["image/png"]["alt"]
    assert alt.startswith("The loss falls. ") and "from 2 at x = 0 to 0.5 at x = 10" in alt
    assert f'alt="{alt}"' in bundle["text/html"] and bundle["text/plain"] == alt
    assert not plt.fignum_exists(fig.number)
    # in a notebook: nbconvert's lab and classic templates, and the course's feedback pages, keep it
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    from autograde.feedback import FeedbackExporter

    cell = nbformat.v4.new_code_cell("plots.show('The loss falls.')")
    cell.outputs = [nbformat.v4.new_output("display_data", data=bundle, metadata=options["metadata"])]
    nb = nbformat.v4.new_notebook(cells=[cell])
    for exporter in (HTMLExporter(template_name="lab"), HTMLExporter(template_name="classic"),
                     FeedbackExporter(config=Config({"HTMLExporter": {"template_name": "classic"}}))):
        html, _ = exporter.from_notebook_node(nb)
        images = re.findall(r"<img\b[^>]*>", html)
        assert any('src="data:image/png;base64,' in i and 'alt="The loss falls. ' in i for i in images), exporter
        assert "&lt;img" not in html


def test_feedback_pages_declare_their_language_and_fix_the_templates_contrast():
    from autograde.feedback import ACCESSIBLE_STYLE, accessible

    page = accessible("<html>\n<head><title>x</title></head><body></body></html>")
    assert page.startswith('<html lang="en">') and ACCESSIBLE_STYLE + "</head>" in page
    for colour in re.findall(r"color: (#\w{6});", ACCESSIBLE_STYLE):  # on the page and on code's grey
        assert min(access.contrast_ratio(colour, "#ffffff"), access.contrast_ratio(colour, "#f5f5f5")) >= 4.5, colour
    assert "div.nbgrader_cell .panel-heading a, div.nbgrader_cell .panel-heading a:hover { color: inherit; }" in page


def explorer_instances():
    return [(cls.__name__, cls()) for cls in sorted(
        (c for c in vars(explorers).values()
         if isinstance(c, type) and issubclass(c, explorers.Explorer) and c is not explorers.Explorer),
        key=lambda c: c.__name__)]


def test_every_explorer_says_in_words_and_numbers_what_its_figure_shows():
    import benchmarks.explorers as bench

    def shown(widget):  # every widget the explorer puts on the page
        return [widget] + [w for child in getattr(widget, "children", ()) for w in shown(child)]

    for name, explorer in explorer_instances():
        on_page = shown(explorer)
        assert explorer.image in on_page and explorer.live in on_page, f"{name}: its image or live region is not shown"
        alt, said = explorer.image.alt, explorer.live.text
        assert len(alt) > 80 and re.search(r"\d", alt), (name, alt)
        assert re.search(r"\d", said), (name, said)
        assert "$" not in said and "<" not in said and "\\" not in said, (name, said)
        controls = bench.controls(explorer)
        assert controls, name
        for control in controls.values():
            bench.two_moves(control)[1]()
        assert explorer.image.alt != alt or explorer.live.text != said, f"{name}: the words did not follow a change"
        plt.close(explorer.fig)


def test_the_training_monitor_says_what_it_shows():
    monitor = explorers.TrainingMonitor(epochs=3, every=1)
    for epoch, loss in enumerate([1.0, 0.5, 0.25]):
        monitor.update(epoch, loss, accuracy=0.5 + 0.1 * epoch)
    assert "after epoch 3 of 3" in monitor.image.alt and "from 1 at epoch = 1 to 0.25 at epoch = 3" in monitor.image.alt
    assert monitor.live.text == "training: epoch 3/3, loss 0.2500, training 70.0%"


def test_speakable_reads_the_readouts_latex_as_words():
    said = access.speakable("$\\hat y = wx + b = 1.0000$<br>$\\partial L/\\partial w = -12$<br>next step:<br>"
                            "$w \\leftarrow 0.5 - 0.1\\times(-12)$")
    assert said == "ŷ = wx + b = 1.0000. ∂L/∂w = -12. next step: w ← 0.5 - 0.1×(-12)."


def test_an_order_question_is_reordered_with_the_keyboard():
    q = quiz.Order("Put them in order.", ["first", "second", "third"], "Right.")
    order = list(q.answer_widget.value)
    assert q.picked == order[0] and "step 1 of 3" in q.picked_label.value
    q.pick(+1)
    q.pick(+1)
    assert q.picked == order[2] and q.live.text == f"Picked step 3 of 3: \u201c{order[2]}\u201d."
    q.move(-1)
    assert q.answer_widget.value == [order[0], order[2], order[1]]
    assert q.live.text == f"\u201c{order[2]}\u201d is now step 2 of 3." and "step 2 of 3" in q.picked_label.value
    q.pick(+2)  # round: from the second to the first
    assert q.picked == order[0]
    # a drag (the tags' order changed directly) is followed too
    q.answer_widget.value = ["third", "first", "second"]
    q.picked = "third"
    q.answer_widget.value = ["first", "third", "second"]
    assert "step 2 of 3" in q.picked_label.value
    for place, step in enumerate(q.steps):  # any order can be put right from the keyboard alone
        while q.picked != step:
            q.pick(+1)
        for _ in range(q.answer_widget.value.index(step) - place):
            q.move(-1)
    assert list(q.answer_widget.value) == q.steps
    assert q.check() and "Right." in q.live.text
    q.answer_widget.value = []  # every step deleted from the list: nothing is picked, the buttons do nothing
    assert q.picked is None and q.picked_label.value == ""
    q.pick(+1)
    q.move(-1)
    assert q.answer_widget.value == [] and q.picked is None


def test_quiz_feedback_is_announced_every_time_check_is_pressed():
    q = quiz.MultipleChoice("Which?", {"a": "Not a.", "b": "Right: b."}, answer="b")
    q.answer_widget.value = "a"
    q.check()
    first = q.live.text
    q.check()
    assert first.startswith("Not quite. Not a.") and q.live.text != first and q.live.text.strip() == first


# -------------------------------------------------------------------------------------------- colour


def every_figure():
    """(name, figure) for every figure of the plots module and every explorer, drawn."""
    rng = np.random.default_rng(0)
    X, y = data.spiral(40, 3)
    figures = []
    fig, ax = plt.subplots()
    plots.plot_losses({"batch": [1, 0.5, 0.3], "stochastic": [1, 0.7, 0.2], "mini-batch": [1, 0.6, 0.25]}, ax=ax)
    figures.append(("plot_losses", fig))
    axes = plots.plot_activations()
    figures.append(("plot_activations", axes[0].figure))
    fig, ax = plt.subplots()
    plots.plot_decision_boundary(lambda P: np.column_stack([P[:, 0], P[:, 1], -P[:, 0]]), X, y, ax=ax, resolution=40)
    figures.append(("plot_decision_boundary", fig))
    fig, ax = plt.subplots()
    plots.plot_gradient_norms({"sigmoid, N(0, 1)": np.logspace(-8, 0, 21), "tanh, Xavier": np.logspace(-2, 0, 21),
                               "relu, He": np.ones(21), "relu, N(0, 1)": np.logspace(6, 0, 21)}, ax=ax)
    figures.append(("plot_gradient_norms", fig))
    runs = {name: {"loss": list(np.linspace(2, end, 30)), "diverged_at": None}
            for name, end in (("none", 0.1), ("clip 1", 0.2), ("clip 5", 0.3), ("lr 0.1", 0.4))}
    fig, ax = plt.subplots()
    plots.plot_runs(runs, "loss", ax=ax)
    figures.append(("plot_runs", fig))
    figures.append(("draw_221", plots.draw_221(data.worked_221()["scalars"]).figure))
    figures.append(("draw_neuron_graph", plots.draw_neuron_graph(2.0, 0.5, 0.0, 4.0).figure))
    figures.append(("plot_confusion_matrix", plots.plot_confusion_matrix(
        rng.integers(0, 10, 300), rng.integers(0, 10, 300), n_classes=10).figure))
    for name, explorer in explorer_instances():
        figures.append((name, explorer.fig))
    monitor = explorers.TrainingMonitor(epochs=3, every=1, boundary=(X, y))
    for epoch in range(3):
        monitor.update(epoch, 1.0 / (epoch + 1), accuracy=0.5, test_accuracy=0.4,
                       predict=lambda P: np.column_stack([P[:, 0], P[:, 1], -P[:, 0]]))
    figures.append(("TrainingMonitor", monitor.fig))
    return figures


def rendered(fig, dpi=90):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return np.asarray(PIL.Image.open(buffer).convert("RGB"))


def _marks(ax):
    """The lines and marker sets of a panel: (colour, line style, marker, label)."""
    from matplotlib.colors import to_hex

    marks = []
    for line in ax.get_lines():
        if not line.get_visible() or len(np.atleast_1d(line.get_xdata())) == 0:
            continue
        if line.get_transform() is not ax.transData:  # axhline and axvline: guides, not data
            continue
        colour = to_hex(line.get_color() if line.get_linestyle() not in ("None", "") else line.get_markerfacecolor())
        marks.append((colour, line.get_linestyle(), line.get_marker(), line.get_label()))
    return marks


def test_lines_and_markers_of_one_panel_are_told_apart_under_every_colour_vision_deficiency(artifacts):
    folder = artifacts / "colour"
    folder.mkdir(parents=True, exist_ok=True)
    confused = []
    for name, fig in every_figure():
        pixels = rendered(fig)
        for kind in KINDS:  # what a person with each deficiency sees, to look at
            PIL.Image.fromarray((access.simulate_cvd(pixels, kind) * 255).round().astype(np.uint8)).save(
                folder / f"{name}-{kind}.png")
        present = {tuple(p) for p in pixels.reshape(-1, 3)[:: 7]}
        for ax in fig.axes:
            marks = [m for m in _marks(ax)]
            for a, b in itertools.combinations(marks, 2):
                if a[0] == b[0] or (a[1], a[2]) != (b[1], b[2]):
                    continue  # the same colour (one series), or told apart by line style or marker
                for kind in KINDS:
                    distance = float(access.delta_e(access.simulate_cvd(a[0], kind), access.simulate_cvd(b[0], kind)))
                    if distance < MIN_DELTA_E:
                        confused.append(f"{name}: {a[3]} {a[0]} and {b[3]} {b[0]}, {kind}: ΔE {distance:.1f}")
        assert present  # (the figure was drawn)
        plt.close(fig)
    assert not confused, "\n".join(confused)


def _background(text, pixels):
    """The colour behind a text on the rendered figure: the commonest pixel of its box that is not
    close to the text's own colour (the text's box, a pale label background or an image cell)."""
    from matplotlib.colors import to_rgb

    box = text.get_window_extent()
    height = pixels.shape[0]
    x0, x1 = max(int(box.x0), 0), min(int(np.ceil(box.x1)), pixels.shape[1])
    y0, y1 = max(int(height - box.y1), 0), min(int(np.ceil(height - box.y0)), height)
    patch = pixels[y0:y1, x0:x1].reshape(-1, 3)
    ink = np.array(to_rgb(text.get_color())) * 255
    patch = patch[np.abs(patch.astype(float) - ink).sum(axis=1) > 60]
    if len(patch) == 0:
        return None
    colours, counts = np.unique(patch, axis=0, return_counts=True)
    return colours[counts.argmax()].astype(np.uint8)


def test_every_text_in_every_figure_has_a_contrast_of_at_least_4_5():
    low = []
    for name, fig in every_figure():
        pixels = rendered(fig, dpi=fig.dpi)
        for ax in [None, *fig.axes]:
            owner = fig if ax is None else ax
            texts = list(owner.texts) if ax is None else [*ax.texts, ax.title, ax._left_title, ax._right_title,
                                                          ax.xaxis.label, ax.yaxis.label,
                                                          *ax.get_xticklabels(), *ax.get_yticklabels()]
            legend = ax.get_legend() if ax is not None else None
            texts += legend.get_texts() if legend is not None else []
            for text in texts:
                if not text.get_visible() or not text.get_text().strip() or text.get_alpha() == 0:
                    continue
                behind = _background(text, pixels)
                if behind is None:
                    continue
                ratio = float(access.contrast_ratio(text.get_color(), behind.reshape(1, 3))[0])
                if ratio < 4.5:
                    low.append(f"{name}: {text.get_text()!r} in {text.get_color()} ({ratio:.2f}:1)")
        plt.close(fig)
    assert not low, "\n".join(sorted(set(low)))


def test_the_widgets_colours_have_a_contrast_of_at_least_4_5():
    for colour in (quiz.RIGHT, quiz.WRONG):
        assert access.contrast_ratio(colour, "white") >= 4.5


@pytest.mark.parametrize("kind", KINDS)
def test_the_simulation_is_machado_s(kind):
    """Sanity of the matrices: white stays white, and the confusion each deficiency is known for appears."""
    assert np.allclose(access.simulate_cvd("white", kind), 1.0, atol=0.01)
    red, green, blue, yellow = "#d62728", "#2ca02c", "#1f77b4", "#bcbd22"
    a, b = (red, green) if kind in ("protanopia", "deuteranopia") else (blue, yellow)
    seen = access.delta_e(access.simulate_cvd(a, kind), access.simulate_cvd(b, kind))
    assert seen < 0.6 * access.delta_e(a, b)  # apart for most people, much closer with the deficiency


def test_a_feedback_pages_html_keeps_the_figures_data_images_and_no_other_data_url():
    """The figures (PNG data with alt text) survive the page's cleaning; a link or another image to a
    data: URL (a page of the student's, with script) does not."""
    from autograde.feedback import clean_html

    figure = '<img src="data:image/png;base64,iVBORw0K" alt="a loss curve">'
    cleaned = clean_html('<a href="data:text/html,<script>alert(1)</script>">x</a> <a href="https://numpy.org">y</a>'
                         f'{figure} <img src="data:image/svg+xml,x">')
    assert 'href="data:' not in cleaned and 'src="data:image/svg' not in cleaned
    assert '<a href="https://numpy.org">' in cleaned and figure in cleaned
