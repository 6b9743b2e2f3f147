"""The pages nbgrader makes of a student's notebook (feedback, the formgrader's view): no live script URL, and
made in bounded time whatever the Markdown (autograde/pages.py). The red team's script_in_pages and
slow_markdown, against the exporters as the course configures them."""

import re
import time

import nbformat
import pytest
from nbconvert.exporters import HTMLExporter

from autograde import nbgrader_course, pages
from autograde.feedback import FeedbackExporter

SCRIPT_URLS = ["[click me](javascript:alert(1))", "[ref][r]\n\n[r]: JaVa&#115;cript:alert(2)", "<javascript:alert(3)>",
               "![x](data:text/html;base64,PHNjcmlwdD4=)", "[v](vbscript:msgbox)", "[d](DATA:text/html,<b>x</b>)",
               "[tab](<java\tscript:alert(4)>)"]


def markdown_notebook(*sources):
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(s) for s in sources])


def live_urls(page):
    """Attribute values of the page's tags that a browser would run as script (read as a browser reads them:
    entities decoded, leading blanks and tabs or newlines within forgiven, any case)."""
    from html.parser import HTMLParser

    found = []

    class Attributes(HTMLParser):
        def handle_starttag(self, tag, attrs):
            for _, value in attrs:
                url = re.sub(r"[\t\n\r]", "", (value or "").lstrip("\x00\x01\x02\x03 \t\n\r\f")).lower()
                if url.startswith(("javascript:", "vbscript:")) or (url.startswith("data:") and not url.startswith(
                        "data:image/png;base64")):
                    found.append(url[:60])

    Attributes().feed(page)
    return found


def formgrader_view(nb):
    """The page the formgrader shows of a submission: nbgrader's plain HTMLExporter, formgrade template, the
    course's configuration (what nbgrader's formgrader does)."""
    from nbgrader.server_extensions.formgrader import handlers

    cfg = nbgrader_course.config()
    cfg.HTMLExporter.template_name = "formgrade"
    cfg.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    resources = {"base_url": "/", "mathjax_url": "", "last_name": "", "first_name": "", "notebook_id": "",
                 "index": 0, "total": 1, "notebook_path": "", "submission_id": "x", "max_score": 0}
    return HTMLExporter(config=cfg).from_notebook_node(nb, resources=resources)[0]


def feedback_page(nb):
    return FeedbackExporter(config=nbgrader_course.config()).from_notebook_node(nb)[0]


@pytest.mark.parametrize("make_page", [formgrader_view, feedback_page], ids=["formgrader", "feedback"])
def test_no_script_url_is_live_in_any_page(make_page):
    page = make_page(markdown_notebook(*SCRIPT_URLS, "[fine](https://example.org) ![png](data:image/png;base64,iVBO)"))
    assert not live_urls(page), live_urls(page)
    assert 'href="https://example.org"' in page
    assert page.count(pages.INERT) >= 5


def test_neutralise_urls_keeps_everything_else():
    page = ('<a class="x" href="#sec">a</a><img alt="p" src="data:image/png;base64,iVBO"/>'
            '<img src = "  jav&#x61;script:1"><a href=javascript:1>b</a><div title="a data: text">')
    assert pages.neutralise_urls(page) == ('<a class="x" href="#sec">a</a><img alt="p" src="data:image/png;base64,'
                                           'iVBO"/><img src = "#harmful-link"><a href="#harmful-link">b</a>'
                                           '<div title="a data: text">')


@pytest.mark.parametrize("make_page", [formgrader_view, feedback_page], ids=["formgrader", "feedback"])
def test_markdown_built_to_be_slow_is_shown_as_plain_text_at_once(make_page):
    """The red team's slow_markdown: line k quoted k deep (2000 lines took mistune 5.4 s, 6000 stalled the class),
    lists nested thousands deep, a cell of megabytes."""
    quoted = "\n".join(">" * k + " x" for k in range(1, 2000))
    nested = "\n".join("  " * k + "- x" for k in range(3000))
    started = time.monotonic()
    page = make_page(markdown_notebook(quoted, nested, "word " * 400_000, "# A heading\n\nfine *text*"))
    assert time.monotonic() - started < 8
    assert page.count("its text, as written") == 3
    assert "<em>text</em>" in page


def test_a_page_that_runs_past_its_time_is_replaced_by_a_plain_one(monkeypatch):
    monkeypatch.setattr(pages, "PAGE_SECONDS", 0.3)
    text = "\n\n".join(f"para *{k}* with [a link](https://example.org/{k}) and `code`" for k in range(1500))
    nb = markdown_notebook(*[text] * 30)
    test = nbformat.v4.new_code_cell("check()", metadata={"nbgrader": {"grade": True, "grade_id": "test_x"}},
                                     outputs=[nbformat.v4.new_output("error", ename="CheckFailed",
                                                                     evalue="<b>wrong</b> answer", traceback=[])])
    nb.cells.append(test)
    started = time.monotonic()
    page = feedback_page(nb)
    assert time.monotonic() - started < 5
    assert "could not be made in full: the page took more than 0.3 s" in page
    assert "<code>test_x</code>: failed: &lt;b&gt;wrong&lt;/b&gt; answer" in page


def test_a_markdown_cell_too_long_to_sanitize_in_seconds_is_cut_first():
    """The red team's 18 MB Markdown cell took a minute to grade (SanitizeHTML) and as long again in feedback:
    LimitMarkdown runs first in both, in every route."""
    from autograde.preprocessors import LimitMarkdown

    cfg = nbgrader_course.config()
    assert cfg.GenerateFeedback.preprocessors[0] == "autograde.preprocessors.LimitMarkdown"
    assert LimitMarkdown in cfg.Autograde.sanitize_preprocessors[:2]
    nb = markdown_notebook("> " * 2_000_000, "short")
    nb, _ = LimitMarkdown().preprocess(nb, {})
    assert nb.cells[0].source.startswith("*(This cell had 4000000 characters, more than the 100000 a graded notebook "
                                         "keeps: here is its beginning.)*")
    assert len(nb.cells[0].source) < pages.MAX_CHARS and nb.cells[1].source == "short"


def test_a_markdown_cell_is_formatted_once_for_a_whole_class_and_its_page_is_the_same(monkeypatch):
    """The lesson's text is the same in every student's notebook: its HTML is made once per process. Made
    again from memory it is the same page; a cell with an attachment (whose HTML holds the image) is made anew."""
    import mistune

    text = "The slope of $\\sigma(z)$ is $\\sigma(z)(1 - \\sigma(z))$: see [the lesson](#top)."
    lesson = markdown_notebook(text, "## Exercise 1")
    FeedbackExporter.formatted.clear()
    first = feedback_page(lesson)
    assert len(FeedbackExporter.formatted) == 2 and "The slope of" in first
    rendered, render = [], mistune.Markdown.__call__

    def counted(self, source):
        rendered.append(source)
        return render(self, source)

    monkeypatch.setattr(mistune.Markdown, "__call__", counted)
    again = feedback_page(lesson)
    cell = nbformat.v4.new_markdown_cell("![dot](attachment:dot.png)")
    cell.attachments = {"dot.png": {"image/png": "iVBORw0KGgo="}}
    with_attachment = nbformat.v4.new_notebook(cells=[cell])
    feedback_page(with_attachment)
    feedback_page(with_attachment)
    assert again == first
    assert rendered == ["![dot](attachment:dot.png)"] * 2, rendered
