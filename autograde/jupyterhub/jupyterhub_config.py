"""JupyterHub for a class of the backpropagation course, on one machine.

setup_class.py installs this file, with class.json beside it, into the class's configuration
folder (/etc/backprop-hub by default); start the hub there, as root:

    /opt/backprop-hub/venv/bin/jupyterhub -f /etc/backprop-hub/jupyterhub_config.py

- Who: the instructor and the students are local users of the machine and log in with their
  passwords (PAM). Nobody else may log in; the instructor is the hub's admin.
- Their servers: each user gets a JupyterLab of their own, started in their home folder and
  running as themselves, from the class's Python environment (which has the course's helper
  package). Students cannot read each other's homes, nor the instructor's, where the course
  folder with the solutions and the gradebook is.
- The students' JupyterLab is the one Binder gives: nbgrader's Assignment List and Validate,
  the instructor's tools (formgrader, create assignment, course list) off and locked, and no
  settings of their own (~/.jupyter is ignored). The exchange is the class's shared one.
- The instructor's JupyterLab has every nbgrader tool, on the course folder in their home.

Everything about the class is in class.json (setup_class.py writes it): the course id, the
instructor, the students, the exchange, the course folder, the Python environment, the proxy,
where the hub keeps its state, and where it listens. Settings of your own go in local_config.py
beside it (setup_class.py leaves that file alone).
"""

import json
from pathlib import Path

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)

HERE = Path(__file__).resolve().parent
if not (HERE / "class.json").is_file():
    raise SystemExit(f"{HERE / 'class.json'} is missing: install the class with autograde/jupyterhub/setup_class.py, "
                     f"and start the hub with the jupyterhub_config.py it installs")
CLASS = json.loads((HERE / "class.json").read_text())
STATE = Path(CLASS["state_dir"])
BIN = Path(CLASS["environment"]) / "bin"
INSTRUCTOR = CLASS["instructor"]
STUDENTS = set(CLASS["students"])

# --- where the hub listens, and what it keeps -----------------------------------------------
# Students reach the hub at bind_url. Before they log in from another machine, put it behind
# HTTPS (a reverse proxy such as nginx or Caddy, or c.JupyterHub.ssl_cert and ssl_key).
c.JupyterHub.bind_url = CLASS["bind_url"]
c.ConfigurableHTTPProxy.command = [CLASS["proxy"]]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")

# --- who may log in -------------------------------------------------------------------------
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = STUDENTS | {INSTRUCTOR}
c.Authenticator.admin_users = {INSTRUCTOR}

# --- their servers --------------------------------------------------------------------------
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
# A busy machine at the start of a class: give servers time to start.
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
# Nothing of the hub's own environment reaches the users' servers but the language.
c.Spawner.env_keep = ["LANG", "LC_ALL"]


def jupyter_config_path(spawner):
    """The instructor's tools for the instructor, the student's for everyone else."""
    return str(HERE / ("instructor" if spawner.user.name == INSTRUCTOR else "student"))


c.Spawner.environment = {
    "PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin",
    "JUPYTER_CONFIG_PATH": jupyter_config_path,
    # the exchange for nbgrader commands run inside the course's autograde/ folder
    "BACKPROP_EXCHANGE": CLASS["exchange"],
}


def pre_spawn_hook(spawner):
    # Students' own Jupyter settings (~/.jupyter) are ignored: their tools stay as configured.
    spawner.disable_user_config = spawner.user.name != INSTRUCTOR


c.Spawner.pre_spawn_hook = pre_spawn_hook

# --- this machine's own settings (HTTPS, limits, another authenticator, ...) -------------------
# in local_config.py beside this file: setup_class.py installs this file again when it runs,
# and leaves that one alone.
if (HERE / "local_config.py").is_file():
    load_subconfig(str(HERE / "local_config.py"))  # noqa: F821  (provided by traitlets)
