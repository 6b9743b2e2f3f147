"""Collecting submissions as data: nbgrader's collect, made safe against what a student puts in the exchange.

A submission lies in the exchange's inbound folder, in a folder the student wrote and can still
change while it is collected: its name (who, which lesson, when), its timestamp.txt and its
shape are the student's own words. SafeCollect, nbgrader's collect with these changes (declared
in nbgrader_config.py as the exchange's collect step):

- a submission is the student's only if its folder, and every file in it, is owned by the student
  it names: a folder in a classmate's name (say, dated 2099 to look newest) is refused, not taken
  for the classmate's, and the classmate's own submission is collected;
- it holds plain files and folders only: a symlink (to the instructor's solutions, say), a device, a
  pipe or a socket refuses the whole submission, and so does a timestamp.txt that is not a plain file;
- it is walked and copied by file descriptor, never by path: every folder is opened with
  O_DIRECTORY | O_NOFOLLOW and what is in it is opened relative to that open folder (openat), so a
  folder the student swaps for a symlink while it is being copied is either the folder already
  open (the copy goes on inside the student's own files) or a link that opening refuses. Copying
  as the student's own uid would also hold, but needs root, and on the class's hub the instructor
  collects as an ordinary user (a member of the group the submissions are shared with);
- it is bounded: at most `max_depth` folders deep, `max_files` entries and `max_bytes` bytes; a
  larger one is refused, before anything of it is copied;
- the time that counts is when the submission was last written, as the system records it: the
  latest change time (ctime) of its folder and files, which no ordinary user can set back (the
  folder's name and its timestamp.txt can say anything), read again as it is copied. The collected
  copy's timestamp.txt says that time, and lateness is measured from it;
- one submission's problem is that submission's only: every refusal, and every failure while
  collecting one student, is a line of the log with the student's name and why, a refused newer
  submission leaves the one collected before it in place, and the other students are collected.

    SafeCollect     the collect step
    Refused         why a submission must not be collected (its message says why)
    submission_time(folder)   the time a submission was last written, and the reason it is trusted
    inspect(folder, owner)    why a submission folder must be refused, or None
    printable(name)           a file or folder name as text any report can hold (bytes not UTF-8 as \\xNN)
    MAX_DEPTH, MAX_FILES, MAX_BYTES   a submission's bounds (SafeCollect's defaults)
"""

import datetime
import os
import pwd
import shutil
import stat
import tempfile
from pathlib import Path

from nbgrader.exchange.default.collect import ExchangeCollect, groupby
from traitlets import Integer

__all__ = ["SafeCollect", "Refused", "submission_time", "inspect", "printable", "MAX_DEPTH", "MAX_FILES", "MAX_BYTES"]

MAX_DEPTH = 16  # folders inside the submission's folder
MAX_FILES = 2000  # files and folders in one submission
MAX_BYTES = 100 * 2**20  # bytes in one submission (nbgrader's submit leaves out files over 100 MB)

_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC  # a pipe cannot hold us
_CHUNK = 2**20


class Refused(Exception):
    """A submission that must not be collected; the message says why, in words."""


def printable(name, controls=True):
    """A file or folder name as text every report can hold: bytes that are not UTF-8 as \\xNN, and (unless
    controls=False) control characters, a newline that would forge a line of the log, say, escaped too."""
    text = name if isinstance(name, str) else str(name)
    try:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that is not an undecodable byte
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    if not controls:
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


class _Walk:
    """One walk of a submission by file descriptor: its checks, its bounds, its latest ctime; with
    `into`, a copy of its plain files there (the top-level timestamp.txt left out)."""

    def __init__(self, owner_uid, max_depth=MAX_DEPTH, max_files=MAX_FILES, max_bytes=MAX_BYTES, into=None):
        self.owner_uid, self.into = owner_uid, into
        self.max_depth, self.max_files, self.max_bytes = max_depth, max_files, max_bytes
        self.files = self.bytes = 0
        self.latest = 0.0

    def run(self, folder):
        try:
            top = os.open(folder, _DIRECTORY)
        except OSError as exc:
            raise Refused(f"its folder cannot be opened as a plain folder ({exc.strerror})") from None
        try:
            self._folder(top, "", 0)
        finally:
            os.close(top)
        return self

    def _check(self, info, relative):
        if self.owner_uid is not None and info.st_uid != self.owner_uid:
            try:
                who = pwd.getpwuid(info.st_uid).pw_name
            except KeyError:
                who = f"uid {info.st_uid}"
            raise Refused(f"{printable(relative) or 'its folder'} belongs to {who}, not to the student it names")
        self.latest = max(self.latest, info.st_ctime)

    def _folder(self, fd, relative, depth):
        self._check(os.fstat(fd), relative)
        if depth > self.max_depth:
            raise Refused(f"it is more than {self.max_depth} folders deep; a submission is a lesson's folder")
        names = []
        with os.scandir(fd) as entries:  # one at a time: a folder of millions is refused at max_files, not read
            for entry in entries:
                self.files += 1
                if self.files > self.max_files:
                    raise Refused(f"it holds more than {self.max_files} files and folders")
                names.append(entry.name)
        names.sort()
        if self.into is not None:
            (self.into / relative).mkdir(exist_ok=True)
        for name in names:
            path = f"{relative}/{name}" if relative else name
            try:
                info = os.stat(name, dir_fd=fd, follow_symlinks=False)
                if stat.S_ISDIR(info.st_mode):
                    if depth == 0 and name == "timestamp.txt":
                        raise Refused("timestamp.txt is a folder, not a plain file")
                    child = os.open(name, _DIRECTORY, dir_fd=fd)
                    try:
                        self._folder(child, path, depth + 1)
                    finally:
                        os.close(child)
                elif stat.S_ISREG(info.st_mode):
                    self._file(fd, name, path, skip=depth == 0 and name == "timestamp.txt")
                else:
                    kind = "a symlink" if stat.S_ISLNK(info.st_mode) else "a special file"
                    raise Refused(f"{printable(path)} is {kind}, not a plain file")
            except PermissionError as exc:  # a file the student closed to the instructor (mode 000, say)
                raise Refused(f"{printable(path)} cannot be read by the collector ({exc.strerror})") from None
            except OSError as exc:  # swapped or removed while we looked: a link that O_NOFOLLOW refused, say
                raise Refused(f"{printable(path)} changed while it was collected ({exc.strerror})") from None
        self._check(os.fstat(fd), relative)  # the folder's ctime after it was read

    def _file(self, folder_fd, name, path, skip):
        fd = os.open(name, _FILE, dir_fd=folder_fd)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise Refused(f"{printable(path)} is a special file, not a plain file")
            self._check(info, path)
            if self.bytes + info.st_size > self.max_bytes:
                raise Refused(f"it is larger than {self.max_bytes // 2**20} MB")
            if self.into is None or skip:
                self.bytes += info.st_size
                return
            with open(self.into / path, "wb") as copy:
                while chunk := os.read(fd, _CHUNK):
                    self.bytes += len(chunk)
                    if self.bytes > self.max_bytes:  # it grew while we copied
                        raise Refused(f"it is larger than {self.max_bytes // 2**20} MB")
                    copy.write(chunk)
            self._check(os.fstat(fd), path)  # its ctime after it was read: a write while we copied counts
        finally:
            os.close(fd)


def inspect(folder, owner_uid, max_depth=MAX_DEPTH, max_files=MAX_FILES, max_bytes=MAX_BYTES):
    """Why the submission folder must be refused (a string), or None if it is plain data owned by owner_uid,
    within the bounds."""
    try:
        _Walk(owner_uid, max_depth, max_files, max_bytes).run(folder)
    except Refused as exc:
        return str(exc)
    return None


def _utc(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC).replace(tzinfo=None)


def submission_time(folder, owner_uid=None):
    """When a submission was last written: the latest change time (ctime) of its folder and files,
    set by the system and not settable back by the student, as a naive UTC datetime."""
    return _utc(_Walk(owner_uid).run(folder).latest)


class SafeCollect(ExchangeCollect):
    """nbgrader's collect, taking submissions as data (see the module's docstring)."""

    max_depth = Integer(MAX_DEPTH, help="Folders a submission may hold inside its own, one in another").tag(
        config=True)
    max_files = Integer(MAX_FILES, help="Files and folders a submission may hold").tag(config=True)
    max_bytes = Integer(MAX_BYTES, help="Bytes a submission may hold").tag(config=True)

    def _owner_uid(self, student):
        try:
            return pwd.getpwnam(student).pw_uid
        except KeyError:  # a student without an account here (a class on Kubernetes, a test): no check possible
            return None

    def _walk(self, student, into=None):
        return _Walk(self._owner_uid(student), self.max_depth, self.max_files, self.max_bytes, into)

    def _refused(self, student, folder, why):
        self.log.warning("Refused the submission of %s by %s (%s): %s", self.coursedir.assignment_id,
                         printable(student), printable(folder), why)

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
        for path in sorted(glob.glob(pattern)):
            name = os.path.basename(path)
            try:
                name.encode("utf-8")
                record = self._path_to_record(path)
            except Exception:  # noqa: BLE001  (a folder name that is not nbgrader's)
                self.log.warning("Refused %s: its name is not a submission's", printable(name))
                continue
            try:  # the system's time, not the folder's name
                record["timestamp"] = _utc(self._walk(record["username"]).run(path).latest)
            except Refused as exc:
                self._refused(record["username"], name, exc)
                continue
            except Exception as exc:  # noqa: BLE001  (one submission's problem never stops the others)
                self._refused(record["username"], name, f"it could not be read ({type(exc).__name__}: {exc})")
                continue
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

    def copy_files(self):
        """nbgrader's copy_files, one student at a time: whatever goes wrong with one submission is logged
        with the student's name, leaves what was collected of them before in place, and the others go on."""
        if not self.src_records:
            self.log.warning("No submissions of '%s' for course '%s' to collect", self.coursedir.assignment_id,
                             self.coursedir.course_id)
        else:
            self.log.info("Processing %d submissions of '%s' for course '%s'", len(self.src_records),
                          self.coursedir.assignment_id, self.coursedir.course_id)
        for record in self.src_records:
            student = record["username"]
            try:
                self._collect_one(record)
            except Refused as exc:
                self._refused(student, record["filename"], exc)
            except Exception as exc:  # noqa: BLE001  (one submission's problem never stops the others)
                self._refused(student, record["filename"], f"collecting it failed ({type(exc).__name__}: {exc})")

    def _existing_time(self, dest):
        """The time of the copy collected before (its timestamp.txt, which we wrote), or None."""
        from nbgrader.utils import parse_utc

        try:
            return parse_utc((Path(dest) / "timestamp.txt").read_text()[:100].strip())
        except Exception:  # noqa: BLE001  (none, or not ours: a copy made before these checks)
            return None

    def _collect_one(self, record):
        student, assignment = record["username"], self.coursedir.assignment_id
        src = os.path.join(self.inbound_path, record["filename"])
        dest = Path(self.coursedir.format_path(self.coursedir.submitted_directory, student, assignment))
        if dest.exists():
            existing = self._existing_time(dest)
            newer = existing is None or record["timestamp"] > existing
            if not ((self.update and newer) or (self.before_duedate and existing != record["timestamp"])):
                self.log.info("%s: %s %s", "No newer submission to collect" if self.update else
                              "Submission already exists, use --update to update", printable(student), assignment)
                return
            self.log.info("Updating submission: %s %s", printable(student), assignment)
        else:
            self.log.info("Collecting submission: %s %s", printable(student), assignment)
        dest.parent.mkdir(parents=True, exist_ok=True)
        self.do_copy(src, dest, student=student)

    def do_copy(self, src, dest, log=None, student=None):
        """Copy the submission's plain files by file descriptor (see the module's docstring) into a scratch
        folder beside dest, then put it in dest's place: a refused copy leaves dest as it was. Its
        timestamp.txt says when it was last written."""
        dest = Path(dest)
        student = student if student is not None else os.path.basename(src).rsplit("+", 3)[0]
        scratch = Path(tempfile.mkdtemp(prefix=f".{dest.name}.collecting-", dir=dest.parent))
        try:
            walk = self._walk(student, into=scratch / "copy").run(src)
            (scratch / "copy" / "timestamp.txt").write_text(_utc(walk.latest).strftime("%Y-%m-%d %H:%M:%S.%f UTC"))
            if dest.exists():
                dest.rename(scratch / "old")
            (scratch / "copy").rename(dest)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
