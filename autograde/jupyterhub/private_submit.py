"""nbgrader's submit, with the submission readable by its student and the instructor only.

nbgrader's own submit leaves a submission in the exchange's inbound folder readable by everyone
(files 644) and its folder writable by everyone (777). Students cannot list the inbound folder,
so they cannot find each other's submissions, but whoever learns a submission's folder name
(student+lesson+time+random) can read it, and replace its files. This submit does what
nbgrader's does, then closes the submission's folders to everyone but the student and the
instructor's group (770): nobody else can open them, whatever the files' own permissions.
The inbound folder nbgrader's release makes is set-group-id and belongs to the instructor's
group, so a submission's folder made in it does too; where that is not so (an inbound folder
made some other way), the submission keeps nbgrader's permissions, and a warning says why.

The students' nbgrader configuration on the hub selects it (student/nbgrader_config.py):
    c.ExchangeFactory.submit = "private_submit.PrivateSubmit"
"""

import os
import stat

from nbgrader.exchange.default.submit import ExchangeSubmit

# the student and the instructor's group (who collects, and may remove an old submission); nobody else
FOLDER_MODE = 0o770


class PrivateSubmit(ExchangeSubmit):
    def copy_files(self):
        super().copy_files()
        submission = os.path.join(self.inbound_path, self.assignment_filename)
        inbound = os.stat(self.inbound_path)
        if not inbound.st_mode & stat.S_ISGID or os.stat(submission).st_gid != inbound.st_gid:
            self.log.warning(
                "The inbound folder %s is not set-group-id to the instructor's group, so the submission keeps "
                "nbgrader's permissions (readable by anyone who knows its name). Release an assignment again "
                "as the instructor to make the folder as nbgrader does.", self.inbound_path)
            return
        for folder, _, _ in os.walk(submission):
            os.chmod(folder, FOLDER_MODE)
        self.log.info("Submission readable by you and the instructor only: %s", submission)
