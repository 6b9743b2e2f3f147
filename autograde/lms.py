"""Grades out to the LMS: nbgrader export plugins that write the gradebook CSV layouts Canvas, Moodle and
Blackboard import. They are nbgrader's own export (`nbgrader export`, its ExportPlugin mechanism) with the
course's layouts, not a second way to read the gradebook:

    cd autograde
    nbgrader export --exporter=autograde.lms.CanvasExport --to canvas.csv
    nbgrader export --exporter=autograde.lms.MoodleExport --to moodle.csv
    nbgrader export --exporter=autograde.lms.BlackboardExport --to blackboard.csv
    nbgrader export --exporter=autograde.lms.CanvasExport --to week3.csv --assignment=[01_one_neuron,02_chain_rule]

One row per student, one column per lesson (an nbgrader assignment with points), the student's login (their
nbgrader id, which on the class's hub is their user name) as the key. A score is what nbgrader's own CSV export
gives: the submission's score (automatic and manual grades) less its late penalty, never below 0; a lesson not
handed in is 0 (`--LmsExport.missing=""` leaves it blank instead). `--LmsExport.percent=True` gives percentages of
the lesson's points, for an LMS column whose maximum is 100. The layouts, and what each LMS keys on:

    Canvas      Student, ID, SIS User ID, SIS Login ID, Section, then "<lesson>" or "<lesson> (<assignment id>)"
                per lesson; a second row "Points Possible" with each lesson's points (Canvas creates a column
                without an id as a new assignment of those points). Canvas finds each student by ID (nbgrader's
                lms_user_id, if set), else SIS User ID, else SIS Login ID (the login), else the name.
    Moodle      First name, Last name, Username, Email address, then a column per lesson. Moodle's CSV import
                asks which column identifies the user ("Map from: Username", "Map to: username"; or the email
                address) and which grade item each column fills (an existing item, or "new grade item").
    Blackboard  Last Name, First Name, Username, Student ID, then "<lesson> [Total Pts: <points> Score]" per lesson
                (Blackboard's own download's header), with " |<column id>" where given; every field quoted, as
                Blackboard asks of comma-separated files. Blackboard keys rows on Username; a column with an id
                fills that Grade Center column, one without makes a new (text) column.

    LmsExport          the base: nbgrader's gradebook as (columns, rows); the options above
    CanvasExport       assignment_ids {lesson: Canvas assignment id}, section
    MoodleExport       the Moodle layout
    BlackboardExport   column_ids {lesson: Grade Center column id}
    grade_rows(gradebook, lessons, students, missing, percent)   [(Student, {lesson: score})], [(lesson, points)]
"""

import csv

from nbgrader.api import MissingEntry
from nbgrader.plugins import ExportPlugin
from traitlets import Bool, Dict, Unicode

__all__ = ["LmsExport", "CanvasExport", "MoodleExport", "BlackboardExport", "grade_rows"]


def _number(value):
    """A score as the LMSs read it: up to 2 decimals, no trailing zeros ("4.5", "3", "2.33")."""
    return f"{round(float(value), 2):g}"


def grade_rows(gradebook, lessons=(), students=(), missing="0", percent=False):
    """[(student, {lesson: score as text})] and [(lesson, points)] from nbgrader's gradebook, as nbgrader's own
    export computes a score (score less the late penalty, at least 0; `missing` where nothing was handed in).
    lessons/students: only these (all when empty); lessons without points are left out."""
    columns = [(a.name, float(a.max_score or 0)) for a in sorted(gradebook.assignments, key=lambda a: a.name)
               if (not lessons or a.name in lessons) and a.max_score]
    rows = []
    for student in sorted(gradebook.students, key=lambda s: s.id):
        if students and student.id not in students:
            continue
        scores = {}
        for lesson, points in columns:
            try:
                submission = gradebook.find_submission(lesson, student.id)
            except MissingEntry:
                scores[lesson] = missing
                continue
            score = max(0.0, float(submission.score or 0) - float(submission.late_submission_penalty or 0))
            scores[lesson] = _number(100 * score / points if percent else score)
        rows.append((student, scores))
    return rows, columns


class LmsExport(ExportPlugin):
    """A gradebook CSV for an LMS: `header(columns)` and `row(student, scores, columns)` make the layout."""

    missing = Unicode("0", help="What a lesson not handed in scores: '0' (as nbgrader's own export), or '' to "
                                "leave it blank.").tag(config=True)
    percent = Bool(False, help="Write each score as a percentage of the lesson's points.").tag(config=True)
    default_name = "grades-lms.csv"
    quoting = csv.QUOTE_MINIMAL

    def header(self, columns):
        raise NotImplementedError

    def extra_rows(self, columns):
        return []

    def row(self, student, scores, columns):
        raise NotImplementedError

    def export(self, gradebook):
        destination = self.to or self.default_name
        rows, columns = grade_rows(gradebook, [str(a) for a in self.assignment], [str(s) for s in self.student],
                                   self.missing, self.percent)
        self.log.info("Exporting %d students x %d lessons to %s (%s)", len(rows), len(columns), destination,
                      type(self).__name__)
        with open(destination, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f, quoting=self.quoting)
            writer.writerow(self.header(columns))
            writer.writerows(self.extra_rows(columns))
            for student, scores in rows:
                writer.writerow(self.row(student, scores, columns))


class CanvasExport(LmsExport):
    """Canvas's gradebook layout (Grades -> Import)."""

    assignment_ids = Dict(help="{lesson: Canvas assignment id}: the lesson's column fills that assignment; a lesson "
                               "without one becomes a new assignment").tag(config=True)
    section = Unicode("", help="The Section column's value.").tag(config=True)
    default_name = "grades-canvas.csv"

    def header(self, columns):
        return ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] + [
            f"{lesson} ({self.assignment_ids[lesson]})" if lesson in self.assignment_ids else lesson
            for lesson, _ in columns]

    def extra_rows(self, columns):
        return [["Points Possible", "", "", "", ""] + [_number(100 if self.percent else p) for _, p in columns]]

    def row(self, student, scores, columns):
        name = ", ".join(part for part in (student.last_name, student.first_name) if part) or student.id
        return [name, student.lms_user_id or "", "", student.id, self.section] + [scores[c] for c, _ in columns]


class MoodleExport(LmsExport):
    """Moodle's CSV grade import (Grades -> Import -> CSV file)."""

    default_name = "grades-moodle.csv"

    def header(self, columns):
        return ["First name", "Last name", "Username", "Email address"] + [lesson for lesson, _ in columns]

    def row(self, student, scores, columns):
        return [student.first_name or "", student.last_name or "", student.id, student.email or ""] + [
            scores[c] for c, _ in columns]


class BlackboardExport(LmsExport):
    """Blackboard Learn's Grade Center upload (Work Offline -> Upload)."""

    column_ids = Dict(help="{lesson: Grade Center column id}: the lesson's column fills that column; a lesson "
                           "without one becomes a new column").tag(config=True)
    default_name = "grades-blackboard.csv"
    quoting = csv.QUOTE_ALL

    def header(self, columns):
        return ["Last Name", "First Name", "Username", "Student ID"] + [
            f"{lesson} [Total Pts: {_number(100 if self.percent else points)} Score]"
            + (f" |{self.column_ids[lesson]}" if lesson in self.column_ids else "") for lesson, points in columns]

    def row(self, student, scores, columns):
        return [student.last_name or "", student.first_name or "", student.id, student.lms_user_id or ""] + [
            scores[c] for c, _ in columns]
