"""The course as it was before the grading was rebuilt, measured beside today's in the same run.

A number measured last month on a machine in another mood says little; the same work measured
now, on this machine, by the code as it was, says how today's compares. The "before" is a checkout
of BASELINE, whose own benchmarks/run.py measures itself.

    BASELINE             the commit measured as "before": the last one before this round's grading work
    checkout(ref)        a checkout of ref under benchmarks/.scratch (made once, then reused)
    run_section(name, args, ref)   that checkout's own benchmarks/run.py for one section: its results
    copy_course(source, destination)   the files git knows about in a checkout, copied (a student's copy)
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.measure import ROOT

__all__ = ["BASELINE", "checkout", "run_section", "copy_course"]

BASELINE = "4187728"  # "python -m backprop.course opens lesson 00 for real": stop 11, the grade's old engine
SCRATCH = ROOT / "benchmarks" / ".scratch"


def checkout(ref=BASELINE):
    """A checkout of `ref` (a detached git worktree in benchmarks/.scratch), made once."""
    commit = subprocess.run(["git", "rev-parse", "--verify", f"{ref}^{{commit}}"], cwd=ROOT, capture_output=True,
                            text=True)
    if commit.returncode != 0:
        raise ValueError(f"ref must name a commit of this repository, but is {ref!r}: {commit.stderr.strip()}")
    folder = SCRATCH / f"baseline-{commit.stdout.strip()[:12]}"
    if not (folder / "benchmarks" / "run.py").is_file():
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(["git", "worktree", "prune"], cwd=ROOT, check=True)
        subprocess.run(["git", "worktree", "add", "--detach", "--force", str(folder), commit.stdout.strip()], cwd=ROOT,
                       check=True, capture_output=True)
    return folder


def run_section(name, args=(), ref=BASELINE):
    """Run the baseline's own benchmarks for one section (its command-line options `args`); its
    section of results.json, with the commit it measured."""
    folder = checkout(ref)
    with tempfile.TemporaryDirectory() as out:
        env = dict(os.environ, PYTHONPATH=str(folder))
        result = subprocess.run([sys.executable, str(folder / "benchmarks" / "run.py"), "--only", name, *args,
                                 "--out", out], cwd=folder, env=env, capture_output=True, text=True)
        path = Path(out) / "results.json"
        if result.returncode != 0 or not path.is_file():
            raise RuntimeError(f"the baseline's benchmark of {name} failed:\n{result.stdout[-2000:]}"
                               f"\n{result.stderr[-2000:]}")
        section = json.loads(path.read_text())["sections"][name]
    section["commit"] = ref
    return section


def copy_course(source, destination):
    """The files git knows about in `source` (tracked, or new and not ignored), copied to destination."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=source,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        path = Path(source) / name
        if path.is_file():
            target = Path(destination) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    return Path(destination)
