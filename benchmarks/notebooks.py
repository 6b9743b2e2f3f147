"""1. Each solution notebook executed top to bottom in a fresh kernel, as a student's Run All.

The wall time runs from asking for a kernel to the last cell's output (kernel start-up
included, as a student waits for it); the CPU time is the kernel's own (user + system),
read by a cell appended to the notebook. A trivial notebook (one empty cell) gives the
floor: the kernel's start-up alone. Every notebook must run without an error.
"""

import json
import time

import nbformat

from benchmarks.measure import ROOT, summary

PROBE = ("import json as _j, resource as _r\n"
         "_s, _c = _r.getrusage(_r.RUSAGE_SELF), _r.getrusage(_r.RUSAGE_CHILDREN)\n"
         "print(_j.dumps({'cpu': _s.ru_utime + _s.ru_stime + _c.ru_utime + _c.ru_stime}))")


def lessons():
    return sorted(p.name for p in (ROOT / "solutions").iterdir() if (p / f"{p.name}.ipynb").is_file())


def execute(nb, folder, timeout=300):
    """Run a notebook in a fresh kernel: (wall seconds, kernel CPU seconds, errors)."""
    from nbclient import NotebookClient

    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(folder)}})
    started = time.perf_counter()
    try:
        client.execute()
    except Exception as exc:  # noqa: BLE001  (a failing cell: recorded, the timing is still worth having)
        errors = [f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1] if str(exc).strip() else ''}"]
        return time.perf_counter() - started, None, errors
    wall = time.perf_counter() - started
    errors = [f"{o.ename}: {o.evalue}" for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    stderr = [o.text[:200] for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "stream" and o.name == "stderr"
              and "shows-a-failure" not in c.get("metadata", {}).get("tags", [])]  # (lesson 00's failing check, shown)
    cpu = json.loads(nb.cells[-1].outputs[-1]["text"])["cpu"]
    return wall, cpu, errors + [f"stderr: {s}" for s in stderr]


def run(entry, repeats=3, only=None):
    names = only or lessons()
    floor = [execute(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")]), ROOT)
             for _ in range(repeats)]
    entry["kernel_startup"] = {"wall": summary([w for w, _, _ in floor]), "cpu": summary([c for _, c, _ in floor])}
    per = {name: {"wall": [], "cpu": [], "errors": []} for name in names}
    totals_wall, totals_cpu = [], []
    for round_ in range(repeats):  # whole passes over the course, so that each gives a course total
        wall_sum = cpu_sum = 0.0
        for name in names:
            path = ROOT / "solutions" / name / f"{name}.ipynb"
            wall, cpu, errors = execute(nbformat.read(path, as_version=4), path.parent)
            per[name]["wall"].append(wall)
            per[name]["cpu"].append(cpu if cpu is not None else float("nan"))
            per[name]["errors"] = sorted(set(per[name]["errors"]) | set(errors))
            wall_sum += wall
            cpu_sum += cpu or 0.0
            print(f"  notebooks: {name} {wall:.1f} s (kernel CPU {cpu or float('nan'):.1f} s), round {round_ + 1}",
                  flush=True)
        totals_wall.append(wall_sum)
        totals_cpu.append(cpu_sum)
    entry["notebooks"] = {name: {"wall": summary(v["wall"]), "cpu": summary(v["cpu"]), "errors": v["errors"]}
                          for name, v in per.items()}
    entry["course"] = {"wall": summary(totals_wall), "cpu": summary(totals_cpu), "notebooks": len(names)}
    entry["repeats"] = repeats
    return entry
