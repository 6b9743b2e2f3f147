"""Where a lesson teaches what a mistake gets wrong: its student text, as a page with an anchor per heading.

The report links every cause to a section of its lesson: the section the catalogue names for the mistake
(backprop.mistakes.Mistake.section), or else the exercise's own (the last heading before its answer cell).
The link goes to a page the report writes beside itself: the lesson's *student* version
(lessons/NN_slug/NN_slug.ipynb: no solutions, no hidden tests, so it can be shown in a lecture), its text
and code as HTML with an anchor per heading. That works offline and without a server, where a link to the
notebook would open its JSON, a JupyterLab address needs a running server, and the lesson's source text
(solutions/NN_slug/NN_slug.md) holds the answers. The report also names the notebook and the section, to open
it in JupyterLab. Maths stays as its LaTeX source (no MathJax: no script, no network).

    LessonText.load(notebook)     the headings, the exercises' sections and their order, of a student notebook
      .section_of(exercise)       (heading, anchor) of the exercise's section
      .find(heading)              the anchor of a heading given as the lesson's text writes it, or None
      .html(title)                the page: the lesson's cells, headings with their anchors
    plain_heading(markdown)       a heading's words, without markup, as the anchors are made from them
    slug(words)                   an anchor from a heading's words
"""

import html
import json
import re
from pathlib import Path

import mistune

__all__ = ["LessonText", "plain_heading", "slug"]

_MARKDOWN = mistune.create_markdown(escape=True, renderer="ast")


def _words(tokens):
    return "".join(t.get("raw", "") if "raw" in t else _words(t.get("children", [])) for t in tokens)


def plain_heading(markdown):
    """The words of a heading (markup dropped: `code` gives code, *x* gives x), as anchors are made from."""
    tokens = _MARKDOWN(markdown if markdown.lstrip().startswith("#") else "## " + markdown)
    for token in tokens:
        if token["type"] == "heading":
            return " ".join(_words(token["children"]).split())
    return " ".join(markdown.split())


def slug(words):
    """An anchor from a heading's words: lower case, letters and digits, words joined by '-'."""
    return re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-") or "section"


class _Renderer(mistune.HTMLRenderer):
    """HTML with the anchors found beforehand (by plain_heading and slug), and <kbd> kept."""

    def __init__(self, anchors):
        super().__init__(escape=True)
        self.anchors = anchors

    def heading(self, text, level, **attrs):
        anchor = self.anchors.pop(0) if self.anchors else None
        attrs = {"id": anchor} if anchor else {}
        return super().heading(text, level, **attrs)

    def inline_html(self, raw):
        return raw if re.fullmatch(r"</?kbd>", raw) else super().inline_html(raw)


class LessonText:
    """A lesson's student notebook: its headings [(level, words, anchor)] in order, and for every answer cell
    (exercise) the heading it sits under and its position."""

    def __init__(self, notebook, cells, headings, exercises):
        self.notebook, self.cells, self.headings, self.exercises = Path(notebook), cells, headings, exercises

    @property
    def order(self):
        """The exercises (answer cells' grade ids) in the lesson's order."""
        return list(self.exercises)

    @classmethod
    def load(cls, notebook):
        """Read a notebook (nbformat 4's JSON, read as JSON: nbformat's validation costs seconds to import)."""
        nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
        headings, exercises, used, current = [], {}, set(), None
        cells = []
        for cell in nb.get("cells", []):
            source = cell.get("source", "")
            cell = {**cell, "source": "".join(source) if isinstance(source, list) else source}
            meta = cell.get("metadata", {}).get("nbgrader", {})
            anchors = []
            if cell["cell_type"] == "markdown":
                for token in _MARKDOWN(cell["source"]):
                    if token["type"] != "heading":
                        continue
                    words = " ".join(_words(token["children"]).split())
                    anchor = base = slug(words)
                    k = 2
                    while anchor in used:
                        anchor, k = f"{base}-{k}", k + 1
                    used.add(anchor)
                    anchors.append(anchor)
                    headings.append((token["attrs"]["level"], words, anchor))
                    if token["attrs"]["level"] <= 3:
                        current = (words, anchor)
            elif meta.get("solution") and meta.get("grade_id"):
                exercises[meta["grade_id"]] = current or ("", "")
            cells.append((cell, anchors))
        return cls(notebook, cells, headings, exercises)

    def section_of(self, exercise):
        """(heading words, anchor) of the section an exercise's answer cell is in; ("", "") if unknown."""
        return self.exercises.get(exercise, ("", ""))

    def find(self, heading):
        """The anchor of the heading whose words are those of `heading` (markdown, with or without #), or None."""
        words = plain_heading(heading)
        for _, found, anchor in self.headings:
            if found == words:
                return anchor
        return None

    def html(self, title, css=""):
        """The lesson as a page: its markdown cells rendered, its code cells as code, the answer and test cells
        marked; every heading with its anchor."""
        parts = []
        for cell, anchors in self.cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if cell["cell_type"] == "markdown":
                rendered = mistune.create_markdown(renderer=_Renderer(list(anchors)))(cell["source"])
                parts.append(f'<div class="md">{rendered}</div>')
            elif cell["cell_type"] == "code" and cell["source"].strip():
                label = ("answer cell (the student writes here)" if meta.get("solution") else
                         f"test cell, {meta.get('points', 0):g} points" if meta.get("grade") else "")
                tag = f'<p class="cell-label">{html.escape(label)}</p>' if label else ""
                parts.append(f'<div class="code">{tag}<pre><code>{html.escape(cell["source"])}</code></pre></div>')
        return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f"<title>{html.escape(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n<main>\n"
                f'<p class="note">The student version of the lesson ({html.escape(self.notebook.name)}): no solutions, '
                f"no hidden tests. Maths is shown as its LaTeX source.</p>\n"
                + "\n".join(parts) + "\n</main>\n</body>\n</html>\n")
