"""JupyterLab for the class's instructor on the hub (<config>/instructor/ on JUPYTER_CONFIG_PATH).

Every nbgrader tool is on: the formgrader, the create-assignment toolbar, the course list, the
assignment list and validate. lab-settings/ (copied from binder/student/ by setup_class.py)
switches off the news pop-up, as for the students.
"""

from pathlib import Path

c = get_config()  # noqa: F821

c.LabApp.app_settings_dir = str(Path(__file__).resolve().parent / "lab-settings")
c.LabApp.news_url = None
