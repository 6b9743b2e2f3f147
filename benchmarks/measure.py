"""What every benchmark needs: the machine it runs on, clocks, and medians.

Wall time is what a student or an instructor waits; CPU time (user + system, of this
process and of the children it waited for) is what the work costs, and is the fairer
measure on a shared machine, where other people's work stretches the wall clock. Both are
recorded everywhere, with the load average before and after.
"""

import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cpu_seconds():
    """CPU time (user + system) of this process and of the children it has waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Clock:
    """Wall and CPU seconds of a block: `with Clock() as c: ...; c.wall, c.cpu`."""

    def __enter__(self):
        self._wall, self._cpu = time.perf_counter(), cpu_seconds()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self._wall
        self.cpu = cpu_seconds() - self._cpu
        return False


def load():
    """The 1, 5 and 15 minute load averages."""
    return [round(x, 2) for x in os.getloadavg()]


@contextmanager
def section(results, name):
    """Record a section's load before and after, and its duration, into results[name]."""
    entry = results.setdefault(name, {})
    entry["load_before"] = load()
    started = time.perf_counter()
    try:
        yield entry
    except Exception as exc:  # noqa: BLE001  (one broken section never stops the others)
        import traceback

        entry["error"] = f"{type(exc).__name__}: {exc}"
        entry["traceback"] = traceback.format_exc()[-3000:]
        print(f"  {name}: FAILED: {entry['error']}", flush=True)
    finally:
        entry["load_after"] = load()
        entry["section_seconds"] = round(time.perf_counter() - started, 2)


def summary(values):
    """Median, min and max of a list of numbers (and how many)."""
    values = [float(v) for v in values]
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def _cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib():
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return None


def _blas():
    try:
        import numpy as np

        config = np.__config__.CONFIG
        blas = config.get("Build Dependencies", {}).get("blas", {})
        return f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
    except Exception:  # noqa: BLE001
        return "unknown"


def _version(module):
    try:
        return __import__(module).__version__
    except Exception:  # noqa: BLE001
        return None


def machine():
    """What the numbers were measured on."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True).stdout.strip()
    except OSError:
        commit = ""
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "memory_gib": _memory_gib(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "numpy": _version("numpy"),
        "blas": _blas(),
        "matplotlib": _version("matplotlib"),
        "nbgrader": _version("nbgrader"),
        "commit": commit,
        "executable": sys.executable,
        "load_at_start": load(),
    }
