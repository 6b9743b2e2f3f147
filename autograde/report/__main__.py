"""python -m autograde.report: what the class got wrong, as HTML pages for the instructor.

    python -m autograde.report                          every lesson in autograde/causes.db -> autograde/class-report/
    python -m autograde.report --lessons 01_one_neuron 06_softmax_classifier --out /tmp/week3
    python -m autograde.report --names                  name the students (not for a lecture)
    python -m autograde.report --book path/to/causes.db --gradebook path/to/gradebook.db

Open index.html (the whole course) or NN_slug.html (a lesson) in any browser; they need no network and no
script. A bad argument is refused with what was given and what is expected.

    main(argv)    run the command; 0 when the pages are written, 2 for a bad argument
"""

import argparse
import re
import sys
from pathlib import Path

from autograde.report import DEFAULT_BOOK, DEFAULT_OUT, LESSONS, ReportError, build_report

__all__ = ["main"]


def _parser():
    parser = argparse.ArgumentParser(prog="python -m autograde.report", description=__doc__.split("\n\n")[0],
                                     epilog="Writes index.html, a page per lesson, and text/ (the lessons' student "
                                            "text, where the pages link to).")
    parser.add_argument("--lessons", nargs="+", metavar="LESSON",
                        help="only these lessons (ids like 06_softmax_classifier; default: every lesson in the book)")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help=f"the folder to write into (default: {DEFAULT_OUT})")
    parser.add_argument("--names", action="store_true", help="name the students who hit each cause (default: counts "
                                                             "only, so the pages can be shown to the class)")
    parser.add_argument("--book", default=str(DEFAULT_BOOK), help=f"the causes book (default: {DEFAULT_BOOK})")
    parser.add_argument("--gradebook", help="nbgrader's gradebook, for the roster and the names (default: "
                                            "gradebook.db beside the book)")
    return parser


def main(argv=None):
    parser = _parser()
    args = parser.parse_args(argv)
    known = sorted(p.name for p in LESSONS.iterdir() if re.fullmatch(r"\d\d_\w+", p.name)) if LESSONS.is_dir() else []
    for lesson in args.lessons or ():
        if lesson not in known:
            parser.error(f"--lessons: got {lesson!r}; expected lesson ids of this course: {', '.join(known)}")
    if args.gradebook is not None and not Path(args.gradebook).is_file():
        parser.error(f"--gradebook: got {args.gradebook!r}, which does not exist; expected nbgrader's gradebook "
                     f"(gradebook.db)")
    try:
        written = build_report(args.book, args.out, args.lessons, args.names, args.gradebook)
    except ReportError as exc:
        parser.error(str(exc))
    print(f"wrote {len(written)} pages into {Path(args.out)}: open {written[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
