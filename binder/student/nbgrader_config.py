"""nbgrader as a student of this course sees it: the lessons, and a local exchange to submit to.

Active when this folder is on JUPYTER_CONFIG_PATH (python -m backprop.course does that; so
does binder/start). The student id is the login name, as nbgrader takes it.
"""

from pathlib import Path

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

REPO = Path(__file__).resolve().parents[2]

c.CourseDirectory.course_id = "backprop"
c.Exchange.root = str(REPO / "autograde" / "exchange")
# The lessons are already in place: the Assignments panel finds them here, as "fetched".
c.Exchange.assignment_dir = str(REPO / "lessons")
