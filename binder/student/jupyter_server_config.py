"""JupyterLab for a student of this course (this folder on JUPYTER_CONFIG_PATH).

The instructor's nbgrader tools are switched off: their server extensions in
jupyter_server_config.json, their lab plugins in labconfig/page_config.json (disabled and
locked). lab-settings/ holds the settings overrides (no news pop-up).

A notebook is saved with each explorer's and quiz's output as a line that says to run its cell
(backprop.notebook.save_hook): the widget lives in the kernel that ran the cell, and reopened
after a restart or the next day, the saved output would say "Error displaying widget: model
not found". Kernels talk to the server over CurveZMQ-encrypted connections where pyzmq can
(ipykernel otherwise warns, at every kernel's start, that it runs "over TCP without encryption").
"""

from pathlib import Path

c = get_config()  # noqa: F821

HERE = Path(__file__).resolve().parent

c.LabApp.app_settings_dir = str(HERE / "lab-settings")
c.LabApp.news_url = None

try:
    import backprop.notebook  # noqa: F401  (the course's package; installed with it)
except ImportError:  # JupyterLab outside the course's environment: it saves notebooks as they are
    pass
else:
    c.ContentsManager.pre_save_hook = "backprop.notebook.save_hook"

try:
    import zmq

    if zmq.has("curve"):
        c.MappingKernelManager.transport_encryption = "auto"
except ImportError:
    pass
