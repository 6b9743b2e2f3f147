"""What a student wrote, made into HTML that is safe to open and quick to make, in every page nbgrader makes.

nbconvert sanitizes the Markdown *source* of a student's cells (SanitizeHTML), but the links and
images are made afterwards, by mistune: `[click](javascript:...)` became a live link in the
feedback and in the formgrader's view of a submission. And mistune is slower than quadratic on
some texts (lines quoted thousands deep, lists nested thousands deep), in the grader's own
process. So every Markdown cell of every page goes through SafeMarkdown, nbconvert's
`markdown2html` filter in nbgrader_config.py (`HTMLExporter.filters`: the formgrader's plain
HTMLExporter and the feedback's FeedbackExporter alike):

- a cell longer than MAX_CHARS, or nested deeper than MAX_NESTING, is shown as plain text;
- a cell is given CELL_SECONDS to be made (where a timer can stop it: the process's main thread),
  else it is shown as plain text; a page is given PAGE_SECONDS (FeedbackExporter: past it, the
  page is replaced by a plain one saying so: PageTooSlow);
- in what mistune made, every attribute whose value is a javascript:, vbscript: or data: URL
  (after the entities, blanks and case browsers forgive) is made inert (neutralise_urls); a
  raster image given as data (an attachment) keeps its data.

    SafeMarkdown          the markdown2html filter: capped, timed, its URLs made inert
    neutralise_urls(html) the same URLs made inert in any HTML (FeedbackExporter runs it on the page)
    plain(source, why)    a cell's text as plain, escaped HTML, saying why
    too_slow_page(nb, why)  the plain page that replaces one that took too long: each test's result, as text
    PageTooSlow           a page ran past its time
    MAX_CHARS, PLAIN_CHARS, MAX_NESTING, CELL_SECONDS, PAGE_SECONDS    the caps
"""

import html
import re
import signal
import threading
import time

import jinja2
from traitlets.config import LoggingConfigurable

__all__ = ["SafeMarkdown", "neutralise_urls", "plain", "too_slow_page", "PageTooSlow", "MAX_CHARS", "PLAIN_CHARS",
           "MAX_NESTING", "CELL_SECONDS", "PAGE_SECONDS"]

MAX_CHARS = 100_000     # a Markdown cell longer than this is shown as plain text
PLAIN_CHARS = 20_000    # of a cell shown as plain text (the rest is left out)
MAX_NESTING = 16        # quotes (>) or list levels deeper than this: plain text
CELL_SECONDS = 2.0      # to make one Markdown cell's HTML
PAGE_SECONDS = 60.0     # to make a whole feedback page

TAG = re.compile(r"<[A-Za-z][^<>]*>")  # one tag per match: linear in the page's length
ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)""")
LEADING = re.compile(r"^[\x00-\x20]+")  # what browsers skip before a URL
BLANKS = re.compile(r"[\t\n\r]+")       # and within it
HARMFUL = ("javascript:", "vbscript:", "data:")
RASTER_DATA = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$", re.IGNORECASE)
INERT = "#harmful-link"


class PageTooSlow(Exception):
    """Making a page took longer than its time."""


def _harmful(name, value, tag):
    url = BLANKS.sub("", LEADING.sub("", html.unescape(value)))
    if not url.lower().startswith(HARMFUL):
        return False
    return not (name == "src" and tag == "img" and RASTER_DATA.match(url))


def neutralise_urls(text):
    """`text` (HTML) with every attribute that holds a javascript:, vbscript: or data: URL given an
    inert one instead (a raster image's data kept in an <img>'s src)."""
    def tag(match):
        whole = match.group(0)
        if ":" not in whole:
            return whole
        name = re.match(r"<([A-Za-z][^\s/>]*)", whole).group(1).lower()

        def attribute(found):
            value = found.group(3)
            bare = value[1:-1] if value[:1] in "\"'" else value
            if _harmful(found.group(1).lower(), bare, name):
                return f'{found.group(1)}{found.group(2)}"{INERT}"'
            return found.group(0)

        return whole[:len(name) + 1] + ATTRIBUTE.sub(attribute, whole[len(name) + 1:])

    return TAG.sub(tag, text)


def plain(source, why):
    """A Markdown cell's text as plain, escaped HTML, with a note saying why it is not formatted."""
    shown = source if len(source) <= PLAIN_CHARS else source[:PLAIN_CHARS] + f"\n[... {len(source) - PLAIN_CHARS} more]"
    return (f'<p><em>{html.escape(why)}</em></p>\n'
            f'<pre style="white-space: pre-wrap">{html.escape(shown)}</pre>')


LEAD = re.compile(r"(?:[ \t>]|&gt;|(?:[-*+]|\d{1,9}[.)])(?=[ \t]))*")  # a line's quote and list markers, and blanks
MARKER = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?=[ \t])")


def _nesting(source):
    """How deep the text's quotes (>) and lists go: the deepest line's, in one pass (a list's items are
    indented, each level by its marker's width: four blanks are counted as a level)."""
    deepest = 0
    for line in source.splitlines():
        prefix = LEAD.match(line).group(0)
        if len(prefix) > MAX_NESTING:
            blanks = prefix.expandtabs(4).count(" ")
            deepest = max(deepest, prefix.count(">") + prefix.count("&gt;"), len(MARKER.findall(prefix)) + blanks // 4)
    return deepest


class _TimeUp(BaseException):
    pass


def _timed(render, seconds):
    """render() stopped after `seconds` (a _TimeUp), where this thread can be interrupted: the main thread."""
    if seconds <= 0:
        raise _TimeUp
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return render()

    def up(signum, frame):
        raise _TimeUp

    previous = signal.signal(signal.SIGALRM, up)
    before = signal.setitimer(signal.ITIMER_REAL, seconds)[0]
    try:
        return render()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if before:
            signal.setitimer(signal.ITIMER_REAL, max(before - seconds, 0.001))


class SafeMarkdown(LoggingConfigurable):
    """nbconvert's markdown2html filter for pages of students' notebooks: the exporter's own
    markdown2html (its attachments, anchors, settings), with a size and nesting cap, a time limit,
    and its URLs made inert. Named in HTMLExporter.filters (a jinja filter given the context)."""

    jinja_pass_arg = jinja2.pass_context(lambda: None).jinja_pass_arg

    def __call__(self, context, source):
        source = str(source)
        if len(source) > MAX_CHARS:
            return plain(source, f"This Markdown cell has {len(source)} characters, more than the {MAX_CHARS} a page "
                                 f"formats; its text, as written:")
        if _nesting(source) > MAX_NESTING:
            return plain(source, f"This Markdown cell is nested (quotes or lists) more than {MAX_NESTING} deep, more "
                                 f"than a page formats; its text, as written:")
        deadline = getattr(self.parent, "page_deadline", None)
        seconds = CELL_SECONDS if deadline is None else min(CELL_SECONDS, deadline - time.monotonic())
        try:
            made = _timed(lambda: self.parent.markdown2html(context, source), seconds)
        except _TimeUp:
            if deadline is not None and time.monotonic() >= deadline:
                raise PageTooSlow(f"the page took more than {PAGE_SECONDS:g} s to make") from None
            return plain(source, f"This Markdown cell took more than {CELL_SECONDS:g} s to format; its text, as "
                                 f"written:")
        return neutralise_urls(made)


def too_slow_page(nb, why):
    """A plain page in place of one that took too long to make: says so, then each test cell's result as text."""
    rows = []
    for cell in nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if cell.get("cell_type") != "code" or not cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            continue
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        result = f"failed: {errors[0].get('evalue', '')}" if errors else "passed"
        rows.append(f"<li><code>{html.escape(str(grade_id))}</code>: {html.escape(result[:2000])}</li>")
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Feedback</title></head><body>\n"
            f"<p>This feedback page could not be made in full: {html.escape(why)} (a Markdown cell too long or too "
            f"deeply nested?). The grades are not affected. Each test's result:</p>\n<ul>\n{chr(10).join(rows)}\n"
            "</ul>\n</body></html>\n")
