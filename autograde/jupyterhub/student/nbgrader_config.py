"""nbgrader as a student of the class sees it on the hub: the course, and the class's exchange.

Installed by setup_class.py into <config>/student/, which the hub puts on every student's
JUPYTER_CONFIG_PATH, beside the student's JupyterLab configuration copied from binder/student/
(the instructor's tools off and locked, no news pop-up): a student's side is the same as on
Binder or on their own computer, but with the class's shared exchange. The student id is the
hub user name. Fetched lessons go into the student's home folder, ~/01_one_neuron/ and so on.
"""

import json
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

CONFIG = Path(__file__).resolve().parent.parent
CLASS = json.loads((CONFIG / "class.json").read_text())

c.CourseDirectory.course_id = CLASS["course_id"]
c.Exchange.root = CLASS["exchange"]

# Submissions readable by their student and the instructor only (private_submit.py, beside class.json)
if str(CONFIG) not in sys.path:
    sys.path.append(str(CONFIG))
c.ExchangeFactory.submit = "private_submit.PrivateSubmit"
