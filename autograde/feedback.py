"""Feedback pages: the graded notebook as HTML, safe to open, for the student and the instructor.

Every route that makes feedback (python -m autograde.grade, nbgrader generate_feedback, the
formgrader, a student's own feedback) uses FeedbackExporter, declared in nbgrader_config.py.

A feedback page is read where it is opened: in JupyterLab (the Assignments tab's "view feedback"),
which shows an HTML file untrusted, without running its scripts, or in a browser, perhaps offline.
So it needs no script: the lessons' maths is MathML, which browsers draw themselves (and screen
readers read), converted at export time; an explorer or a quiz, which only a running kernel can
show, is a short note; long lines wrap.

Why latex2mathml (pinned in requirements.txt; pure Python, nothing else with it): JupyterLab's own
MathJax draws maths in notebooks and Markdown files, not inside an HTML file, which its viewer
shows untrusted, without scripts (and nbgrader's "view feedback" links the HTML file); MathJax in
the page needs scripts and the network; matplotlib's mathtext cannot draw 208 of the lessons'
1578 formulas (those with underbrace, bigl, tfrac, ...) and makes pictures a screen reader cannot read.
latex2mathml converts all 1578. Without it, a page keeps its LaTeX and nbconvert's MathJax.

    FeedbackExporter     nbconvert's HTMLExporter with the student's HTML sanitized, maths as MathML, and faster
    with_alt_text(html)  every image given a text alternative, in one linear pass
    mathml(tex, display) LaTeX as MathML (sanitized), or None where it cannot be converted
    widget_note(kind)    what a feedback page shows in place of an explorer's or a quiz's output
    with_widget_notes(nb)  a notebook with that note in place of every explorer's and quiz's output
    PAGE_STYLE           the page's own style: long lines wrap, maths and notes laid out
    ACCESSIBLE_STYLE     what the page's own styles lack for WCAG 2.1 AA (contrast, links, long lines)
    accessible(html)     the page with a language and ACCESSIBLE_STYLE
    clean_html(element)  nbconvert's clean_html, keeping the course's figures: <img> of PNG data with its alt
"""

import copy
import functools
import html as html_text
import re
import time

import bleach
import jinja2
import nbformat
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbformat import NotebookNode
from traitlets import Bool

from autograde import pages
from backprop.notebook import without_widget_views

try:
    from latex2mathml.converter import convert as _latex_to_mathml
except ImportError:  # (requirements.txt installs it; without it, maths stays LaTeX, as nbconvert writes it)
    _latex_to_mathml = None

__all__ = ["FeedbackExporter", "with_alt_text", "mathml", "widget_note", "with_widget_notes", "PAGE_STYLE",
           "ACCESSIBLE_STYLE", "accessible", "clean_html"]

# What MathML may hold on a feedback page: presentation elements and their layout attributes. No
# links (\href), no styles (\style), no HTML inside \text{}: the LaTeX may be a student's.
MATHML_TAGS = ["math", "mrow", "mi", "mn", "mo", "ms", "mspace", "mtext", "mfrac", "msqrt", "mroot", "msub", "msup",
               "msubsup", "munder", "mover", "munderover", "mtable", "mtr", "mtd", "mlabeledtr", "mstyle", "mpadded",
               "mphantom", "menclose", "merror", "mmultiscripts", "mprescripts", "none", "semantics"]
MATHML_ATTRIBUTES = ["xmlns", "display", "mathvariant", "stretchy", "fence", "separator", "lspace", "rspace",
                     "columnalign", "rowalign", "rowspacing", "columnspacing", "columnlines", "rowlines", "frame",
                     "framespacing", "accent", "accentunder", "linethickness", "minsize", "maxsize", "movablelimits",
                     "symmetric", "width", "height", "depth", "scriptlevel", "displaystyle", "form", "notation",
                     "largeop", "mathsize", "voffset", "align", "equalrows", "equalcolumns"]

PAGE_STYLE = """<style>
/* long lines wrap (between words where they can) instead of being cut off */
div.output_area pre, div.output_text pre, div.input_area pre, .highlight pre {
  white-space: pre-wrap; word-break: normal; overflow-wrap: anywhere; }
div.output_area, div.output_subarea, div.input_area { overflow-x: visible; max-width: 100%; }
math[display="block"] { margin: 0.6em 0; overflow-x: auto; overflow-y: hidden; }
math { font-size: 1.1em; }
div.output_html em { color: #57606a; }
/* the page as wide as its window allows (nbgrader's is 750px wide in a window under 1200px, as in
   JupyterLab beside its file browser): a failure's lines, 78 columns, then fit without wrapping again */
body > div.container { width: auto; max-width: 1170px; }
</style>
"""


def mathml(tex, display=False):
    """LaTeX (the inside of $...$, or of $$...$$ when display) as sanitized MathML, or None where
    latex2mathml is missing or cannot read it."""
    if _latex_to_mathml is None:  # (checked here, not in the cache: a page made without it is not remembered)
        return None
    return _mathml(tex, bool(display))


@functools.lru_cache(maxsize=20000)  # a class hands in the same lessons: the same maths, many times
def _mathml(tex, display):
    try:
        converted = _latex_to_mathml(tex.strip(), display="block" if display else "inline")
    except Exception:  # noqa: BLE001  (LaTeX it does not know: left as LaTeX)
        return None
    clean = bleach.clean(converted, tags=MATHML_TAGS, attributes=dict.fromkeys(MATHML_TAGS, MATHML_ATTRIBUTES),
                         strip=False)
    # with the LaTeX as the accessible name's source, for copying and for readers that want it
    return clean.replace("<math ", f'<math alttext="{html_text.escape(tex.strip(), quote=True)}" ', 1)


class _MathMLRenderer(IPythonRenderer):
    """nbconvert's Markdown renderer, with maths as MathML in place of LaTeX for MathJax."""

    def block_math(self, body):
        return mathml(body, display=True) or super().block_math(body)

    def inline_math(self, body):
        return mathml(body) or super().inline_math(body)

    def latex_environment(self, name, body):
        return mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", display=True) or super().latex_environment(name, body)


_WIDGET_WORDS = {"explorer": "An explorer", "quiz": "The “Try it” questions", "widget": "Interactive controls"}


_MAKES_WIDGET = re.compile(r"^(?P<name>[A-Z]\w*Explorer|Quiz)\(", re.MULTILINE)


def with_widget_notes(nb):
    """The notebook with a note (widget_note) for every explorer and quiz: in place of a widget's saved
    output, and as the output of a cell that makes one (SlopeExplorer(), Quiz([...])) and has none,
    since grading runs only the test cells."""
    without_widget_views(nb, widget_note)
    for cell in nb.cells:
        made = _MAKES_WIDGET.search(cell.source) if cell.cell_type == "code" and not cell.get("outputs") else None
        if made:
            kind = "quiz" if made.group("name") == "Quiz" else "explorer"
            cell.outputs = [nbformat.v4.new_output("display_data", data=widget_note(kind))]
    return nb


def widget_note(kind):
    """What a feedback page shows in place of a widget's output (an explorer, a quiz): they need the
    running kernel of the notebook they were made in."""
    what = _WIDGET_WORDS.get(kind, _WIDGET_WORDS["widget"])
    text = f"({what} here: interactive, it works in the lesson's notebook, when its cell runs.)"
    # (plain <em>: the page's two sanitizers, the course's SanitizeHTML and nbconvert's clean_html, both keep it)
    return {"text/plain": text, "text/html": f"<em>{html_text.escape(text)}</em>"}

IMAGE_TAG = re.compile(r"<img\b[^>]*>?", re.IGNORECASE)  # one tag per match: linear in the page's length
HAS_ALT = re.compile(r"\salt\s*=", re.IGNORECASE)


def with_alt_text(html, default="No description has been provided for this image"):
    """The page with every <img> that has no alt attribute given `default` as its alt text."""
    def fix(match):
        tag = match.group(0)
        return tag if HAS_ALT.search(tag) else f'<img alt="{default}"' + tag[4:]

    return IMAGE_TAG.sub(fix, html)


# nbgrader's feedback template (bootstrap 3, pygments' default colours) measured by axe-core: the
# "(Top)" links #bbb on #337ab7 (2.4:1), comments #3d7b7b and keywords #a2f on #f5f5f5 (4.46 and 4.4:1),
# links told from text by colour alone, and long lines in regions that scroll but take no focus.
ACCESSIBLE_STYLE = """<style id="bp-accessible">
a { color: #23527c; text-decoration: underline; }
div.nbgrader_cell .panel-heading a, div.nbgrader_cell .panel-heading a:hover { color: inherit; }
.highlight .c, .highlight .c1, .highlight .ch, .highlight .cm, .highlight .cp, .highlight .cs,
.highlight .cpf { color: #367070; }
.highlight .ow, .highlight .nd { color: #9418e0; }
.input_area pre, .output_area pre, .output_subarea pre { white-space: pre-wrap; overflow-wrap: anywhere; }
</style>"""
HTML_TAG = re.compile(r"<html(?![^>]*\blang=)([^>]*)>", re.IGNORECASE)


def accessible(html, language="en"):
    """The page with its language declared and ACCESSIBLE_STYLE after its own styles."""
    html = HTML_TAG.sub(lambda m: f'<html lang="{language}"{m.group(1)}>', html, count=1)
    head_end = html.lower().find("</head>")
    return html if head_end < 0 else html[:head_end] + ACCESSIBLE_STYLE + html[head_end:]


def _figure_attribute(tag, name, value):
    return name in ("alt", "width", "height", "class", "style") or (
        name == "src" and value.startswith("data:image/png;base64,"))


def _link_attribute(tag, name, value):
    """A link's href and title, never a data: URL (data: is allowed for the figures' images only)."""
    return name == "title" or name == "href" and not value.strip().lower().startswith("data:")


def clean_html(element):
    """nbconvert's clean_html (bleach's tags, and class and id), which escapes every <img>, keeping
    the images of the course's figures (backprop.plots.show: PNG data, with their alt text)."""
    import bleach
    from nbconvert.filters.strings import _get_default_css_sanitizer

    element = element.decode() if isinstance(element, bytes) else str(element)
    kwargs = {"css_sanitizer": _get_default_css_sanitizer()} if _get_default_css_sanitizer() else {}
    return bleach.clean(element, tags=[*bleach.ALLOWED_TAGS, "div", "pre", "code", "span", "table", "tr", "td", "img"],
                        attributes={**bleach.ALLOWED_ATTRIBUTES, "*": ["class", "id"], "img": _figure_attribute,
                                    "a": _link_attribute},
                        protocols=[*bleach.ALLOWED_PROTOCOLS, "data"], **kwargs)


class _CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates kept in memory, for every exporter of this process (each
    nbgrader run makes a new exporter, which would compile its templates again). A template
    whose source changed is compiled again: jinja checks the source's checksum."""

    def __init__(self):
        self.compiled = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class FeedbackExporter(HTMLExporter):
    """nbconvert's HTMLExporter for feedback pages: the student's Markdown and outputs sanitized (no
    script of a student's runs in the instructor's or a student's browser), and faster over many
    notebooks:

    - without its BeautifulSoup pass over the finished page, which takes more than half the
      time of a feedback file: that pass gives images without alternative text a default one,
      done here on the text in one linear pass (with_alt_text), and makes the input and output
      areas of the lab template focusable, which nbgrader's feedback template does not have;
    - its templates compiled once per process (_CompiledTemplates), not once per notebook;
    - a code cell's highlighted HTML, and a Markdown cell's (without attachments) HTML, kept for
      the next notebook with the same cell (a class hands in the same lesson many times).
    """

    sanitize_html = Bool(True, help="Sanitize the HTML of Markdown cells and outputs (a student wrote them).").tag(
        config=True)
    compiled = _CompiledTemplates()
    highlighted = {}  # (source, language, lexer, options, magics language) -> HTML
    formatted = {}    # (source, the exporter's Markdown settings) -> HTML of a Markdown cell without attachments

    def _create_environment(self):
        environment = super()._create_environment()
        environment.bytecode_cache = self.compiled
        return environment

    def _remembered(self, highlight, lexer):
        options = repr(getattr(highlight, "extra_formatter_options", None))

        def highlight_code(source, language=None, metadata=None):
            if self.page_deadline is not None and time.monotonic() > self.page_deadline:
                raise pages.PageTooSlow(f"the page took more than {pages.PAGE_SECONDS:g} s to make")
            key = (source, language, lexer, options, (metadata or {}).get("magics_language"))
            if key not in self.highlighted:
                if len(self.highlighted) > 20000:
                    self.highlighted.clear()
                self.highlighted[key] = highlight(source, language, metadata)
            return self.highlighted[key]

        return highlight_code

    def markdown2html(self, context, source):
        """nbconvert's Markdown filter, with maths as MathML (_MathMLRenderer). A cell without attachments
        whose images are not embedded gives HTML that depends on its source alone: made once."""
        cell = context.get("cell", {})
        key = None
        if not cell.get("attachments") and not self.embed_images:
            key = (source, self.anchor_link_text, self.exclude_anchor_links, repr(self.lexer_options),
                   _latex_to_mathml is not None)  # (without latex2mathml the maths stays LaTeX)
            if key in self.formatted:
                return self.formatted[key]
        renderer = _MathMLRenderer(escape=False, attachments=cell.get("attachments", {}),
                                   embed_images=self.embed_images,
                                   path=context.get("resources", {}).get("metadata", {}).get("path", ""),
                                   anchor_link_text=self.anchor_link_text,
                                   exclude_anchor_links=self.exclude_anchor_links, **self.lexer_options)
        html = MarkdownWithMath(renderer=renderer).render(source)
        if key is not None:
            if len(self.formatted) > 20000:
                self.formatted.clear()
            self.formatted[key] = html
        return html

    markdown2html = jinja2.pass_context(markdown2html)

    page_deadline = None  # (time.monotonic()) while a page is made: autograde.pages stops a page that runs past it

    def from_notebook_node(self, nb, resources=None, **kw):
        """The page, its URLs made inert (autograde.pages); a page that takes more than PAGE_SECONDS is replaced by
        a plain one saying so."""
        nb = with_widget_notes(NotebookNode(copy.deepcopy(nb)))  # (the caller's notebook unchanged)
        self.page_deadline = time.monotonic() + pages.PAGE_SECONDS
        try:
            html, resources = self._page(nb, resources, **kw)
        except pages.PageTooSlow as exc:
            self.log.warning("A feedback page was replaced by a plain one: %s", exc)
            return pages.too_slow_page(nb, str(exc)), self._init_resources(resources)
        finally:
            self.page_deadline = None
        return pages.neutralise_urls(_offline(html)), resources

    def _page(self, nb, resources=None, **kw):
        try:
            from nbconvert.exporters.html import Highlight2HTML, WidgetsDataTypeFilter

            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight_code = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            resources = self._init_resources(resources)
            filter_data_type = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self,
                                                     resources=resources)
        except (ImportError, AttributeError):  # another nbconvert than this was written for: its own way
            return super().from_notebook_node(nb, resources, **kw)
        if "highlight_code" not in self.filters:  # (nbconvert's own highlighter, whose output depends only on these)
            highlight_code = self._remembered(highlight_code, lexer)
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        self.register_filter("clean_html", clean_html)
        resources["should_sanitize_html"] = self.sanitize_html
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return accessible(with_alt_text(html)), resources


_MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.DOTALL)


def _offline(page):
    """The page without MathJax (loaded from the network, run as a script: its maths is MathML
    already), with its own style (PAGE_STYLE). Without latex2mathml the maths is still LaTeX, and
    MathJax stays: a browser with the network draws it (JupyterLab's viewer shows the LaTeX)."""
    if _latex_to_mathml is not None:
        page = _MATHJAX.sub("", page, count=1)
    return page.replace("</head>", PAGE_STYLE + "</head>", 1)
