"""Start a new lesson: every file a lesson has, made from the templates, as CONTRIBUTING.md lists them.

    python -m autograde.new_lesson 11 attention "Attention, by hand"
    python -m autograde.new_lesson 11 attention "Attention, by hand" --topic attention

makes (and refuses to overwrite):

    solutions/11_attention/11_attention.md       the lesson, with one worked idea and one graded exercise
    backprop/reference/l11_attention.py          the exercise's reference answer and random cases
    backprop/mistakes/l11_attention.py           a mistake of it, registered on the reference
    tests/test_lesson_11.py                      its tests: the reference, the mistakes named

Then `python -m autograde.generate 11_attention` makes its notebooks. Adding a lesson is new files
only: the packages find lesson modules by their names, and the lesson list comes from solutions/.
The exercise of the templates is a placeholder (double(x) = 2x): replace it with the lesson's own.

    new_lesson(number, slug, title, topic, root)   the files made
"""

import argparse
import re
import string
import sys
from pathlib import Path

__all__ = ["new_lesson", "main"]

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "templates" / "lesson"


def new_lesson(number, slug, title, topic=None, root=ROOT):
    """Make a new lesson's files from the templates; the paths made. Refuses to overwrite anything."""
    if not re.fullmatch(r"\d\d", number):
        raise ValueError(f"number must be two digits, like '11', but is {number!r}")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", slug):
        raise ValueError(f"slug must be lower-case letters, digits and _, like 'attention', but is {slug!r}")
    topic = topic or slug
    root = Path(root)
    lesson = f"{number}_{slug}"
    module = f"l{number}_{topic}"
    values = {"NN": number, "slug": slug, "title": title, "module": module, "function": f"double_{topic}",
              "next": f"{int(number) + 1:02d}"}
    targets = {
        root / "solutions" / lesson / f"{lesson}.md": "lesson.md.tmpl",
        root / "backprop" / "reference" / f"{module}.py": "reference.py.tmpl",
        root / "backprop" / "mistakes" / f"{module}.py": "mistakes.py.tmpl",
        root / "tests" / f"test_lesson_{number}.py": "test_lesson.py.tmpl",
    }
    existing = [str(path.relative_to(root)) for path in targets if path.exists()]
    if existing:
        raise FileExistsError(f"these exist already: {', '.join(existing)}")
    for path, template in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(string.Template((TEMPLATES / template).read_text()).substitute(values))
    return sorted(targets)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograde.new_lesson", description=__doc__.split("\n\n")[0])
    parser.add_argument("number", help="two digits: 11")
    parser.add_argument("slug", help="the lesson's folder after its number: attention")
    parser.add_argument("title", help="its title: 'Attention, by hand'")
    parser.add_argument("--topic", help="the name of its modules in the packages (default: the slug)")
    args = parser.parse_args(argv)
    try:
        made = new_lesson(args.number, args.slug, args.title, args.topic)
    except (ValueError, FileExistsError) as exc:
        print(exc, file=sys.stderr)
        return 2
    for path in made:
        print(f"made {path.relative_to(ROOT)}")
    print(f"next: python -m autograde.generate {args.number}_{args.slug}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
