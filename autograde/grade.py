"""Grade a whole class with one command.

    python -m autograde.grade                       every submission in autograde/submitted/
    python -m autograde.grade path/to/submissions   a folder of <student>/<lesson>/ folders
    python -m autograde.grade --lessons 01_one_neuron --students ada bob --workers 4

Each <student>/<lesson>/ folder holds the student's notebook (<lesson>.ipynb, or the only
.ipynb there) and, from nbgrader's collect, a timestamp.txt and a submission_secret.txt (which
nbgrader's release_feedback needs to hand the feedback back). For each submission:

1. The notebook is repaired from the released version: test cells edited, commented out or
   deleted are put back, cell metadata restored, duplicate cell ids removed; files shipped
   beside the notebook are left behind.
2. verify.py runs every test cell, hidden tests included, out of the reach of the student's
   code (which runs in a sandbox process with a memory cap and time limits); this decides
   the points of every test cell, so nothing the student's code does can fake a pass. The
   autograded notebook is the student's, each test cell showing what its tests said.
3. With --run-notebooks, nbgrader also runs the whole notebook in a kernel (memory cap, a
   time limit per cell and for the notebook), so that the feedback shows every output; the
   points still come from step 2.

Then the results go into the course's gradebook (autograde/gradebook.db: automatic scores
only, manual grades are never touched), the autograded notebooks into autograde/autograded/,
HTML feedback for every student into autograde/feedback/, and a summary into
autograde/grades.csv (scores, seconds late against the lesson's due date, problems). A broken
submission never stops the others; every submission that could not be graded is reported,
with why. Grading again gives the same grades: the hidden tests' random inputs come from a
per-course secret (autograde/.grading-secret) and the student and lesson.
"""

import argparse
import concurrent.futures
import copy
import csv
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import jinja2
import nbformat
from nbconvert.exporters import HTMLExporter, TemplateExporter

from autograde import nbgrader_course, verify

AUTOGRADE = Path(__file__).resolve().parent

NOTEBOOK_TIMEOUT = 600      # seconds for nbgrader to run one notebook
MEMORY_BYTES = 4 * 2**30    # per kernel and per sandbox
# what nbgrader's submit and collect put beside a notebook: kept with the autograded notebook
NBGRADER_FILES = ("timestamp.txt", "submission_secret.txt")


# ---------------------------------------------------------------------------------------
# 1. repair the notebook


def sanitize(submitted, released):
    """Repair a submitted notebook from the released one; return (notebook, notes).

    Test cells and read-only cells get back the released source and metadata (an edited,
    commented-out or deleted test cell is restored); solution cells keep the student's code
    with the released metadata; a second cell claiming a grade id loses the claim; cells
    claiming grade ids the lesson does not have lose them; outputs are cleared.
    """
    notes = []
    released_cells = {c.metadata["nbgrader"]["grade_id"]: c for c in released.cells
                      if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")}
    seen = set()
    cells = []
    for cell in submitted.cells:
        cell = nbformat.from_dict(dict(cell))
        meta = cell.get("metadata", {})
        grade_id = meta.get("nbgrader", {}).get("grade_id") if isinstance(meta.get("nbgrader"), dict) else None
        if "nbgrader" in meta and (grade_id not in released_cells or grade_id in seen):
            notes.append(f"a cell claimed the grade id {grade_id!r}, which "
                         + ("another cell already has" if grade_id in seen else "the lesson does not have")
                         + "; it is graded as an ordinary cell")
            meta.pop("nbgrader", None)
            grade_id = None
        if grade_id is not None:
            seen.add(grade_id)
            original = released_cells[grade_id]
            nbg = original.metadata["nbgrader"]
            if nbg.get("grade") or nbg.get("locked") and not nbg.get("solution"):
                if cell.get("source") != original.source or meta.get("nbgrader") != nbg:
                    notes.append(f"the read-only cell {grade_id!r} was changed; the released version was put back")
                cell = nbformat.from_dict(json.loads(json.dumps(original)))
            else:
                if meta.get("nbgrader") != nbg:
                    notes.append(f"the metadata of cell {grade_id!r} was changed; the released metadata was put back")
                cell.metadata["nbgrader"] = json.loads(json.dumps(nbg))
                cell.cell_type = original.cell_type
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
    # put back what was deleted, after the cell that precedes it in the released notebook
    order = [c.metadata["nbgrader"]["grade_id"] for c in released.cells
             if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")]
    for position, grade_id in enumerate(order):
        if grade_id in seen:
            continue
        notes.append(f"the cell {grade_id!r} was missing; the released version was put back")
        restored = nbformat.from_dict(json.loads(json.dumps(released_cells[grade_id])))
        anchor = next((order[k] for k in range(position - 1, -1, -1) if order[k] in seen), None)
        index = 0 if anchor is None else 1 + next(
            i for i, c in enumerate(cells) if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == anchor)
        cells.insert(index, restored)
        seen.add(grade_id)
    for cell in cells:
        cell.pop("id", None)
    notebook = nbformat.v4.new_notebook(cells=[], metadata=json.loads(json.dumps(released.metadata)))
    notebook.cells = cells
    for k, cell in enumerate(notebook.cells):  # fresh, unique cell ids
        cell["id"] = f"cell-{k}"
    return notebook, notes


# ---------------------------------------------------------------------------------------
# 2 and 3. grade one submission in a scratch course of its own


def grade_one(job):
    """Grade one submission; runs in a worker process. Returns a plain dict."""
    student, lesson, notebook_path, template, scratch_root, seed = (
        job["student"], job["lesson"], Path(job["notebook"]), Path(job["template"]), Path(job["scratch"]),
        job["seed"])
    result = {"student": student, "lesson": lesson, "notes": [], "error": None, "verdicts": {},
              "autograded": None, "kernel_scores": {}}
    scratch = scratch_root / f"{student}__{lesson}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    try:
        try:
            submitted = nbformat.read(notebook_path, as_version=4)
        except Exception as exc:  # noqa: BLE001  (any unreadable file)
            raise GradingError(f"the notebook cannot be read ({type(exc).__name__}: {exc})") from None
        released = nbformat.read(template / "release" / lesson / f"{lesson}.ipynb", as_version=4)
        notebook, notes = sanitize(submitted, released)
        result["notes"] = notes
        extra = sorted(p.name for p in notebook_path.parent.iterdir()
                       if p != notebook_path and p.name not in NBGRADER_FILES + (".ipynb_checkpoints",))
        if extra:
            result["notes"].append(f"files beside the notebook were not used: {', '.join(extra)}")
        folder = scratch / "submitted" / student / lesson
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / f"{lesson}.ipynb")
        verdicts = verify.verify(folder / f"{lesson}.ipynb", job["source"], scratch / "verify", seed,
                                 memory_bytes=MEMORY_BYTES, cell_timeout=job["cell_timeout"],
                                 zygote=_zygote(scratch_root))
        result["verdicts"] = {k: {"passed": v.passed, "output": v.output} for k, v in verdicts.items()}
        if job.get("run_notebooks"):
            shutil.copy(template / "gradebook.db", scratch / "gradebook.db")
            result["kernel_scores"], result["autograded"] = _nbgrader_autograde(scratch, student, lesson)
        else:
            result["autograded"] = str(scratch / f"{lesson}.autograded.ipynb")
            nbformat.write(_with_test_outputs(notebook, result["verdicts"]), result["autograded"])
    except GradingError as exc:
        result["error"] = str(exc)
    except Exception as exc:  # noqa: BLE001  (one submission's failure never stops the others)
        result["error"] = f"{type(exc).__name__}: {exc}"
    return result


class GradingError(Exception):
    pass


_ZYGOTE = {"zygote": None, "started": 0}


def _zygote(scratch_root):
    """This worker's zygote (verify.Zygote), started on first use and again, in a fresh folder
    with a fresh copy of the package, whenever it has died; None if none can be started (each
    sandbox is then a new process)."""
    current = _ZYGOTE["zygote"]
    if current is not None and current.alive:
        return current
    if current is not None:
        current.close()
        _ZYGOTE["zygote"] = None
    if _ZYGOTE["started"] >= 20:  # killed over and over: stop trying
        return None
    _ZYGOTE["started"] += 1
    try:
        _ZYGOTE["zygote"] = verify.Zygote(Path(scratch_root) / f"zygote-{os.getpid()}-{_ZYGOTE['started']}",
                                          MEMORY_BYTES)
    except Exception:  # noqa: BLE001  (grading goes on without one)
        return None
    if _ZYGOTE["started"] == 1:  # closed when this worker process ends
        import multiprocessing.util

        multiprocessing.util.Finalize(None, _close_zygote, exitpriority=10)
    return _ZYGOTE["zygote"]


def _close_zygote():
    if _ZYGOTE["zygote"] is not None:
        _ZYGOTE["zygote"].close()
        _ZYGOTE["zygote"] = None


def _with_test_outputs(notebook, verdicts):
    """The student's notebook with every test cell showing what its tests said."""
    nb = nbformat.from_dict(json.loads(json.dumps(notebook)))
    for cell in nb.cells:
        verdict = verdicts.get(cell.get("metadata", {}).get("nbgrader", {}).get("grade_id"))
        if verdict is None or cell.cell_type != "code":
            continue
        if verdict["passed"]:
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=verdict["output"] + "\n")]
        else:
            first, _, rest = verdict["output"].partition("\n")
            cell.outputs = [nbformat.v4.new_output("error", ename="CheckFailed", evalue=first,
                                                   traceback=[f"CheckFailed: {first}", *rest.split("\n")])]
    return nb


def _nbgrader_autograde(scratch, student, lesson):
    """nbgrader autograde in `scratch`, its kernel capped in memory and time."""
    kernels = scratch / "jupyter" / "kernels" / "python3"
    kernels.mkdir(parents=True)
    pidfile = scratch / "kernel.pid"
    limit_kb = MEMORY_BYTES // 1024
    launch = (f'echo $$ > "{pidfile}"; ulimit -v {limit_kb} 2>/dev/null; '
              f'exec "{sys.executable}" -m ipykernel_launcher -f "$0"')
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": ["/bin/sh", "-c", launch, "{connection_file}"],
        "display_name": "Python 3 (graded)", "language": "python",
        "env": {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MPLBACKEND": "Agg"},
    }))
    overrides = {
        "CourseDirectory.root": str(scratch), "CourseDirectory.source_directory": str(scratch / "source"),
        "CourseDirectory.release_directory": "release", "CourseDirectory.submitted_directory": "submitted",
        "CourseDirectory.autograded_directory": "autograded", "CourseDirectory.feedback_directory": "feedback",
        "CourseDirectory.db_url": f"sqlite:///{scratch / 'gradebook.db'}", "Exchange.root": str(scratch / "exchange"),
    }
    args = [sys.executable, "-m", "nbgrader", "autograde", lesson, "--student", student, "--force",
            f"--JupyterApp.config_file={AUTOGRADE / 'nbgrader_config.py'}"]
    args += [f"--{key}={value}" for key, value in overrides.items()]
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(scratch), "JUPYTER_PATH": str(scratch / "jupyter"),
           "JUPYTER_PLATFORM_DIRS": "1", "LANG": os.environ.get("LANG", "C.UTF-8")}
    log = open(scratch / "nbgrader.log", "w")
    process = subprocess.Popen(args, cwd=scratch, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        process.wait(NOTEBOOK_TIMEOUT)
    except subprocess.TimeoutExpired:
        _kill(process.pid, pidfile)
        raise GradingError(f"the notebook ran for more than {NOTEBOOK_TIMEOUT} s and was stopped") from None
    finally:
        log.close()
        if pidfile.exists():
            _kill(None, pidfile)
    autograded = scratch / "autograded" / student / lesson / f"{lesson}.ipynb"
    if not autograded.exists():
        tail = (scratch / "nbgrader.log").read_text()[-1500:]
        raise GradingError(f"nbgrader could not run the notebook:\n{tail}")
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{scratch / 'gradebook.db'}") as gb:
        nb = gb.find_submission_notebook(lesson, lesson, student)
        scores = {g.name: g.auto_score for g in nb.grades}
    return scores, str(autograded)


def _kill(pid, pidfile):
    targets = []
    if pid:
        targets.append(("group", pid))
    try:
        targets.append(("process", int(Path(pidfile).read_text().strip())))
    except (OSError, ValueError):
        pass
    for kind, target in targets:
        try:
            os.killpg(target, signal.SIGKILL) if kind == "group" else os.kill(target, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


# ---------------------------------------------------------------------------------------
# the class: find submissions, prepare lessons, grade in parallel, merge, report


def find_submissions(root, lessons, students):
    """[(student, lesson, notebook)] and [(student, lesson, problem)] for what cannot be graded."""
    found, problems = [], []
    known = set(nbgrader_course.lessons())
    for student_dir in sorted(p for p in Path(root).iterdir() if p.is_dir() and not p.name.startswith(".")):
        if students and student_dir.name not in students:
            continue
        for lesson_dir in sorted(p for p in student_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
            lesson = lesson_dir.name
            if lessons and lesson not in lessons:
                continue
            if lesson not in known:
                problems.append((student_dir.name, lesson, f"{lesson!r} is not a lesson of this course"))
                continue
            notebooks = [lesson_dir / f"{lesson}.ipynb"] if (lesson_dir / f"{lesson}.ipynb").exists() else sorted(
                lesson_dir.glob("*.ipynb"))
            if len(notebooks) != 1:
                problems.append((student_dir.name, lesson, f"expected one notebook in {lesson_dir}, found "
                                 f"{len(notebooks)}"))
                continue
            found.append((student_dir.name, lesson, notebooks[0]))
    return found, problems


def prepare_lessons(lessons, cfg, templates, gradebook=False):
    """Record the lessons in the course gradebook, and release them into templates/release/:
    the notebooks submissions are repaired from. With gradebook=True, also make
    templates/gradebook.db, a gradebook of their own that knows the lessons' cells, which the
    kernel runs of --run-notebooks start from. One nbgrader pass for all the lessons (each new
    gradebook costs nbgrader an `alembic` process of its own)."""
    from autograde.generate import generate

    templates = Path(templates)
    templates.mkdir(parents=True, exist_ok=True)
    generate(lessons, _with(cfg, release_directory=str(templates / "release")))
    if gradebook:
        with tempfile.TemporaryDirectory() as release:
            generate(lessons, _with(cfg, root=str(templates), source_directory=str(source_directory(cfg)),
                                    release_directory=release, db_url=f"sqlite:///{templates / 'gradebook.db'}"))
    return templates


def source_directory(cfg):
    """The absolute folder of the lessons' nbgrader sources (solutions/ by default)."""
    source = Path(cfg.CourseDirectory.source_directory)
    return source if source.is_absolute() else Path(cfg.CourseDirectory.root) / source


def _with(cfg, **course_directory):
    changed = copy.deepcopy(cfg)
    for key, value in course_directory.items():
        changed.CourseDirectory[key] = value
    return changed


def grading_seed(student, lesson, cfg):
    secret_file = _db_path(cfg).parent / ".grading-secret"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_hex(32))
        secret_file.chmod(0o600)
    return hashlib.sha256(f"{secret_file.read_text().strip()}/{student}/{lesson}".encode()).hexdigest()[:16]


def merge(results, cfg, submissions):
    """Write verified scores into the course gradebook and the autograded notebooks beside it."""
    from nbgrader.api import Gradebook, MissingEntry

    autograded_root = Path(cfg.CourseDirectory.root) / cfg.CourseDirectory.autograded_directory
    with Gradebook(cfg.CourseDirectory.db_url) as gb:
        known = {s.id for s in gb.students}
        merged = 0
        for r in results:
            if r["error"]:
                continue
            student, lesson = r["student"], r["lesson"]
            if student not in known:  # (nbgrader commits each call: none for who is there already)
                gb.add_student(student)
                known.add(student)
            try:
                submission = gb.find_submission(lesson, student)
            except MissingEntry:
                submission = gb.add_submission(lesson, student)
            stamp = Path(submissions[(student, lesson)]).parent / "timestamp.txt"
            if stamp.exists():
                from nbgrader.utils import parse_utc

                submission.timestamp = parse_utc(stamp.read_text().strip())
            notebook = gb.find_submission_notebook(lesson, lesson, student)
            for grade in notebook.grades:
                verdict = r["verdicts"].get(grade.name)
                if verdict is not None:  # a test cell: its points, if the independent check passed
                    grade.auto_score = grade.max_score if verdict["passed"] else 0.0
                elif grade.cell.cell_type == "code" and grade.name in r["kernel_scores"]:
                    grade.auto_score = r["kernel_scores"][grade.name]
            merged += 1
            if merged % 25 == 0:  # a commit (a disk sync) per 25 submissions, not per submission
                gb.db.commit()
            destination = autograded_root / student / lesson
            destination.mkdir(parents=True, exist_ok=True)
            annotated = _annotate(nbformat.read(r["autograded"], as_version=4), r)
            nbformat.write(annotated, destination / f"{lesson}.ipynb")
            for name in NBGRADER_FILES:  # release_feedback reads them from the feedback folder
                if (stamp.parent / name).exists():
                    shutil.copy(stamp.parent / name, destination / name)
        gb.db.commit()


def _annotate(nb, result):
    """Say in the feedback what the independent check found, where it differs from the kernel's run."""
    for cell in nb.cells if result["kernel_scores"] else []:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        verdict = result["verdicts"].get(grade_id)
        if verdict is None or cell.cell_type != "code":
            continue
        kernel_failed = any(o.output_type == "error" for o in cell.outputs)
        if not verdict["passed"] and not kernel_failed:
            cell.outputs.append(nbformat.v4.new_output(
                "error", ename="CheckFailed", evalue="the grader's own run of this test failed",
                traceback=["The grader runs every test again, out of reach of the notebook's code. There:",
                           verdict["output"]]))
        elif verdict["passed"] and kernel_failed:
            cell.outputs.append(nbformat.v4.new_output(
                "stream", name="stdout", text="(The grader's own run of this test passed: full points.)\n"))
    if result["notes"]:
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(
            "**Note from the grader.** " + " ".join(n[0].upper() + n[1:] + "." for n in result["notes"])))
    return nb


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("submissions", nargs="?", help="folder of <student>/<lesson>/ (default: autograde/submitted)")
    parser.add_argument("--lessons", nargs="*", help="only these lessons")
    parser.add_argument("--students", nargs="*", help="only these students")
    parser.add_argument("--workers", type=int, default=max(1, (os.cpu_count() or 2) // 2),
                        help="submissions graded at once")
    parser.add_argument("--csv", help="the summary to write (default: autograde/grades.csv)")
    parser.add_argument("--run-notebooks", action="store_true",
                        help="also run every notebook whole in nbgrader, so that the feedback shows every output")
    args = parser.parse_args(argv)
    rows = grade_class(args.submissions, args.lessons, args.students, args.workers, args.csv,
                       run_notebooks=args.run_notebooks)
    return 2 if rows is None else 0


def grade_class(submissions=None, lessons=None, students=None, workers=1, csv_path=None, cfg=None,
                run_notebooks=False, cell_timeout=60):
    """Grade every submission found; see the module's docstring. Returns the summary rows."""
    started = time.time()
    cfg = cfg or nbgrader_course.config()
    root = Path(cfg.CourseDirectory.root)
    submissions = Path(submissions or root / cfg.CourseDirectory.submitted_directory)
    if not submissions.is_dir():
        print(f"no submissions folder: {submissions}", file=sys.stderr)
        return None
    found, problems = find_submissions(submissions, lessons, students)
    work = Path(tempfile.mkdtemp(prefix="backprop-grading-"))
    try:
        templates = prepare_lessons(sorted({lesson for _, lesson, _ in found}), cfg, work / "templates",
                                    gradebook=run_notebooks)
        # a copy of the gradebook as it is before any student's code runs
        backup = _backup_gradebook(cfg)
        before = _fingerprint(cfg)
        source = source_directory(cfg)
        jobs = [{"student": s, "lesson": lesson, "notebook": str(nb), "template": str(templates),
                 "source": str(source / lesson / f"{lesson}.ipynb"), "scratch": str(work / "submissions"),
                 "seed": grading_seed(s, lesson, cfg), "run_notebooks": run_notebooks,
                 "cell_timeout": cell_timeout} for s, lesson, nb in found]
        results = []
        with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
            for result in pool.map(grade_one, jobs):
                results.append(result)
                status = "could not grade" if result["error"] else "graded"
                print(f"{status}: {result['student']} / {result['lesson']}", flush=True)
        if backup and _fingerprint(cfg) != before:
            shutil.copy(backup, _db_path(cfg))
            print("WARNING: the gradebook changed while students' code ran; it was restored from " + str(backup))
        merge(results, cfg, {(s, lesson): nb for s, lesson, nb in found})
        feedback_problems = _feedback(results, cfg, workers)
        rows = _summary(results, problems, cfg, feedback_problems)
        csv_path = Path(csv_path or _db_path(cfg).parent / "grades.csv")
        with open(csv_path, "w", newline="") as f:
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


def _fingerprint(cfg):
    db = _db_path(cfg)
    return hashlib.sha256(db.read_bytes()).hexdigest() if db.exists() else None


def _feedback(results, cfg, workers=1):
    """nbgrader's HTML feedback for every graded submission, from the course gradebook (which
    is only read here), in `workers` processes: {(student, lesson): problem}."""
    jobs = [(r["student"], r["lesson"]) for r in results if not r["error"]]
    parts = [jobs[k::workers] for k in range(max(1, workers)) if jobs[k::workers]]
    problems = {}
    if len(parts) <= 1:
        for part in parts:
            problems.update(_feedback_part(cfg, part))
        return problems
    with concurrent.futures.ProcessPoolExecutor(max_workers=len(parts)) as pool:
        for done in pool.map(_feedback_part, [cfg] * len(parts), parts):
            problems.update(done)
    return problems


def _feedback_part(cfg, jobs):
    import warnings

    warnings.filterwarnings("ignore", message=".*not in session.*")  # nbgrader's SQLAlchemy use, harmless
    changed = copy.deepcopy(cfg)
    changed.GenerateFeedback.exporter_class = FeedbackExporter
    grader = nbgrader_course.api(changed)
    problems = {}
    for student, lesson in jobs:
        outcome = grader.generate_feedback(lesson, student, force=True)
        if not outcome["success"]:
            problems[(student, lesson)] = "feedback: " + (outcome["error"] or "")[-300:]
    return problems


class _CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates kept in memory, for every exporter of this process (each
    nbgrader run makes a new exporter, which would compile its templates again). A template
    whose source changed is compiled again: jinja checks the source's checksum."""

    def __init__(self):
        self.compiled = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class FeedbackExporter(HTMLExporter):
    """nbconvert's HTMLExporter, faster over many notebooks, for the same page:

    - without its BeautifulSoup pass over the finished page, which takes more than half the
      time of a feedback file: that pass gives images without alternative text a default one,
      done here on the text, and makes the input and output areas of the lab template
      focusable, which nbgrader's feedback template does not have;
    - its templates compiled once per process (_CompiledTemplates), not once per notebook;
    - a code cell's highlighted HTML kept for the next notebook with the same cell (a class
      hands in the same lesson many times).
    """

    IMAGE_WITHOUT_ALT = re.compile(r"<img(?![^>]*\salt\s*=)", re.IGNORECASE)
    compiled = _CompiledTemplates()
    highlighted = {}  # (source, language, lexer, options, magics language) -> HTML

    def _create_environment(self):
        environment = super()._create_environment()
        environment.bytecode_cache = self.compiled
        return environment

    def _remembered(self, highlight, lexer):
        options = repr(getattr(highlight, "extra_formatter_options", None))

        def highlight_code(source, language=None, metadata=None):
            key = (source, language, lexer, options, (metadata or {}).get("magics_language"))
            if key not in self.highlighted:
                if len(self.highlighted) > 20000:
                    self.highlighted.clear()
                self.highlighted[key] = highlight(source, language, metadata)
            return self.highlighted[key]

        return highlight_code

    def from_notebook_node(self, nb, resources=None, **kw):
        try:
            from nbconvert.exporters.html import Highlight2HTML, WidgetsDataTypeFilter

            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight_code = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            resources = self._init_resources(resources)
            filter_data_type = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self,
                                                     resources=resources)
        except (ImportError, AttributeError):  # another nbconvert than this was written for: its own way
            return super().from_notebook_node(nb, resources, **kw)
        if "highlight_code" not in self.filters:  # (nbconvert's own highlighter, whose output depends only on these)
            highlight_code = self._remembered(highlight_code, lexer)
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return self.IMAGE_WITHOUT_ALT.sub('<img alt="No description has been provided for this image"', html), \
            resources


def _summary(results, problems, cfg, feedback_problems):
    from nbgrader.api import Gradebook, MissingEntry

    rows = []
    with Gradebook(cfg.CourseDirectory.db_url) as gb:
        for r in sorted(results, key=lambda r: (r["student"], r["lesson"])):
            row = {"student": r["student"], "lesson": r["lesson"], "score": "", "max_score": "", "seconds_late": "",
                   "status": "graded", "problem": "", "notes": "; ".join(r["notes"])}
            if r["error"]:
                row.update(status="could not grade", problem=r["error"].splitlines()[0][:300])
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
                     "status": "could not grade", "problem": problem, "notes": ""})
    return rows


if __name__ == "__main__":
    import warnings

    warnings.filterwarnings("ignore", message=".*not in session.*")  # nbgrader's SQLAlchemy use, harmless
    sys.exit(main())
