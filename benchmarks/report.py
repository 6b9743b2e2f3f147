"""The report: the targets met or not, BENCHMARKS.md and the plot, from results.json."""

import math


def _get(results, *keys):
    value = results.get("sections", {})
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _row(target, measured=None, met=None, cpu=None, met_cpu=None, note=""):
    return {"target": target, "measured": measured if measured is not None else "not measured", "met": met,
            "cpu": cpu or "", "met_cpu": met_cpu, "note": note}


def targets(results):
    """One row per target of the issue: measured (wall), met, and the same on CPU time."""
    rows = []
    course = _get(results, "notebooks", "course")
    books = _get(results, "notebooks", "notebooks") or {}
    if course:
        wall, cpu = course["wall"]["median"], course["cpu"]["median"]
        rows.append(_row("the whole course executes in at most 60 s", f"{wall:.1f} s", wall <= 60,
                         f"{cpu:.1f} s kernel CPU", cpu <= 60,
                         f"{course['notebooks']} notebooks, each in a fresh kernel, median of {course['wall']['n']}"))
        slowest = max(books, key=lambda b: books[b]["wall"]["median"])
        slowest_cpu = max(books, key=lambda b: books[b]["cpu"]["median"])
        w, c = books[slowest]["wall"]["median"], books[slowest_cpu]["cpu"]["median"]
        rows.append(_row("no notebook over 15 s", f"{w:.1f} s ({slowest})", w <= 15,
                         f"{c:.1f} s ({slowest_cpu})", c <= 15))
    else:
        rows += [_row("the whole course executes in at most 60 s"), _row("no notebook over 15 s")]
    digits = _get(results, "training", "digits")
    if digits:
        acc, wall, cpu = digits["test_accuracy"]["median"], digits["wall"]["median"], digits["cpu"]["median"]
        s = digits["settings"]
        rows.append(_row("the digits classifier reaches at least 97% test accuracy in at most 3 s of training",
                         f"{100 * acc:.1f}% in {wall:.2f} s", acc >= 0.97 and wall <= 3,
                         f"{cpu:.2f} s CPU", acc >= 0.97 and cpu <= 3,
                         f"{s['d']}-{s['h']}-{s['k']}, {s['epochs']} epochs of batches of {s['batch_size']}"))
    else:
        rows.append(_row("the digits classifier reaches at least 97% test accuracy in at most 3 s of training"))
    sizes = _get(results, "training", "sizes") or {}
    ratios = {n: e.get("ratio_ours_to_torch") for n, e in sizes.items()}
    if sizes and all(r is not None for r in ratios.values()):
        cpu_ratios = {n: e.get("ratio_ours_to_torch_cpu") for n, e in sizes.items()}
        rows.append(_row("our training step is no slower than PyTorch's at the course's sizes",
                         ", ".join(f"{n}: {r:.2f}x" for n, r in ratios.items()), all(r <= 1 for r in ratios.values()),
                         ", ".join(f"{n}: {r:.2f}x" for n, r in cpu_ratios.items()),
                         all(r <= 1 for r in cpu_ratios.values()),
                         "our time / PyTorch's (its faster thread setting), float64"))
    else:
        rows.append(_row("our training step is no slower than PyTorch's at the course's sizes",
                         note=_get(results, "training", "torch_missing") or ""))
    found = _get(results, "explorers", "explorers")
    if found:
        slowest = max(found, key=lambda e: found[e]["slowest_ms"])
        slowest_cpu = max(found, key=lambda e: found[e]["slowest_cpu_ms"])
        w, c = found[slowest]["slowest_ms"], found[slowest_cpu]["slowest_cpu_ms"]
        rows.append(_row("every explorer updates in at most 100 ms (median)", f"slowest {w:.0f} ms ({slowest})",
                         w <= 100, f"slowest {c:.0f} ms ({slowest_cpu})", c <= 100,
                         f"{len(found)} explorers, each control's median, the slowest control counted"))
    else:
        rows.append(_row("every explorer updates in at most 100 ms (median)"))
    klass, projection = _get(results, "grading", "class"), _get(results, "grading", "projection")
    target = "grading a class of 100 students for the whole course takes at most 10 minutes"
    if klass and klass["students"] >= 100:
        rows.append(_row(target, f"{klass['wall'] / 60:.1f} min ({klass['students']} students, measured)",
                         klass["wall"] <= 600, f"{klass['cpu'] / 60 / klass['workers']:.1f} min of CPU per worker",
                         klass["cpu"] / klass["workers"] <= 600, f"{klass['workers']} workers"))
    elif klass and projection:
        rows.append(_row(target, f"{projection['wall'] / 60:.1f} min (projected from {klass['students']} students)",
                         projection["wall"] <= 600, f"{projection['cpu_bound'] / 60:.1f} min (CPU-bound projection)",
                         projection["cpu_bound"] <= 600, projection["how"]))
    else:
        rows.append(_row(target))
    before = _get(results, "grading", "baseline", "class")
    target = "grading the class is no slower than before the grading was rebuilt (the same class, the same run)"
    if klass and before:
        rows.append(_row(target, f"{klass['wall']:.0f} s against {before['wall']:.0f} s before "
                         f"({klass['students']} students x {klass['lessons']} lessons)",
                         klass["wall"] <= before["wall"],
                         f"{klass['cpu']:.0f} s against {before['cpu']:.0f} s", klass["cpu"] <= before["cpu"],
                         f"the baseline is commit {_get(results, 'grading', 'baseline', 'commit')}, "
                         f"measured by its own benchmarks in this run"))
    else:
        rows.append(_row(target))
    student = _get(results, "student")
    for what, limit in (("feedback", 2.0), ("submit", 1.0)):
        target = (f"a student's {'feedback on one lesson' if what == 'feedback' else 'submit'} takes at most "
                  f"{limit:g} s (idle machine)")
        if student and what in student:
            wall = student[what]["wall"]["median"]
            was = _get(student, "baseline", what, "wall", "median")
            rows.append(_row(target, f"{wall:.2f} s" + (f" (before: {was:.1f} s)" if was else ""), wall <= limit,
                             "—", None, f"`python -m backprop.course {what} 01_one_neuron` from a terminal, the "
                             f"grading service warm; median of {student[what]['wall']['n']}; the load average is in "
                             f"section 6"))
        else:
            rows.append(_row(target))
    klass_report = _get(results, "report")
    target = "the class report (python -m autograde.report) of 100 students x 10 lessons in at most 10 s"
    if klass_report and "wall" in klass_report:
        r = klass_report
        before = (f"; the last figure was {r['previous']['wall']:.1f} s ({r['previous']['date']})"
                  if r.get("previous") else "")
        rows.append(_row(target, f"{r['wall']['median']:.1f} s ({r['students']} students x {r['lessons']} lessons)",
                         r["wall"]["median"] <= 10 if r["students"] >= 100 else None,
                         f"{r['cpu']['median']:.1f} s CPU", r["cpu"]["median"] <= 10 if r["students"] >= 100 else None,
                         f"median of {r['wall']['n']} runs, each in a fresh Python; {r['results']} test results, "
                         f"{r['pages']} pages{before}"))
    else:
        rows.append(_row(target))
    return rows


NOTES = [
    "**Grading** never starts a kernel. Every route (the class command, nbgrader's autograde, the formgrader's "
    "button, a student's own feedback) runs nbgrader's autograde pipeline with the course's VerifyTests step in "
    "place of nbgrader's execution (autograde/nbgrader_config.py): the test cells run in the grader's Python "
    "against the student's code in a sandbox process (autograde/verify.py), objects kept in step between the two "
    "(autograde/wire.py). Each grading worker keeps a *zygote*, a process that has imported NumPy, IPython (and "
    "made the shell a notebook runs in), matplotlib, ipywidgets and everything the course's package imports, and "
    "forks a sandbox per submission, which imports its lesson's view of the package; the worker reuses one "
    "database engine per gradebook across nbgrader's many openings of it. The feedback pages are made by "
    "nbconvert's exporter less its BeautifulSoup pass over the finished page, the lesson's Markdown and code "
    "cells formatted once per process. Before this round the class command graded outside nbgrader and wrote "
    "the gradebook once at the end, which is why it could give other grades than nbgrader's own route; running "
    "nbgrader's pipeline for each submission is most of what one engine for every route costs.",
    "**Kernels** started by the course use one BLAS thread (backprop.course.KERNEL_ENVIRONMENT): at the "
    "course's sizes a second thread costs more than it brings, and on a busy machine far more.",
    "**Explorers** change their artists' data rather than re-plotting, and render on an Agg canvas of their "
    "own kept from one redraw to the next (its renderer and measured text reused), with light PNG compression.",
]


def _yes(value):
    return "yes" if value else ("**no**" if value is False else "—")


def _fmt(seconds):
    return "—" if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)) else f"{seconds:.2f}"


def markdown(results, png):
    m = results["machine"]
    lines = ["# Benchmarks", "",
             "How fast the course runs, grades and trains, measured by `python benchmarks/run.py` "
             "(see `benchmarks/run.py` for the options). Every number is a median over repeated runs; "
             "wall time is what a person waits, CPU time what the work costs. "
             + ("**This is a smoke run (tiny sizes): its numbers mean nothing.** " if results.get("smoke") else ""),
             "",
             f"Measured on {m['date']}, commit `{m['commit']}`, in {results.get('seconds', 0) / 60:.0f} minutes. "
             f"The machine was shared: its load average (1, 5, 15 min) was {m['load_at_start']} at the start, on "
             f"{m['usable_cores']} cores; each section's load is below. On a shared machine wall times are "
             f"pessimistic, and the CPU columns are the fairer measure: they are what an otherwise idle machine "
             f"of this kind would take (for work that keeps one core busy).", "",
             "## Targets", "",
             "| target | measured (wall) | met | on CPU time | met | how |", "|---|---|---|---|---|---|"]
    for t in results.get("targets", []):
        lines.append(f"| {t['target']} | {t['measured']} | {_yes(t['met'])} | {t['cpu']} | {_yes(t['met_cpu'])} "
                     f"| {t['note']} |")
    lines += ["", f"![benchmarks]({png})", "", "## What makes it fast", ""] + [f"- {n}" for n in NOTES]
    lines += ["", "## The machine", "", "| | |", "|---|---|"]
    for key in ("cpu", "cores", "usable_cores", "memory_gib", "os", "python", "numpy", "blas", "matplotlib",
                "nbgrader"):
        lines.append(f"| {key.replace('_', ' ')} | {m.get(key)} |")
    env = results.get("environment", {})
    lines.append(f"| environment | {', '.join(f'{k}={v}' for k, v in env.items())} "
                 f"(as the course sets for its kernels) |")
    sections = results.get("sections", {})

    def head(title, name):
        entry = sections.get(name, {})
        lines.extend(["", f"## {title}", ""])
        if not entry:
            lines.append("Not run.")
            return None
        lines.append(f"Load average before and after: {entry.get('load_before')} → {entry.get('load_after')}; "
                     f"the section took {entry.get('section_seconds', 0):.0f} s"
                     + (f" (`{entry['command'].strip()}`)." if entry.get("command") else "."))
        lines.append("")
        if "error" in entry:
            lines.append(f"**Failed:** `{entry['error']}`")
            return None
        if "skipped" in entry:
            lines.append(f"Skipped: {entry['skipped']}.")
            return None
        return entry

    entry = head("1. Notebooks, each in a fresh kernel", "notebooks")
    if entry:
        k = entry["kernel_startup"]
        lines += [f"A kernel's start-up alone (a notebook with one empty cell): {_fmt(k['wall']['median'])} s wall, "
                  f"{_fmt(k['cpu']['median'])} s of the kernel's CPU. Medians of {entry['repeats']} runs.", "",
                  "| notebook | wall, s | min–max | kernel CPU, s | errors |", "|---|---|---|---|---|"]
        for name, b in entry["notebooks"].items():
            lines.append(f"| {name} | {_fmt(b['wall']['median'])} | {_fmt(b['wall']['min'])}–{_fmt(b['wall']['max'])} "
                         f"| {_fmt(b['cpu']['median'])} | {'; '.join(b['errors']) or 'none'} |")
        c = entry["course"]
        lines.append(f"| **the whole course** | **{_fmt(c['wall']['median'])}** | {_fmt(c['wall']['min'])}–"
                     f"{_fmt(c['wall']['max'])} | **{_fmt(c['cpu']['median'])}** | |")

    entry = head("2. Grading", "grading")
    if entry:
        one, klass, floor = entry["one_student"], entry["class"], entry["nbgrader_floor"]
        lines += [
            "With the one command's function, `grade.grade_class()`: each submission repaired, checked in a "
            "sandbox forked from a zygote, merged into a gradebook, given HTML feedback. The synthetic students "
            "hand in every graded lesson with each exercise answered (solution), left blank, or answered wrongly "
            "(an operator swapped).", "",
            "| run | submissions | workers | wall, s | CPU, s | wall per student, s | per submission beyond "
            "preparing the lessons: wall, s | CPU, s | points |", "|---|---|---|---|---|---|---|---|---|"]
        for label, r in (("one student, the whole course", one), (f"a class of {klass['students']}", klass)):
            lines.append(f"| {label} | {r['submissions']} | {r['workers']} | {r['wall']:.1f} | {r['cpu']:.1f} "
                         f"| {r['wall_per_student']:.2f} | {r['wall_per_submission_beyond_prepare']:.3f} "
                         f"| {r['cpu_per_submission_beyond_prepare']:.3f} | {r['points']:g} / {r['max_points']:g} |")
        lines += ["", f"Answers in the class: {klass['answers']}; graded {klass['graded']} of "
                  f"{klass['submissions']} submissions" + (f" (not graded: {klass['not_graded']})"
                                                          if klass['not_graded'] else "") + ".", "",
                  "Where the class's time went, wall (CPU) in seconds: "
                  + ", ".join(f"{k} {v:.1f} ({klass['phases_cpu'][k]:.1f})" for k, v in klass["phases_wall"].items())
                  + ".", "",
                  f"The floor, `nbgrader autograde` of a trivial notebook with the course's configuration (one "
                  f"answer, one test: nbgrader's pipeline and a sandbox's start, per submission): "
                  f"**{floor['wall']['median']:.2f} s** wall, {floor['cpu']['median']:.2f} s CPU (median of "
                  f"{floor['submissions']}). CPU is the grading processes' own: the sandboxes' is not counted, "
                  f"today or before. Ours, per submission of "
                  f"a whole lesson, hidden tests and feedback included, beyond preparing the lessons once: "
                  f"{klass['wall_per_submission_beyond_prepare']:.2f} s wall with {klass['workers']} workers, "
                  f"{klass['cpu_per_submission_beyond_prepare']:.2f} s CPU."]
        p = entry.get("projection")
        if p:
            lines += ["", f"A class of {p['students']}: {p['wall'] / 60:.1f} min projected from the measured wall "
                      f"times, {p['cpu_bound'] / 60:.1f} min if CPU-bound ({p['how']})."]

    entry = head("3. Training", "training")
    if entry:
        if entry.get("torch"):
            lines.append(f"PyTorch {entry['torch']} on the CPU ({entry.get('torch_threads')} threads by default), "
                         f"run by `{entry.get('python')}`, in the same run as ours, rounds alternating.")
        else:
            lines.append(entry.get("torch_missing", "PyTorch not measured."))
        lines += ["", f"Microseconds per training step (forward, loss, backward, update), median of "
                  f"{entry['rounds']} rounds of {entry['steps_per_round']} steps (or fewer, if they take more than a "
                  f"second); GFLOP/s counts the step's five "
                  f"matrix products (4mdh + 6mhk operations).", ""]
        for name, e in entry["sizes"].items():
            s = e["shape"]
            lines += [f"**{name}**: {s['d']} → {s['h']} → {s['k']}, batch {s['batch']}, "
                      f"{e['flops_per_step']:,} FLOP per step" + (
                          f"; ours / PyTorch = **{e['ratio_ours_to_torch']:.2f}** (wall), "
                          f"{e['ratio_ours_to_torch_cpu']:.2f} (CPU), against {e['torch_compared']}"
                          if "ratio_ours_to_torch" in e else ""), "",
                      "| | µs per step | CPU µs | min–max µs | GFLOP/s |", "|---|---|---|---|---|"]
            for c, v in e.items():
                if isinstance(v, dict) and "us_per_step" in v:
                    lines.append(f"| {c} | {v['us_per_step']:.1f} | {v['cpu_us_per_step']:.1f} | {v['us_min']:.1f}–"
                                 f"{v['us_max']:.1f} | {v['gflops']:.2f} |")
            lines.append("")
        lines.append(f"For scale: np.matmul of two 512 × 512 matrices runs at {entry['matmul_512_gflops']:.1f} GFLOP/s "
                     f"here.")
        d = entry.get("digits")
        if d:
            s = d["settings"]
            lines += ["", f"**Lesson 06's digits classifier** (its own `train` and `two_layer_net`, {s['d']}-{s['h']}-"
                      f"{s['k']}, {s['epochs']} epochs, batches of {s['batch_size']}, lr {s['lr']}: {d['steps']} steps "
                      f"on {d['train_examples']} digits): {d['wall']['median']:.2f} s of training "
                      f"({d['cpu']['median']:.2f} s CPU), test accuracy {100 * d['test_accuracy']['median']:.1f}% "
                      f"on {d['test_examples']} unseen digits; median of {d['wall']['n']}."]

    entry = head("4. Explorers", "explorers")
    if entry:
        lines += ["Each control moved back and forth programmatically; the time from the change to the new PNG "
                  "(median per control, in ms). An explorer is as slow as its slowest control.", "",
                  "| explorer | median, ms | CPU, ms | slowest control | its median, ms | its CPU, ms |",
                  "|---|---|---|---|---|---|"]
        for name, e in entry["explorers"].items():
            lines.append(f"| {name} | {e['median_ms']:.0f} | {e['cpu_median_ms']:.0f} | {e['slowest_control']} "
                         f"| {e['slowest_ms']:.0f} | {e['slowest_cpu_ms']:.0f} |")
        if entry.get("training_monitor"):
            t = entry["training_monitor"]
            lines += ["", f"TrainingMonitor (not an explorer; it redraws while lesson 06 trains, three panels with "
                      f"the decision regions): {t['median_ms']:.0f} ms ({t['cpu_median_ms']:.0f} ms CPU) per redraw."]

    entry = head("5. From a fresh clone to a running JupyterLab", "clone")
    if entry:
        lines += ["| step | seconds |", "|---|---|"]
        for step, seconds in entry["steps"].items():
            lines.append(f"| `{step}` | {seconds:.1f} |")
        lines += [f"| **total** | **{entry['total']:.1f}** |", "", f"The server's command: `{entry['command']}`. "
                  f"Note: {entry['note']}."]

    entry = head("6. A student's own submit and feedback", "student")
    if entry:
        b = entry.get("baseline")
        lines += [f"`python -m backprop.course submit {entry['lesson']}` and `... feedback {entry['lesson']}` from a "
                  f"terminal, each a new process, timed from start to end (wall, and the CPU of the command and the "
                  f"children it waited for); medians of {entry['repeats']}. Today's ask the student's grading "
                  f"service, warm (its first submit started it: {entry['first_submit']['wall']:.1f} s).", "",
                  "| command | today: wall, s | CPU, s | before: wall, s | CPU, s |", "|---|---|---|---|---|"]
        for what in ("submit", "feedback"):
            was = b[what] if b else None
            lines.append(f"| {what} | {entry[what]['wall']['median']:.2f} | {entry[what]['cpu']['median']:.2f} | "
                         + (f"{was['wall']['median']:.2f} | {was['cpu']['median']:.2f} |" if was else "— | — |"))
        h = entry["feedback_here"]
        lines.append(f"| feedback `--here` (no service) | {h['wall']['median']:.2f} | {h['cpu']['median']:.2f} | | |")
        if b:
            lines += ["", f"Before: commit {b['commit']}, in a copy of its own, in the same run."]

    entry = head("7. The class report", "report")
    if entry:
        lines += [f"`python -m autograde.report` on a synthetic causes book of {entry['students']} students x "
                  f"{entry['lessons']} lessons ({entry['results']} graded test cells, written as grading writes "
                  f"them; each answer right, blank, a catalogue mistake or an unnamed failure), in a fresh Python "
                  f"each time, imports included: **{entry['wall']['median']:.2f} s** wall (min "
                  f"{entry['wall']['min']:.2f}, max {entry['wall']['max']:.2f}), {entry['cpu']['median']:.2f} s "
                  f"CPU; {entry['pages']} pages, {entry['page_bytes'] / 1e6:.1f} MB." + (
                      f" The last figure: {entry['previous']['wall']:.2f} s ({entry['previous']['date']}), a change "
                      f"of {entry['previous']['change']:+.2f} s." if entry.get("previous") else "")]
    lines.append("")
    return "\n".join(lines)


def plot(results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sections = results.get("sections", {})
    fig, axes = plt.subplots(2, 2, figsize=(12, 8.5))
    ax = axes[0, 0]
    books = (sections.get("notebooks") or {}).get("notebooks")
    if books:
        names = list(books)
        x = range(len(names))
        ax.bar([i - 0.2 for i in x], [books[n]["wall"]["median"] for n in names], 0.4, label="wall")
        ax.bar([i + 0.2 for i in x], [books[n]["cpu"]["median"] for n in names], 0.4, label="kernel CPU")
        ax.axhline(15, color="#b3261e", ls="--", lw=1, label="target 15 s")
        ax.set_xticks(list(x), [n[:2] for n in names])
        ax.set_xlabel("lesson")
        ax.legend(fontsize=8)
    ax.set_ylabel("seconds")
    ax.set_title("each notebook in a fresh kernel")
    ax = axes[0, 1]
    found = (sections.get("explorers") or {}).get("explorers")
    if found:
        names = list(found)
        y = range(len(names))
        ax.barh([i + 0.2 for i in y], [found[n]["slowest_ms"] for n in names], 0.4, label="wall (slowest control)")
        ax.barh([i - 0.2 for i in y], [found[n]["slowest_cpu_ms"] for n in names], 0.4, label="CPU")
        ax.axvline(100, color="#b3261e", ls="--", lw=1, label="target 100 ms")
        ax.set_yticks(list(y), [n.replace("Explorer", "") for n in names], fontsize=8)
        ax.legend(fontsize=8)
    ax.set_xlabel("ms per update (median)")
    ax.set_title("explorers: a control moved → figure redrawn")
    ax = axes[1, 0]
    grading = sections.get("grading") or {}
    if grading.get("class"):
        k, f = grading["class"], grading["nbgrader_floor"]
        labels = [f"today, wall\n({k['workers']} workers)", "today, CPU", "floor: trivial\nnotebook, wall",
                  "floor,\nCPU"]
        values = [k["wall_per_submission_beyond_prepare"], k["cpu_per_submission_beyond_prepare"],
                  f["wall"]["median"], f["cpu"]["median"]]
        colours = ["#1f4e9c", "#6f8fc7", "#999999", "#cccccc"]
        before = (grading.get("baseline") or {}).get("class")
        if before:  # the same class graded by the baseline, in the same run
            labels[2:2] = [f"before, wall\n({before['workers']} workers)", "before, CPU"]
            values[2:2] = [before["wall_per_submission_beyond_prepare"], before["cpu_per_submission_beyond_prepare"]]
            colours[2:2] = ["#b35806", "#f1a340"]
        ax.bar(labels, values, color=colours)
        for i, v in enumerate(values):
            ax.text(i, v, f"{v:.2f}", ha="center", va="bottom", fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
        ax.set_title(f"grading: seconds per submission ({k['students']} students × {k['lessons']} lessons)")
    ax.set_ylabel("seconds")
    ax = axes[1, 1]
    sizes = (sections.get("training") or {}).get("sizes")
    if sizes:
        contenders = [c for c in next(iter(sizes.values())) if isinstance(next(iter(sizes.values()))[c], dict)
                      and "us_per_step" in next(iter(sizes.values()))[c]]
        width = 0.8 / len(contenders)
        for j, c in enumerate(contenders):
            values = [sizes[n][c]["us_per_step"] for n in sizes]
            ax.bar([i + (j - (len(contenders) - 1) / 2) * width for i in range(len(sizes))], values, width, label=c)
        ax.set_xticks(range(len(sizes)), list(sizes))
        ax.set_yscale("log")
        top = max(sizes[n][c]["us_per_step"] for n in sizes for c in contenders)
        ax.set_ylim(top=top * 12)  # room above the bars for the legend
        ax.legend(fontsize=7, loc="upper center", ncol=2)
    ax.set_ylabel("µs per training step (log)")
    ax.set_title("a training step: ours against PyTorch (CPU)")
    m = results["machine"]
    fig.suptitle(f"{m['cpu']}, {m['usable_cores']} cores, load {m['load_at_start']} at the start, {m['date']}"
                 + (" (SMOKE RUN)" if results.get("smoke") else ""), fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
