"""What the class got wrong (python -m autograde.report) and grades out to the LMS (nbgrader export with
autograde.lms): a synthetic class graded for real, its counts read back from the pages, the pages looked at in
Chromium, the grades read back by a reader of each LMS's layout; and the small cases, each on its own."""

import contextlib
import csv
import html.parser
import importlib
import inspect
import io
import json
import os
import random
import re
import subprocess
import sys
import types
import warnings
from collections import Counter
from pathlib import Path

import nbformat
import pytest
from browser import copy_repository
from conftest import ROOT, SHOTS

from autograde.causes import UNNAMED, CausesBook, Result

LESSONS = ("01_one_neuron", "06_softmax_classifier")
STUDENTS = 100
MIX = {"full": 0.45, "blank": 0.2, "mistake": 0.25, "unnamed": 0.1}
BLANK = "course.not-written"

# wrong answers no catalogue entry explains (checked below: they fail every test of their exercise, unnamed)
UNNAMED_ANSWERS = {
    "neuron_forward": "def neuron_forward(x, w, b):\n    return sigmoid(w * x + b) + 0.01\n",
    "neuron_gradients": ("def neuron_gradients(x, w, b, y):\n    a = sigmoid(w * x + b)\n"
                         "    d = 2 * (a - y) * a * (1 - a)\n    return d * x + 0.01, d\n"),
    "softmax": "def softmax(z):\n    return z ** 2 / np.sum(z ** 2, axis=1, keepdims=True)\n",
    "softmax_ce": None,             # (made from the solution below)
    "two_layer_classifier": None,
}


# ---------------------------------------------------------------------------------------------
# submissions: right, blank, a catalogue mistake put in as code, or a wrong answer no entry explains


def _cells(lesson, folder):
    nb = nbformat.read(ROOT / folder / lesson / f"{lesson}.ipynb", as_version=4)
    return nb, {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if c.get("metadata", {}).get("nbgrader",
                                                                                                        {}).get("solution")}


def _solution(lesson, exercise):
    source = _cells(lesson, "solutions")[1][exercise].source
    return re.sub(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", "", source, flags=re.MULTILINE)


def _code_objects(code):
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_objects(const)


def as_student_code(version, name):
    """A catalogue mistake's buggy version as the code a student would write in the answer cell: its source with
    the reference's name, after the helpers of its module it calls and the imports it needs; None when it cannot
    stand alone (a closure, a class, or a call into the course's reference, which the grader does not provide)."""
    if not inspect.isfunction(version) or version.__code__.co_freevars:
        return None
    module = sys.modules[version.__module__]
    helpers, imports, seen = [], [], set()

    def visit(function):
        for code in _code_objects(function.__code__):
            for global_name in code.co_names:
                if global_name in seen or global_name not in vars(module):
                    continue
                seen.add(global_name)
                value = vars(module)[global_name]
                if isinstance(value, types.ModuleType):
                    if value.__name__.startswith("backprop"):
                        return False
                    imports.append(f"import {value.__name__} as {global_name}")
                elif inspect.isfunction(value) and value.__module__ == module.__name__:
                    if value.__code__.co_freevars or visit(value) is False:
                        return False
                    helpers.append(inspect.getsource(value))
                elif inspect.isfunction(value) and value.__module__.startswith("backprop.") and \
                        not value.__module__.startswith("backprop.reference"):
                    imports.append(f"from {value.__module__} import {value.__name__} as {global_name}")
                else:
                    return False
        return True

    if visit(version) is False:
        return None
    source = re.sub(rf"^def {re.escape(version.__name__)}\(", f"def {name}(", inspect.getsource(version), count=1)
    return "\n".join(imports) + "\n\n" + "\n\n".join(helpers + [source])


def _named(lesson, answers):
    """The lesson's visible test cells, run here as in the student's notebook with these answer cells: {test:
    None if it passed, else the ids of the causes its check named}."""
    sys.path.insert(0, str(ROOT / "tests" / "corpus"))
    from harness import _definitions_only

    from backprop import checks

    nb, _ = _cells(lesson, "lessons")
    namespace, outcome = {"__name__": "__main__"}, {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {})
        source = answers.get(meta.get("grade_id"), cell.source) if meta.get("solution") else (
            cell.source if meta.get("grade") else _definitions_only(cell.source))
        try:
            with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                exec(compile(source, f"<{meta.get('grade_id', 'cell')}>", "exec"), namespace)  # noqa: S102
        except checks.CheckFailed as failure:
            outcome[meta.get("grade_id")] = [c.id for c in failure.causes]
        except Exception as exc:  # noqa: BLE001
            outcome[meta.get("grade_id")] = [f"raised {type(exc).__name__}"]
        else:
            if meta.get("grade"):
                outcome[meta["grade_id"]] = None
    return outcome


def _exercise_tests(lesson):
    tests, current = {}, None
    for cell in _cells(lesson, "lessons")[0].cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution"):
            current = meta["grade_id"]
            tests[current] = []
        elif meta.get("grade"):
            tests[current].append((meta["grade_id"], float(meta["points"])))
    return tests


def answer_pool(lesson):
    """{exercise: {kind: source}}: for every exercise its solution ("full"), its stub ("blank"), a wrong answer no
    catalogue entry explains ("unnamed"), and every mistake of the catalogue that stands alone as code (its id);
    each checked here to do exactly that: the solution passes, and every test of the exercise fails naming only
    course.not-written, nothing, or that mistake."""
    from backprop import reference
    from backprop.mistakes import known_for

    _, released = _cells(lesson, "lessons")
    tests = _exercise_tests(lesson)
    solutions = {exercise: _solution(lesson, exercise) for exercise in tests}
    unnamed = dict(UNNAMED_ANSWERS)
    if lesson == "06_softmax_classifier":
        unnamed["softmax_ce"] = solutions["softmax_ce"].replace("return float(loss), ", "return float(loss) + 0.1, ")
        unnamed["two_layer_classifier"] = solutions["two_layer_classifier"].replace(
            "scores = a1 @ W2 + b2", "scores = 1.5 * (a1 @ W2) + b2")
    pool = {}
    for exercise in tests:
        candidates = {"full": solutions[exercise], "blank": released[exercise].source, "unnamed": unnamed[exercise]}
        function = getattr(reference, exercise, None)
        if inspect.isfunction(function):
            for mistake in known_for(function):
                code = as_student_code(mistake.versions[0], exercise)
                if code:
                    candidates[mistake.id] = code
        pool[exercise] = {}
        for kind, source in candidates.items():
            outcome = _named(lesson, {**solutions, exercise: source})
            mine = [outcome[test] for test, _ in tests[exercise]]
            others = [outcome[test] for other in tests if other != exercise for test, _ in tests[other]]
            assert all(o is None for o in others), (exercise, kind, outcome)
            expected = None if kind == "full" else [BLANK] if kind == "blank" else [] if kind == "unnamed" else [kind]
            if all(o == expected for o in mine):
                pool[exercise][kind] = source
            else:
                assert kind not in ("full", "blank", "unnamed"), (exercise, kind, mine)  # the test's own answers
    return pool, tests


def make_class(folder, pools, seed=19):
    """Write <student>/<lesson>/<lesson>.ipynb for STUDENTS students; what was planted {(student, lesson,
    exercise): kind} (kind "full", "blank", "unnamed" or a mistake's id)."""
    rng = random.Random(seed)
    planted = {}
    for k in range(STUDENTS):
        student = f"student{k:03d}"
        for lesson in LESSONS:
            pool, _ = pools[lesson]
            nb, answer_cells = _cells(lesson, "lessons")
            for exercise, cell in answer_cells.items():
                kind = rng.choices(list(MIX), weights=list(MIX.values()))[0]
                mistakes = sorted(k for k in pool[exercise] if k not in ("full", "blank", "unnamed"))
                if kind == "mistake":
                    kind = rng.choice(mistakes) if mistakes else "unnamed"
                cell.source = pool[exercise][kind]
                planted[(student, lesson, exercise)] = kind
            target = folder / student / lesson
            target.mkdir(parents=True)
            nbformat.write(nb, target / f"{lesson}.ipynb")
    return planted


def _run(args, cwd, env, timeout=1800):
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A copy of the course, a class of STUDENTS students handing in LESSONS, graded with python -m
    autograde.grade, and the report written with python -m autograde.report."""
    pools = {lesson: answer_pool(lesson) for lesson in LESSONS}
    course = copy_repository(ROOT, tmp_path_factory.mktemp("course") / "backprop")
    planted = make_class(course / "autograde" / "submitted", pools)
    env = {**os.environ, "PYTHONPATH": str(course), "PATH": f"{Path(sys.executable).parent}{os.pathsep}"
           f"{os.environ['PATH']}"}
    _run([sys.executable, "-m", "autograde.grade", "--lessons", *LESSONS, "--workers", "2"], course, env)
    report = course / "class-report"
    _run([sys.executable, "-m", "autograde.report", "--out", str(report)], course, env, timeout=300)
    return {"course": course, "env": env, "planted": planted, "pools": pools, "report": report}


# ---------------------------------------------------------------------------------------------
# reading the pages as data


class _Page(html.parser.HTMLParser):
    """Every element's data-* attributes, in order, with the section (data-exercise) each is in; the img tags;
    every href and src; whether a script is there."""

    def __init__(self, text):
        super().__init__()
        self.sections, self.rows, self.images, self.links, self.scripts = [], [], [], [], 0
        self._section = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "section" and "data-exercise" in attrs:
            self._section = attrs
            self.sections.append(attrs)
        if tag == "tr" and ("data-cause" in attrs or "data-unnamed-students" in attrs):
            self.rows.append((self._section, attrs))
        if tag == "img":
            self.images.append(attrs)
        for key in ("href", "src"):
            if key in attrs:
                self.links.append(attrs[key])


def _expected(planted, lesson):
    """{exercise: Counter of kinds} planted in a lesson."""
    counts = {}
    for (_, their_lesson, exercise), kind in planted.items():
        if their_lesson == lesson:
            counts.setdefault(exercise, Counter())[kind] += 1
    return counts


# ---------------------------------------------------------------------------------------------
# the synthetic class, graded for real


def test_the_class_is_graded_and_every_planted_answer_scores_as_planted(graded):
    with open(graded["course"] / "autograde" / "grades.csv") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == STUDENTS * len(LESSONS) and {r["status"] for r in rows} == {"graded"}, rows[:3]
    for row in rows:
        tests = graded["pools"][row["lesson"]][1]
        expected = sum(points for exercise, cells in tests.items() for _, points in cells
                       if graded["planted"][(row["student"], row["lesson"], exercise)] == "full")
        assert float(row["score"]) == expected, row


def test_the_causes_book_records_every_test_cell_as_planted(graded):
    """RecordCauses, through python -m autograde.grade: a row per test cell of every submission, with the
    exercise it checks, its points, and the cause: none for a right answer, course.not-written for a blank,
    "unnamed" with the failure's first line for an answer no entry explains, the mistake planted otherwise."""
    results = CausesBook(graded["course"] / "autograde" / "causes.db").results()
    assert len(results) == STUDENTS * sum(len(cells) for lesson in LESSONS
                                          for cells in graded["pools"][lesson][1].values())
    for r in results:
        kind = graded["planted"][(r.student, r.lesson, r.exercise)]
        assert r.route == "class" and r.graded_at and r.max_points > 0
        assert r.passed == (kind == "full") and r.points == (r.max_points if r.passed else 0), r
        ids = [cause for cause, _ in r.causes]
        if kind == "full":
            assert ids == [] and r.failure == ""
        elif kind in ("blank", "unnamed"):
            assert ids == [{"blank": BLANK, "unnamed": UNNAMED}[kind]], r
            assert kind == "blank" or r.causes[0][1] == r.failure and "does not agree" in r.failure, r
        else:
            assert ids == [kind], r


def _graded_by_nbgrader(root, submitted, students, lesson, settings):
    """These students' submissions graded one by one with nbgrader's own autograde (what `nbgrader autograde` and
    the formgrader's button run) on the course's configuration, in a scratch course at root, with the settings
    the route changes; the causes book it wrote (beside its gradebook)."""
    import shutil

    from autograde import nbgrader_course
    from autograde.generate import generate

    for student in students:
        shutil.copytree(submitted / student / lesson, root / "submitted" / student / lesson)
    cfg = nbgrader_course.config(**{
        "CourseDirectory.root": str(root), "CourseDirectory.source_directory": str(ROOT / "solutions"),
        "CourseDirectory.release_directory": str(root / "lessons"),
        "CourseDirectory.submitted_directory": "submitted", "CourseDirectory.autograded_directory": "autograded",
        "CourseDirectory.feedback_directory": "feedback",
        "CourseDirectory.db_url": f"sqlite:///{root / 'gradebook.db'}", "Exchange.root": str(root / "exchange")})
    for key, value in settings.items():
        section, name = key.split(".")
        cfg[section][name] = value
    generate([lesson], cfg, write_sources=False)
    api = nbgrader_course.api(cfg)
    for student in students:
        assert api.autograde(lesson, student, force=True, create=True)["success"], student
    return CausesBook(root / "causes.db")


def test_every_grading_route_records_what_the_class_command_records(graded, tmp_path):
    """The same submissions graded by nbgrader's own autograde and by the route of a student's own feedback (its
    settings, as backprop.course changes them) leave the same rows in their causes books as the class command
    did: every test cell, its points, and the same causes in the same words; each row says which route wrote it."""
    from autograde import isolation
    from backprop import course

    lesson = "01_one_neuron"
    chosen, seen = [], set()
    for (student, their_lesson, exercise), kind in sorted(graded["planted"].items()):
        kind = kind if kind in ("full", "blank", "unnamed") else "mistake"
        if their_lesson == lesson and (exercise, kind) not in seen:
            seen.add((exercise, kind))
            if student not in chosen:
                chosen.append(student)
    assert {kind for _, kind in seen} == {"full", "blank", "unnamed", "mistake"} and len(chosen) <= 8, seen

    def rows(book):
        return {(r.student, r.test): (r.exercise, r.points, r.max_points, r.passed, r.failure, sorted(r.causes))
                for r in book.results([lesson]) if r.student in chosen}

    by_class = rows(CausesBook(graded["course"] / "autograde" / "causes.db"))
    assert len(by_class) == len(chosen) * sum(len(cells) for cells in graded["pools"][lesson][1].values())
    level = "users" if os.geteuid() == 0 else isolation.engine("namespaces").level
    own = {k: v for k, v in course.own_settings().items() if not k.startswith("CourseDirectory.")}
    for route, settings in (("nbgrader", {"VerifyTests.isolation": level}), ("own feedback", own)):
        book = _graded_by_nbgrader(tmp_path / route.replace(" ", "-"), graded["course"] / "autograde" / "submitted",
                                   chosen, lesson, settings)
        assert rows(book) == by_class, route
        assert {r.route for r in book.results()} == {route}


def test_the_pages_count_what_was_planted(graded):
    planted = graded["planted"]
    kinds = Counter(planted.values())
    assert kinds["full"] and kinds["blank"] and kinds["unnamed"], kinds
    mistakes = {k for k in kinds if k not in ("full", "blank", "unnamed")}
    assert len(mistakes) >= 8, mistakes  # (a realistic mix: many of the catalogue's mistakes, in both lessons)
    assert {m[:3] for m in mistakes} == {"l01", "l06"}
    for lesson in LESSONS:
        page = _Page((graded["report"] / f"{lesson}.html").read_text())
        expected = _expected(planted, lesson)
        assert [s["data-exercise"] for s in page.sections] == list(graded["pools"][lesson][1])  # the lesson's order
        for section in page.sections:
            counts = expected[section["data-exercise"]]
            assert int(section["data-submitted"]) == STUDENTS
            assert int(section["data-full"]) == counts["full"], (section, counts)
            assert int(section["data-blank"]) == counts["blank"], (section, counts)
            assert int(section["data-unnamed"]) == counts["unnamed"], (section, counts)
            causes = {attrs["data-cause"]: int(attrs["data-students"]) for s, attrs in page.rows
                      if s is section and "data-cause" in attrs}
            assert causes == {k: v for k, v in counts.items() if k not in ("full", "blank", "unnamed")}
            ranked = [int(attrs["data-students"]) for s, attrs in page.rows if s is section and "data-cause" in attrs]
            assert ranked == sorted(ranked, reverse=True)
        assert page.scripts == 0
    course = _Page((graded["report"] / "index.html").read_text())
    totals = Counter(k for k in planted.values() if k not in ("full", "blank", "unnamed"))
    shown = [(attrs["data-cause"], int(attrs["data-students"])) for _, attrs in course.rows]
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))  # most students first, then by id
    assert shown == ranked[:15]  # the course's most common mistakes, counted and ranked right


def test_the_pages_open_offline_name_no_student_and_describe_their_figures(graded):
    report = graded["report"]
    for path in [report / "index.html", *(report / f"{lesson}.html" for lesson in LESSONS)]:
        text = path.read_text()
        page = _Page(text)
        assert page.scripts == 0 and "<link" not in text
        assert not [u for u in page.links if re.match(r"(https?:)?//", u)], path
        assert page.images and all(i["src"].startswith("data:image/svg+xml;base64,") for i in page.images)
        assert all(len(i["alt"]) > 80 and re.search(r"\d", i["alt"]) for i in page.images)
        assert "student0" not in text, path  # no student id anywhere
        for link in page.links:
            if not link.startswith("data:"):
                target, _, anchor = link.partition("#")
                linked = (report / target).read_text()
                assert not anchor or f'id="{anchor}"' in linked, link
    first = _Page((report / f"{LESSONS[0]}.html").read_text()).images[0]["alt"]
    counts = _expected(graded["planted"], LESSONS[0])["neuron_forward"]
    assert f"{counts['full']} students got full marks" in first and f"blank: {counts['blank']} students" in first
    # the lesson text a cause links to is the student version: no solution, no hidden test
    text = (report / "text" / "06_softmax_classifier.html").read_text()
    assert "BEGIN HIDDEN TESTS" not in text and "shifted = z - z.max(axis=1, keepdims=True)" not in text
    assert 'id="stability-subtract-the-maximum"' in text


def test_with_names_the_pages_say_who(graded):
    out = graded["course"] / "named-report"
    _run([sys.executable, "-m", "autograde.report", "--names", "--lessons", LESSONS[0], "--out", str(out)],
         graded["course"], graded["env"], timeout=300)
    text = (out / f"{LESSONS[0]}.html").read_text()
    blanks = sorted(s for (s, lesson, e), kind in graded["planted"].items()
                    if lesson == LESSONS[0] and e == "neuron_forward" and kind == "blank")
    assert ", ".join(blanks) in text


def test_the_report_pages_in_chromium(graded, page):
    """Photographs of the pages, as an instructor sees them (tests/artifacts/browser/report-*.png)."""
    report = graded["report"]
    page.goto((report / "index.html").as_uri())
    heat_map = page.locator("figure img").first
    assert heat_map.evaluate("img => img.complete && img.naturalWidth > 0")
    page.screenshot(path=str(SHOTS / "report-course.png"))
    page.goto((report / "06_softmax_classifier.html").as_uri())
    images = page.locator("figure img")
    assert images.count() == 3 and all(images.nth(k).evaluate("img => img.naturalWidth > 0") for k in range(3))
    page.screenshot(path=str(SHOTS / "report-lesson-06.png"))
    page.locator("#exercise-softmax table.causes").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "report-lesson-06-causes.png"))
    link = page.locator("#exercise-softmax table.causes a").first
    words = link.inner_text()
    link.click()
    page.wait_for_load_state()
    assert page.url.startswith((report / "text" / "06_softmax_classifier.html").as_uri() + "#")
    target = page.locator(f"[id='{page.url.split('#', 1)[1]}']")
    assert target.inner_text().strip() == words.strip() and target.is_visible()
    page.screenshot(path=str(SHOTS / "report-lesson-06-text.png"))


# ---------------------------------------------------------------------------------------------
# grades out to the LMS: nbgrader export with the course's exporters, read back as each LMS reads them


def read_canvas(path):
    """A Canvas gradebook CSV as Canvas's importer reads it (its GradebookImporter's rules): the header starts
    Student, ID, [SIS User ID,] [SIS Login ID,] ..., Section; a column "Title (id)" names an assignment by id, a
    bare title a new one; a row starting "Points Possible" gives their points; a student is found by ID, else SIS
    User ID, else SIS Login ID, else name. {"points": {title: points}, "grades": {key: {title: score or None}}}"""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    assert "Student" in header[0] and "ID" in header[1] and len(header) > 3, header
    columns, ids = 3, {}
    if re.search(r"SIS\s+Login\s+ID", header[2]):
        ids["login"], columns = 2, 4
    elif re.search(r"SIS\s+User\s+ID", header[2]) and re.search(r"SIS\s+Login\s+ID", header[3]):
        ids["sis"], ids["login"], columns = 2, 3, 5
    assert "Section" in header[columns - 1], header
    titles = [re.fullmatch(r"(.*?)(?: \((\d+)\))?", h).group(1) for h in header[columns:]]
    points, grades = {}, {}
    for row in rows[1:]:
        if "Points Possible" in row[0]:
            points = {t: float(v) for t, v in zip(titles, row[columns:]) if v}
            continue
        key = row[1] or (row[ids["sis"]] if "sis" in ids else "") or (row[ids["login"]] if ids else "") or row[0]
        grades[key] = {t: float(v) if v.strip() else None for t, v in zip(titles, row[columns:])}
    return {"points": points, "grades": grades, "header": header}


def read_moodle(path, map_from="Username"):
    """A CSV as Moodle's grade import reads it: the column the user is mapped from ("Map from: Username", "Map
    to: username"), every other column a grade item; a grade a number, or blank. {username: {item: score}}"""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        items = [c for c in reader.fieldnames if c not in ("First name", "Last name", "Username", "Email address")]
        return {row[map_from]: {i: float(row[i]) if row[i].strip() else None for i in items} for row in reader}


def read_blackboard(path):
    """A Grade Center upload as Blackboard reads it: every field quoted, the row's key the Username column,
    a grade column "Name [Total Pts: N Score]" with " |id" for an existing column.
    {"points": {name: points}, "grades": {username: {name: score}}}"""
    text = Path(path).read_text(encoding="utf-8")
    for line in text.splitlines():
        assert re.fullmatch(r'"[^"]*"(,"[^"]*")*', line), line  # every field in quotes
    rows = list(csv.reader(text.splitlines()))
    header, key = rows[0], rows[0].index("Username")
    columns = {}
    for k, h in enumerate(header):
        found = re.fullmatch(r"(.+?) \[Total Pts: ([\d.]+) Score\](?: \|(\d+))?", h)
        if found:
            columns[k] = (found.group(1), float(found.group(2)))
    return {"points": dict(columns.values()),
            "grades": {row[key]: {name: float(row[k]) if row[k] else None for k, (name, _) in columns.items()}
                       for row in rows[1:]}}


def _export(graded, exporter, *options):
    out = graded["course"] / "autograde" / f"{exporter}.csv"
    _run(["nbgrader", "export", f"--exporter=autograde.lms.{exporter}", f"--to={out}", *options],
         graded["course"] / "autograde", graded["env"], timeout=600)
    return out


def test_grades_go_out_in_each_lms_layout_and_read_back_the_same(graded):
    with open(graded["course"] / "autograde" / "grades.csv") as f:
        expected = {}
        for row in csv.DictReader(f):
            expected.setdefault(row["student"], {})[row["lesson"]] = float(row["score"])
    points = {lesson: sum(p for cells in graded["pools"][lesson][1].values() for _, p in cells) for lesson in LESSONS}
    # a student on the roster who handed nothing in, with a name: 0 in every lesson (as nbgrader's own export)
    gradebook = ["nbgrader", "db", "student"]
    _run([*gradebook, "add", "zoe", "--first-name=Zoë", "--last-name=Ng, Jr", "--lms-user-id=10231"],
         graded["course"] / "autograde", graded["env"], timeout=300)
    expected["zoe"] = {lesson: 0.0 for lesson in LESSONS}
    try:
        _check_exports(graded, expected, points)
    finally:
        _run([*gradebook, "remove", "zoe", "--force"], graded["course"] / "autograde", graded["env"], timeout=300)


def _check_exports(graded, expected, points):
    canvas = read_canvas(_export(graded, "CanvasExport"))
    zoe = {k: v for k, v in expected.items() if k != "zoe"} | {"10231": expected["zoe"]}  # (found by her ID)
    assert canvas["points"] == points and canvas["grades"] == zoe
    assert canvas["header"][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    with open(graded["course"] / "autograde" / "CanvasExport.csv", newline="", encoding="utf-8") as f:
        assert ["Ng, Jr, Zoë", "10231", "", "zoe", ""] in [row[:5] for row in csv.reader(f)]
    assert read_moodle(_export(graded, "MoodleExport")) == expected
    blackboard = read_blackboard(_export(graded, "BlackboardExport"))
    assert blackboard["points"] == points and blackboard["grades"] == expected
    # nbgrader's own options work as with its own exporter: some lessons, some students, existing columns
    some = read_canvas(_export(graded, "CanvasExport", f"--assignment={LESSONS[0]}", "--student=student007",
                               "--student=student042", f"--CanvasExport.assignment_ids={LESSONS[0]}=1234"))
    assert some["header"][5:] == [f"{LESSONS[0]} (1234)"]
    assert some["grades"] == {s: {LESSONS[0]: expected[s][LESSONS[0]]} for s in ("student007", "student042")}
    percent = read_moodle(_export(graded, "MoodleExport", "--LmsExport.percent=True", "--LmsExport.missing="))
    assert percent["student007"] == {lesson: round(100 * expected["student007"][lesson] / points[lesson], 2)
                                     for lesson in LESSONS}
    assert percent["zoe"] == {lesson: None for lesson in LESSONS}  # (left blank, as asked)


# ---------------------------------------------------------------------------------------------
# the small cases


def _result(student, lesson, test, exercise, passed, causes=(), points=2.0, failure="f does not agree"):
    return Result(student, lesson, test, exercise, points if passed else 0.0, points, passed, "" if passed else failure,
                  list(causes))


def test_a_student_counts_once_per_row_and_blanks_are_not_unnamed():
    from autograde.report.model import summarize

    says = ("l06.softmax-unstable", "exp overflows")
    results = [
        # ana: one test of the exercise names a cause, the other fails unnamed; in both rows, once
        _result("ana", "06", "t1", "ce", False, [says]), _result("ana", "06", "t2", "ce", False, [(UNNAMED, "h")]),
        # ben: the same cause in both tests: counted once
        _result("ben", "06", "t1", "ce", False, [says]), _result("ben", "06", "t2", "ce", False, [says]),
        # cat: blank (both tests); dan: right
        _result("cat", "06", "t1", "ce", False, [(BLANK, "not written")]),
        _result("cat", "06", "t2", "ce", False, [(BLANK, "not written")]),
        _result("dan", "06", "t1", "ce", True), _result("dan", "06", "t2", "ce", True),
        _result("dan", "06", "t3", "sm", True), _result("ana", "06", "t3", "sm", False, [("course.x", "general")]),
    ]
    lesson, = summarize(results, order={"06": ["sm", "ce"]}, sections={"l06.softmax-unstable": "Stability"})
    sm, ce = lesson.exercises
    assert (sm.exercise, ce.exercise) == ("sm", "ce") and ce.tests == ["t1", "t2"] and ce.max_points == 4
    assert ce.full_marks == ["dan"] and ce.blank == ["cat"] and ce.unnamed == {"h": ["ana"]}
    assert [(c.id, c.students, c.kind, c.section) for c in ce.causes] == [
        ("l06.softmax-unstable", ["ana", "ben"], "catalogue", "Stability")]
    assert [(c.id, c.kind) for c in sm.causes] == [("course.x", "course")]
    assert ce.mean_share == 0.25 and lesson.students == ["ana", "ben", "cat", "dan"]


def test_every_section_the_catalogue_names_is_a_heading_of_its_lesson():
    from autograde.report.lesson_text import LessonText
    from backprop.mistakes import catalogue

    lessons = {p.name[:2]: p / f"{p.name}.ipynb" for p in (ROOT / "lessons").iterdir() if p.is_dir()}
    with_sections = [m for m in catalogue().values() if m.section]
    assert len(with_sections) >= 20
    for mistake in with_sections:
        text = LessonText.load(lessons[mistake.lesson[1:]])
        assert text.find(mistake.section), (mistake.id, mistake.section)


def _small_book(path, students=("zelda-k", "yuri-q")):
    book = CausesBook(path)
    for student in students:
        book.record(student, "01_one_neuron", [
            _result(student, "01_one_neuron", "test_neuron_forward", "neuron_forward", False,
                    [(UNNAMED, f"raised ValueError: {student} broke it")], failure=f"raised ValueError: {student}"),
            _result(student, "01_one_neuron", "test_neuron_gradients", "neuron_gradients", False,
                    [("l01.grads-no-two", "the factor 2 is missing")], points=3.0)], "test")
    return path


def test_no_student_is_named_unless_asked_not_even_inside_a_failure(tmp_path):
    from autograde.report import build_report

    book = _small_book(tmp_path / "causes.db")
    build_report(book, tmp_path / "anonymous")
    text = (tmp_path / "anonymous" / "01_one_neuron.html").read_text()
    assert "zelda-k" not in text and "yuri-q" not in text
    assert "raised ValueError: [a student] broke it" in text
    build_report(book, tmp_path / "named", names=True)
    text = (tmp_path / "named" / "01_one_neuron.html").read_text()
    assert "zelda-k" in text and "yuri-q" in text


@pytest.mark.parametrize("args, says", [
    (["--lessons", "07_nope"], "--lessons: got '07_nope'; expected lesson ids of this course: 00_start_here"),
    (["--book", "{tmp}/missing.db"], "--book: got '{tmp}/missing.db', which does not exist; expected the causes book"),
    (["--book", "{tmp}/gradebook.db"], "an SQLite file without the tables 'results' and 'causes'"),
    (["--book", "{tmp}/not-sqlite.db"], "which is not an SQLite file"),
    (["--out", "{tmp}/a-file"], "--out: got '{tmp}/a-file', which is a file; expected a folder"),
    (["--gradebook", "{tmp}/none.db"], "--gradebook: got '{tmp}/none.db', which does not exist"),
])
def test_bad_arguments_are_refused_naming_the_argument_what_it_got_and_what_is_expected(tmp_path, args, says):
    import sqlite3

    with sqlite3.connect(tmp_path / "gradebook.db") as db:
        db.execute("CREATE TABLE student (id TEXT)")
    (tmp_path / "not-sqlite.db").write_text("a" * 200)
    (tmp_path / "a-file").write_text("")
    book = _small_book(tmp_path / "causes.db")
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if "--book" not in args:
        args += ["--book", str(book)]
    result = subprocess.run([sys.executable, "-m", "autograde.report", *args, "--out", str(tmp_path / "out")]
                            if "--out" not in args else [sys.executable, "-m", "autograde.report", *args],
                            capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 2, result.stdout + result.stderr
    assert says.replace("{tmp}", str(tmp_path)) in result.stderr, result.stderr
    assert "usage: python -m autograde.report" in result.stderr


def test_a_book_in_a_folder_whose_name_holds_uri_characters_is_read(tmp_path):
    """The book and the gradebook are opened read-only by URI: a folder named "week 3 #2 ?50%" must not cut
    the path short (at '#' or '?') or decode '%50' into another name."""
    import sqlite3

    folder = tmp_path / "week 3 #2 ?50%"
    folder.mkdir()
    book = _small_book(folder / "causes.db")
    with sqlite3.connect(folder / "gradebook.db") as db:
        db.execute("CREATE TABLE student (id TEXT, first_name TEXT, last_name TEXT)")
        db.execute("INSERT INTO student VALUES ('zelda-k', 'Zelda', 'Kowalska')")
    result = subprocess.run([sys.executable, "-m", "autograde.report", "--book", str(book), "--names",
                             "--gradebook", str(folder / "gradebook.db"), "--out", str(folder / "out")],
                            capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert "Zelda Kowalska" in (folder / "out" / "01_one_neuron.html").read_text()


def test_a_lesson_asked_for_but_not_graded_gets_a_page_that_says_so(tmp_path):
    from autograde.report import build_report

    written = build_report(_small_book(tmp_path / "causes.db"), tmp_path / "out", lessons=["02_chain_rule"])
    assert [p.name for p in written][:2] == ["index.html", "02_chain_rule.html"]
    assert "No graded exercise." in (tmp_path / "out" / "02_chain_rule.html").read_text()


@pytest.mark.parametrize("name", ["autograde.report", "autograde.report.model", "autograde.report.lesson_text",
                                  "autograde.report.figures", "autograde.report.pages", "autograde.report.__main__",
                                  "autograde.lms", "autograde.causes", "benchmarks.class_report"])
def test_every_new_module_has_all_and_a_docstring_indexing_its_public_names(name):
    sys.path.insert(0, str(ROOT))
    module = importlib.import_module(name)
    assert module.__doc__ and hasattr(module, "__all__"), name
    for public in module.__all__:
        assert hasattr(module, public), f"{name}.{public}"
        assert re.search(rf"(?<![\w.]){re.escape(public)}(?!\w)", module.__doc__), f"{name}: {public} not indexed"


def test_the_benchmark_book_plants_what_it_says(tmp_path):
    sys.path.insert(0, str(ROOT))
    from autograde.report.model import summarize
    from benchmarks.class_report import synthetic_book

    planted = synthetic_book(tmp_path / "causes.db", 12, ["01_one_neuron", "10_autograd"], seed=3)
    lessons = summarize(CausesBook(tmp_path / "causes.db").results())
    assert [lesson.lesson for lesson in lessons] == ["01_one_neuron", "10_autograd"]
    for lesson in lessons:
        for exercise in lesson.exercises:
            counts = planted[(lesson.lesson, exercise.exercise)]
            assert len(exercise.full_marks) == counts["full"] and len(exercise.blank) == counts["blank"]
            assert len(exercise.unnamed_students) == counts["unnamed"]
            assert {c.id: len(c.students) for c in exercise.causes} == {
                k: v for k, v in counts.items() if k not in ("full", "blank", "unnamed")}
    assert json.dumps({str(k): dict(v) for k, v in planted.items()})  # (plain data, for results.json)


def test_the_benchmark_report_states_the_figure_the_target_and_the_change_from_the_last_figure():
    sys.path.insert(0, str(ROOT))
    from benchmarks import report

    entry = {"students": 100, "lessons": 10, "results": 2900, "pages": 11, "page_bytes": 3_000_000,
             "wall": {"median": 4.2, "min": 4.0, "max": 5.1, "n": 3}, "cpu": {"median": 3.9, "min": 3.8, "max": 4.4,
                                                                            "n": 3},
             "previous": {"wall": 6.0, "date": "2026-01-02 10:00 UTC", "change": -1.8}}
    results = {"sections": {"report": entry}, "machine": {"date": "", "commit": "", "load_at_start": [0, 0, 0],
                                                          "usable_cores": 2}}
    row = [t for t in report.targets(results) if "class report" in t["target"]][0]
    assert row["met"] is True and row["measured"].startswith("4.2 s") and "6.0 s" in row["note"]
    text = report.markdown(results, "benchmarks.png")
    assert "## 7. The class report" in text and "**4.20 s** wall" in text and "a change of -1.80 s" in text
    entry["wall"]["median"] = 12.5
    assert [t for t in report.targets(results) if "class report" in t["target"]][0]["met"] is False
