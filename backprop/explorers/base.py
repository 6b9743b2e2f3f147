"""What every explorer is built on: controls beside a matplotlib figure that redraws as they move.

The figure is drawn once and then only its data change, so moving a slider redraws in milliseconds.
Every redraw also says what the figure shows in words: the image's alt text (`alt_text()`), and a
line a screen reader announces when the explorer settles (`spoken()`, by default the readout).

    Explorer(controls, fig, readout, dpi)   the widget: controls and a readout on the left, the figure as a PNG
    figure_png(fig, dpi)      the figure as PNG bytes, drawn on its own canvas
    own_canvas(fig, dpi)      give a figure an off-screen canvas of its own, kept from one redraw to the next
    make_slider(description, value, low, high, step, fmt)   a float slider as the explorers lay them out
    widen_slider(slider, value)   stretch a slider's range to hold a value
    sci_text(value)           a number for LaTeX: 0.1234 or 1.23 \\times 10^{-13}
"""

import io
import threading

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.layout_engine import PlaceHolderLayoutEngine

from backprop.access import AltImage, LiveText, describe_figure, speakable

__all__ = ["Explorer", "figure_png", "own_canvas", "make_slider", "widen_slider", "sci_text"]

# pyplot picks its backend when the first figure is made, and in a notebook that also switches
# interactive mode on. The explorers make their figures inside rc_context (for their fonts),
# which on leaving restores interactive mode as it was before: off. A lesson would then stop
# showing its figures after its first explorer. So the backend is picked here, outside any context.
plt.close(plt.figure())


class Explorer(widgets.HBox):
    """Controls beside a matplotlib figure shown as a PNG image; `redraw()` updates it.

    Subclasses build `self.fig` and its artists, list their controls, and implement
    `update()`, which changes the artists' data from the controls' values.
    """

    def __init__(self, controls, fig, readout=True, dpi=90):
        self.fig = fig
        if isinstance(fig.get_layout_engine(), PlaceHolderLayoutEngine):
            fig.set_layout_engine(None)  # tight_layout ran once; without this, every draw lays out again
        self.dpi = dpi
        self.image = AltImage(image_class="bp-explorer-figure", layout=widgets.Layout(max_width="100%", height="auto"))
        self.readout = widgets.HTMLMath("")
        self.readout.add_class("bp-explorer-readout")
        # the readout, said aloud when it changes; it also names the sliders (ipywidgets' have no name)
        # and gives the arrow keys to the controls (backprop.access.LiveText)
        self.live = LiveText(region_class="bp-explorer-live", controls_in=".bp-explorer")
        panel = widgets.VBox(list(controls) + ([self.readout] if readout else []) + [self.live],
                             layout=widgets.Layout(min_width="270px", max_width="320px"))
        super().__init__([panel, self.image], layout=widgets.Layout(align_items="flex-start", flex_flow="row wrap"))
        self.add_class("bp-explorer")
        self._paused = False
        self._drawing = threading.Lock()
        self._pending = False
        for control in controls:
            if hasattr(control, "value") and not isinstance(control, widgets.Button):
                control.observe(lambda _: self.redraw(), names="value")
        plt.close(fig)  # keep pyplot from showing it a second time
        own_canvas(fig, dpi)

    def set_values(self, **values):
        """Set several controls at once (by attribute name) and redraw once."""
        self._paused = True
        try:
            for name, value in values.items():
                getattr(self, name).value = value
        finally:
            self._paused = False
        self.redraw()

    def redraw(self):
        """Update the artists from the controls and re-render the figure.

        A change that arrives while a redraw is running (the browser echoing back a slider
        value it rounded to the slider's step, which the kernel may handle on another thread)
        must not draw into the same figure at the same time, which gives a blank image: it
        asks for one more redraw when the running one is done.
        """
        if self._paused:
            return
        if not self._drawing.acquire(blocking=False):
            self._pending = True
            return
        try:
            self._pending = True
            while self._pending:
                self._pending = False
                self.update()
                self.image.value = figure_png(self.fig, self.dpi)
                self.image.alt = self.alt_text()
                self.live.text = self.spoken()
        finally:
            self._drawing.release()
        if self._pending:  # asked for between the last check and the release
            self.redraw()

    def update(self):
        raise NotImplementedError

    def alt_text(self):
        """The figure in words, for its alt text: what the explorer shows (the first line of its
        class's docstring), then what the figure holds now (backprop.access.describe_figure)."""
        doc = (type(self).__doc__ or "").strip().split("\n\n")[0]
        return " ".join(f"{doc} Now: {describe_figure(self.fig)}".split())

    def spoken(self):
        """What a screen reader announces when the explorer settles: the readout as plain text,
        or the figure in words if there is no readout."""
        return speakable(self.readout.value) if self.readout.value else describe_figure(self.fig)


def own_canvas(fig, dpi):
    """Give fig an Agg canvas of its own at `dpi`, kept from one redraw to the next: drawing
    reuses its renderer (and the text measured before), where savefig would make new ones."""
    fig.set_dpi(dpi)
    return FigureCanvasAgg(fig)  # off-screen, independent of the notebook's backend


def figure_png(fig, dpi):
    """The figure as PNG bytes, the same pixels as fig.savefig(format="png", dpi=dpi), faster:
    drawn on its own canvas, and compressed lightly (it only travels to the browser)."""
    canvas = fig.canvas
    if not isinstance(canvas, FigureCanvasAgg) or fig.dpi != dpi:  # (pyplot or a savefig changed them)
        canvas = own_canvas(fig, dpi)
    canvas.draw()
    rgba = canvas.buffer_rgba()
    buffer = io.BytesIO()
    PIL.Image.frombuffer("RGBA", (rgba.shape[1], rgba.shape[0]), rgba, "raw", "RGBA", 0, 1).save(
        buffer, format="png", compress_level=1)
    return buffer.getvalue()


def make_slider(description, value, low, high, step, fmt=".2f"):
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               readout_format=fmt, continuous_update=True,
                               style={"description_width": "3em"}, layout=widgets.Layout(width="260px"))



def widen_slider(slider, value):
    """Stretch a slider's range so that it holds value, with a margin."""
    if value > slider.max:
        slider.max = value + 0.1 * (value - slider.min)
    if value < slider.min:
        slider.min = value - 0.1 * (slider.max - value)


def sci_text(value):
    """A number for LaTeX: 0.1234 or 1.23 \\times 10^{-13}."""
    if not np.isfinite(value):
        return "\\infty"
    if value == 0:
        return "0"
    if 1e-3 <= abs(value) < 1e4:
        return f"{value:.4g}"
    mantissa, exponent = f"{value:.2e}".split("e")
    return f"{mantissa} \\times 10^{{{int(exponent)}}}"
