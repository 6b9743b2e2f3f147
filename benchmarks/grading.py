"""2. Grading: one student's whole course, a class of N synthetic students, and the floor.

Each synthetic student hands in every graded lesson (01-10): the released notebook with
each exercise answered by the solution, left blank, or answered wrongly (the solution with
one operator swapped), drawn at random per student and exercise (about 60/20/20). The class
is graded with the one command's function, grade.grade_class(), in a course of its own
(its own gradebook, feedback and CSV), with its phases timed: preparing the lessons,
grading the submissions in parallel, merging into the gradebook, the HTML feedback, the
summary.

The floor: nbgrader autograding a trivial notebook (one answer cell, one test cell),
with the course's configuration: nbgrader's pipeline and a sandbox's start, per submission.
"""

import contextlib
import functools
import io
import random
import re
import shutil
import time
from pathlib import Path

import nbformat

from benchmarks.measure import ROOT, Clock, summary

SCRATCH = ROOT / "benchmarks" / ".scratch"  # not under /tmp: nothing else searching /tmp finds it
PHASES = ("_prepare_lessons", "_merge", "_feedback", "_summary")


def graded_lessons():
    return [p.name for p in sorted((ROOT / "solutions").iterdir())
            if (p / f"{p.name}.ipynb").is_file() and "### BEGIN SOLUTION" in (p / f"{p.name}.ipynb").read_text()]


def _grade_id(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


_SWAPS = [(" - ", " + "), (" * ", " / "), (" + ", " - "), ("@", "*")]


def wrong(source):
    """A plausible wrong answer: the solution with its first -, *, + or @ swapped (None if none)."""
    for old, new in _SWAPS:
        if old in source:
            return source.replace(old, new, 1)
    return None


def strip_solution_markers(source):
    return re.sub(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", "", source, flags=re.MULTILINE)


def submission(lesson, rng, mix=(0.6, 0.2, 0.2)):
    """A student's notebook of `lesson` and the kinds of answer in it {grade_id: kind}."""
    released = nbformat.read(ROOT / "lessons" / lesson / f"{lesson}.ipynb", as_version=4)
    solution = {_grade_id(c): c for c in nbformat.read(ROOT / "solutions" / lesson / f"{lesson}.ipynb",
                                                          as_version=4).cells if _grade_id(c)}
    kinds = {}
    for cell in released.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if not meta.get("solution") or cell.cell_type != "code":
            continue
        kind = rng.choices(["solution", "blank", "wrong"], weights=mix)[0]
        answer = strip_solution_markers(solution[meta["grade_id"]].source)
        if kind == "solution":
            cell.source = answer
        elif kind == "wrong":
            changed = wrong(answer)
            kind, cell.source = ("wrong", changed) if changed else ("blank", cell.source)
        kinds[meta["grade_id"]] = kind
    return released, kinds


def make_class(folder, students, lessons, seed=0, mix=(0.6, 0.2, 0.2)):
    """Write <student>/<lesson>/<lesson>.ipynb for a synthetic class; the count of each kind of answer."""
    counts = {"solution": 0, "blank": 0, "wrong": 0}
    for k in range(students):
        rng = random.Random(f"{seed}/{k}")
        for lesson in lessons:
            nb, kinds = submission(lesson, rng, mix)
            target = folder / f"student{k:03d}" / lesson
            target.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, target / f"{lesson}.ipynb")
            for kind in kinds.values():
                counts[kind] += 1
    return counts


def course_config(root):
    from autograde import nbgrader_course

    root = Path(root)
    return nbgrader_course.config(**{
        "CourseDirectory.root": str(root), "CourseDirectory.source_directory": str(ROOT / "solutions"),
        "CourseDirectory.release_directory": str(root / "release"),
        "CourseDirectory.submitted_directory": "submitted", "CourseDirectory.autograded_directory": "autograded",
        "CourseDirectory.feedback_directory": "feedback", "CourseDirectory.solution_directory": "solution",
        "CourseDirectory.db_url": f"sqlite:///{root / 'gradebook.db'}", "Exchange.root": str(root / "exchange"),
    })


def grade_a_class(name, students, lessons, workers, mix=(0.6, 0.2, 0.2)):
    """Make and grade a class; its timings, phases and what it scored."""
    from autograde import grade

    root = SCRATCH / name
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    counts = make_class(root / "submitted", students, lessons, mix=mix)
    cfg = course_config(root)
    phases = {}

    def timed(function, label):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with Clock() as clock:
                result = function(*args, **kwargs)
            wall, cpu = phases.get(label, (0.0, 0.0))
            phases[label] = (wall + clock.wall, cpu + clock.cpu)
            return result
        return wrapper

    originals = {p: getattr(grade, p) for p in PHASES}
    for p in PHASES:
        setattr(grade, p, timed(originals[p], p))
    log = io.StringIO()
    try:
        with Clock() as clock, contextlib.redirect_stdout(log):
            rows = grade.grade_class(root / "submitted", workers=workers, cfg=cfg, csv_path=root / "grades.csv")
    finally:
        for p, f in originals.items():
            setattr(grade, p, f)
    submissions = students * len(lessons)
    graded = [r for r in rows if r["status"] == "graded"]
    phase_names = {"_prepare_lessons": "prepare lessons", "_merge": "merge into the gradebook",
                   "_feedback": "HTML feedback", "_summary": "summary"}
    phases_cpu = {phase_names[k]: round(v[1], 2) for k, v in phases.items()}
    phases = {phase_names[k]: round(v[0], 2) for k, v in phases.items()}
    phases["grade submissions (parallel)"] = round(clock.wall - sum(phases.values()), 2)
    phases_cpu["grade submissions (parallel)"] = round(clock.cpu - sum(phases_cpu.values()), 2)
    prepare_wall, prepare_cpu = phases["prepare lessons"], phases_cpu["prepare lessons"]
    result = {
        "students": students, "lessons": len(lessons), "submissions": submissions, "workers": workers,
        "answers": counts, "graded": len(graded), "not_graded": [f"{r['student']}/{r['lesson']}: {r['problem']}"
                                                                 for r in rows if r["status"] != "graded"][:10],
        "points": round(sum(float(r["score"] or 0) for r in graded), 1),
        "max_points": round(sum(float(r["max_score"] or 0) for r in graded), 1),
        "wall": round(clock.wall, 2), "cpu": round(clock.cpu, 2),
        "wall_per_student": round(clock.wall / students, 3), "cpu_per_submission": round(clock.cpu / submissions, 3),
        "wall_per_submission": round(clock.wall / submissions, 3), "phases_wall": phases, "phases_cpu": phases_cpu,
        # beyond the fixed cost of preparing the lessons, once per run:
        "prepare_wall": prepare_wall, "prepare_cpu": prepare_cpu,
        "wall_per_submission_beyond_prepare": round((clock.wall - prepare_wall) / submissions, 3),
        "cpu_per_submission_beyond_prepare": round((clock.cpu - prepare_cpu) / submissions, 3),
    }
    shutil.rmtree(root, ignore_errors=True)
    return result


TRIVIAL = [("answer", "x = None\n### BEGIN SOLUTION\nx = 1\n### END SOLUTION",
            {"solution": True, "grade": False, "locked": False}),
           ("test_answer", "assert x == 1", {"solution": False, "grade": True, "locked": True, "points": 1})]


def nbgrader_floor(submissions=3):
    """Seconds per submission for `nbgrader autograde` of a trivial notebook, with the course's configuration
    (nbgrader's pipeline and a sandbox's start)."""
    from autograde import nbgrader_course

    root = SCRATCH / "trivial"
    shutil.rmtree(root, ignore_errors=True)
    (root / "source" / "trivial").mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    for grade_id, source, meta in TRIVIAL:
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["nbgrader"] = {"grade_id": grade_id, "schema_version": 3, **meta}
        nb.cells.append(cell)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "source" / "trivial" / "trivial.ipynb")
    cfg = course_config(root)
    cfg.CourseDirectory.source_directory = str(root / "source")
    api = nbgrader_course.api(cfg)
    assert api.generate_assignment("trivial", force=True)["success"]
    released = nbformat.read(root / "release" / "trivial" / "trivial.ipynb", as_version=4)
    walls, cpus = [], []
    for k in range(submissions):
        student = f"s{k}"
        target = root / "submitted" / student / "trivial"
        target.mkdir(parents=True)
        nbformat.write(released, target / "trivial.ipynb")
        with Clock() as clock:
            outcome = api.autograde("trivial", student, force=True, create=True)
        if not outcome["success"]:
            raise RuntimeError(f"nbgrader autograde failed: {outcome['error']}")
        walls.append(clock.wall)
        cpus.append(clock.cpu)
    shutil.rmtree(root, ignore_errors=True)
    return {"submissions": submissions, "wall": summary(walls), "cpu": summary(cpus)}


def run(entry, class_size=30, workers=2, lessons=None, floor_submissions=3, target_students=100):
    import warnings

    warnings.filterwarnings("ignore", message=".*not in session.*")
    lessons = lessons or graded_lessons()
    started = time.perf_counter()
    entry["one_student"] = grade_a_class("one", 1, lessons, workers, mix=(1.0, 0.0, 0.0))
    print(f"  grading: one student, {len(lessons)} lessons: {entry['one_student']['wall']:.1f} s", flush=True)
    entry["class"] = grade_a_class("class", class_size, lessons, workers) if class_size > 1 else entry["one_student"]
    c = entry["class"]
    print(f"  grading: {class_size} students: {c['wall']:.1f} s wall, {c['cpu']:.1f} s CPU", flush=True)
    entry["nbgrader_floor"] = nbgrader_floor(floor_submissions)
    print(f"  grading: nbgrader floor {entry['nbgrader_floor']['wall']['median']:.2f} s per submission", flush=True)
    # a class of target_students: the fixed part (preparing the lessons) plus the per-student part, measured
    fixed, fixed_cpu = c["prepare_wall"], c["prepare_cpu"]
    per_student_wall = (c["wall"] - fixed) / c["students"]
    per_student_cpu = (c["cpu"] - fixed_cpu) / c["students"]
    entry["projection"] = {
        "students": target_students,
        "measured_students": c["students"],
        "wall": round(fixed + per_student_wall * target_students, 1),
        "cpu_bound": round(fixed_cpu + per_student_cpu * target_students / workers, 1),
        "how": (f"wall: preparing the lessons ({fixed:.1f} s) + {target_students} x the measured wall time per "
                f"student beyond it; CPU-bound: its CPU ({fixed_cpu:.1f} s) + {target_students} x the CPU time per "
                f"student / {workers} workers, the wall time on an otherwise idle machine with {workers} cores"),
    }
    entry["lessons"] = lessons
    entry["seconds"] = round(time.perf_counter() - started, 1)
    return entry
