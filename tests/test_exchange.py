"""Collecting submissions as data: a student's own files only, plain files only, timed by the system."""

import os
import pwd
import subprocess
import time
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT

from autograde import exchange

LESSON = "01_one_neuron"
STUDENTS = ("bp_ana", "bp_ben")


@pytest.fixture(scope="module")
def accounts():
    """Two throwaway accounts (the grader runs as root here, as in CI)."""
    if os.geteuid() != 0:
        pytest.fail("collecting as several users needs root (as CI has)")
    for name in STUDENTS:
        try:
            pwd.getpwnam(name)
        except KeyError:
            subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True)
    return {name: pwd.getpwnam(name).pw_uid for name in STUDENTS}


def submit(inbound, student, uid, stamp, notebook=None, owner=None, extra=None):
    """A submission folder as nbgrader's submit makes one, owned by `owner` (default: the student)."""
    folder = inbound / f"{student}+{LESSON}+{stamp}+{os.urandom(4).hex()}"
    folder.mkdir(parents=True)
    nbformat.write(notebook or nbformat.read(ROOT / "lessons" / LESSON / f"{LESSON}.ipynb", as_version=4),
                   folder / f"{LESSON}.ipynb")
    (folder / "timestamp.txt").write_text(stamp)
    if extra:
        extra(folder)
    for path in [folder, *folder.rglob("*")]:
        os.lchown(path, owner if owner is not None else uid, owner if owner is not None else uid)
    return folder


def collect(course_cfg):
    from autograde import nbgrader_course

    outcome = nbgrader_course.api(course_cfg).collect(LESSON, update=True)
    return outcome


def test_collect_takes_each_students_own_plain_files_and_the_systems_time(accounts, course_cfg, tmp_path):
    from autograde.generate import generate

    generate([LESSON], course_cfg, write_sources=False)
    inbound = Path(course_cfg.Exchange.root) / "backprop" / "inbound"
    ana, ben = accounts["bp_ana"], accounts["bp_ben"]
    before = time.time()
    real = submit(inbound, "bp_ana", ana, "2026-12-01 10:00:00.000000 UTC")
    # ben forges a newer submission in ana's name, dated 2099, and one of his own that links to the solutions
    submit(inbound, "bp_ana", ana, "2099-01-01 00:00:00.000000 UTC", owner=ben)
    submit(inbound, "bp_ben", ben, "2026-12-01 11:00:00.000000 UTC",
           extra=lambda folder: (folder / "answers.ipynb").symlink_to(ROOT / "solutions" / LESSON / f"{LESSON}.ipynb"))
    outcome = collect(course_cfg)
    assert outcome["success"], outcome["log"]
    submitted = Path(course_cfg.CourseDirectory.root) / "submitted"
    assert (submitted / "bp_ana" / LESSON / f"{LESSON}.ipynb").read_bytes() == (real / f"{LESSON}.ipynb").read_bytes()
    assert not (submitted / "bp_ben").exists()  # the symlink refused the whole submission
    assert "belongs to bp_ben, not to the student it names" in outcome["log"]
    assert "is a symlink" in outcome["log"]
    # the time that counts is the system's (when it was written), not the folder's name or timestamp.txt
    stamp = (submitted / "bp_ana" / LESSON / "timestamp.txt").read_text()
    from nbgrader.utils import parse_utc

    written = parse_utc(stamp).timestamp()
    assert before - 5 <= written <= time.time() + 5, stamp


def test_inspect_names_what_is_wrong(accounts, tmp_path):
    folder = tmp_path / "sub"
    folder.mkdir()
    (folder / "a.ipynb").write_text("{}")
    os.mkfifo(folder / "pipe")
    assert exchange.inspect(folder, None) == "pipe is a special file, not a plain file"
    (folder / "pipe").unlink()
    os.chown(folder / "a.ipynb", accounts["bp_ben"], accounts["bp_ben"])
    assert exchange.inspect(folder, accounts["bp_ana"]).startswith("its folder belongs to")
    # a name that would forge a line of collect's log, or that is not UTF-8, is named escaped
    forged = "x\n[CollectApp | INFO] Collecting submission: bp_ben"
    (folder / forged).symlink_to("/")
    escaped = "x\\n[CollectApp | INFO] Collecting submission: bp_ben"  # one line, the newline as \\n
    assert exchange.inspect(folder, None) == f"{escaped} is a symlink, not a plain file"
    (folder / forged).unlink()
    os.mkfifo(folder / os.fsdecode(b"odd-\xff"))
    assert exchange.inspect(folder, None) == "odd-\\xff is a special file, not a plain file"


# ---------------------------------------------------------------------------------------------
# the red team's attacks on collect (tests/security/redteam on its branch), each as a student would make it


def _collected(course_cfg, student):
    """The instructor's copy of a student's submission: {relative path: bytes}, or None if not collected."""
    folder = Path(course_cfg.CourseDirectory.root) / "submitted" / student / LESSON
    if not folder.is_dir():
        return None
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _prepared(course_cfg):
    from autograde.generate import generate

    generate([LESSON], course_cfg, write_sources=False)
    return Path(course_cfg.Exchange.root) / "backprop" / "inbound"


def _as_student(uid, work):
    """Run work() in a child process of the student's uid; what it returns (a short string) comes back."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            os.write(write, str(work()).encode())
        except BaseException as exc:  # noqa: BLE001
            os.write(write, f"failed: {type(exc).__name__}: {exc}".encode())
        finally:
            os._exit(0)
    os.close(write)
    return pid, read


@pytest.mark.parametrize("swap_at_open", [1, 2])
def test_a_folder_swapped_for_a_link_while_it_is_collected_is_not_followed(accounts, course_cfg, swap_at_open):
    """collect_symlink_race: ben's submission holds a/bp_ana/ and a/big.bin; a watcher of his (inotify on his own
    folder) sees the collector open a/big.bin (the first time: collect's look at the submission; the second: its
    copy) and swaps a/ for a symlink to the instructor's submitted/ folder, where a/bp_ana/ is ana's collected
    lesson. A collector that walks by path goes on into a/bp_ana/ through the link and copies ana's work as
    ben's."""
    import ctypes
    import struct

    inbound = _prepared(course_cfg)
    ana, ben = accounts["bp_ana"], accounts["bp_ben"]
    submit(inbound, "bp_ana", ana, "2026-12-01 10:00:00.000000 UTC")
    assert collect(course_cfg)["success"]
    submitted = Path(course_cfg.CourseDirectory.root) / "submitted"

    def bait(folder):
        (folder / "a" / "bp_ana").mkdir(parents=True)
        (folder / "a" / "bp_ana" / "mine.txt").write_text("ben's own")
        with open(folder / "a" / "big.bin", "wb") as f:  # long enough to copy that the swap is done first
            f.truncate(64 * 2**20)

    folder = submit(inbound, "bp_ben", ben, "2026-12-01 11:00:00.000000 UTC", extra=bait)
    libc = ctypes.CDLL(None, use_errno=True)
    watch = libc.inotify_init()
    assert libc.inotify_add_watch(watch, str(folder / "a").encode(), 0x20) >= 0  # IN_OPEN, on ben's own folder
    top = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)  # his folder, as he has it (the test's tmp is root's)

    def swapper():
        opened, end = 0, time.time() + 60
        while time.time() < end:
            data = os.read(watch, 4096)
            while data:
                _, _, _, length = struct.unpack("iIII", data[:16])
                name, data = data[16:16 + length].rstrip(b"\0"), data[16 + length:]
                opened += name == b"big.bin"
                if opened == swap_at_open:
                    os.rename("a", "a-real", src_dir_fd=top, dst_dir_fd=top)
                    os.symlink(submitted, "a", dir_fd=top)
                    return "swapped"
        return "never saw big.bin opened"

    pid, said = _as_student(ben, swapper)
    time.sleep(0.5)
    outcome = collect(course_cfg)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    os.close(top)
    os.close(watch)
    assert os.read(said, 1000) == b"swapped"  # the attack was made
    assert outcome["success"], outcome["log"]
    copy = _collected(course_cfg, "bp_ben")
    ana_work = (submitted / "bp_ana" / LESSON / f"{LESSON}.ipynb").read_bytes()
    if copy is None:  # refused (the swap seen in a second look), with his name and why
        assert "bp_ben" in outcome["log"] and "a is a symlink" in outcome["log"], outcome["log"]
    else:  # or copied from the folder it had open: ben's own files, nothing of ana's
        assert sorted(copy) == [f"{LESSON}.ipynb", "a/big.bin", "a/bp_ana/mine.txt", "timestamp.txt"]
        assert copy["a/bp_ana/mine.txt"] == b"ben's own"
    assert _collected(course_cfg, "bp_ana")[f"{LESSON}.ipynb"] == ana_work


def _timestamp_folder(folder):
    (folder / "timestamp.txt").unlink()
    (folder / "timestamp.txt").mkdir()
    (folder / "timestamp.txt" / "x").write_text("x")


def test_a_timestamp_folder_refuses_that_submission_only_and_keeps_the_one_before(accounts, course_cfg):
    """collect_timestamp_dir and late_forged: ben's first submission (unanswered) is collected; his second, after
    the due date, holds a folder named timestamp.txt: it must not replace the first (nor leave a copy with no
    time, graded as not late), and ana, who submitted beside him, is collected."""
    inbound = _prepared(course_cfg)
    ana, ben = accounts["bp_ana"], accounts["bp_ben"]
    submit(inbound, "bp_ben", ben, "2026-12-01 10:00:00.000000 UTC")
    assert collect(course_cfg)["success"]
    first = _collected(course_cfg, "bp_ben")
    time.sleep(0.05)
    answered = nbformat.read(ROOT / "solutions" / LESSON / f"{LESSON}.ipynb", as_version=4)
    submit(inbound, "bp_ben", ben, "2026-12-01 12:00:00.000000 UTC", notebook=answered, extra=_timestamp_folder)
    submit(inbound, "bp_ana", ana, "2026-12-01 12:00:00.000000 UTC", notebook=answered)
    outcome = collect(course_cfg)
    assert outcome["success"], outcome["log"]
    assert _collected(course_cfg, "bp_ben") == first  # the first submission, with its own time
    assert _collected(course_cfg, "bp_ana") is not None
    assert "Refused the submission of 01_one_neuron by bp_ben" in outcome["log"]
    assert "timestamp.txt is a folder, not a plain file" in outcome["log"]


def _deep(folder, uid, depth=2100):
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    for _ in range(depth):  # by descriptor: the path is longer than the system allows a path to be
        os.mkdir("d", dir_fd=fd)
        child = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        os.fchown(child, uid, uid)
        os.close(fd)
        fd = child
    os.close(os.open("f", os.O_WRONLY | os.O_CREAT, dir_fd=fd))
    os.chown("f", uid, uid, dir_fd=fd)
    os.close(fd)


def _many(folder, uid):
    for k in range(exchange.MAX_FILES + 1):
        (folder / f"f{k}").write_text("x")
        os.chown(folder / f"f{k}", uid, uid)


def _large(folder, uid):
    with open(folder / "big.bin", "wb") as f:
        f.truncate(exchange.MAX_BYTES + 1)  # sparse: large to read, nothing on the disk
    os.chown(folder / "big.bin", uid, uid)


@pytest.mark.parametrize("shape, why", [(_deep, f"more than {exchange.MAX_DEPTH} folders deep"),
                                        (_many, f"more than {exchange.MAX_FILES} files and folders"),
                                        (_large, f"larger than {exchange.MAX_BYTES // 2**20} MB")])
def test_a_submission_too_deep_too_many_or_too_large_is_refused_and_the_others_collected(accounts, course_cfg,
                                                                                         shape, why):
    """collect_deep_folders (2100 folders, one in another, stopped nbgrader's collect before anyone was
    collected), and its kin: too many files, too many bytes."""
    inbound = _prepared(course_cfg)
    ana, ben = accounts["bp_ana"], accounts["bp_ben"]
    folder = submit(inbound, "bp_ben", ben, "2026-12-01 10:00:00.000000 UTC")
    try:
        shape(folder, ben)
        submit(inbound, "bp_ana", ana, "2026-12-01 10:00:00.000000 UTC")
        outcome = collect(course_cfg)
        assert outcome["success"], outcome["log"]
        assert _collected(course_cfg, "bp_ana") is not None
        assert _collected(course_cfg, "bp_ben") is None
        assert "Refused the submission of 01_one_neuron by bp_ben" in outcome["log"] and why in outcome["log"]
    finally:  # rm, not Python's rmtree (which recurses, one call a folder)
        subprocess.run(["rm", "-rf", "--", str(folder)], check=True)
        submitted = Path(course_cfg.CourseDirectory.root) / "submitted" / "bp_ben"
        subprocess.run(["rm", "-rf", "--", str(submitted)], check=True)


def test_names_that_are_not_utf8_reach_the_log_and_grades_csv_escaped(accounts, course_cfg, tmp_path):
    """undecodable_file_name: a file named notes-\\xff\\xfe.txt beside ana's notebook is collected and named in
    grades.csv (the class run once ended there, with the rows after hers lost); a student folder whose name is
    not UTF-8 is reported, not a crash."""
    from autograde import grade

    inbound = _prepared(course_cfg)
    odd = os.fsdecode(b"notes-\xff\xfe.txt")
    submit(inbound, "bp_ana", accounts["bp_ana"], "2026-12-01 10:00:00.000000 UTC",
           extra=lambda folder: (folder / odd).write_text("x"))
    outcome = collect(course_cfg)
    assert outcome["success"], outcome["log"]
    submitted = Path(course_cfg.CourseDirectory.root) / "submitted"
    assert (submitted / "bp_ana" / LESSON / odd).read_text() == "x"
    stranger = submitted / os.fsdecode(b"odd-\xff") / LESSON
    stranger.mkdir(parents=True)
    (stranger / f"{LESSON}.ipynb").write_bytes((submitted / "bp_ana" / LESSON / f"{LESSON}.ipynb").read_bytes())
    rows = grade.grade_class(submitted, cfg=course_cfg, csv_path=tmp_path / "grades.csv", cell_timeout=20)
    import csv

    with open(tmp_path / "grades.csv", encoding="utf-8") as f:
        written = {r["student"]: r for r in csv.DictReader(f)}
    assert set(written) == {"bp_ana", "odd-\\xff"} == {r["student"] for r in rows}
    assert written["bp_ana"]["status"] == "graded"
    assert "notes-\\xff\\xfe.txt" in written["bp_ana"]["notes"]


def test_the_class_command_refuses_what_collect_would_and_finds_the_rest(tmp_path):
    """A folder of submissions handed to python -m autograde.grade directly (not collected): one 2100 folders
    deep (finding the submissions once ended there, with a path too long for the system), one whose
    timestamp.txt is a folder (graded as not late before), one a symlink; each refused with why, the rest found."""
    from autograde import grade

    lesson_file = ROOT / "lessons" / LESSON / f"{LESSON}.ipynb"
    for student in ("ana", "deep", "stamp", "linked"):
        (tmp_path / student / LESSON).mkdir(parents=True)
        if student != "linked":
            (tmp_path / student / LESSON / f"{LESSON}.ipynb").write_bytes(lesson_file.read_bytes())
    _deep(tmp_path / "deep" / LESSON, os.getuid())
    (tmp_path / "stamp" / LESSON / "timestamp.txt").mkdir()
    (tmp_path / "linked" / LESSON / f"{LESSON}.ipynb").symlink_to(ROOT / "solutions" / LESSON / f"{LESSON}.ipynb")
    try:
        found, problems = grade.find_submissions(tmp_path)
        assert [(s, lesson) for s, lesson, _ in found] == [("ana", LESSON)]
        assert {s: why for s, _, why in problems} == {
            "deep": f"refused: it is more than {exchange.MAX_DEPTH} folders deep; a submission is a lesson's folder",
            "stamp": "refused: timestamp.txt is a folder, not a plain file",
            "linked": f"refused: {LESSON}.ipynb is a symlink, not a plain file"}
    finally:
        subprocess.run(["rm", "-rf", "--", str(tmp_path / "deep")], check=True)


def test_a_file_closed_to_the_collector_refuses_that_submission_with_why(accounts):
    """On the hub the instructor collects as an ordinary user: a file the student made unreadable (mode 000) is a
    refusal that says so, not a crash and not 'changed while it was collected'."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="bp-collect-"))
    try:
        folder.chmod(0o755)
        (folder / "a.ipynb").write_text("{}")
        (folder / "a.ipynb").chmod(0)
        pid, said = _as_student(accounts["bp_ben"], lambda: exchange.inspect(folder, None))
        os.waitpid(pid, 0)
        assert os.read(said, 1000) == b"a.ipynb cannot be read by the collector (Permission denied)"
    finally:
        subprocess.run(["rm", "-rf", "--", str(folder)], check=True)
