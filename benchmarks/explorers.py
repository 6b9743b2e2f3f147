"""4. The explorers: from a control's change to a redrawn figure.

Every subclass of backprop.explorers.Explorer is built with its defaults, and each of its
controls (sliders, toggles, drop-downs, check boxes, number boxes: every widget with a value
whose change redraws) is moved back and forth between two values, programmatically, as the
browser would: `control.value = v` runs the explorer's callback (update the artists, render
the PNG) before it returns. Each move is timed (wall and CPU); the result per control is the
median of its moves; an explorer is as slow as its slowest control. Buttons (a gradient step,
a training run) are not timed: they do work, not only redraw.

TrainingMonitor is not an Explorer (nothing to move), but it redraws while lesson 06 trains:
its redraw is timed too, apart.
"""

import time

import numpy as np

from benchmarks.measure import summary

SKIP = ("Image", "HTML", "HTMLMath", "Label", "Output", "Button", "Box", "HBox", "VBox", "GridBox")


def explorer_classes():
    from backprop import explorers

    return sorted((c for c in vars(explorers).values()
                   if isinstance(c, type) and issubclass(c, explorers.Explorer) and c is not explorers.Explorer),
                  key=lambda c: c.__name__)


def controls(explorer):
    """{attribute name: widget} for every control whose value change is observed."""
    import ipywidgets as widgets

    found = {}
    for name, value in sorted(vars(explorer).items()):
        if not isinstance(value, widgets.ValueWidget) or type(value).__name__ in SKIP:
            continue
        if value is explorer.readout or value is explorer.image or getattr(value, "disabled", False):
            continue
        if value._trait_notifiers.get("value", {}).get("change"):
            found[name] = value
    return found


def two_moves(widget):
    """(set_a, set_b): two functions that each put the control at a different value."""
    import ipywidgets as widgets

    if isinstance(widget, (widgets.Dropdown, widgets.ToggleButtons, widgets.SelectionSlider, widgets.RadioButtons)):
        last = len(widget.options) - 1
        first = 0 if widget.index != 0 else 0
        return (lambda: setattr(widget, "index", first)), (lambda: setattr(widget, "index", last))
    if isinstance(widget, widgets.Checkbox):
        return (lambda: setattr(widget, "value", False)), (lambda: setattr(widget, "value", True))
    if isinstance(widget, widgets.FloatLogSlider):
        low, high = widget.min, widget.max
        a, b = widget.base ** (low + 0.3 * (high - low)), widget.base ** (low + 0.7 * (high - low))
    elif hasattr(widget, "min") and hasattr(widget, "max"):
        low, high = widget.min, widget.max
        if isinstance(widget, widgets.BoundedFloatText):  # a number box: a nudge, as a student types
            a, b = widget.value, min(high, widget.value + 10 * (widget.step or 0.05))
            if a == b:
                b = max(low, widget.value - 10 * (widget.step or 0.05))
        else:
            a, b = low + 0.3 * (high - low), low + 0.7 * (high - low)
        if isinstance(widget.value, int) and not isinstance(widget.value, bool):
            a, b = int(round(a)), int(round(b))
            if a == b:
                a, b = int(low), int(high)
    else:
        return None
    return (lambda: setattr(widget, "value", a)), (lambda: setattr(widget, "value", b))


def time_moves(set_a, set_b, moves):
    set_a()
    walls, cpus = [], []
    for k in range(moves):
        move = set_b if k % 2 == 0 else set_a
        wall, cpu = time.perf_counter(), time.process_time()
        move()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return walls, cpus


def training_monitor(moves):
    """The redraw of lesson 06's spiral monitor (three panels, decision regions)."""
    from backprop import data
    from backprop.explorers import TrainingMonitor

    X, y = data.spiral()
    monitor = TrainingMonitor(epochs=300, every=60, boundary=(X, y), title="spirals")
    rng = np.random.default_rng(0)
    W = rng.standard_normal((2, 3))

    def predict(points):
        return points @ W

    for epoch in range(100):
        monitor.update(epoch, 1.0 / (epoch + 1), 0.5, None, predict=None)
    walls, cpus = [], []
    for _ in range(moves):
        wall, cpu = time.perf_counter(), time.process_time()
        monitor.redraw(predict)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return walls, cpus


def run(entry, moves=15, only=None):
    import matplotlib

    matplotlib.use("Agg")
    results = {}
    for cls in explorer_classes():
        if only and cls.__name__ not in only:
            continue
        build = time.perf_counter()
        explorer = cls()
        built = time.perf_counter() - build
        per_control, all_walls, all_cpus = {}, [], []
        for name, widget in controls(explorer).items():
            pair = two_moves(widget)
            if pair is None:
                continue
            walls, cpus = time_moves(*pair, moves)
            per_control[name] = {"wall_ms": round(summary(walls)["median"] * 1e3, 1),
                                 "cpu_ms": round(summary(cpus)["median"] * 1e3, 1),
                                 "max_ms": round(max(walls) * 1e3, 1)}
            all_walls += walls
            all_cpus += cpus
        slowest = max(per_control, key=lambda c: per_control[c]["wall_ms"])
        results[cls.__name__] = {
            "controls": per_control, "moves_per_control": moves, "build_ms": round(built * 1e3, 1),
            "median_ms": round(summary(all_walls)["median"] * 1e3, 1),
            "cpu_median_ms": round(summary(all_cpus)["median"] * 1e3, 1),
            "slowest_control": slowest, "slowest_ms": per_control[slowest]["wall_ms"],
            "slowest_cpu_ms": per_control[slowest]["cpu_ms"],
        }
        print(f"  explorers: {cls.__name__}: median {results[cls.__name__]['median_ms']} ms, slowest control "
              f"{slowest} {per_control[slowest]['wall_ms']} ms", flush=True)
        explorer.close()
    entry["explorers"] = results
    if not only:
        walls, cpus = training_monitor(moves)
        entry["training_monitor"] = {"median_ms": round(summary(walls)["median"] * 1e3, 1),
                                     "cpu_median_ms": round(summary(cpus)["median"] * 1e3, 1)}
    return entry
