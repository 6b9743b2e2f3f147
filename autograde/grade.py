"""Grade a whole class with one command: nbgrader's autograde, for every submission, in parallel.

    python -m autograde.grade                       every submission in autograde/submitted/
    python -m autograde.grade path/to/submissions   a folder of <student>/<lesson>/ folders
    python -m autograde.grade --lessons 01_one_neuron --students ada bob --workers 4
    python -m autograde.grade --unsafe-same-user    grade even where submissions cannot run as users of their own

Each <student>/<lesson>/ folder holds the student's notebook (<lesson>.ipynb, or the only .ipynb
there) and, from nbgrader's collect, a timestamp.txt and a submission_secret.txt (which nbgrader's
release_feedback needs to hand the feedback back).

Every submission goes through nbgrader's autograde pipeline as the course declares it
(autograde/nbgrader_config.py): the notebook repaired from the lesson (RestoreCells), its test
cells run in the grader against its code in an operating-system sandbox (VerifyTests), the points
saved, the likely causes recorded (RecordCauses). So a notebook gets the same points and the same
words here as from `nbgrader autograde`, the formgrader's Autograde button, or the student's own
feedback. The workers grade in courses of their own (a copy of the gradebook each, as it was
before any student's code ran); their scores are then merged into the course's gradebook
(automatic scores only: manual grades are never touched), the graded notebooks into
autograde/autograded/, HTML feedback for every student into autograde/feedback/, and a summary
into autograde/grades.csv. A submission that cannot be graded (an unreadable notebook, a
sandbox that broke, a worker that died) is listed with why; the others are graded regardless.
Grading again gives the same grades: the hidden tests' random inputs come from the course's
secret (autograde/.grading-secret), the student and the lesson.
"""

import argparse
import concurrent.futures
import copy
import csv
import os
import resource
import shutil
import sys
import tempfile
import time
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from pathlib import Path

import nbformat

from autograde import isolation, nbgrader_course
from autograde.exchange import inspect, printable

__all__ = ["grade_class", "find_submissions", "main", "GradingError", "NBGRADER_FILES", "WORKER_MEMORY_BYTES"]

NBGRADER_FILES = ("timestamp.txt", "submission_secret.txt")  # kept with the graded notebook
WORKER_MEMORY_BYTES = 6 * 2**30  # the grader's own memory, per worker (a huge reply cannot take the machine)
MAX_NOTEBOOK_BYTES = 20 * 2**20


class GradingError(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# the submissions, taken as data


def find_submissions(root, lessons=None, students=None):
    """[(student, lesson, notebook)] to grade, and [(student, lesson, problem)] that cannot be graded.

    A submission is data: a symlink, a device or any other special file in it, a timestamp.txt that is
    not a plain file, a folder deeper, fuller or larger than collect allows (autograde/exchange.py), or
    a notebook that is too large, is refused (with why); nothing in the folder is followed anywhere else."""
    found, problems = [], []
    known = set(nbgrader_course.lessons())
    for student_dir in sorted(p for p in Path(root).iterdir() if not p.name.startswith(".")):
        if student_dir.is_symlink() or not student_dir.is_dir():
            continue
        if students and student_dir.name not in students:
            continue
        for lesson_dir in sorted(p for p in student_dir.iterdir() if not p.name.startswith(".")):
            lesson = lesson_dir.name
            if lessons and lesson not in lessons:
                continue
            if lesson_dir.is_symlink() or not lesson_dir.is_dir():
                problems.append((student_dir.name, lesson, "not a folder of files (a symlink or a special file)"))
                continue
            if lesson not in known:
                problems.append((student_dir.name, lesson, f"{lesson!r} is not a lesson of this course"))
                continue
            refused = inspect(lesson_dir, None)  # plain files, bounded in depth, count and size (as at collect)
            if refused:
                problems.append((student_dir.name, lesson, f"refused: {refused}"))
                continue
            notebooks = [lesson_dir / f"{lesson}.ipynb"] if (lesson_dir / f"{lesson}.ipynb").exists() else sorted(
                lesson_dir.glob("*.ipynb"))
            if len(notebooks) != 1:
                problems.append((student_dir.name, lesson, f"expected one notebook in {lesson_dir}, found "
                                 f"{len(notebooks)}"))
                continue
            if notebooks[0].stat().st_size > MAX_NOTEBOOK_BYTES:
                problems.append((student_dir.name, lesson, f"the notebook is larger than "
                                 f"{MAX_NOTEBOOK_BYTES // 2**20} MB"))
                continue
            found.append((student_dir.name, lesson, notebooks[0]))
    return found, problems


# ---------------------------------------------------------------------------------------------
# a worker: its own copy of the course, nbgrader's autograde for each of its submissions


_WORKER = {}


def _start_worker(number, gradebook, scratch, overrides, memory_bytes):
    """In a worker process: cap its memory, and make its course (a copy of the gradebook)."""
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    except (ValueError, OSError):
        pass
    os.environ["BACKPROP_GRADING_WORKER"] = str(number.get())
    nbgrader_course.reuse_gradebook_engines()
    root = Path(scratch) / f"worker-{os.getpid()}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    shutil.copy(gradebook, root / "gradebook.db")
    cfg = nbgrader_course.config(**{
        **overrides,
        "CourseDirectory.root": str(root), "CourseDirectory.submitted_directory": "submitted",
        "CourseDirectory.autograded_directory": "autograded", "CourseDirectory.feedback_directory": "feedback",
        "CourseDirectory.db_url": f"sqlite:///{root / 'gradebook.db'}",
    })
    _WORKER.update(root=root, cfg=cfg)


class _Counter:
    """Worker numbers, 0, 1, ..., handed out as the workers start (they pick their sandboxes' uids)."""

    def __init__(self, manager):
        self.value, self.lock = manager.Value("i", 0), manager.Lock()

    def get(self):
        with self.lock:
            self.value.value += 1
            return self.value.value - 1


def _grade_one(job):
    """Grade one submission in this worker's course; a plain dict of what happened."""
    import warnings

    warnings.filterwarnings("ignore", message=".*not in session.*")  # nbgrader's SQLAlchemy use, harmless
    from nbgrader.api import Gradebook

    student, lesson = job["student"], job["lesson"]
    result = {"student": student, "lesson": lesson, "error": None, "worker": str(_WORKER["root"])}
    root, cfg = _WORKER["root"], _WORKER["cfg"]
    folder = root / "submitted" / student / lesson
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    try:
        try:
            nbformat.read(job["notebook"], as_version=4)
        except Exception as exc:  # noqa: BLE001  (any unreadable file)
            raise GradingError(f"the notebook cannot be read ({type(exc).__name__}: {str(exc)[:200]})") from None
        shutil.copy(job["notebook"], folder / f"{lesson}.ipynb")
        for name in NBGRADER_FILES:
            source = Path(job["notebook"]).parent / name
            if source.is_file() and not source.is_symlink():
                shutil.copy(source, folder / name)
        problem = _timestamp_problem(folder / "timestamp.txt")
        if problem:
            (folder / "timestamp.txt").unlink()
            result["timestamp_problem"] = problem
        extra = sorted(printable(p.name) for p in Path(job["notebook"]).parent.iterdir()
                       if p.name not in NBGRADER_FILES + (f"{lesson}.ipynb", ".ipynb_checkpoints")
                       and p != Path(job["notebook"]))
        outcome = nbgrader_course.api(cfg).autograde(lesson, student, force=True, create=True)
        if not outcome["success"]:
            raise GradingError(f"nbgrader could not grade it: {(outcome['error'] or outcome['log'] or '')[-600:]}")
        autograded = root / "autograded" / student / lesson / f"{lesson}.ipynb"
        nb = nbformat.read(autograded, as_version=4)
        result["notes"] = _notes_of(nb) + ([f"files beside the notebook were not used: {', '.join(extra)}"]
                                           if extra else [])
        with Gradebook(cfg.CourseDirectory.db_url) as gb:
            submission = gb.find_submission(lesson, student)
            result["timestamp"] = submission.timestamp.isoformat() if submission.timestamp else None
            notebook = gb.find_submission_notebook(lesson, lesson, student)
            result["scores"] = {g.name: g.auto_score for g in notebook.grades}
            result["penalty"] = notebook.late_submission_penalty
        result["autograded"] = str(autograded)
    except GradingError as exc:
        result["error"] = str(exc)
    except Exception as exc:  # noqa: BLE001  (one submission's failure never stops the others)
        result["error"] = f"{type(exc).__name__}: {str(exc)[:500]}"
    return result


def _timestamp_problem(path):
    if not path.exists():
        return None
    from nbgrader.utils import parse_utc

    try:
        parse_utc(path.read_text()[:100].strip())
    except Exception:  # noqa: BLE001  (any text that is not a time)
        return "its timestamp.txt is not a time; it was graded without one (not late)"
    return None


def _notes_of(nb):
    from autograde.preprocessors.restore_cells import NOTE_HEADING

    first = nb.cells[0] if nb.cells else None
    if first is not None and first.cell_type == "markdown" and first.source.startswith(NOTE_HEADING):
        return [first.source[len(NOTE_HEADING):].strip()]
    return []


def _feedback_part(cfg, jobs):
    import warnings

    warnings.filterwarnings("ignore", message=".*not in session.*")
    nbgrader_course.reuse_gradebook_engines()
    grader = nbgrader_course.api(cfg)
    problems = {}
    for student, lesson in jobs:
        try:
            outcome = grader.generate_feedback(lesson, student, force=True)
        except Exception as exc:  # noqa: BLE001
            outcome = {"success": False, "error": f"{type(exc).__name__}: {exc}"}
        if not outcome["success"]:
            problems[(student, lesson)] = "feedback: " + (outcome["error"] or "")[-300:]
    return problems


# ---------------------------------------------------------------------------------------------
# the class


def grade_class(submissions=None, lessons=None, students=None, workers=1, csv_path=None, cfg=None,
                isolation_level="users", overrides=None, cell_timeout=None):
    """Grade every submission found; see the module's docstring. Returns the summary rows, or None
    when there is nothing to grade or grading must not start (then it says why on stderr).
    overrides: nbgrader settings for the grading ("VerifyTests.cell_timeout": 20); cell_timeout: the
    seconds one test cell may take (default: the configuration's, 60)."""
    import warnings

    warnings.filterwarnings("ignore", message=".*not in session.*")
    started = time.time()
    cfg = cfg or nbgrader_course.config()
    try:
        engine = isolation.engine(isolation_level)
    except isolation.IsolationUnavailable as exc:
        print(f"Grading refused: {exc}\nTo grade anyway, with less isolation: --unsafe-same-user "
              f"(see autograde/GUIDE.md, 'Grade in isolation').", file=sys.stderr)
        return None
    print(f"Isolation: {engine.describe()}.", flush=True)
    root = Path(cfg.CourseDirectory.root)
    submissions = Path(submissions or root / cfg.CourseDirectory.submitted_directory)
    if not submissions.is_dir():
        print(f"no submissions folder: {submissions}", file=sys.stderr)
        return None
    found, problems = find_submissions(submissions, lessons, students)
    if cell_timeout is not None:
        overrides = {**(overrides or {}), "VerifyTests.cell_timeout": float(cell_timeout)}
    overrides = {**(overrides or {}), "VerifyTests.isolation": engine.level, "VerifyTests.exact_isolation": True,
                 "RecordCauses.route": "class", "RecordCauses.book": str(_db_path(cfg).with_name("causes.db"))}
    if cfg.CourseDirectory.source_directory:
        overrides["CourseDirectory.source_directory"] = str(_source_directory(cfg))
    work = Path(tempfile.mkdtemp(prefix="backprop-grading-"))
    rows = []
    try:
        _prepare_lessons(sorted({lesson for _, lesson, _ in found}), cfg, work)
        backup = _backup_gradebook(cfg)  # the gradebook as it was before any student's code ran
        jobs = [{"student": s, "lesson": lesson, "notebook": str(nb)} for s, lesson, nb in found]
        results = _grade_in_workers(jobs, max(1, workers), backup or _db_path(cfg), work, _config_overrides(cfg,
                                                                                                          overrides))
        merged = _merge(results, cfg)
        feedback_problems = _feedback(merged, cfg, workers)
        rows = [_escaped(row) for row in _summary(results, problems, cfg, feedback_problems, engine)]
        csv_path = Path(csv_path or _db_path(cfg).parent / "grades.csv")
        with open(csv_path, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["student"])
            writer.writeheader()
            writer.writerows(rows)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    failed = [r for r in rows if r["status"] != "graded"]
    print(f"\n{len(rows) - len(failed)} submission(s) graded in {time.time() - started:.0f} s; summary: {csv_path}")
    if failed:
        print(f"{len(failed)} could not be graded:")
        for r in failed:
            print(f"  {r['student']} / {r['lesson']}: {r['problem']}")
    return rows


def _config_overrides(cfg, overrides):
    """The settings a worker's course takes from the class's, as "Section.name": value."""
    keep = {f"CourseDirectory.{k}": v for k, v in cfg.CourseDirectory.items()
            if k in ("course_id", "source_directory", "release_directory", "ignore")}
    return {**keep, **overrides}


def _grade_in_workers(jobs, workers, gradebook, work, overrides):
    """Every job graded in `workers` processes; a worker that dies costs the jobs it was doing (they
    are reported), and the rest go on in new workers."""
    import multiprocessing

    results, todo = [], list(jobs)
    manager = multiprocessing.Manager()
    try:
        counter = _Counter(manager)
        while todo:
            pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=min(workers, len(todo)), initializer=_start_worker,
                initargs=(counter, str(gradebook), str(work / "workers"), overrides, WORKER_MEMORY_BYTES))
            futures = {pool.submit(_grade_one, job): job for job in todo}
            todo = []
            for future in concurrent.futures.as_completed(futures):
                job = futures[future]
                try:
                    result = future.result()
                except BrokenProcessPool:
                    result = None
                except Exception as exc:  # noqa: BLE001
                    result = {**job, "error": f"{type(exc).__name__}: {exc}"}
                if result is None:  # the worker died: this job, and the others it took with it
                    if job.get("retried"):
                        result = {"student": job["student"], "lesson": job["lesson"],
                                  "error": "the grading worker died while grading it, twice"}
                    else:
                        todo.append({**job, "retried": True})
                        continue
                results.append(result)
                status = "could not grade" if result["error"] else "graded"
                print(f"{status}: {printable(result['student'])} / {printable(result['lesson'])}", flush=True)
            pool.shutdown(wait=True, cancel_futures=True)
    finally:
        manager.shutdown()
    return results


def _prepare_lessons(lessons, cfg, work):
    """Record the lessons' cells in the course gradebook (nbgrader's generate_assignment, into a
    scratch release folder), as grading needs them."""
    from autograde.generate import generate

    if lessons:
        changed = copy.deepcopy(cfg)
        changed.CourseDirectory.release_directory = str(Path(work) / "release")
        generate(lessons, changed, write_sources=False)


def _source_directory(cfg):
    source = Path(cfg.CourseDirectory.source_directory)
    return source if source.is_absolute() else Path(cfg.CourseDirectory.root) / source


def _db_path(cfg):
    return Path(cfg.CourseDirectory.db_url.replace("sqlite:///", "", 1))


def _backup_gradebook(cfg):
    db = _db_path(cfg)
    if not db.exists():
        return None
    backups = db.parent / "backups"
    backups.mkdir(exist_ok=True)
    target = backups / f"gradebook-{datetime.now().strftime('%Y%m%d-%H%M%S-%f')}.db"
    shutil.copy(db, target)
    return target


def _merge(results, cfg):
    """The workers' scores into the course gradebook, and their graded notebooks beside it: the
    (student, lesson) pairs merged."""
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.utils import parse_utc

    autograded_root = Path(cfg.CourseDirectory.root) / cfg.CourseDirectory.autograded_directory
    merged = []
    with Gradebook(cfg.CourseDirectory.db_url) as gb:
        known = {s.id for s in gb.students}
        for r in results:
            if r["error"]:
                continue
            student, lesson = r["student"], r["lesson"]
            if student not in known:
                gb.add_student(student)
                known.add(student)
            try:
                submission = gb.find_submission(lesson, student)
            except MissingEntry:
                submission = gb.add_submission(lesson, student)
            submission.timestamp = parse_utc(r["timestamp"]) if r.get("timestamp") else None
            notebook = gb.find_submission_notebook(lesson, lesson, student)
            for grade in notebook.grades:
                if grade.name in r["scores"]:
                    grade.auto_score = r["scores"][grade.name]
            notebook.late_submission_penalty = r.get("penalty")
            destination = autograded_root / student / lesson
            shutil.rmtree(destination, ignore_errors=True)
            shutil.copytree(Path(r["autograded"]).parent, destination)
            merged.append((student, lesson))
            if len(merged) % 25 == 0:  # a commit (a disk sync) per 25 submissions, not per submission
                gb.db.commit()
        gb.db.commit()
    return merged


def _feedback(merged, cfg, workers=1):
    """nbgrader's HTML feedback for every merged submission, in `workers` processes: {(student, lesson): problem}."""
    parts = [merged[k::workers] for k in range(max(1, workers)) if merged[k::workers]]
    problems = {}
    if len(parts) <= 1:
        for part in parts:
            problems.update(_feedback_part(cfg, part))
        return problems
    with concurrent.futures.ProcessPoolExecutor(max_workers=len(parts)) as pool:
        for done in pool.map(_feedback_part, [cfg] * len(parts), parts):
            problems.update(done)
    return problems


def _summary(results, problems, cfg, feedback_problems, engine):
    from nbgrader.api import Gradebook, MissingEntry

    rows = []
    with Gradebook(cfg.CourseDirectory.db_url) as gb:
        for r in sorted(results, key=lambda r: (r["student"], r["lesson"])):
            notes = list(r.get("notes", []))
            if r.get("timestamp_problem"):
                notes.append(r["timestamp_problem"])
            row = {"student": r["student"], "lesson": r["lesson"], "score": "", "max_score": "", "seconds_late": "",
                   "status": "graded", "problem": "", "notes": "; ".join(notes), "isolation": engine.level}
            if r["error"]:
                row.update(status="could not grade", problem=r["error"].splitlines()[0][:300] if r["error"] else "")
            else:
                try:
                    sub = gb.find_submission(r["lesson"], r["student"])
                    row.update(score=sub.score, max_score=sub.max_score, seconds_late=sub.total_seconds_late)
                except MissingEntry:
                    row.update(status="could not grade", problem="missing from the gradebook after grading")
                if (r["student"], r["lesson"]) in feedback_problems:
                    row["problem"] = feedback_problems[(r["student"], r["lesson"])]
            rows.append(row)
    for student, lesson, problem in problems:
        rows.append({"student": student, "lesson": lesson, "score": "", "max_score": "", "seconds_late": "",
                     "status": "could not grade", "problem": problem, "notes": "", "isolation": engine.level})
    return rows


def _escaped(row):
    """The row with every name in it as text a file can hold: a file or folder name that is not UTF-8 (a student
    may make one) with its odd bytes as \\xNN."""
    return {key: printable(value, controls=False) if isinstance(value, str) else value for key, value in row.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograde.grade", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("submissions", nargs="?", help="folder of <student>/<lesson>/ (default: autograde/submitted)")
    parser.add_argument("--lessons", nargs="*", help="only these lessons")
    parser.add_argument("--students", nargs="*", help="only these students")
    parser.add_argument("--workers", type=int, default=max(1, (os.cpu_count() or 2) // 2),
                        help="submissions graded at once")
    parser.add_argument("--csv", help="the summary to write (default: autograde/grades.csv)")
    parser.add_argument("--unsafe-same-user", action="store_true",
                        help="grade even where the submissions cannot run as users of their own (see GUIDE.md)")
    args = parser.parse_args(argv)
    nbgrader_course.scripts_on_path()
    rows = grade_class(args.submissions, args.lessons, args.students, args.workers, args.csv,
                       isolation_level="none" if args.unsafe_same_user else "users")
    return 2 if rows is None else 0


if __name__ == "__main__":
    import warnings

    warnings.filterwarnings("ignore", message=".*not in session.*")  # nbgrader's SQLAlchemy use, harmless
    sys.exit(main())
