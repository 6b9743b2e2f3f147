"""How fast the course runs, grades and trains, on the machine this runs on.

    python benchmarks/run.py                  everything: about 15 minutes on 2 cores
    python benchmarks/run.py --only explorers training
                                              re-run some sections; the others' last results are kept
    python benchmarks/run.py --smoke --out /tmp/bench
                                              tiny sizes, to see that it all works (under a minute)

Writes benchmarks/results.json (every number), BENCHMARKS.md (the tables, the targets met
or not, the machine and its load) and benchmarks/benchmarks.png; --out DIR writes all three
into DIR instead. Sections:

    explorers   the update time of every explorer (a control moved -> the figure redrawn)
    training    the course's training step against PyTorch's (optional: --torch-python, or
                torch importable here), GFLOP/s beside np.matmul's; lesson 06's digits classifier
    notebooks   every solution notebook in a fresh kernel, and the whole course
    grading     one student's whole course, a class of --class-size synthetic students, and
                bare nbgrader on a trivial notebook (the floor of a kernel's start-up); the same
                measured by the baseline (benchmarks/baseline.py) in the same run
    clone       a fresh clone to a running JupyterLab with the README's main command
    student     a student's own submit and feedback from a terminal, today's and the baseline's
    report      python -m autograde.report on a synthetic causes book of 100 students x every lesson
                (benchmarks/class_report.py), against its last figure

Everything is measured in the environment the course gives its kernels
(backprop.course.KERNEL_ENVIRONMENT: one BLAS thread). On a shared machine wall times are
pessimistic: the load average is recorded before and after every section, and CPU times
beside the wall times.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backprop.course import KERNEL_ENVIRONMENT  # noqa: E402  (imports no NumPy: the environment comes first)

for _key, _value in KERNEL_ENVIRONMENT.items():
    os.environ.setdefault(_key, _value)
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep)
                                                          if p and Path(p).resolve() != ROOT])

from benchmarks import measure, report  # noqa: E402

SECTIONS = ("explorers", "training", "notebooks", "grading", "clone", "student", "report")


def training_section(entry, smoke, torch_python):
    """In this interpreter if it has PyTorch, else in torch_python if given, else without PyTorch."""
    from benchmarks import training

    try:
        import torch  # noqa: F401
        here = True
    except ImportError:
        here = False
    if here or not torch_python:
        entry["python"] = sys.executable
        training.run(entry, smoke=smoke)
        if not here:
            entry["torch_missing"] = ("PyTorch is not installed in this environment (and no --torch-python was "
                                      "given): the ratio to PyTorch was not measured")
        return entry
    command = [torch_python, str(ROOT / "benchmarks" / "training.py")] + (["--smoke"] if smoke else [])
    out = subprocess.run(command, capture_output=True, text=True, env=os.environ, check=True).stdout
    entry.update(json.loads(out.strip().splitlines()[-1]))
    entry["python"] = torch_python
    return entry


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="run only these sections")
    parser.add_argument("--skip", nargs="+", choices=SECTIONS, default=[], help="leave these sections out")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks that everything works")
    parser.add_argument("--out", help="folder for results.json, BENCHMARKS.md and benchmarks.png "
                                      "(default: benchmarks/ and the repository's top folder)")
    parser.add_argument("--class-size", type=int, default=30, help="students in the synthetic class (default 30)")
    parser.add_argument("--workers", type=int, default=max(1, os.cpu_count() or 1),
                        help="grading workers (default: one per core)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each notebook (default 3)")
    parser.add_argument("--torch-python", default=os.environ.get("BENCH_TORCH_PYTHON"),
                        help="a Python with PyTorch, for the training comparison if this one has none")
    parser.add_argument("--no-baseline", action="store_true",
                        help="do not measure the baseline beside today's code (benchmarks/baseline.py)")
    args = parser.parse_args(argv)

    if args.out:
        out = Path(args.out)
        paths = {"json": out / "results.json", "md": out / "BENCHMARKS.md", "png": out / "benchmarks.png"}
    else:
        paths = {"json": ROOT / "benchmarks" / "results.json", "md": ROOT / "BENCHMARKS.md",
                 "png": ROOT / "benchmarks" / "benchmarks.png"}
    paths["json"].parent.mkdir(parents=True, exist_ok=True)
    wanted = [s for s in (args.only or SECTIONS) if s not in args.skip]
    results = {"sections": {}}
    last = json.loads(paths["json"].read_text()) if paths["json"].exists() else {}
    if args.only and last:  # keep the other sections' last results
        results = json.loads(paths["json"].read_text())
    results["machine"] = measure.machine()
    results["smoke"] = args.smoke
    results["command"] = "python benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    results["environment"] = {k: os.environ.get(k) for k in KERNEL_ENVIRONMENT}
    started = time.perf_counter()
    sections = results.setdefault("sections", {})
    for name in wanted:
        sections.pop(name, None)
        print(f"{name} ...", flush=True)
        with measure.section(sections, name) as entry:
            entry["command"] = results["command"]
            if name == "explorers":
                from benchmarks import explorers

                explorers.run(entry, moves=2, only=["SlopeExplorer"]) if args.smoke else explorers.run(entry)
            elif name == "training":
                training_section(entry, args.smoke, args.torch_python)
            elif name == "notebooks":
                from benchmarks import notebooks

                if args.smoke:
                    notebooks.run(entry, repeats=1, only=["00_start_here"])
                else:
                    notebooks.run(entry, repeats=args.repeats)
            elif name == "grading":
                from benchmarks import grading

                if args.smoke:
                    grading.run(entry, class_size=1, workers=1, lessons=["01_one_neuron"], floor_submissions=1)
                else:
                    grading.run(entry, class_size=args.class_size, workers=args.workers)
                    if not args.no_baseline:
                        from benchmarks import baseline

                        print(f"  grading: the same, by the baseline ({baseline.BASELINE}) ...", flush=True)
                        entry["baseline"] = baseline.run_section(
                            "grading", ["--class-size", str(args.class_size), "--workers", str(args.workers)])
            elif name == "student":
                from benchmarks import student

                student.run(entry, repeats=1 if args.smoke else 3, with_baseline=not (args.smoke or args.no_baseline))
            elif name == "report":
                from benchmarks import class_report

                previous = (last.get("sections") or {}).get("report")
                class_report.run(entry, students=10 if args.smoke else 100, repeats=1 if args.smoke else 3,
                                 previous=None if args.smoke or (previous or {}).get("students") != 100 else previous)
            elif name == "clone":
                if args.smoke:
                    entry["skipped"] = "not in a smoke run (it installs every package into a new environment)"
                else:
                    from benchmarks import clone

                    clone.run(entry)
        print(f"{name}: {sections[name]['section_seconds']:.0f} s", flush=True)
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["targets"] = report.targets(results)
    paths["json"].write_text(json.dumps(results, indent=1) + "\n")
    report.plot(results, paths["png"])
    paths["md"].write_text(report.markdown(results, os.path.relpath(paths["png"], paths["md"].parent)))
    print(f"\nwrote {paths['json']}, {paths['md']}, {paths['png']} ({results['seconds']:.0f} s)")
    for t in results["targets"]:
        print(f"  {'met' if t['met'] else 'NOT MET' if t['met'] is False else 'not measured'}: {t['target']}: "
              f"{t['measured']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
