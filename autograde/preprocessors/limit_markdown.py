"""LimitMarkdown: a student's Markdown cell cut to a length every later step handles in seconds.

Sanitizing a cell's HTML (SanitizeHTML) and making it into a page take time that grows with the
cell's length, faster than linearly on some texts; a notebook of one 18 MB Markdown cell took a
minute to grade and stalled the class's feedback. This runs first, in grading and in feedback
(nbgrader_config.py): a Markdown or raw cell longer than autograde.pages.MAX_CHARS keeps its
beginning, after a line saying how long it was.
"""

from nbgrader.preprocessors import NbGraderPreprocessor

from autograde import pages

__all__ = ["LimitMarkdown"]


class LimitMarkdown(NbGraderPreprocessor):
    """Cut every Markdown and raw cell longer than autograde.pages.MAX_CHARS, saying so in the cell."""

    def preprocess(self, nb, resources):
        for cell in nb.cells:
            if cell.get("cell_type") in ("markdown", "raw") and len(cell.get("source", "")) > pages.MAX_CHARS:
                length = len(cell.source)
                note = (f"*(This cell had {length} characters, more than the {pages.MAX_CHARS} a graded notebook "
                        f"keeps: here is its beginning.)*\n\n")
                cell.source = note + cell.source[:pages.PLAIN_CHARS]
        return nb, resources
