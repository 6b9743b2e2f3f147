"""The course's nbgrader configuration, usable from any working directory.

Every path is computed from this file's location, so any nbgrader command can use it:

    nbgrader generate_assignment 01_one_neuron --config autograde/nbgrader_config.py

or, from inside autograde/, no --config is needed (nbgrader reads ./nbgrader_config.py).
The nbgrader source notebooks live in solutions/, the generated student versions in lessons/.
Everything nbgrader writes while grading (submissions, autograded copies, feedback, the
gradebook, the exchange) stays in autograde/ and is ignored by git. On a class's JupyterHub the
exchange is the class's shared one instead (autograde/jupyterhub/, autograde/GUIDE.md).
"""

import importlib.util
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

AUTOGRADE = Path(__file__).resolve().parent
ROOT = AUTOGRADE.parent


def _course_package():
    """This course's autograde package (the folder of this file), imported as `autograde` wherever
    nbgrader runs: from a clone installed with pip install -e, or from the instructor's course folder
    on a hub, where it is not installed."""
    loaded = sys.modules.get("autograde")
    if loaded is not None and Path(loaded.__file__).resolve().parent == AUTOGRADE:
        return loaded
    found = importlib.util.find_spec("autograde") if loaded is None else None
    if found is not None and found.origin and Path(found.origin).resolve().parent == AUTOGRADE:
        return importlib.import_module("autograde")
    spec = importlib.util.spec_from_file_location("autograde", AUTOGRADE / "__init__.py",
                                                  submodule_search_locations=[str(AUTOGRADE)])
    module = importlib.util.module_from_spec(spec)
    sys.modules["autograde"] = module
    spec.loader.exec_module(module)
    return module

c.CourseDirectory.course_id = "backprop"
c.CourseDirectory.root = str(ROOT)
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "lessons"
c.CourseDirectory.submitted_directory = "autograde/submitted"
c.CourseDirectory.autograded_directory = "autograde/autograded"
c.CourseDirectory.feedback_directory = "autograde/feedback"
c.CourseDirectory.solution_directory = "autograde/solution"
c.CourseDirectory.db_url = f"sqlite:///{AUTOGRADE / 'gradebook.db'}"
# The exchange between instructor and students: autograde/exchange when everything happens on
# one computer; on a class's JupyterHub, the class's shared exchange, named by the hub in the
# environment (an environment variable, because nbgrader reads this file last when run from
# autograde/, after any other configuration).
c.Exchange.root = os.environ.get("BACKPROP_EXCHANGE") or str(AUTOGRADE / "exchange")

# Each lesson is its own assignment, named like its folder: 01_one_neuron, ...
c.CourseDirectory.assignment_id = ""

# A cell may run for 60 s; a test cell of this course takes well under one.
c.Execute.timeout = 60
c.Execute.startup_timeout = 60
# The stub students see in place of a solution.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
# Feedback shows every test's output (what passed, what failed and why) but not the code of
# the hidden tests.
c.GenerateFeedback.preprocessors = [
    "autograde.preprocessors.LimitMarkdown",  # (a Markdown cell cut to a length the next steps handle in seconds)
    "nbconvert.preprocessors.sanitize.SanitizeHTML",
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
# A test cell a student deleted is put back before grading (python -m autograde.grade repairs the
# notebook first anyway; this keeps plain `nbgrader autograde` safe too).
c.OverwriteCells.add_missing_cells = True
# The lessons' MyST text (autograde/authoring.py) stays out of the released lessons.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.md"]

# The grading pipeline (autograde/preprocessors/): nbgrader's own steps, with the course's grading
# engine in place of nbgrader's Execute. Every route that grades runs it: python -m autograde.grade,
# nbgrader autograde, the formgrader's Autograde button, and a student's own feedback.
_course_package()
from nbconvert.preprocessors import ClearMetadataPreprocessor  # noqa: E402
from nbconvert.preprocessors.sanitize import SanitizeHTML  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    IgnorePattern,
    LimitOutput,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)

from autograde.exchange import SafeCollect  # noqa: E402
from autograde.feedback import FeedbackExporter  # noqa: E402
from autograde.preprocessors import LimitMarkdown, RecordCauses, RestoreCells, VerifyTests  # noqa: E402

c.Autograde.sanitize_preprocessors = [ClearOutput, LimitMarkdown, RestoreCells, SanitizeHTML, DeduplicateIds,
                                      OverwriteKernelspec, OverwriteCells, CheckCellMetadata]
c.Autograde.autograde_preprocessors = [VerifyTests, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                       SaveAutoGrades, RecordCauses, AssignLatePenalties, CheckCellMetadata]
# nbconvert checks the notebook against its schema after each of those 16 steps; once, after the last of
# each list, says the same of a notebook no step may leave invalid (about 10 ms less a submission).
c.NotebookExporter.optimistic_validation = True
# The hidden tests' random cases come from this secret, the student and the lesson, in every route.
c.VerifyTests.secret_file = str(AUTOGRADE / ".grading-secret")
# Each submission runs as a user of its own in an operating-system sandbox (autograde/isolation.py);
# where the machine cannot do that, grading refuses, and says why (see autograde/GUIDE.md).
c.VerifyTests.isolation = "users"
# Feedback pages: the student's Markdown and outputs sanitized, in every route (autograde/feedback.py).
c.GenerateFeedback.exporter_class = FeedbackExporter
# Submissions collected as data: owned by their student, plain files only, timed by the system (autograde/exchange.py).
c.ExchangeFactory.collect = SafeCollect
# The HTML a student wrote (in Markdown cells) is sanitized when the notebook is graded, so the graded
# notebook, the formgrader's view of it and the feedback page hold no script: the tags and attributes
# below are kept (what lessons use), everything else is escaped. The feedback is sanitized once more.
c.SanitizeHTML.tags = ["a", "abbr", "b", "blockquote", "br", "code", "details", "em", "h1", "h2", "h3", "h4", "h5",
                       "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "span", "strong", "sub", "summary",
                       "sup", "table", "tbody", "td", "th", "thead", "tr", "ul"]
c.SanitizeHTML.attributes = {"a": ["href", "title"], "abbr": ["title"], "img": ["src", "alt", "title", "width"],
                             "td": ["align"], "th": ["align"]}
c.SanitizeHTML.strip = False
c.SanitizeHTML.enabled = True
c.HTMLExporter.sanitize_html = True
# ... but links and images are made after that, from the Markdown: every page's Markdown cells go through
# autograde.pages.SafeMarkdown (javascript:, vbscript: and data: URLs made inert; a size, nesting and time cap), in
# the feedback and the formgrader's view of a submission alike.
c.HTMLExporter.filters = {"markdown2html": "autograde.pages.SafeMarkdown"}
