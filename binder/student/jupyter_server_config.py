"""JupyterLab for a student of this course (this folder on JUPYTER_CONFIG_PATH).

The instructor's nbgrader tools are switched off: their server extensions in
jupyter_server_config.json, their lab plugins in labconfig/page_config.json (disabled and
locked). lab-settings/ holds the settings overrides (no news pop-up).
"""

from pathlib import Path

c = get_config()  # noqa: F821

HERE = Path(__file__).resolve().parent

c.LabApp.app_settings_dir = str(HERE / "lab-settings")
c.LabApp.news_url = None
