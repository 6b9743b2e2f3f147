"""The class's results summed up: by lesson, by exercise, by the cause each failure named.

The causes book (autograde.causes) holds one row per graded test cell of every submission, with the causes
its failing check named. Here they are counted the way an instructor asks: per exercise (an answer cell and
the test cells after it), how many students got full marks, which mistakes of the catalogue how many
students made, how many failures no catalogue entry explains (unnamed, by their first line), and how many
students left the exercise blank (course.not-written: the stub still raises NotImplementedError, in the
exercise or in a function of the student's it calls). A student counts once per row; one student may count
in more than one row of an exercise (one of its tests names a cause, another fails unnamed).

    summarize(results, order=None, sections=None)  [LessonSummary] from causes.Result rows
    LessonSummary      one lesson: its students, its exercises, its mean score
    ExerciseSummary    one exercise: full marks, causes ranked, unnamed failures, blanks
    CauseCount         one named cause of one exercise: its id, its words, the students who hit it
    course_causes(lessons)   every named cause of the course, ranked by students (one row per cause id)
    BLANK, UNNAMED     the cause ids of a blank and of an unexplained failure
"""

from collections import defaultdict
from dataclasses import dataclass, field

from autograde.causes import UNNAMED

__all__ = ["summarize", "LessonSummary", "ExerciseSummary", "CauseCount", "course_causes", "BLANK", "UNNAMED"]

BLANK = "course.not-written"


@dataclass
class CauseCount:
    """A named cause: `id` ("l06.softmax-unstable"), `says` (the words the students were given), the students
    who hit it (sorted), `kind` ("catalogue" for a lesson's mistake, "course" for a general one), `section`
    (the heading of the lesson's section that teaches it, from the catalogue; "" for the exercise's own),
    `lesson` (the lesson whose exercise named it) and, over the course, `lessons` (every lesson that named it)."""

    id: str
    says: str
    students: list
    kind: str
    section: str = ""
    lesson: str = ""
    lessons: list = field(default_factory=list)


@dataclass
class ExerciseSummary:
    """One exercise of one lesson, over the students who handed the lesson in (`submitted`)."""

    lesson: str
    exercise: str
    tests: list
    max_points: float
    submitted: list
    full_marks: list
    blank: list
    unnamed: dict            # headline -> [students]
    causes: list             # [CauseCount], most students first
    mean_share: float        # the class's mean score on it, as a share of its points

    @property
    def unnamed_students(self):
        """The students with a failure no catalogue entry explains, each once."""
        return sorted({s for students in self.unnamed.values() for s in students})

    @property
    def full_share(self):
        return len(self.full_marks) / len(self.submitted) if self.submitted else 0.0


@dataclass
class LessonSummary:
    lesson: str
    students: list
    exercises: list = field(default_factory=list)
    max_points: float = 0.0
    mean_points: float = 0.0

    @property
    def mean_share(self):
        return self.mean_points / self.max_points if self.max_points else 0.0


def summarize(results, order=None, sections=None):
    """[LessonSummary], by lesson id, from causes.Result rows. order: {lesson: [exercise ids in the lesson's
    order]} (exercises not listed follow, in the order the book has them); sections: {cause id: heading} (the
    catalogue's sections)."""
    order, sections = order or {}, sections or {}
    by_lesson = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))  # lesson -> exercise -> student -> rows
    tests = defaultdict(dict)
    for r in results:
        by_lesson[r.lesson][r.exercise][r.student].append(r)
        tests[(r.lesson, r.exercise)].setdefault(r.test, r.max_points)
    summaries = []
    for lesson in sorted(by_lesson):
        exercises = by_lesson[lesson]
        students = sorted({s for per_student in exercises.values() for s in per_student})
        known = [e for e in order.get(lesson, []) if e in exercises]
        summary = LessonSummary(lesson, students)
        for exercise in known + [e for e in exercises if e not in known]:
            summary.exercises.append(_exercise(lesson, exercise, exercises[exercise], tests[(lesson, exercise)],
                                               students, sections))
        summary.max_points = sum(e.max_points for e in summary.exercises)
        totals = defaultdict(float)
        for exercise in exercises.values():
            for student, rows in exercise.items():
                totals[student] += sum(r.points for r in rows)
        summary.mean_points = sum(totals.values()) / len(students) if students else 0.0
        summaries.append(summary)
    return summaries


def _exercise(lesson, exercise, per_student, tests, students, sections):
    max_points = sum(tests.values())
    full, blank, unnamed, named, shares = [], [], defaultdict(list), {}, []
    for student in students:
        rows = per_student.get(student, [])
        points = sum(r.points for r in rows)
        shares.append(points / max_points if max_points else 0.0)
        failing = [r for r in rows if not r.passed]
        if rows and not failing:
            full.append(student)
            continue
        if any(cause_id == BLANK for r in failing for cause_id, _ in r.causes):
            blank.append(student)
        for r in failing:
            ids = [cause_id for cause_id, _ in r.causes]
            if not ids or ids == [UNNAMED]:
                headline = (dict(r.causes).get(UNNAMED) or r.failure or "no message").strip()
                if student not in unnamed[headline]:
                    unnamed[headline].append(student)
                continue
            for cause_id, says in r.causes:
                if cause_id in (BLANK, UNNAMED):
                    continue
                count = named.setdefault(cause_id, CauseCount(
                    cause_id, says, [], "course" if cause_id.startswith("course.") else "catalogue",
                    sections.get(cause_id, ""), lesson))
                if student not in count.students:
                    count.students.append(student)
    causes = sorted(named.values(), key=lambda c: (-len(c.students), c.id))
    unnamed = dict(sorted(unnamed.items(), key=lambda item: (-len(item[1]), item[0])))
    return ExerciseSummary(lesson, exercise, list(tests), max_points, list(students), full, blank, unnamed, causes,
                           sum(shares) / len(shares) if shares else 0.0)


def course_causes(lessons):
    """Every named cause of the course, one CauseCount per id (its students over every exercise that named
    it), most students first."""
    merged = {}
    for lesson in lessons:
        for exercise in lesson.exercises:
            for cause in exercise.causes:
                row = merged.setdefault(cause.id, CauseCount(cause.id, cause.says, [], cause.kind, cause.section,
                                                             cause.lesson))
                row.students = sorted(set(row.students) | set(cause.students))
                if cause.lesson not in row.lessons:
                    row.lessons.append(cause.lesson)
    return sorted(merged.values(), key=lambda c: (-len(c.students), c.id))
