"""Lesson 05, batches and gradient descent: the explorer.

    DescentPathExplorer  Gradient descent on a line fit, y_hat = w x + b ...
"""

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np

from backprop.explorers.base import Explorer, sci_text

__all__ = ["DescentPathExplorer"]


class DescentPathExplorer(Explorer):
    """Gradient descent on a line fit, y_hat = w x + b, loss the mean squared error over 100 points.

    Left: the loss over (w, b) as contour lines, and the path the parameters take from the start
    (circle) towards the minimum (star). Right: the loss on all the data after every update,
    against the number of examples seen; grey, full-batch descent at the same rate. 'batch size'
    picks how many examples each update averages over (100 = all of them: batch descent; 1 =
    stochastic), 'lr' the learning rate (batch descent diverges between 0.355 and 0.398, smaller
    batches sooner), 'epochs' how many passes over the data, 'seed' the order the examples are
    drawn in. The readout says whether the loss is settling, diverging or has diverged (judge()).
    """

    BATCH_SIZES = (1, 2, 5, 10, 20, 50, 100)
    START = (-0.5, 2.5)

    def __init__(self, lr=0.1, batch_size=10, epochs=5, seed=0, m=100):
        if batch_size not in self.BATCH_SIZES:
            raise ValueError(f"batch_size must be one of {self.BATCH_SIZES}, but is {batch_size!r}.")
        if m != 100:
            raise ValueError(f"m, the number of points, must be 100 (the batch sizes are chosen for it), but is {m!r}.")
        rng = np.random.default_rng(12)
        self.x = rng.normal(1.0, 1.0, m)
        self.y = 2.0 * self.x - 1.0 + rng.normal(0.0, 0.5, m)
        A = np.column_stack([self.x, np.ones(m)])
        self.best = np.linalg.lstsq(A, self.y, rcond=None)[0]
        self.best_loss = self.loss(*self.best)
        self.lr = widgets.FloatLogSlider(value=lr, base=10, min=-2, max=np.log10(0.6), step=0.05, description="lr",
                                         readout_format=".3f", style={"description_width": "6em"},
                                         layout=widgets.Layout(width="290px"))
        self.batch_size = widgets.SelectionSlider(options=list(self.BATCH_SIZES), value=batch_size,
                                                  description="batch size", style={"description_width": "6em"},
                                                  layout=widgets.Layout(width="290px"))
        self.epochs = widgets.IntSlider(value=epochs, min=1, max=20, description="epochs",
                                        style={"description_width": "6em"}, layout=widgets.Layout(width="290px"))
        self.seed = widgets.IntSlider(value=seed, min=0, max=9, description="seed",
                                      style={"description_width": "6em"}, layout=widgets.Layout(width="290px"))

        with matplotlib.rc_context({"font.size": 8}):
            fig, (self.ax, self.ax_loss) = plt.subplots(1, 2, figsize=(6.4, 3.0),
                                                        gridspec_kw={"width_ratios": [1.0, 1.1]})
        ws, bs = np.linspace(-1.5, 4.5, 121), np.linspace(-4.0, 4.0, 121)
        Wg, Bg = np.meshgrid(ws, bs)
        levels = self.best_loss + np.array([0.05, 0.2, 0.5, 1, 2, 4, 8, 16, 32])
        self.ax.contour(Wg, Bg, self.loss(Wg, Bg), levels=levels, colors="#9bb0d0", linewidths=0.7)
        self.ax.plot(*self.best, "*", color="#1a7f37", ms=11, zorder=4)
        self.ax.plot(*self.START, "o", color="#333333", ms=5, zorder=4)
        self.path_line, = self.ax.plot([], [], "-", color="#b3261e", lw=0.9, zorder=3)
        self.path_end, = self.ax.plot([], [], "o", color="#b3261e", ms=4, zorder=5)
        self.ax.set_xlim(ws[0], ws[-1])
        self.ax.set_ylim(bs[0], bs[-1])
        self.ax.set_xlabel("w")
        self.ax.set_ylabel("b")
        self.full_line, = self.ax_loss.plot([], [], "--", color="#999999", lw=1.0, label="batch (all 100)")
        self.loss_line, = self.ax_loss.plot([], [], "-", color="#b3261e", lw=1.0, label="this run")
        self.ax_loss.axhline(self.best_loss, color="#1a7f37", lw=0.8, ls=":")
        self.ax_loss.set_yscale("log")
        self.ax_loss.set_ylim(0.8 * self.best_loss, 20.0)
        ticks = [0.3, 1, 3, 10]  # plain labels: log-axis labels are typeset as maths, slowly
        self.ax_loss.yaxis.set_major_locator(matplotlib.ticker.FixedLocator(ticks))
        self.ax_loss.yaxis.set_major_formatter(matplotlib.ticker.FixedFormatter([f"{t:g}" for t in ticks]))
        self.ax_loss.yaxis.set_minor_locator(matplotlib.ticker.NullLocator())
        self.ax_loss.set_xlabel("examples seen")
        self.ax_loss.set_ylabel("loss on all the data")
        self.ax_loss.legend(loc="upper right", fontsize=7)
        self.ax_loss.grid(alpha=0.3)
        fig.tight_layout()
        super().__init__([self.lr, self.batch_size, self.epochs, self.seed], fig)
        self.redraw()

    def loss(self, w, b):
        w, b = np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64)
        residual = w[..., None] * self.x + b[..., None] - self.y
        return np.mean(residual**2, axis=-1)

    def run(self, batch_size, lr=None, epochs=None, seed=None):
        """The path of (w, b), one row per update (the start first), and examples seen at each."""
        lr = self.lr.value if lr is None else lr
        epochs = self.epochs.value if epochs is None else epochs
        rng = np.random.default_rng(self.seed.value if seed is None else seed)
        m = len(self.x)
        w, b = self.START
        path, seen = [(w, b)], [0]
        with np.errstate(all="ignore"):
            for _ in range(epochs):
                order = rng.permutation(m)
                for start in range(0, m, batch_size):
                    rows = order[start:start + batch_size]
                    xb = self.x[rows]
                    residual = w * xb + b - self.y[rows]
                    dw = 2.0 * float(residual @ xb) / len(rows)   # the mean: 1/batch size
                    db = 2.0 * float(residual.sum()) / len(rows)
                    w, b = w - lr * dw, b - lr * db
                    path.append((w, b))
                    seen.append(seen[-1] + len(rows))
                    if not (abs(w) < 1e6 and abs(b) < 1e6):  # diverged: stop here
                        return np.array(path), np.array(seen)
        return np.array(path), np.array(seen)

    RISING_EPOCHS = 5

    @classmethod
    def judge(cls, losses, per_epoch, batch_size):
        """What the loss did: 'diverged' if it overflowed, ends above its start or shot past 1000 times its
        start; 'diverging' if, with batches of 10 or more (whose losses are smooth enough to show a
        trend), it rose at the end of each of the last RISING_EPOCHS epochs, to more than twice its lowest;
        'unstable' if it jumped past 10 times its start on the way; 'settling' otherwise."""
        with np.errstate(invalid="ignore"):
            if not np.all(np.isfinite(losses)) or losses[-1] > losses[0] or np.max(losses) > 1e3 * losses[0]:
                return "diverged"
        ends = losses[::per_epoch]
        if (batch_size >= 10 and len(ends) > cls.RISING_EPOCHS and np.all(np.diff(ends[-cls.RISING_EPOCHS - 1:]) > 0)
                and losses[-1] > 2 * np.min(losses)):
            return "diverging"
        if np.max(losses) > 10 * losses[0]:
            return "unstable"
        return "settling"

    def update(self):
        path, seen = self.run(self.batch_size.value)
        key = (self.lr.value, self.epochs.value)
        if getattr(self, "_full_for", None) != key:  # batch descent does not depend on the seed
            self._full = self.run(len(self.x), seed=0)
            self._full_for = key
        full, full_seen = self._full
        with np.errstate(all="ignore"):
            losses, full_losses = self.loss(path[:, 0], path[:, 1]), self.loss(full[:, 0], full[:, 1])
        self.path_line.set_data(path[:, 0], path[:, 1])
        self.path_end.set_data(path[-1:, 0], path[-1:, 1])
        self.loss_line.set_data(seen, np.clip(losses, 1e-3, 1e6))
        self.full_line.set_data(full_seen, np.clip(full_losses, 1e-3, 1e6))
        self.ax_loss.set_xlim(0, self.epochs.value * len(self.x))
        self.final_loss = float(losses[-1])
        n_updates = len(path) - 1
        per_epoch = -(-len(self.x) // self.batch_size.value)
        self.status = self.judge(losses, per_epoch, self.batch_size.value)
        self.diverged = self.status in ("diverging", "diverged")
        kind = {1: "stochastic", len(self.x): "batch"}.get(self.batch_size.value, "mini-batch")
        red = "<b style='color:#cf222e'>{}</b>"
        status = {
            "settling": f"final loss {self.final_loss:.4f} (best possible {self.best_loss:.4f})",
            "diverged": red.format("diverged") + f": the loss shot up to ${sci_text(np.nanmax(losses))}$, steps "
                        "overshoot the valley by more and more",
            "diverging": red.format("diverging") + f": the loss has gone up for {self.RISING_EPOCHS} epochs in a "
                         f"row (now {self.final_loss:.3g}): each step overshoots by a little more than the last",
            "unstable": red.format("unstable") + f": on the way the loss jumped to ${sci_text(np.max(losses))}$, more "
                        f"than 10 times where it started: some steps overshoot wildly (final loss "
                        f"{self.final_loss:.3g})",
        }[self.status]
        self.readout.value = (
            f"{kind} gradient descent: {per_epoch} update{'s' * (per_epoch > 1)} per epoch, "
            f"{n_updates} in all<br>"
            "each step: $w \\leftarrow w - \\eta\\,\\frac{2}{m}\\sum_{i \\in \\text{batch}} (wx_i + b - y_i)\\,x_i$, "
            f"$m = {self.batch_size.value}$ (the batch size)"
            f"<br>{status}")
