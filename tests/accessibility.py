"""axe-core in the browser: the accessibility checks the browser tests share.

axe-core (the npm package, pinned in tests/package.json; tests/run.sh installs it with `npm ci`
into tests/node_modules) is read from disk and injected into the page, so a run needs no network.
It checks the page against WCAG 2.1 A and AA; every violation is sorted by where it is:

    own      inside what the course put on the page: a notebook's outputs (figures, explorers,
             quizzes, feedback) and its rendered Markdown (the lesson's prose), or a whole page
             the course made (a feedback page)
    chrome   JupyterLab's (or nbgrader's) own interface around it: reported, not failed

    check_lesson(page, lesson)   after Run All: no serious or critical violation in the course's outputs,
                                 alt text with numbers, a live region per explorer, named sliders
                                 (tests/test_browser.py calls it in its Run All of every lesson)
    record(name, violations)     axe's findings kept in tests/artifacts/accessibility/NAME.json

    python tests/accessibility.py REPO OUT.json    Run All on every lesson of REPO (a copy of the
                                                   course) and write the counts per lesson
"""

import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SERIOUS = ("serious", "critical")
# what the course puts on a JupyterLab page: a notebook's outputs and its rendered Markdown
OWN = ".jp-OutputArea-output, .jp-MarkdownCell .jp-RenderedHTMLCommon"


def axe_source():
    if not AXE.is_file():
        raise FileNotFoundError(f"{AXE} is missing: install the tests' npm packages with `npm ci --prefix tests` "
                                f"(tests/run.sh does)")
    return AXE.read_text()


_RUN = """async ([own, tags]) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}, elementRef: true,
                                          resultTypes: ['violations']});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({
      own: own === '*' || !!(n.element && n.element.closest(own)),
      target: JSON.stringify(n.target), html: n.html.slice(0, 300),
      summary: (n.failureSummary || '').slice(0, 400)}))}));
}"""


def audit(page, own=OWN):
    """axe-core on the page as it is now: a list of violations, each {id, impact, help, nodes}, each
    node marked own (inside `own`, a CSS selector; "*" for all of the page) or not."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    return page.evaluate(_RUN, [own, TAGS])


def split(violations):
    """(own, chrome): the violations' nodes as (rule id, impact, target, html, summary), by where they are."""
    own, chrome = [], []
    for v in violations:
        for n in v["nodes"]:
            (own if n["own"] else chrome).append((v["id"], v["impact"], n["target"], n["html"], n["summary"]))
    return own, chrome


def counts(violations):
    """{"own": {impact: n}, "chrome": {impact: n}}: how many offending elements of each impact."""
    table = {"own": {}, "chrome": {}}
    for v in violations:
        for n in v["nodes"]:
            where = table["own" if n["own"] else "chrome"]
            where[v["impact"]] = where.get(v["impact"], 0) + 1
    return table


def serious(nodes):
    """The serious and critical ones of split()'s nodes."""
    return [n for n in nodes if n[1] in SERIOUS]


def describe(nodes, limit=12):
    lines = [f"{rule} ({impact}) at {target}: {html}\n    {summary}" for rule, impact, target, html, summary
             in nodes[:limit]]
    more = f"\n... and {len(nodes) - limit} more" if len(nodes) > limit else ""
    return "\n".join(lines) + more


REPORTS = HERE / "artifacts" / "accessibility"


def record(name, violations):
    """Keep what axe said (counts, and every offending element) in tests/artifacts/accessibility/NAME.json
    for people to read; return (own, chrome) as split() does."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    own, chrome = split(violations)
    (REPORTS / f"{name}.json").write_text(json.dumps({"counts": counts(violations), "own": own, "chrome": chrome},
                                                     indent=1))
    return own, chrome


def check_lesson(page, lesson):
    """A lesson after Run All, for every student: axe-core finds no serious or critical violation in
    what the course put on the page; every image in its outputs says what it shows, with numbers;
    every explorer has one live region that says its numbers, and every slider a name. (The browser
    tests' Run All of every lesson calls it, so each lesson runs once for both.)"""
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
    own, _ = record(lesson, audit(page))
    assert not serious(own), f"{lesson}: serious or critical violations in its outputs:\n{describe(serious(own))}"
    alts = notebook.locator(".jp-OutputArea-output img").evaluate_all("imgs => imgs.map(i => i.alt)")
    assert alts, f"{lesson}: no figure"
    vague = [alt for alt in alts if len(alt) < 40 or not any(ch.isdigit() for ch in alt)]
    assert not vague, f"{lesson}: figures without a useful text alternative: {vague}"
    for explorer in notebook.locator(".bp-explorer").all():
        region = explorer.locator("[role=status][aria-live=polite]")
        assert region.count() == 1, f"{lesson}: an explorer without a live region"
        assert any(ch.isdigit() for ch in region.inner_text()), f"{lesson}: the live region says no numbers"
        names = explorer.locator("[role=slider]").evaluate_all("hs => hs.map(h => h.getAttribute('aria-label'))")
        assert all(names), f"{lesson}: a slider without an accessible name: {names}"


def measure(repo, out):
    """Run All on every solution notebook of a copy of the course; write each lesson's counts to out."""
    import tempfile

    from browser import CHROMIUM, CHROMIUM_ARGS, Lab
    from playwright.sync_api import sync_playwright

    repo = Path(repo)
    lessons = sorted(p.name for p in (repo / "solutions").iterdir() if (p / f"{p.name}.ipynb").is_file())
    report = {}
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as p:
        lab = Lab(repo, scratch, log=Path(out).with_suffix(".jupyter.log"))
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for lesson in lessons:
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                page = context.new_page()
                started = time.time()
                lab.open(page, f"solutions/{lesson}/{lesson}.ipynb")
                lab.run_all(page)
                time.sleep(1.0)
                violations = audit(page)
                own, chrome = split(violations)
                report[lesson] = {"counts": counts(violations), "own": own,
                                  "chrome": sorted({(n[0], n[1]) for n in chrome})}
                print(lesson, report[lesson]["counts"], f"{time.time() - started:.0f} s", flush=True)
                context.close()
        finally:
            browser.close()
            lab.stop()
    Path(out).write_text(json.dumps(report, indent=1))
    return report


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    measure(sys.argv[1], sys.argv[2])
