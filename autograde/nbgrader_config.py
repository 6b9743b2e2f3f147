"""The course's nbgrader configuration, usable from any working directory.

Every path is computed from this file's location, so any nbgrader command can use it:

    nbgrader generate_assignment 01_one_neuron --config autograde/nbgrader_config.py

or, from inside autograde/, no --config is needed (nbgrader reads ./nbgrader_config.py).
The nbgrader source notebooks live in solutions/, the generated student versions in lessons/.
Everything nbgrader writes while grading (submissions, autograded copies, feedback, the
gradebook, the exchange) stays in autograde/ and is ignored by git. On a class's JupyterHub the
exchange is the class's shared one instead (autograde/jupyterhub/, autograde/GUIDE.md).
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

AUTOGRADE = Path(__file__).resolve().parent
ROOT = AUTOGRADE.parent

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
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
# A test cell a student deleted is put back before grading (python -m autograde.grade repairs the
# notebook first anyway; this keeps plain `nbgrader autograde` safe too).
c.OverwriteCells.add_missing_cells = True
# The lessons' MyST text (autograde/authoring.py) stays out of the released lessons.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.md"]
