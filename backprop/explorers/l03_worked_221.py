"""Lesson 03, the worked 2-2-1 network: the explorer.

    Worked221Explorer  Lesson 03's network, one step of training walked through with Back and Next
"""

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np

from backprop.explorers.base import Explorer
from backprop.worked.l03_worked_221 import steps_221

__all__ = ["Worked221Explorer"]


def _n(value):
    """A number in a formula: 4 decimals, negative ones in parentheses."""
    return f"({value:.4f})" if value < 0 else f"{value:.4f}"


def _q(value):
    """An input or parameter in a formula, as typed (0.1, not 0.1000), negative ones in parentheses."""
    return f"({value:.4g})" if value < 0 else f"{value:.4g}"


_TABLE_221 = [  # (name in the values, label in the table, column)
    ("z1", "z₁", 0), ("z2", "z₂", 0), ("a1", "a₁", 0), ("a2", "a₂", 0), ("y_hat", "ŷ", 0), ("L", "L", 0),
    ("dL_dyhat", "∂L/∂ŷ", 1), ("dL_dv1", "∂L/∂v₁", 1), ("dL_dv2", "∂L/∂v₂", 1), ("dL_db3", "∂L/∂b₃", 1),
    ("dL_da1", "∂L/∂a₁", 1), ("dL_da2", "∂L/∂a₂", 1), ("sigma_prime1", "σ′(z₁)", 1), ("sigma_prime2", "σ′(z₂)", 1),
    ("dL_dz1", "∂L/∂z₁", 1), ("dL_dz2", "∂L/∂z₂", 1),
    ("dL_dw11", "∂L/∂w₁₁", 2), ("dL_dw12", "∂L/∂w₁₂", 2), ("dL_db1", "∂L/∂b₁", 2),
    ("dL_dw21", "∂L/∂w₂₁", 2), ("dL_dw22", "∂L/∂w₂₂", 2), ("dL_db2", "∂L/∂b₂", 2),
    ("new_v1", "v₁", 3), ("new_v2", "v₂", 3), ("new_b3", "b₃", 3), ("new_w11", "w₁₁", 3), ("new_w12", "w₁₂", 3),
    ("new_b1", "b₁", 3), ("new_w21", "w₂₁", 3), ("new_w22", "w₂₂", 3), ("new_b2", "b₂", 3),
    ("new_y_hat", "new ŷ", 0), ("new_L", "new L", 0),
]
_TABLE_COLUMNS = ["forward", "backward, output layer", "backward, hidden layer", "updated"]


class Worked221Explorer(Explorer):
    """Lesson 03's network, one step of training walked through with Back and Next.

    The drawing shows every number computed so far where it belongs, the current step
    highlighted; the readout gives the formula that produced it; the table below lists every
    number of the step. Change the inputs, the target, the weights or the learning rate and
    everything recomputes.

    Unlike the other explorers it redraws the network on each update (which texts it shows
    changes from step to step, not only their values): about 50 ms on a quiet machine.
    """

    PARAMETERS = ("w11", "w12", "b1", "w21", "w22", "b2", "v1", "v2", "b3")

    def __init__(self, step=0, **start):
        from backprop.data import worked_221

        self.lesson_values = dict(worked_221()["scalars"])
        unknown = sorted(set(start) - set(self.lesson_values))
        if unknown:
            raise ValueError(f"unknown starting values {unknown}; the explorer takes {sorted(self.lesson_values)}.")
        begin = {**self.lesson_values, **start}
        from backprop.reference import worked_221_values

        self._compute = worked_221_values
        self.n_steps = len(steps_221(self._compute(**begin)))
        if not (isinstance(step, (int, np.integer)) and 0 <= step < self.n_steps):
            raise ValueError(f"step must be an integer from 0 to {self.n_steps - 1}, but is {step!r}.")

        self.step = widgets.IntSlider(value=step, min=0, max=self.n_steps - 1, description="step",
                                      continuous_update=True, style={"description_width": "3em"},
                                      layout=widgets.Layout(width="330px"))
        self.back_button = widgets.Button(description="Back", icon="arrow-left", layout=widgets.Layout(width="90px"))
        self.next_button = widgets.Button(description="Next", icon="arrow-right", button_style="primary",
                                          layout=widgets.Layout(width="90px"))
        self.reset_button = widgets.Button(description="the lesson's numbers", icon="refresh",
                                           layout=widgets.Layout(width="auto"))
        self.back_button.add_class("bp-back")
        self.next_button.add_class("bp-next")
        self.reset_button.add_class("bp-reset")
        self.back_button.on_click(lambda _: self.move(-1))
        self.next_button.on_click(lambda _: self.move(+1))
        self.reset_button.on_click(lambda _: self.reset())

        def box(name, low=-5.0, high=5.0, step=0.05):
            return widgets.BoundedFloatText(value=begin[name], min=low, max=high, step=step, description=name,
                                            style={"description_width": "2.4em"},
                                            layout=widgets.Layout(width="125px"))

        for name in ("x1", "x2", "y"):
            setattr(self, name, box(name))
        self.lr = box("lr", 0.0, 5.0, 0.05)
        for name in self.PARAMETERS:
            setattr(self, name, box(name))
        rows = [("x1", "x2", "y", "lr"), ("w11", "w12", "b1"), ("w21", "w22", "b2"), ("v1", "v2", "b3")]
        grid = widgets.GridBox([getattr(self, n) if n else widgets.Label("")
                                for row in rows for n in row + ("",) * (4 - len(row))],
                               layout=widgets.Layout(grid_template_columns="repeat(4, 130px)", grid_gap="2px 4px"))

        with matplotlib.rc_context({"font.size": 9}):
            fig = plt.figure(figsize=(9.5, 4.6))
        self.ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
        self.table = widgets.HTML("")
        self.table.add_class("bp-table")
        numbers = [getattr(self, name) for name in ("x1", "x2", "y", "lr") + self.PARAMETERS]
        super().__init__([self.step, self.back_button, self.next_button, self.reset_button] + numbers, fig)
        buttons = widgets.HBox([self.back_button, self.next_button, self.step, self.reset_button],
                               layout=widgets.Layout(align_items="center", flex_flow="row wrap"))
        self.readout.layout = widgets.Layout(min_height="3.2em")
        self.image.layout = widgets.Layout(width="100%", max_width="900px", height="auto")
        self.children = [widgets.VBox([buttons, self.readout, self.live, self.image, grid, self.table],
                                      layout=widgets.Layout(width="100%"))]
        self.redraw()

    def inputs(self):
        """The current inputs, target, learning rate and parameters, by name."""
        return {name: float(getattr(self, name).value) for name in self.lesson_values}

    def values(self):
        """Every number of the training step for the current controls (reference.worked_221_values),
        without negative zeros (at x2 = 0, dL/dw12 = dL/dz1 * 0 is -0.0, shown as -0.0000)."""
        return {name: value + 0.0 for name, value in self._compute(**self.inputs()).items()}

    def move(self, delta):
        self.step.value = int(np.clip(self.step.value + delta, 0, self.n_steps - 1))

    def reset(self):
        self.set_values(**self.lesson_values)

    def update(self):
        from backprop.plots import draw_221

        v = self.values()
        steps = steps_221(v)
        current = steps[self.step.value]
        shown = [name for s in steps[:self.step.value + 1] for name in s["shows"]]
        self.ax.clear()
        draw_221(v, shown=shown, highlight=current["highlight"], ax=self.ax)
        self.back_button.disabled = self.step.value == 0
        self.next_button.disabled = self.step.value == self.n_steps - 1
        self.readout.value = (f"<b>Step {self.step.value} of {self.n_steps - 1}: {current['stage']}</b><br>"
                              f"${current['formula']}$")
        self.table.value = self._table(v, shown, current["shows"])

    def _table(self, v, shown, now):
        columns = [[] for _ in _TABLE_COLUMNS]
        for name, label, column in _TABLE_221:
            style = ("background:#fff4c2;font-weight:bold" if name in now
                     else "" if name in shown else "color:#9a9a9a")
            colour = "#b3261e" if name.startswith(("dL_", "sigma")) else "#1f4e9c"
            columns[column].append(
                f"<tr style='{style}'><td style='padding:0 8px'>{label}</td>"
                f"<td style='padding:0 8px;text-align:right;color:{colour if name in shown else 'inherit'}'>"
                f"{v[name]:.4f}</td></tr>")
        cells = "".join(
            f"<td style='vertical-align:top;padding-right:18px'><b>{title}</b><table>{''.join(rows)}</table></td>"
            for title, rows in zip(_TABLE_COLUMNS, columns))
        return ("<div style='font-size:13px'><table><tr>" + cells + "</tr></table>"
                "<i>Every number of the step; grey ones come later. Change an input or a weight and they all "
                "recompute.</i></div>")
