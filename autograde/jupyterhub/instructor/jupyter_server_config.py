"""JupyterLab for the class's instructor on the hub (<config>/instructor/ on JUPYTER_CONFIG_PATH).

Every nbgrader tool is on: the formgrader, the create-assignment toolbar, the course list, the
assignment list and validate. lab-settings/ (copied from binder/student/ by setup_class.py)
switches off the news pop-up, as for the students.
"""

from pathlib import Path

c = get_config()  # noqa: F821

c.LabApp.app_settings_dir = str(Path(__file__).resolve().parent / "lab-settings")
c.LabApp.news_url = None
# JupyterLab shows the formgrader in a frame of its own page. JupyterHub forbids framing a
# user's server by default ("frame-ancestors 'none'"), which leaves the formgrader blank; allow
# frames from the same site, for the instructor only (students need no frames). See GUIDE.md.
c.ServerApp.tornado_settings = {"headers": {"Content-Security-Policy": "frame-ancestors 'self'"}}
