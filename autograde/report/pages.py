"""The report's HTML: a page per lesson and one for the whole course, each a single file that opens offline.

No script, no font or stylesheet from elsewhere: the style is in the page, the figures are PNG data in it.
Every count sits in an element that says what it counts (data-full, data-blank, data-unnamed, data-cause with
data-students), so that a test can read the page as a person does. No student is named unless the report is
asked to (names): a failure's first line is the only text of a student's making on the page, and any student
id in it is replaced by "[a student]".

    lesson_page(lesson, context)   the page of one lesson (a LessonSummary)
    course_page(lessons, context)  the page of the whole course
    Context                        what both need: the lessons' texts, names, the roster, the period graded
    CSS                            the pages' style (also used by the lessons' text pages)
    COURSE_CAUSES                  how many of the course's most common causes its page lists
"""

import html
import re
from dataclasses import dataclass, field

from autograde.report import figures
from autograde.report.model import course_causes

__all__ = ["lesson_page", "course_page", "Context", "CSS", "COURSE_CAUSES"]

COURSE_CAUSES = 15   # the most common causes listed on the course page

CSS = """
:root { color-scheme: light; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1a1a1a;
       background: #ffffff; margin: 0; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
h1 { font-size: 1.7rem; line-height: 1.25; margin: 0.5rem 0 0.75rem; }
h2 { font-size: 1.3rem; margin: 2.5rem 0 0.5rem; padding-top: 0.75rem; border-top: 2px solid #d0d0d0; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 0.4rem; }
a { color: #0b57a3; }
a:focus-visible { outline: 3px solid #E69F00; outline-offset: 2px; }
nav { font-size: 0.95rem; }
.lead { font-size: 1.1rem; }
.note, .where, figcaption, caption { color: #444444; font-size: 0.92rem; }
caption { text-align: left; padding: 0 0 0.3rem; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #e0e0e0; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; font-size: 0.95rem; }
th, td { border: 1px solid #c8c8c8; padding: 0.35rem 0.5rem; vertical-align: top; text-align: left; }
th { background: #f0f0f0; }
td.num, th.num { text-align: right; white-space: nowrap; }
td code { overflow-wrap: anywhere; }
code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 0.9em; background: #f4f4f4;
       padding: 0 0.2em; }
pre { background: #f6f6f6; border: 1px solid #dddddd; padding: 0.6rem; overflow-x: auto; }
.cell-label { font-size: 0.85rem; color: #444444; margin: 0.8rem 0 0.2rem; }
details summary { cursor: pointer; }
.empty { color: #444444; font-style: italic; }
@media print { h2 { break-before: page; } a { color: inherit; } }
"""

_KINDS = {"catalogue": "the lesson's catalogue", "course": "recognised in any lesson"}
_COLUMNS = ('<colgroup><col style="width:2.5rem"><col style="width:15rem"><col><col style="width:6.5rem">'
            '<col style="width:13rem"></colgroup>')


@dataclass
class Context:
    """texts: {lesson: LessonText or None}; names: show who (else only counts); roster: {id: "First Last"}
    (the gradebook's students; None without a gradebook); graded: (first, last) time of grading; students:
    every student id in the book (to keep them out of quoted failures); charts: the exercises' charts, if
    drawn beforehand (figures.exercise_charts draws them in parallel), else drawn as the page is made."""

    texts: dict
    names: bool = False
    roster: dict = None
    graded: tuple = ("", "")
    students: list = field(default_factory=list)
    charts: dict = field(default_factory=dict)   # {(lesson, exercise): figures.Figure}, drawn beforehand if given

    def __post_init__(self):
        ids = sorted((re.escape(s) for s in self.students if s), key=len, reverse=True)
        self._ids = re.compile(r"(?<![\w.-])(?:" + "|".join(ids) + r")(?![\w-])") if ids else None

    def scrub(self, text):
        """text with every student id replaced by "[a student]" (unless names are shown)."""
        if self.names or self._ids is None:
            return text
        return self._ids.sub("[a student]", text)

    def who(self, students):
        """The students, by name and id where the gradebook has names."""
        roster = self.roster or {}
        return ", ".join(f"{roster[s]} ({s})" if roster.get(s) else s for s in students)


def _e(text):
    return html.escape(str(text), quote=True)


def _when(stamp):
    """An ISO time as the page shows it: 2026-03-06 17:00 UTC."""
    return stamp[:16].replace("T", " ") + " UTC" if stamp else "—"


def _percent(part, whole):
    return f"{100 * part / whole:.0f}%" if whole else "—"


def _page(title, body):
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{_e(title)}</title>\n'
            f"<style>{CSS}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n")


def _figure(figure, caption):
    return (f'<figure><img src="{figure.src}" alt="{_e(figure.alt)}" width="{figure.width}" '
            f'height="{figure.height}"><figcaption>{caption}</figcaption></figure>')


def _names_cell(context, students):
    if not context.names:
        return ""
    return (f"<td><details><summary>{len(students)} name{'s' * (len(students) != 1)}</summary>"
            f"{_e(context.who(students))}</details></td>")


def _where(context, lesson, section, exercise_section):
    """A link to where the lesson teaches a cause: its catalogue section if the text has it, else the
    exercise's own. The link's words are the section's heading, to find it in the notebook (named at the top)."""
    text = context.texts.get(lesson)
    if text is None:
        return '<span class="empty">the lesson\'s text was not found</span>'
    anchor = text.find(section) if section else None
    words = section if anchor else exercise_section[0]
    anchor = anchor or exercise_section[1]
    target = f"text/{_e(lesson)}.html" + (f"#{_e(anchor)}" if anchor else "")
    return f'<a href="{target}">{_e(words or lesson)}</a>'


def _exercise_section(context, exercise):
    text = context.texts.get(exercise.lesson)
    return text.section_of(exercise.exercise) if text is not None else ("", "")


def _exercise(context, number, exercise):
    n = len(exercise.submitted)
    section = _exercise_section(context, exercise)
    own = f' <span class="where">(in “{_e(section[0])}”)</span>' if section[0] else ""
    out = [f'<section id="exercise-{_e(exercise.exercise)}" data-exercise="{_e(exercise.exercise)}" '
           f'data-full="{len(exercise.full_marks)}" data-blank="{len(exercise.blank)}" '
           f'data-unnamed="{len(exercise.unnamed_students)}" data-submitted="{n}">',
           f"<h2>Exercise {number}: <code>{_e(exercise.exercise)}</code>{own}</h2>",
           f'<p class="lead"><strong>{len(exercise.full_marks)} of {n} students '
           f"({_percent(len(exercise.full_marks), n)})</strong> got full marks. Mean score "
           f"{100 * exercise.mean_share:.0f}% of its {exercise.max_points:g} points "
           f"({len(exercise.tests)} test{'s' * (len(exercise.tests) != 1)}: "
           f"{', '.join(f'<code>{_e(t)}</code>' for t in exercise.tests)}).</p>"]
    chart = context.charts.get((exercise.lesson, exercise.exercise)) or figures.exercise_chart(exercise)
    out.append(_figure(chart, "Students per outcome: full marks (green), each likely cause named (blue for the "
                              "lesson's own mistakes, orange for the course's general ones), failures no catalogue "
                              "entry explains (vermilion, crossed) and blanks (grey, striped). The numbers are "
                              "in the tables below."))
    who = "<th>who</th>" if context.names else ""
    if exercise.causes:
        out += ['<table class="causes">', "<caption>The likely causes the checks named, most students first. A "
                "student counts once per cause.</caption>", _COLUMNS,
                f'<thead><tr><th class="num">#</th><th>cause</th><th>what the students were told</th>'
                f'<th class="num">students</th><th>where the lesson teaches it</th>{who}</tr></thead><tbody>']
        for rank, cause in enumerate(exercise.causes, 1):
            k = len(cause.students)
            out.append(f'<tr data-cause="{_e(cause.id)}" data-students="{k}"><td class="num">{rank}</td>'
                       f'<td><code>{_e(cause.id)}</code><br><span class="where">{_e(_KINDS[cause.kind])}</span></td>'
                       f"<td>{_e(cause.says)}</td><td class=\"num\">{k} ({_percent(k, n)})</td>"
                       f"<td>{_where(context, exercise.lesson, cause.section, section)}</td>"
                       f"{_names_cell(context, cause.students)}</tr>")
        out.append("</tbody></table>")
    else:
        out.append('<p class="empty">No likely cause of the catalogue was named for this exercise.</p>')
    unnamed = exercise.unnamed_students
    out.append(f"<h3>Failures no catalogue entry explains: {len(unnamed)} student{'s' * (len(unnamed) != 1)} "
               f"({_percent(len(unnamed), n)})</h3>")
    if exercise.unnamed:
        out += ['<table class="unnamed"><caption>Grouped by the failure\'s first line: candidates for new entries of '
                "the catalogue (backprop/mistakes/).</caption>",
                f'<thead><tr><th>what the test said first</th><th class="num">students</th>{who}</tr></thead><tbody>']
        for headline, students in exercise.unnamed.items():
            out.append(f'<tr data-unnamed-students="{len(students)}"><td>{_e(context.scrub(headline))}</td>'
                       f'<td class="num">{len(students)}</td>{_names_cell(context, students)}</tr>')
        out.append("</tbody></table>")
    blank = exercise.blank
    out.append(f"<h3>Left blank: {len(blank)} student{'s' * (len(blank) != 1)} ({_percent(len(blank), n)})</h3>")
    out.append("<p class=\"note\">A test counts as blank when the student's code still raised "
               "<code>NotImplementedError</code> on every case: the exercise, or a function of theirs that it "
               "calls, is the stub they were given (<code>course.not-written</code>).</p>")
    if context.names and blank:
        out.append(f"<details><summary>who</summary>{_e(context.who(blank))}</details>")
    out.append("</section>")
    return "\n".join(out)


def _provenance(context):
    return (f"From the causes the grader recorded, {_e(_when(context.graded[0]))} to {_e(_when(context.graded[1]))}. "
            + ("Names are shown." if context.names else "No student is named on this page."))


def _summary_line(context, lesson):
    n = len(lesson.students)
    roster = context.roster
    who = f"{n} of the {len(roster)} students in the gradebook" if roster else f"{n} student{'s' * (n != 1)}"
    return (f'<p class="lead" data-students="{n}">{who} handed it in; mean score '
            f"{lesson.mean_points:.1f} of {lesson.max_points:g} points ({100 * lesson.mean_share:.0f}%).</p>")


def lesson_page(lesson, context):
    """The page of one lesson: per exercise, the share with full marks, the causes named (ranked, with the
    catalogue's words and a link to where the lesson teaches each), the unnamed failures and the blanks."""
    text = context.texts.get(lesson.lesson)
    path = f"lessons/{lesson.lesson}/{text.notebook.name}" if text else f"lessons/{lesson.lesson}"
    body = ['<nav><a href="index.html">← the whole course</a></nav>',
            f"<h1>Lesson {_e(lesson.lesson)}: what the class got wrong</h1>",
            _summary_line(context, lesson),
            f'<p class="note">{_provenance(context)} The lesson: <code>{_e(path)}</code>'
            + (f', and <a href="text/{_e(lesson.lesson)}.html">its text</a>' if text else "") + ".</p>"]
    body += [_exercise(context, k, exercise) for k, exercise in enumerate(lesson.exercises, 1)]
    if not lesson.exercises:
        body.append('<p class="empty">No graded exercise.</p>')
    return _page(f"Lesson {lesson.lesson}: what the class got wrong", "\n".join(body))


def course_page(lessons, context):
    """The page of the whole course: the heat map, a row per lesson, and the course's most common causes."""
    students = sorted({s for lesson in lessons for s in lesson.students})
    body = ["<h1>What the class got wrong: the course</h1>",
            f'<p class="lead" data-students="{len(students)}">{len(students)} student{"s" * (len(students) != 1)} '
            f"handed in {sum(len(lesson.students) for lesson in lessons)} lesson submissions over "
            f"{len(lessons)} lesson{'s' * (len(lessons) != 1)}"
            + (f" ({len(context.roster)} students in the gradebook)" if context.roster else "") + ".</p>",
            f'<p class="note">{_provenance(context)}</p>']
    if lessons:
        body.append(_figure(figures.heat_map(lessons), "The class's mean score on each exercise (a share of its "
                                                       "points): darker is lower. Each cell prints its value."))
    body += ["<h2>Lesson by lesson</h2>", '<table class="lessons"><caption>Per lesson: who handed it in, the mean '
             "score, and per exercise the share of the class with full marks.</caption>",
             '<thead><tr><th>lesson</th><th class="num">students</th><th class="num">mean score</th>'
             "<th>full marks, per exercise</th><th>most common cause</th></tr></thead><tbody>"]
    for lesson in lessons:
        per = "<br>".join(f"<code>{_e(e.exercise)}</code>: {_percent(len(e.full_marks), len(e.submitted))}"
                          for e in lesson.exercises)
        top = max((c for e in lesson.exercises for c in e.causes), key=lambda c: len(c.students), default=None)
        top = (f"<code>{_e(top.id)}</code> ({len(top.students)} students)" if top else
               '<span class="empty">none named</span>')
        body.append(f'<tr data-lesson="{_e(lesson.lesson)}"><td><a href="{_e(lesson.lesson)}.html">{_e(lesson.lesson)}'
                    f'</a></td><td class="num">{len(lesson.students)}</td><td class="num">'
                    f"{100 * lesson.mean_share:.0f}%</td><td>{per}</td><td>{top}</td></tr>")
    body.append("</tbody></table>")
    ranked = course_causes(lessons)
    body += ["<h2>The course's most common mistakes</h2>"]
    if len(ranked) > COURSE_CAUSES:
        body.append(f'<p class="note">The {COURSE_CAUSES} named causes most students hit, of {len(ranked)}; each '
                    f"lesson's page lists all of its own.</p>")
        ranked = ranked[:COURSE_CAUSES]
    if ranked:
        who = "<th>who</th>" if context.names else ""
        body += ['<table class="causes"><caption>Every likely cause named, most students first (a student counts '
                 "once per cause).</caption>",
                 '<thead><tr><th class="num">#</th><th>cause</th><th>what the students were told</th>'
                 f'<th class="num">students</th><th>lesson</th>{who}</tr></thead><tbody>']
        for rank, cause in enumerate(ranked, 1):
            body.append(f'<tr data-cause="{_e(cause.id)}" data-students="{len(cause.students)}"><td class="num">'
                        f"{rank}</td><td><code>{_e(cause.id)}</code></td><td>{_e(cause.says)}</td>"
                        f'<td class="num">{len(cause.students)}</td><td>'
                        + ", ".join(f'<a href="{_e(lesson)}.html">{_e(lesson)}</a>' for lesson in cause.lessons)
                        + f"</td>{_names_cell(context, cause.students)}</tr>")
        body.append("</tbody></table>")
    else:
        body.append('<p class="empty">No likely cause was named.</p>')
    return _page("What the class got wrong: the course", "\n".join(body))
