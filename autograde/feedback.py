"""Feedback pages: the graded notebook as HTML, safe to open, for the student and the instructor.

Every route that makes feedback (python -m autograde.grade, nbgrader generate_feedback, the
formgrader, a student's own feedback) uses FeedbackExporter, declared in nbgrader_config.py.

    FeedbackExporter   nbconvert's HTMLExporter with the student's HTML sanitized, and faster
    with_alt_text(html)  every image given a text alternative, in one linear pass
"""

import re
import time

import jinja2
from nbconvert.exporters import HTMLExporter, TemplateExporter
from traitlets import Bool

from autograde import pages

__all__ = ["FeedbackExporter", "with_alt_text"]

IMAGE_TAG = re.compile(r"<img\b[^>]*>?", re.IGNORECASE)  # one tag per match: linear in the page's length
HAS_ALT = re.compile(r"\salt\s*=", re.IGNORECASE)


def with_alt_text(html, default="No description has been provided for this image"):
    """The page with every <img> that has no alt attribute given `default` as its alt text."""
    def fix(match):
        tag = match.group(0)
        return tag if HAS_ALT.search(tag) else f'<img alt="{default}"' + tag[4:]

    return IMAGE_TAG.sub(fix, html)


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
            if self.page_deadline is not None and time.monotonic() > self.page_deadline:
                raise pages.PageTooSlow(f"the page took more than {pages.PAGE_SECONDS:g} s to make")
            key = (source, language, lexer, options, (metadata or {}).get("magics_language"))
            if key not in self.highlighted:
                if len(self.highlighted) > 20000:
                    self.highlighted.clear()
                self.highlighted[key] = highlight(source, language, metadata)
            return self.highlighted[key]

        return highlight_code

    page_deadline = None  # (time.monotonic()) while a page is made: autograde.pages stops a page that runs past it

    def from_notebook_node(self, nb, resources=None, **kw):
        """The page, its URLs made inert (autograde.pages); a page that takes more than PAGE_SECONDS is replaced by
        a plain one saying so."""
        self.page_deadline = time.monotonic() + pages.PAGE_SECONDS
        try:
            html, resources = self._page(nb, resources, **kw)
        except pages.PageTooSlow as exc:
            self.log.warning("A feedback page was replaced by a plain one: %s", exc)
            return pages.too_slow_page(nb, str(exc)), self._init_resources(resources)
        finally:
            self.page_deadline = None
        return pages.neutralise_urls(html), resources

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
        resources["should_sanitize_html"] = self.sanitize_html
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return with_alt_text(html), resources
