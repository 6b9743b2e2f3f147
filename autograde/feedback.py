"""Feedback pages: the graded notebook as HTML, safe to open, for the student and the instructor.

Every route that makes feedback (python -m autograde.grade, nbgrader generate_feedback, the
formgrader, a student's own feedback) uses FeedbackExporter, declared in nbgrader_config.py.

    FeedbackExporter   nbconvert's HTMLExporter with the student's HTML sanitized, and faster
    with_alt_text(html)  every image given a text alternative, in one linear pass
    ACCESSIBLE_STYLE     what the page's own styles lack for WCAG 2.1 AA (contrast, links, long lines)
    accessible(html)     the page with a language and ACCESSIBLE_STYLE
    clean_html(element)  nbconvert's clean_html, keeping the course's figures: <img> of PNG data with its alt
"""

import re

import jinja2
from nbconvert.exporters import HTMLExporter, TemplateExporter
from traitlets import Bool

__all__ = ["FeedbackExporter", "with_alt_text", "ACCESSIBLE_STYLE", "accessible", "clean_html"]

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


def clean_html(element):
    """nbconvert's clean_html (bleach's tags, and class and id), which escapes every <img>, keeping
    the images of the course's figures (backprop.plots.show: PNG data, with their alt text)."""
    import bleach
    from nbconvert.filters.strings import _get_default_css_sanitizer

    element = element.decode() if isinstance(element, bytes) else str(element)
    kwargs = {"css_sanitizer": _get_default_css_sanitizer()} if _get_default_css_sanitizer() else {}
    return bleach.clean(element, tags=[*bleach.ALLOWED_TAGS, "div", "pre", "code", "span", "table", "tr", "td", "img"],
                        attributes={**bleach.ALLOWED_ATTRIBUTES, "*": ["class", "id"], "img": _figure_attribute},
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
    - a code cell's highlighted HTML kept for the next notebook with the same cell (a class
      hands in the same lesson many times).
    """

    sanitize_html = Bool(True, help="Sanitize the HTML of Markdown cells and outputs (a student wrote them).").tag(
        config=True)
    compiled = _CompiledTemplates()
    highlighted = {}  # (source, language, lexer, options, magics language) -> HTML

    def _create_environment(self):
        environment = super()._create_environment()
        environment.bytecode_cache = self.compiled
        return environment

    def _remembered(self, highlight, lexer):
        options = repr(getattr(highlight, "extra_formatter_options", None))

        def highlight_code(source, language=None, metadata=None):
            key = (source, language, lexer, options, (metadata or {}).get("magics_language"))
            if key not in self.highlighted:
                if len(self.highlighted) > 20000:
                    self.highlighted.clear()
                self.highlighted[key] = highlight(source, language, metadata)
            return self.highlighted[key]

        return highlight_code

    def from_notebook_node(self, nb, resources=None, **kw):
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
