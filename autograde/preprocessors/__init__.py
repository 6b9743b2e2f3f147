"""The course's steps in nbgrader's autograde pipeline, one preprocessor per file.

autograde/nbgrader_config.py declares the pipeline: nbgrader's sanitize steps, then RestoreCells;
nbgrader's autograde steps with VerifyTests in place of Execute, and RecordCauses after
SaveAutoGrades. Every route that grades (python -m autograde.grade, nbgrader autograde, the
formgrader's Autograde button, a student's own feedback) runs this pipeline, so a notebook gets
the same points and the same words from each.

    LimitMarkdown  cut a Markdown or raw cell too long to sanitize and show in seconds
    RestoreCells   put the released test and read-only cells back as they were, and say so
    VerifyTests    run the test cells against the student's code in a sandbox (autograde.verify)
    RecordCauses   record the likely causes each failing test named (autograde.causes)
"""

from autograde.preprocessors.limit_markdown import LimitMarkdown
from autograde.preprocessors.record_causes import RecordCauses
from autograde.preprocessors.restore_cells import RestoreCells
from autograde.preprocessors.verify_tests import VerifyTests

__all__ = ["LimitMarkdown", "RestoreCells", "VerifyTests", "RecordCauses"]
