"""Regenerate the student version (lessons/) from the nbgrader source (solutions/).

    python autograde/generate.py                 every lesson
    python autograde/generate.py 01_one_neuron   one or more lessons

Run it after every change to a solution notebook, and commit both.
"""

import sys

import course


def generate(lesson_ids, cfg=None):
    """Run nbgrader generate_assignment for each lesson; raise with nbgrader's log on failure."""
    grader = course.api(cfg)
    for lesson in lesson_ids:
        result = grader.generate_assignment(lesson, force=True)
        if not result["success"]:
            raise RuntimeError(f"nbgrader could not generate {lesson}:\n{result['error']}\n{result['log']}")


if __name__ == "__main__":
    wanted = sys.argv[1:] or course.lessons()
    unknown = sorted(set(wanted) - set(course.lessons()))
    if unknown:
        sys.exit(f"no such lesson in solutions/: {', '.join(unknown)}; the lessons are {', '.join(course.lessons())}")
    generate(wanted)
    print(f"generated {len(wanted)} lesson(s) in lessons/: {', '.join(wanted)}")
