"""What a student sees, outside the browser: the lessons' text as Markdown renders it, the course
command's options and messages, the repository's ignores. (The browser's side is in
test_browser_student.py.)"""

import re

import pytest
from conftest import ROOT, lesson_ids

NUMBERED = re.compile(r"^(\s*)\d+[.)](\s|$)")


def markdown_paragraphs(lesson):
    """The lesson's Markdown outside code cells, as blocks of lines between blank lines."""
    text = (ROOT / "solutions" / lesson / f"{lesson}.md").read_text()
    block, inside = [], False
    for line in text.split("\n"):
        if line.startswith("```"):
            inside = not inside
            block = []
            continue
        if inside:
            continue
        if not line.strip():
            if block:
                yield block
            block = []
        else:
            block.append(line)
    if block:
        yield block


@pytest.mark.parametrize("lesson", lesson_ids())
def test_no_line_of_prose_starts_a_numbered_list_by_accident(lesson):
    """A line of a paragraph that begins with a number and '.' or ')' ("10) is listed ...") starts a
    new numbered list in JupyterLab's Markdown: only a list's own items may begin so."""
    accidents = []
    for block in markdown_paragraphs(lesson):
        for k, line in enumerate(block):
            match = NUMBERED.match(line)
            if k and match and not any((m := NUMBERED.match(before)) and m.group(1) == match.group(1)
                                       for before in block[:k]):
                accidents.append(f"{block[k - 1]!r} / {line!r}")
    assert not accidents, f"{lesson}: " + "; ".join(accidents)
