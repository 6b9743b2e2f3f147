"""Grading the course with nbgrader: the course's configuration, its lessons' sources, and the grader.

    nbgrader_course  the course as nbgrader sees it: config(), api(), lessons()
    authoring        the lessons' MyST text, and the notebooks generated from it
    generate         python -m autograde.generate: text -> source notebooks -> student versions
    grade            python -m autograde.grade: grade a whole class, in parallel
    causes           the causes book (causes.db): every graded test cell, and the likely causes it named
    report           python -m autograde.report: what the class got wrong, as HTML pages for the instructor
    lms              nbgrader export plugins: the grades as Canvas, Moodle and Blackboard import them
    verify           the independent check of one submission: test cells here, the student's code in a sandbox
    sandbox          the student's side of that check (runs in the sandbox, never imported here)
    wire             how the two sides talk: values as data, never pickles
    pages            a student's Markdown made into safe HTML in bounded time, in every page nbgrader makes
"""

__all__ = []
