"""Collecting submissions as data: nbgrader's collect, made safe against what a student puts in the exchange.

A submission lies in the exchange's inbound folder, in a folder the student wrote: its name (who,
which lesson, when) and its timestamp.txt are the student's own words. SafeCollect, nbgrader's
collect with these changes (declared in nbgrader_config.py as the exchange's collect step):

- a submission is the student's only if its folder, and every file in it, is owned by the student
  it names: a folder in a classmate's name (say, dated 2099 to look newest) is refused, not taken
  for the classmate's, and the classmate's own submission is collected;
- it holds plain files and folders only: a symlink (to the instructor's solutions, say), a device, a
  pipe or a socket refuses the whole submission; files are copied without following any link;
- the time that counts is when the submission was last written, as the system records it: the
  latest change time (ctime) of its folder and files, which no ordinary user can set back (the
  folder's name and its timestamp.txt can say anything). The collected copy's timestamp.txt says
  that time, and lateness is measured from it;
- every refusal is reported with the student's name.

    SafeCollect     the collect step
    submission_time(folder)   the time a submission was last written, and the reason it is trusted
    inspect(folder, owner)    why a submission folder must be refused, or None
"""

import datetime
import os
import pwd
import shutil
import stat
from pathlib import Path

from nbgrader.exchange.default.collect import ExchangeCollect, groupby

__all__ = ["SafeCollect", "submission_time", "inspect"]


def _entries(folder):
    """The folder and everything under it, by lstat (no link followed)."""
    folder = Path(folder)
    yield folder, folder.lstat()
    for root, dirs, files in os.walk(folder, followlinks=False):
        for name in dirs + files:
            path = Path(root) / name
            yield path, path.lstat()


def inspect(folder, owner_uid):
    """Why the submission folder must be refused (a string), or None if it is plain data owned by owner_uid."""
    for path, info in _entries(folder):
        relative = path.relative_to(folder).as_posix() if path != Path(folder) else "its folder"
        if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
            kind = "a symlink" if stat.S_ISLNK(info.st_mode) else "a special file"
            return f"{relative} is {kind}, not a plain file"
        if owner_uid is not None and info.st_uid != owner_uid:
            try:
                who = pwd.getpwuid(info.st_uid).pw_name
            except KeyError:
                who = f"uid {info.st_uid}"
            return f"{relative} belongs to {who}, not to the student it names"
    return None


def submission_time(folder):
    """When a submission was last written: the latest change time (ctime) of its folder and files,
    set by the system and not settable back by the student, as a naive UTC datetime."""
    latest = max(info.st_ctime for _, info in _entries(folder))
    return datetime.datetime.fromtimestamp(latest, datetime.UTC).replace(tzinfo=None)


class SafeCollect(ExchangeCollect):
    """nbgrader's collect, taking submissions as data (see the module's docstring)."""

    def _owner_uid(self, student):
        try:
            return pwd.getpwnam(student).pw_uid
        except KeyError:  # a student without an account here (a class on Kubernetes, a test): no check possible
            return None

    def init_src(self):
        import glob

        from nbgrader.api import Gradebook, MissingEntry
        from nbgrader.utils import check_mode

        if self.coursedir.course_id == "":
            self.fail("No course id specified. Re-run with --course flag.")
        self.course_path = os.path.join(self.root, self.coursedir.course_id)
        self.inbound_path = os.path.join(self.course_path, "inbound")
        if not os.path.isdir(self.inbound_path):
            self.fail(f"Course not found: {self.inbound_path}")
        if not check_mode(self.inbound_path, read=True, execute=True):
            self.fail(f"You don't have read permissions for the directory: {self.inbound_path}")
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            try:
                self.duedate = gb.find_assignment(self.coursedir.assignment_id).duedate
            except MissingEntry:
                self.duedate = None
        student_id = self.coursedir.student_id or "*"
        pattern = os.path.join(self.inbound_path, f"{student_id}+{self.coursedir.assignment_id}+*")
        records = []
        for path in glob.glob(pattern):
            try:
                record = self._path_to_record(path)
            except Exception:  # noqa: BLE001  (a folder name that is not nbgrader's)
                self.log.warning("Refused %s: its name is not a submission's", os.path.basename(path))
                continue
            problem = inspect(path, self._owner_uid(record["username"]))
            if problem:
                self.log.warning("Refused a submission of %s by %s (%s): %s", self.coursedir.assignment_id,
                                 record["username"], os.path.basename(path), problem)
                continue
            record["timestamp"] = submission_time(path)  # the system's time, not the folder's name
            records.append(record)
        groups = groupby(records, lambda item: item["username"])
        if self.duedate is None or not self.before_duedate:
            self.src_records = [self._sort_by_timestamp(v)[0] for v in groups.values()]
        else:
            self.src_records = []
            for v in groups.values():
                ordered = self._sort_by_timestamp(v)
                before = [r for r in ordered if r["timestamp"] <= self.duedate]
                self.src_records.append(before[0] if before else ordered[0])
        self._times = {r["filename"]: r["timestamp"] for r in self.src_records}

    def do_copy(self, src, dest):
        """Copy plain files only, never following a link; timestamp.txt says when it was written."""
        src, dest = Path(src), Path(dest)
        for path, info in _entries(src):
            target = dest / path.relative_to(src)
            if stat.S_ISDIR(info.st_mode):
                target.mkdir(parents=True, exist_ok=True)
                continue
            if path.name == "timestamp.txt" and path.parent == src:
                continue  # written below, from the system's time
            descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(descriptor, "rb") as source, open(target, "wb") as copy:
                if not stat.S_ISREG(os.fstat(source.fileno()).st_mode):
                    raise OSError(f"{path} is not a plain file")
                shutil.copyfileobj(source, copy)
        stamp = self._times.get(src.name) or submission_time(src)
        (dest / "timestamp.txt").write_text(stamp.strftime("%Y-%m-%d %H:%M:%S.%f UTC"))
