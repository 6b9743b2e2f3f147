"""Generate the lessons' notebooks from their text.

    python -m autograde.generate                   every lesson: text -> source notebook -> student version
    python -m autograde.generate 01_one_neuron     one or more lessons
    python -m autograde.generate --check           only say what is stale (exit 1 if anything is)
    python -m autograde.generate --from-notebook 01_one_neuron
                                                   the text rewritten from an edited source notebook (a lesson
                                                   changed in JupyterLab, with nbgrader's toolbar), then as above

A lesson is written in solutions/NN_slug/NN_slug.md (autograde.authoring); its source notebook
solutions/NN_slug/NN_slug.ipynb is made from that text, and the student version lessons/NN_slug/
from the source notebook by nbgrader's generate_assignment. Commit all three.
"""

import argparse
import sys

import nbformat

from autograde import authoring, nbgrader_course

__all__ = ["generate", "main"]


def generate(lesson_ids, cfg=None, write_sources=True):
    """Write each lesson's source notebook from its text (unless write_sources is False), then its
    student version with nbgrader; raise with nbgrader's log on failure."""
    for lesson in lesson_ids if write_sources else ():
        authoring.write_solution(lesson)
    grader = nbgrader_course.api(cfg)
    for lesson in lesson_ids:
        result = grader.generate_assignment(lesson, force=True)
        if not result["success"]:
            raise RuntimeError(f"nbgrader could not generate {lesson}:\n{result['error']}\n{result['log']}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograde.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("lessons", nargs="*", help="lesson ids or their numbers, e.g. 05 (default: every lesson)")
    parser.add_argument("--check", action="store_true", help="only report stale source notebooks")
    parser.add_argument("--from-notebook", action="store_true",
                        help="first rewrite each lesson's text from its (edited) source notebook")
    args = parser.parse_args(argv)
    known = nbgrader_course.lessons()
    by_number = {lesson.split("_")[0]: lesson for lesson in known}
    wanted = [by_number.get(name, name) for name in args.lessons] or known
    unknown = sorted(set(wanted) - set(known))
    if unknown:
        print(f"no such lesson in solutions/: {', '.join(unknown)}; the lessons are {', '.join(known)}",
              file=sys.stderr)
        return 2
    if args.check:
        stale = [lesson for lesson in wanted if not authoring.solution_is_current(lesson)]
        for lesson in stale:
            print(f"solutions/{lesson}/{lesson}.ipynb is not what its text gives: "
                  f"run python -m autograde.generate {lesson}")
        return 1 if stale else 0
    if args.from_notebook:
        for lesson in wanted:
            nb = nbformat.read(authoring.notebook_path(lesson), as_version=4)
            authoring.text_path(lesson).write_text(authoring.text_from_notebook(nb))
    generate(wanted)
    print(f"generated {len(wanted)} lesson(s): {', '.join(wanted)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
