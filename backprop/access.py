"""Accessibility: figures with text alternatives, live readouts, and the colour checks (WCAG 2.1 AA).

What a figure shows is said in words as well (its alt text), what an explorer shows is said in a
text that a screen reader announces when it changes, and the colours are checked for contrast and
for the common colour-vision deficiencies. See ACCESSIBILITY.md for what was tested and how.

    describe_figure(fig)         what a matplotlib figure shows, in words: its titles, axes and ranges,
                                 each line from what to what, and the numbers written on it
    figure_bundle(fig, alt, dpi) a figure as a display bundle whose image carries `alt` in every frontend
    AltImage(alt=..., value=png) an image widget with alt text (ipywidgets' Image has none)
    LiveText(text=...)           a status line a screen reader announces when it changes (an ARIA live region);
                                 it also makes its group of controls work from the keyboard in JupyterLab
    speakable(html)              HTML with LaTeX (a readout, a quiz's feedback) as plain text to be read aloud
    relative_luminance(colour)   WCAG's relative luminance of a colour
    contrast_ratio(a, b)         WCAG's contrast ratio of two colours, 1 to 21 (text needs 4.5)
    CVD_MATRICES                 Machado et al. (2009) matrices, severity 1, for protanopia, deuteranopia, tritanopia
    simulate_cvd(rgb, kind)      colours (or a whole image) as a person with that deficiency sees them
    delta_e(a, b)                the CIELAB distance (CIE76) of colours: under about 10, hard to tell apart
"""

import base64
import html
import io
import re

import anywidget
import numpy as np
import traitlets

__all__ = ["describe_figure", "figure_bundle", "AltImage", "LiveText", "speakable", "relative_luminance",
           "contrast_ratio", "CVD_MATRICES", "simulate_cvd", "delta_e"]


# ---------------------------------------------------------------------------------------------- words


def _number(value):
    """A number as the figure would print it: 4 significant digits, no trailing noise."""
    value = float(value)
    if not np.isfinite(value):
        return "infinity" if value > 0 else ("minus infinity" if value < 0 else "not a number")
    if value == 0:
        return "0"
    if 1e-3 <= abs(value) < 1e5:
        return f"{value:.4g}"
    return f"{value:.2e}"


def _clean(text):
    """Matplotlib text (mathtext between $...$ included) as plain words."""
    return _words(html.escape(text))


def _line_words(line, x_name):
    xs = np.asarray(line.get_xdata(), dtype=float).ravel()
    ys = np.asarray(line.get_ydata(), dtype=float).ravel()
    keep = np.isfinite(xs) & np.isfinite(ys)
    xs, ys = xs[keep], ys[keep]
    if len(ys) == 0:
        return None
    if len(ys) == 1:
        return f"a point at {x_name} = {_number(xs[0])}, height {_number(ys[0])}"
    words = (f"from {_number(ys[0])} at {x_name} = {_number(xs[0])} to {_number(ys[-1])} "
             f"at {x_name} = {_number(xs[-1])}")
    if len(ys) > 2:
        low, high = int(np.argmin(ys)), int(np.argmax(ys))
        if 0 < low < len(ys) - 1:
            words += f", lowest {_number(ys[low])} at {x_name} = {_number(xs[low])}"
        if 0 < high < len(ys) - 1:
            words += f", highest {_number(ys[high])} at {x_name} = {_number(xs[high])}"
        words += f" ({len(ys)} points)"
    return words


def _axes_words(ax):
    parts = []
    title = " ".join(_clean(t.get_text()) for t in (ax.title, ax._left_title, ax._right_title) if t.get_text())
    if title:
        parts.append(f"“{title}”")
    if ax.axison:
        for name, label, (low, high), scale in (
                ("x", ax.get_xlabel(), ax.get_xlim(), ax.get_xscale()),
                ("y", ax.get_ylabel(), ax.get_ylim(), ax.get_yscale())):
            label = _clean(label) or name
            parts.append(f"{name} axis {label} from {_number(low)} to {_number(high)}"
                         + (f" ({scale} scale)" if scale != "linear" else ""))
        x_name = re.sub(r"\s*\(.*?\)", "", _clean(ax.get_xlabel())) or "x"
        lines = [line for line in ax.get_lines() if line.get_visible()  # (not axhline's and axvline's)
                 and (line.get_transform() is ax.transData or not line.get_label().startswith("_"))]
        labelled = [line for line in lines if not line.get_label().startswith("_")]
        for line in (labelled if labelled else lines)[:8]:
            words = _line_words(line, x_name)
            if words:
                name = line.get_label()
                if name.startswith("_"):
                    name = "" if words.startswith("a point") else "a line"
                parts.append(f"{_clean(name)} {words}".strip())
        for collection in ax.collections:
            offsets = getattr(collection, "get_offsets", lambda: [])()
            if len(offsets) > 1:
                parts.append(f"{len(offsets)} points")
        if ax.images:
            shape = ax.images[0].get_array().shape
            parts.append(f"an image of {shape[0]} by {shape[1]} cells")
    texts = [_clean(t.get_text()) for t in ax.texts if t.get_visible() and t.get_text().strip()]
    texts += [_clean(a.get_text()) for a in ax.artists if hasattr(a, "get_text") and a.get_text().strip()]
    texts = [t for t in texts if t]
    if texts:
        parts.append("written on it: " + "; ".join(texts))
    return ", ".join(parts)


def describe_figure(fig):
    """What the figure shows, in words a screen reader can say: for each panel its title, its axes
    with their ranges, each line (its label, from what value to what, where it is lowest and highest)
    and every number or word written on it (the values and gradients of a network diagram)."""
    panels = [ax for ax in fig.axes if ax.get_visible() and (ax.axison or ax.texts or ax.lines or ax.patches)]
    panels = [ax for ax in panels if ax.get_label() != "<colorbar>"]
    words = [_axes_words(ax) for ax in panels]
    words = [w for w in words if w]
    suptitle = fig._suptitle.get_text() if getattr(fig, "_suptitle", None) is not None else ""
    head = f"“{_clean(suptitle)}”. " if suptitle else ""
    if len(words) == 1:
        return head + words[0] + "."
    return head + f"{len(words)} panels. " + " ".join(f"Panel {i + 1}: {w}." for i, w in enumerate(words))


def figure_bundle(fig, alt=None, dpi=100):
    """The figure as a display bundle: an HTML <img> with its alt text (JupyterLab shows it and reads
    the alt to a screen reader; JupyterLab 4 ignores an image/png output's alt), the PNG with the alt
    in its metadata (what nbconvert's classic template and nbgrader's feedback pages read), and the
    alt as text/plain. `alt` is the lesson's sentence; the figure's own description follows it."""
    described = describe_figure(fig)
    alt = f"{alt.rstrip()} {described}" if alt else described
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    png = buffer.getvalue()
    width, height = _png_size(png)
    data = base64.b64encode(png).decode("ascii")
    tag = (f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" '
           f'width="{width}" height="{height}" class="bp-figure" style="max-width:100%;height:auto">')
    bundle = {"text/html": tag, "image/png": data, "text/plain": alt}
    metadata = {"image/png": {"alt": alt, "width": width, "height": height}}
    return bundle, metadata


def _png_size(png):
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def speakable(text):
    """HTML with LaTeX between $...$ as plain text for a screen reader: tags and dollar signs gone,
    the course's LaTeX spelt in words or Unicode (∂L/∂w, ŷ, ×, ←), <br> a pause."""
    text = _words(text)
    return text + "." if text else ""


def _words(text):
    text = re.sub(r"<br\s*/?>|</(?:p|div|li|tr|h\d)>", ". ", text, flags=re.I)
    text = re.sub(r"<[^>]+>", " ", text)
    text = html.unescape(text)
    replacements = [
        (r"\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", r"(\1)/(\2)"), (r"\\sqrt\s*\{([^{}]*)\}", r"square root of (\1)"),
        (r"\\hat\s*(?:\{\s*y\s*\}|y)", "ŷ"), (r"\\partial\s*", "∂"), (r"\\times", "×"), (r"\\cdot", "·"),
        (r"\\leftarrow", "←"), (r"\\rightarrow|\\to\b", "→"), (r"\\approx", "≈"), (r"\\infty", "infinity"),
        (r"\\sigma", "σ"), (r"\\eta", "η"), (r"\\lambda", "λ"), (r"\\alpha", "α"), (r"\\delta", "δ"),
        (r"\\Delta", "Δ"), (r"\\epsilon|\\varepsilon", "ε"), (r"\\theta", "θ"), (r"\\mu", "μ"), (r"\\sum", "sum"),
        (r"\\log", "log"), (r"\\exp", "exp"), (r"\\top", "transposed"), (r"\\le(?:q)?\b", "≤"),
        (r"\\ge(?:q)?\b", "≥"), (r"\\ne(?:q)?\b", "≠"), (r"\\pm", "±"), (r"\\ldots|\\dots|\\cdots", "…"),
        (r"\\(?:mathrm|text|mathbf|operatorname|boldsymbol|mathit)\s*\{([^{}]*)\}", r"\1"),
        (r"\\(?:left|right|big|Big|bigl|bigr)\b", ""), (r"\\\||\\[lr]Vert", "‖"),
        (r"\\[,;:! ]|~", " "), (r"\\quad|\\qquad", " "),
        (r"\^\s*\{([^{}]*)\}", r"^\1"), (r"_\s*\{([^{}]*)\}", r"_\1"), (r"\\([A-Za-z]+)", r"\1"),
    ]
    for pattern, words in replacements:
        text = re.sub(pattern, words, text)
    text = text.replace("$", "").replace("{", "").replace("}", "")
    text = re.sub(r"\s+([.,;:])", r"\1", text)
    text = re.sub(r"([:;,])\s*\.", r"\1", text)
    text = re.sub(r"(?:\.\s*){2,}", ". ", text)
    return " ".join(text.split()).strip(" .")


# -------------------------------------------------------------------------------------------- widgets

_IMAGE_JS = """
function render({ model, el }) {
  const img = document.createElement("img");
  let url = null;
  const show = () => {
    const value = model.get("value");
    if (!value || value.byteLength === 0) return;
    const next = URL.createObjectURL(new Blob([value], { type: "image/png" }));
    img.src = next;
    if (url) URL.revokeObjectURL(url);
    url = next;
  };
  const look = () => {
    img.className = model.get("image_class");
    img.style.width = model.get("fill") ? "100%" : "";
  };
  const label = () => { img.alt = model.get("alt"); };
  look(); label(); show();
  model.on("change:value", show);
  model.on("change:alt", label);
  model.on("change:image_class change:fill", look);
  el.classList.add("bp-alt-image");
  el.appendChild(img);
  return () => { if (url) URL.revokeObjectURL(url); };
}
export default { render };
"""

_LIVE_JS = """
// A live text inside a group of controls (an explorer, a question) serves the group from the keyboard:
// - ipywidgets' sliders have no accessible name (their handle, role=slider, is not tied to the label
//   beside it): it names them after their labels, again whenever a slider is redrawn (a change of its
//   range draws a new handle);
// - in a notebook's command mode JupyterLab takes the arrow keys and letters as its own shortcuts even
//   in a select list, a radio button or a slider (↓ goes to the next cell, not the next option): the
//   keys such a control uses stop at the group (JupyterLab listens to keydown as it bubbles up to the
//   document), so they reach the control only. Every other key goes on to JupyterLab as ever: Escape,
//   Tab, Enter, Ctrl/Alt/Meta keys, and on a button or a slider the letters (j and k move between cells).
const CONTROL_KEYS = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp",
                              "PageDown"]);
const TYPED_IN = "select, textarea, input:not([type=radio]):not([type=checkbox]):not([type=range])";
function keepKeys(event) {
  const target = event.target;
  if (event.ctrlKey || event.altKey || event.metaKey || !target || !target.matches) return;
  if ((CONTROL_KEYS.has(event.key) && target.matches("input, select, textarea, [role=slider]")) ||
      (event.key.length === 1 && target.matches(TYPED_IN))) {  // a letter in a list or a text field
    event.stopPropagation();
  }
}
function nameSliders(root) {
  for (const handle of root.querySelectorAll("[role=slider]")) {
    const box = handle.closest(".widget-slider, .jupyter-widget-slider, .widget-hslider, .widget-inline-hbox");
    const label = box && box.querySelector("label, .widget-label");
    const name = label ? label.textContent.trim() : "";
    if (name && handle.getAttribute("aria-label") !== name) handle.setAttribute("aria-label", name);
    const readout = box && box.querySelector(".widget-readout");
    const value = readout ? readout.textContent.trim() : "";
    if (value && handle.getAttribute("aria-valuetext") !== value) handle.setAttribute("aria-valuetext", value);
  }
}
function render({ model, el }) {
  const region = document.createElement("div");
  region.setAttribute("role", "status");
  region.setAttribute("aria-live", "polite");
  region.setAttribute("aria-atomic", "true");
  let timer = null;
  const look = () => {
    region.className = "bp-live " + (model.get("visible") ? "" : "bp-sr-only ") + model.get("region_class");
  };
  // what the region says settles first: a slider held down would otherwise queue a sentence per step
  const say = () => {
    clearTimeout(timer);
    timer = setTimeout(() => { region.textContent = model.get("text"); }, model.get("settle_ms"));
  };
  look();
  region.textContent = model.get("text");
  model.on("change:text", say);
  model.on("change:visible change:region_class", look);
  el.appendChild(region);
  let observer = null;
  const selector = model.get("controls_in");
  if (selector) {
    const watch = () => {
      const root = el.closest(selector);
      if (!root) return setTimeout(watch, 200);  // (not attached yet)
      if (!root.hasAttribute("data-bp-keys")) {  // (once, whichever of its live texts gets there first)
        root.setAttribute("data-bp-keys", "");
        root.addEventListener("keydown", keepKeys);
      }
      nameSliders(root);
      observer = new MutationObserver(() => nameSliders(root));
      observer.observe(root, { childList: true, subtree: true, characterData: true });
    };
    watch();
  }
  return () => { clearTimeout(timer); if (observer) observer.disconnect(); };
}
export default { render };
"""

_CSS = """
.bp-alt-image img { display: block; max-width: 100%; height: auto; }
.bp-sr-only { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }
"""


class AltImage(anywidget.AnyWidget):
    """A PNG image widget whose <img> has alt text, updated with the picture (ipywidgets' Image
    cannot carry one). `value` the PNG bytes, `alt` the text, `image_class` the <img>'s CSS class,
    `fill` stretches the image to the widget's width."""

    _esm = _IMAGE_JS
    _css = _CSS
    value = traitlets.Bytes(b"").tag(sync=True)
    alt = traitlets.Unicode("").tag(sync=True)
    image_class = traitlets.Unicode("").tag(sync=True)
    fill = traitlets.Bool(False).tag(sync=True)


class LiveText(anywidget.AnyWidget):
    """A line of text in an ARIA live region (role=status): a screen reader says it when it changes,
    once it has stayed the same for `settle_ms`. Hidden from the eye unless `visible`.
    `controls_in`, a CSS selector of an ancestor (".bp-explorer"): the group of controls it serves. Every
    ipywidgets slider in it is given its label as its accessible name and its readout as its spoken
    value, and the arrow keys on a slider, a select list, a radio button or a text field (and letters in a
    list or a text field) reach the control, not JupyterLab's command-mode shortcuts."""

    _esm = _LIVE_JS
    _css = _CSS
    text = traitlets.Unicode("").tag(sync=True)
    visible = traitlets.Bool(False).tag(sync=True)
    region_class = traitlets.Unicode("").tag(sync=True)
    settle_ms = traitlets.Int(400).tag(sync=True)
    controls_in = traitlets.Unicode("").tag(sync=True)


# --------------------------------------------------------------------------------------------- colour


def _srgb(colour):
    """A colour as sRGB floats in [0, 1], from any matplotlib colour (or an array of RGB rows)."""
    if isinstance(colour, np.ndarray):
        rgb = colour[..., :3].astype(float)
        return rgb / 255.0 if colour.dtype == np.uint8 else rgb
    from matplotlib.colors import to_rgb

    return np.array(to_rgb(colour))


def _linear(srgb):
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def _gamma(linear):
    linear = np.clip(linear, 0.0, 1.0)
    return np.where(linear <= 0.0031308, 12.92 * linear, 1.055 * linear ** (1 / 2.4) - 0.055)


def relative_luminance(colour):
    """WCAG 2.1's relative luminance: 0 for black, 1 for white."""
    r, g, b = np.moveaxis(_linear(_srgb(colour)), -1, 0)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a, b):
    """WCAG 2.1's contrast ratio (L1 + 0.05) / (L2 + 0.05), from 1 to 21; AA asks 4.5 for text."""
    la, lb = relative_luminance(a), relative_luminance(b)
    return (np.maximum(la, lb) + 0.05) / (np.minimum(la, lb) + 0.05)


CVD_MATRICES = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}


def simulate_cvd(rgb, kind):
    """Colours as seen with a colour-vision deficiency (Machado, Oliveira and Fernandes 2009, severity 1,
    applied in linear RGB). rgb: a matplotlib colour, or an array whose last axis is RGB (uint8 0-255 or
    floats 0-1, an image's pixels included); returns sRGB floats in [0, 1] of the same shape."""
    return _gamma(_linear(_srgb(rgb)) @ CVD_MATRICES[kind].T)


def _lab(rgb):
    linear = _linear(_srgb(rgb))
    xyz = linear @ np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]).T
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], -1)


def delta_e(a, b):
    """CIE76 colour difference in CIELAB: about 2 is just noticeable, under 10 easily confused in a plot."""
    return np.linalg.norm(_lab(a) - _lab(b), axis=-1)
