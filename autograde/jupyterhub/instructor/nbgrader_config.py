"""nbgrader as the class's instructor sees it on the hub: the course folder, the class's exchange.

Installed by setup_class.py into <config>/instructor/, which the hub puts on the instructor's
JUPYTER_CONFIG_PATH (and <config>/instructor.sh, for a shell over ssh). It loads the course's
own configuration, autograde/nbgrader_config.py of the course folder in the instructor's home
(~/backprop unless class.json says otherwise), so that the formgrader and nbgrader commands
run from any folder know the course: its id, its lessons, its gradebook. nbgrader commands run
from inside autograde/ read that file again, last; the exchange they use then comes from
BACKPROP_EXCHANGE, which the hub and instructor.sh set.
"""

import json
import os
from pathlib import Path

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

CONFIG = Path(__file__).resolve().parent.parent
CLASS = json.loads((CONFIG / "class.json").read_text())
COURSE = Path(os.path.expanduser(CLASS["course_dir"]))

load_subconfig(str(COURSE / "autograde" / "nbgrader_config.py"))  # noqa: F821  (provided by traitlets)
c.Exchange.root = CLASS["exchange"]
