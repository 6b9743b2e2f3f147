"""nbgrader as a student of this course sees it: the lessons, and a local exchange to submit to.

Active when this folder is on JUPYTER_CONFIG_PATH (python -m backprop.course does that; so
does binder/start). The student id is the login name, as nbgrader takes it.
"""

from pathlib import Path

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

REPO = Path(__file__).resolve().parents[2]

c.CourseDirectory.course_id = "backprop"
c.Exchange.root = str(REPO / "autograde" / "exchange")
# nbgrader's student cache (a copy of each submission: what the Assignments tab lists as submitted,
# and where Fetch Feedback looks) kept with this clone's exchange. Its default, ~/.local/share/jupyter/
# nbgrader_cache, is shared by every clone run by the same user, whose exchanges are not; the same
# as backprop.course.student_cache, which `python -m backprop.course submit` uses.
c.Exchange.cache = str(REPO / "autograde" / "exchange" / "nbgrader_cache")
# The lessons are already in place: the Assignments panel finds them here, as "fetched".
c.Exchange.assignment_dir = str(REPO / "lessons")

# Validate's kernel talks to nbgrader over an encrypted connection where pyzmq can, as JupyterLab's
# kernels do (jupyter_server_config.py): no warning about TCP without encryption in JupyterLab's log.
try:
    import zmq

    if zmq.has("curve"):
        c.KernelManager.transport_encryption = "auto"
except ImportError:
    pass
