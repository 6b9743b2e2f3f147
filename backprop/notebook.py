"""The notebooks as a student keeps them: saved widget outputs, and demonstrations that need an exercise.

An explorer or a quiz lives in the kernel that ran its cell. JupyterLab saves its output in the
notebook as a reference to that kernel's widget, which is gone after a restart or the next day:
reopened, the output would say "Error displaying widget: model not found". The student's
JupyterLab saves such an output as a short line that says to run the cell (`save_hook`, set in
binder/student/jupyter_server_config.py); the feedback pages say what was there (autograde/feedback.py).

A lesson's demonstration that runs a student's exercise says in a line, rather than failing, when the
exercise is not written yet (`written`), so that Run All goes on to the end of a fresh lesson.

    WIDGET_VIEW                        the MIME type of a widget's output
    widget_kind(output)                "explorer", "quiz" or "widget": what a widget output shows
    without_widget_views(nb, note)     the widget outputs of a notebook (a dict) whose widget is not saved
                                       with it, replaced by note(kind) (a MIME bundle)
    rerun_note(kind)                   the MIME bundle that says to run the cell
    save_hook(model, **kwargs)         JupyterLab's pre-save hook doing that (ContentsManager.pre_save_hook)
    unwritten(answer)                  whether a function or class of an exercise still raises NotImplementedError
    written(*answers)                  True if every answer is written; otherwise say which are not, and False
"""

import dis
import html
import inspect

__all__ = ["WIDGET_VIEW", "widget_kind", "without_widget_views", "rerun_note", "save_hook", "unwritten", "written"]

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

_WHAT = {"explorer": "The explorer", "quiz": "The questions", "widget": "This cell's controls"}


def widget_kind(output):
    """What a widget output shows, from the name of its widget's class in its text/plain form
    (SlopeExplorer(children=...), Quiz(children=...)): "explorer", "quiz" or "widget"."""
    text = output.get("data", {}).get("text/plain", "")
    text = "".join(text) if isinstance(text, list) else text
    name = text.split("(", 1)[0].strip()
    if name.endswith("Explorer"):
        return "explorer"
    if name == "Quiz":
        return "quiz"
    return "widget"


def rerun_note(kind):
    """The output that stands for a widget in a saved notebook: run the cell to get it back."""
    what = _WHAT.get(kind, _WHAT["widget"])
    text = (f"{what} will show here when this cell runs: Run \u2192 Run All Cells (or Shift+Enter here, once the "
            f"cells above have run).")
    return {"text/plain": text,
            "text/html": f"<p class='bp-run-cell'><i>{html.escape(what)} will show here when this cell runs: "
                         f"<b>Run \u2192 Run All Cells</b> (or <kbd>Shift</kbd>+<kbd>Enter</kbd> here, once the cells "
                         f"above have run).</i></p>"}


def without_widget_views(nb, note=rerun_note):
    """Replace, in place, the data of every output of `nb` (a notebook as a dict) that shows a widget
    whose state is not saved in the notebook's metadata by note(widget_kind(output)). Widgets whose
    state is saved (JupyterLab's "save widget state" setting) are kept. Returns how many were replaced."""
    saved = nb.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {}).get("state", {}) or {}
    replaced = 0
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is None or (isinstance(view, dict) and view.get("model_id") in saved):
                continue
            output["data"] = note(widget_kind(output))
            output.setdefault("metadata", {})
            replaced += 1
    return replaced


def save_hook(model, **kwargs):
    """JupyterLab's pre-save hook (ContentsManager.pre_save_hook): a notebook is saved with its widget
    outputs replaced by a line that says to run the cell, since the widget does not outlive its
    kernel. What the student sees until then does not change: JupyterLab keeps the live widgets."""
    if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
        without_widget_views(model["content"])


_SKIPPED = {"RESUME", "NOP", "CACHE", "EXTENDED_ARG", "PUSH_NULL", "PRECALL", "CALL", "KW_NAMES", "COPY_FREE_VARS",
            "MAKE_CELL"}


def _raises_first(code):
    """Whether a function's first statement raises NotImplementedError (nbgrader's student version:
    the docstring, then `raise NotImplementedError()`)."""
    steps = [i for i in dis.get_instructions(code) if i.opname not in _SKIPPED]
    return (len(steps) >= 2 and steps[0].opname in ("LOAD_GLOBAL", "LOAD_NAME")
            and steps[0].argval == "NotImplementedError" and steps[1].opname == "RAISE_VARARGS")


def unwritten(answer):
    """Whether an exercise's function, or a method of its class (its own, not inherited), still begins
    with `raise NotImplementedError()`."""
    if inspect.isclass(answer):
        return any(unwritten(member) for member in vars(answer).values() if inspect.isfunction(member))
    code = getattr(inspect.unwrap(answer), "__code__", None)
    return code is not None and _raises_first(code)


def written(*answers):
    """True if every answer (an exercise's function or class) is written. Otherwise print one line that
    says which are not, and return False: a demonstration that uses them says so instead of failing,

        if written(train):
            losses = train(X, y, params, lr=0.01, steps=500)
            ...
    """
    missing = [getattr(a, "__name__", repr(a)) for a in answers if unwritten(a)]
    if not missing:
        return True
    names = " and ".join(", ".join(missing).rsplit(", ", 1))
    one = len(missing) == 1
    print(f"This cell runs your {names}, which {'is' if one else 'are'} not written yet: write "
          f"{'it' if one else 'them'} above, then run this cell again.")
    return False
