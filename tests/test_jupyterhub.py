"""A class on JupyterHub, for real: the configuration of autograde/jupyterhub/ installed by its
setup_class.py on this machine, an instructor and two students as local users, a real
JupyterHub with configurable-http-proxy from npm, and a whole round of the course driven the
way the class drives it: through each user's own server (the Assignment List's and Validate's
API, the formgrader's) and nbgrader's commands run as the instructor in a shell.

The instructor sets due dates and releases; the students fetch, fill in their lessons, validate
and submit (one lesson right, one partly wrong, one late); the instructor collects, grades with
python -m autograde.grade, generates and releases the feedback; the students fetch it. Then: the grades, the late
flag, the feedback (hidden tests' code left out), each user's tools, and, tried as the students
themselves, that none can read another's work, the solutions, the gradebook or the exchange's
inbound folder.

It needs root (it makes users), useradd and runuser, Node.js with npm (the npm registry) and
PyPI (the class's environment, built with uv from the pinned requirements), and a Python 3.11+
every user can run (/usr/bin/python3). It removes its users, processes and files, even when it
fails, and those of an earlier run that was killed.
"""

import csv
import html
import http.cookiejar
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest
from conftest import ARTIFACTS, ROOT

HUB = ROOT / "autograde" / "jupyterhub"
sys.path.insert(0, str(HUB))
import setup_class  # noqa: E402

PREFIX = "bph"                              # every user this test makes starts with it ...
MARK = "backprop-course hub test, pid "     # ... and says which test process made it
BASES = Path("/tmp")                        # where each run keeps its files (every user reaches /tmp)
COURSE = "backprop"
DUE_PAST, DUE_FUTURE = "2000-01-01 00:00:00 UTC", "2100-01-01 00:00:00 UTC"
STUDENT_TOOLS_OFF = ["@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                     "@jupyter/nbgrader:course-list"]
STUDENT_TOOLS_ON = ["@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:validate-assignment"]


# ---------------------------------------------------------------------------------------------
# quick checks of the configuration (no hub)


def test_the_class_setup_uses_the_courses_id():
    from autograde import nbgrader_course

    assert setup_class.COURSE_ID == nbgrader_course.config().CourseDirectory.course_id == COURSE


def test_the_hub_environment_pins_every_package_it_adds_and_jupyterhub_6_1_1():
    pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)$", (HUB / "requirements.txt").read_text(), flags=re.M))
    assert pins["jupyterhub"] == "6.1.1"
    lines = [line for line in (HUB / "requirements.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert all("==" in line for line in lines), lines
    course = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)$", (ROOT / "requirements.txt").read_text(), flags=re.M))
    assert course and not set(pins) & set(course), "a package pinned twice"
    lock = json.loads((HUB / "proxy" / "package-lock.json").read_text())
    assert lock["packages"][""]["dependencies"] == {"configurable-http-proxy": "5.2.0"}
    assert lock["packages"]["node_modules/configurable-http-proxy"]["version"] == "5.2.0"


def test_the_exchange_is_the_hubs_when_the_hub_names_it(monkeypatch):
    from autograde import nbgrader_course

    monkeypatch.delenv("BACKPROP_EXCHANGE", raising=False)
    assert nbgrader_course.config().Exchange.root == str(ROOT / "autograde" / "exchange")
    monkeypatch.setenv("BACKPROP_EXCHANGE", "/srv/nbgrader/exchange")
    assert nbgrader_course.config().Exchange.root == "/srv/nbgrader/exchange"


def test_setting_up_a_class_says_how_and_wants_root(monkeypatch):
    result = subprocess.run([sys.executable, str(HUB / "setup_class.py"), "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "--instructor" in result.stdout and "1. Users" in result.stdout
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(setup_class.SetupError, match="run it as root"):
        setup_class.setup("ada", ["ana"])
    monkeypatch.undo()
    with pytest.raises(setup_class.SetupError, match="user names must be"):
        setup_class.setup("ada", ["Ana Smith"])


def test_the_hub_configuration_is_installed_not_used_from_the_clone():
    from traitlets.config import PyFileConfigLoader

    with pytest.raises(SystemExit, match="class.json is missing: install the class with"):
        PyFileConfigLoader("jupyterhub_config.py", path=str(HUB)).load_config()


def test_the_feedback_button_says_where_feedback_comes_from_where_the_course_is_not(monkeypatch, tmp_path):
    from backprop import course

    assert course.FeedbackPanel().button is not None  # in a clone: the student grades their own work
    monkeypatch.setattr(course, "REPO", tmp_path)      # installed on a hub: no solutions/ beside the package
    panel = course.FeedbackPanel()
    assert panel.button is None and "Fetch Feedback" in panel.widget.value
    panel.run()  # does nothing, says nothing


def test_the_guide_is_linked_from_the_readme_and_covers_every_step():
    readme = (ROOT / "README.md").read_text()
    assert "autograde/GUIDE.md" in readme
    guide = (ROOT / "autograde" / "GUIDE.md").read_text()
    for heading in ["Set up a class", "Keep the solutions and the hidden tests private", "Release", "Collect",
                    "Grade", "Hand back the feedback", "Grade in isolation", "When a submission breaks",
                    "Kubernetes"]:
        assert re.search(rf"^#+ .*{heading}", guide, flags=re.M | re.I), heading


# ---------------------------------------------------------------------------------------------
# the class on a real hub


class Class:
    """One run: its users, its files under `base`, its hub; everything removed by teardown()."""

    def __init__(self):
        tag = secrets.token_hex(2)
        self.instructor, self.ana, self.ben, self.grader = (f"{PREFIX}{tag}-{role}"
                                                            for role in ("teach", "ana", "ben", "grade"))
        self.class_users = [self.instructor, self.ana, self.ben]
        self.users = [*self.class_users, self.grader]  # the grader: the guide's grading in isolation
        self.base = Path(tempfile.mkdtemp(prefix="backprop-hub-test-", dir=BASES))
        os.chmod(self.base, 0o755)  # the users reach the environment and the exchange through it
        (self.base / "owner.pid").write_text(str(os.getpid()))
        self.config = self.base / "etc"
        self.exchange = self.base / "exchange"
        self.passwords = self.base / "passwords.txt"
        self.token = secrets.token_hex(32)
        self.hub = None
        self.tokens = {}
        self.log = self.base / "jupyterhub.log"

    # --- setting up ---------------------------------------------------------------------------

    def setup(self):
        for name in self.users:  # made here to be marked as this run's; setup_class leaves them as they are
            subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", "--comment", f"{MARK}{os.getpid()}",
                            name], check=True, capture_output=True)
        uv = find_uv()
        self.settings = setup_class.setup(
            self.instructor, [self.ana, self.ben], prefix=self.base / "opt", config_dir=self.config,
            state_dir=self.base / "state", exchange=self.exchange, bind_url=f"http://127.0.0.1:{free_port()}",
            python=python_for_everyone(), installer="uv" if uv else "pip", uv=uv, passwords=self.passwords,
            log=lambda message: print("setup_class:", message))
        self.url = self.settings["bind_url"]
        self.venv = Path(self.settings["environment"])
        self.course = Path(pwd.getpwnam(self.instructor).pw_dir) / "backprop"

    def start(self):
        # the machine's own settings, in the file the class's configuration reads last
        local = self.config / "local_config.py"
        local.touch(mode=0o600)
        local.write_text(
            "c = get_config()  # noqa: F821\n"
            f"c.JupyterHub.hub_bind_url = 'http://127.0.0.1:{free_port()}'\n"
            f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{free_port()}'\n"
            # the test's own service: it starts servers and makes a token for each user
            f"c.JupyterHub.services = [{{'name': 'class-test', 'api_token': {self.token!r}}}]\n"
            "c.JupyterHub.load_roles = [{'name': 'class-test', 'services': ['class-test'],\n"
            "    'scopes': ['admin:users', 'admin:servers', 'tokens', 'access:servers']}]\n")
        self.try_to_switch_the_instructors_tools_on(self.ana)
        node = Path(shutil.which("node")).parent
        env = {"PATH": f"{self.venv / 'bin'}:{node}:/usr/bin:/bin", "LANG": "C.UTF-8"}
        self.hub_log = open(self.log, "w")
        self.hub = subprocess.Popen([self.venv / "bin" / "jupyterhub", "-f", self.config / "jupyterhub_config.py"],
                                    cwd=self.base / "state",
                                    env=env, stdout=self.hub_log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(lambda: self.api("GET", "/")[0] == 200, 120, "the hub to answer", self)
        for name in self.class_users:
            status, _ = self.api("POST", f"/users/{name}/server")
            assert status in (201, 202), (name, status, self.log_tail())
        for name in self.class_users:
            wait_for(lambda n=name: self.api("GET", f"/users/{n}")[1]["servers"].get("", {}).get("ready"), 180,
                     f"{name}'s server", self)
            status, token = self.api("POST", f"/users/{name}/tokens", {"note": "class test", "expires_in": 3600})
            assert status == 201, (status, token)
            self.tokens[name] = token["token"]

    def try_to_switch_the_instructors_tools_on(self, student):
        """What a student might try in their own Jupyter settings (~/.jupyter): the hub ignores them."""
        settings = home(student) / ".jupyter"
        (settings / "labconfig").mkdir(parents=True)
        (settings / "labconfig" / "page_config.json").write_text(json.dumps({
            "disabledExtensions": {name: False for name in STUDENT_TOOLS_OFF},
            "lockedExtensions": {name: False for name in STUDENT_TOOLS_OFF}}))
        (settings / "jupyter_server_config.json").write_text(json.dumps({"ServerApp": {"jpserver_extensions": {
            "nbgrader.server_extensions.formgrader": True, "nbgrader.server_extensions.course_list": True}}}))
        (settings / "jupyter_server_config.py").write_text(  # any code at all, were it loaded
            "import pathlib\n(pathlib.Path.home() / 'my-settings-were-loaded').touch()\n")
        subprocess.run(["chown", "-R", f"{student}:", settings], check=True)

    # --- talking to the hub and to the users' servers ------------------------------------------

    def api(self, method, path, data=None):
        return request(method, f"{self.url}/hub/api{path}", self.token, data)

    def server(self, user, method, path, data=None, token=None, raw=False, headers=None):
        """A request to `user`'s own server, with `user`'s token (or another's)."""
        return request(method, f"{self.url}/user/{user}{path}", token or self.tokens[user], data, raw=raw,
                       headers=headers)

    def as_user(self, user, script):
        """Run a shell script as `user`, in a clean login-like environment; the CompletedProcess."""
        home = pwd.getpwnam(user).pw_dir
        env = [f"HOME={home}", f"USER={user}", f"LOGNAME={user}", f"PATH={self.venv / 'bin'}:/usr/bin:/bin",
               "LANG=C.UTF-8"]
        return subprocess.run(["runuser", "-u", user, "--", "env", "-i", *env, "bash", "-c", script], cwd="/",
                              capture_output=True, text=True, timeout=600)

    def as_instructor(self, script):
        """The instructor in a shell over ssh: instructor.sh, then the script; it must succeed."""
        result = self.as_user(self.instructor, f". {self.config / 'instructor.sh'} && {script}")
        assert result.returncode == 0, f"{script}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        return result.stdout + result.stderr

    def log_tail(self):
        return self.log.read_text()[-4000:] if self.log.exists() else ""

    # --- removing everything ---------------------------------------------------------------------

    def teardown(self):
        """Stop everything and remove it; the hub's log and what the users saw stay in tests/artifacts/."""
        keep = ARTIFACTS / "jupyterhub"
        shutil.rmtree(keep, ignore_errors=True)
        keep.mkdir(parents=True)
        if self.log.exists():
            shutil.copy(self.log, keep / "jupyterhub.log")
        (keep / "round.json").write_text(json.dumps(getattr(self, "round", {}), indent=1, default=str))
        if self.hub is not None and self.hub.poll() is None:
            self.hub.send_signal(signal.SIGTERM)  # the hub stops the users' servers and the proxy
            try:
                self.hub.wait(60)
            except subprocess.TimeoutExpired:
                self.hub.kill()
                self.hub.wait()
            self.hub_log.close()
        remove_run(self.base, self.users)


def find_uv():
    try:
        from uv import find_uv_bin

        return find_uv_bin()
    except (ImportError, FileNotFoundError):
        return shutil.which("uv")


def python_for_everyone():
    """A Python 3.11+ that other users can run: the class's environment is built on it."""
    for candidate in ("/usr/bin/python3", "/usr/local/bin/python3", shutil.which("python3")):
        if not candidate or not os.path.exists(candidate):
            continue
        path = Path(candidate).resolve()
        reachable = all(os.stat(p).st_mode & 0o001 for p in path.parents)
        modern = subprocess.run([candidate, "-c", "import sys, venv; sys.exit(sys.version_info < (3, 11))"],
                                capture_output=True).returncode == 0
        if reachable and modern:
            return candidate
    pytest.fail("The JupyterHub test needs a Python 3.11 or newer that every user can run, such as Debian's "
                "/usr/bin/python3 (apt-get install python3): the class's users run its environment.")


def free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never through a proxy


def request(method, url, token=None, data=None, raw=False, headers=None):
    """(status, JSON or text) of an HTTP request; its response headers go into `headers` (a dict, lower-case
    names)."""
    body = None if data is None else json.dumps(data).encode()
    req = urllib.request.Request(url, data=body, method=method)
    if token:
        req.add_header("Authorization", f"token {token}")
    if body is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with OPENER.open(req, timeout=300) as response:
            status, text = response.status, response.read().decode()
            got = response.headers
    except urllib.error.HTTPError as error:
        status, text, got = error.code, error.read().decode(errors="replace"), error.headers
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, None
    if headers is not None:
        headers.update((name.lower(), value) for name, value in got.items())
    if raw:
        return status, text
    try:
        return status, json.loads(text) if text else None
    except json.JSONDecodeError:
        return status, text


def wait_for(condition, seconds, what, run):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if condition():
                return
        except (KeyError, TypeError):
            pass
        if run.hub is not None and run.hub.poll() is not None:
            pytest.fail(f"the hub exited ({run.hub.returncode}) while waiting for {what}:\n{run.log_tail()}")
        time.sleep(0.5)
    pytest.fail(f"waited {seconds} s for {what}:\n{run.log_tail()}")


def processes(predicate):
    """Pids of the processes whose (uid, command line) satisfy predicate."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            uid = entry.stat().st_uid
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if predicate(uid, cmdline):
            found.append(int(entry.name))
    return found


def remove_run(base, users):
    """Stop every process of the run (its users', and any started from its folder), remove its users
    with their homes (only users a run of this test made: marked so), and its folder."""
    ours = {u.pw_name: u.pw_uid for u in pwd.getpwall() if u.pw_name in users and u.pw_gecos.startswith(MARK)}
    uids = set(ours.values())
    for _ in range(10):
        pids = processes(lambda uid, cmdline: uid in uids or str(base) in cmdline)
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.5)
    problems = []
    for name in ours:
        result = subprocess.run(["userdel", "--remove", name], capture_output=True, text=True)
        if result.returncode not in (0, 12):  # 12: the home folder was already gone
            problems.append(f"userdel {name}: {result.stderr.strip()}")
    shutil.rmtree(base, ignore_errors=True)
    assert not problems, problems


def remove_stale_runs():
    """What earlier runs left behind when they were killed: their users and their folders."""
    def gone(pid):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False

    stale_users = {}
    for user in pwd.getpwall():
        if user.pw_name.startswith(PREFIX) and user.pw_gecos.startswith(MARK):
            pid = int(user.pw_gecos[len(MARK):].split(",")[0] or 0)
            if gone(pid):
                stale_users.setdefault(pid, []).append(user.pw_name)
    stale_bases = {}
    for base in BASES.glob("backprop-hub-test-*"):
        try:
            pid = int((base / "owner.pid").read_text())
        except (OSError, ValueError):
            pid = 0
        if gone(pid):
            stale_bases[pid] = base
    for pid in set(stale_users) | set(stale_bases):
        remove_run(stale_bases.get(pid, BASES / "backprop-hub-test-gone"), stale_users.get(pid, []))


@pytest.fixture(scope="module")
def hub_class():
    if os.geteuid() != 0:
        pytest.fail("The JupyterHub test makes local users (useradd) and runs commands as them (runuser): run it "
                    "as root, as CI does (bash tests/run.sh).")
    missing = [tool for tool in ("useradd", "userdel", "runuser", "chpasswd", "node", "npm") if not shutil.which(tool)]
    if missing:
        pytest.fail(f"The JupyterHub test needs {', '.join(missing)} (Debian: apt-get install passwd util-linux "
                    f"nodejs npm).")
    remove_stale_runs()
    run = Class()
    try:
        run.setup()
        run.start()
        run.round = play_a_round(run)
        yield run
    finally:
        run.teardown()


# ---------------------------------------------------------------------------------------------
# a round of the course


def solutions(lesson):
    """{grade_id: the solution cell's code, as a student who got it right writes it}"""
    nb = nbformat.read(ROOT / "solutions" / lesson / f"{lesson}.ipynb", as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: "\n".join(
        line for line in c.source.splitlines() if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))
        for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")}


def fill_in(run, user, lesson, answers):
    """Fill in the fetched lesson through the user's own server, as saving in JupyterLab does."""
    path = f"/api/contents/{lesson}/{lesson}.ipynb"
    status, model = run.server(user, "GET", f"{path}?content=1")
    assert status == 200, (status, model)
    nb = model["content"]
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell["source"] = answers[grade_id]
    status, saved = run.server(user, "PUT", path, {"type": "notebook", "format": "json", "content": nb})
    assert status == 200, (status, saved)


def assignment(run, user, action, lesson):
    status, listing = run.server(user, "POST", f"/assignments/{action}", {"course_id": COURSE, "assignment_id": lesson})
    assert status == 200, (user, action, lesson, status, listing)
    return listing


def play_a_round(run):
    """The round of the module's docstring; returns what the users saw on the way."""
    seen = {}
    course, autograde = run.course, run.course / "autograde"
    # the instructor, in a shell: due dates (lesson 02's long past, so that its submission is late), and
    # the start page released; then two lessons released from the formgrader, as its Release button does
    run.as_instructor(f"cd {autograde} && nbgrader db assignment add 01_one_neuron --duedate='{DUE_FUTURE}' && "
                      f"nbgrader db assignment add 02_chain_rule --duedate='{DUE_PAST}' && "
                      f"nbgrader release_assignment 00_start_here")
    for lesson in ("01_one_neuron", "02_chain_rule"):
        status, result = run.server(run.instructor, "POST", f"/formgrader/api/assignment/{lesson}/release")
        assert status == 200 and result["success"], (lesson, status, result)

    # the students: the Assignment List lists the lessons; they fetch them
    status, seen["listed"] = run.server(run.ana, "GET", f"/assignments?course_id={COURSE}")
    assert status == 200, seen["listed"]
    for lesson in ("00_start_here", "01_one_neuron", "02_chain_rule"):
        assignment(run, run.ana, "fetch", lesson)
    assignment(run, run.ben, "fetch", "01_one_neuron")
    # lesson 00 runs top to bottom in Ana's environment (her kernel's Python, the course package as installed)
    seen["lesson 00"] = run.as_user(run.ana, "cd ~/00_start_here && jupyter nbconvert --to notebook --execute "
                                             "--output ran.ipynb 00_start_here.ipynb")

    # Ana gets lesson 01 right; Ben makes the classic mistake in the gradient (the factor 2 missing)
    one = solutions("01_one_neuron")
    fill_in(run, run.ana, "01_one_neuron", one)
    wrong = dict(one, neuron_gradients=one["neuron_gradients"].replace("dL_dz = 2 * (a - y)", "dL_dz = (a - y)"))
    assert wrong != one
    fill_in(run, run.ben, "01_one_neuron", wrong)
    for user in (run.ana, run.ben):  # Validate, as the notebook's toolbar button does
        status, seen[f"validate {user}"] = run.server(user, "POST", "/assignments/validate",
                                                      {"path": "01_one_neuron/01_one_neuron.ipynb"})
        assert status == 200, seen[f"validate {user}"]
    for user in (run.ana, run.ben):
        seen[f"submitted {user}"] = assignment(run, user, "submit", "01_one_neuron")
    # Ana's lesson 02 is right but late
    fill_in(run, run.ana, "02_chain_rule", solutions("02_chain_rule"))
    assignment(run, run.ana, "submit", "02_chain_rule")

    # the instructor, in a shell: collect, grade with the one command, release the feedback
    seen["collect"] = run.as_instructor(f"cd {autograde} && nbgrader collect 01_one_neuron && "
                                        f"nbgrader collect 02_chain_rule")
    seen["grade"] = run.as_instructor(f"cd {course} && python -m autograde.grade")
    # (grade.py wrote the feedback; the instructor writes lesson 01's again, as after grading by hand)
    run.as_instructor(f"cd {autograde} && nbgrader generate_feedback 01_one_neuron --force")
    seen["release feedback"] = run.as_instructor(f"cd {autograde} && nbgrader release_feedback 01_one_neuron && "
                                                 f"nbgrader release_feedback 02_chain_rule")

    # the students fetch their feedback from the Assignment List
    for user, lesson in ((run.ana, "01_one_neuron"), (run.ben, "01_one_neuron"), (run.ana, "02_chain_rule")):
        seen[f"feedback {user} {lesson}"] = assignment(run, user, "fetch_feedback", lesson)
    return seen


# ---------------------------------------------------------------------------------------------
# what the round shows


def home(user):
    return Path(pwd.getpwnam(user).pw_dir)


def feedback_html(user, lesson):
    found = sorted((home(user) / lesson / "feedback").glob(f"*/{lesson}.html"))
    assert found, f"no feedback for {user} in {home(user) / lesson / 'feedback'}"
    return found[-1].read_text()


@pytest.mark.slow
def test_students_fetch_validate_and_submit_through_their_own_servers(hub_class):
    run, seen = hub_class, hub_class.round
    listed = {a["assignment_id"]: a["status"] for a in seen["listed"]["value"]}
    assert listed == {"00_start_here": "released", "01_one_neuron": "released", "02_chain_rule": "released"}
    for user, lessons in ((run.ana, ["00_start_here", "01_one_neuron", "02_chain_rule"]), (run.ben, ["01_one_neuron"])):
        for lesson in lessons:
            assert (home(user) / lesson / f"{lesson}.ipynb").is_file()
    # the released lesson holds neither the solutions nor the hidden tests
    released = (run.exchange / COURSE / "outbound" / "01_one_neuron" / "01_one_neuron.ipynb").read_text()
    assert "BEGIN HIDDEN TESTS" not in released and "dL_dz = 2 * (a - y)" not in released
    # Validate: Ana's notebook passes; Ben's fails the gradients' test and says so
    ana, ben = seen[f"validate {run.ana}"], seen[f"validate {run.ben}"]
    assert ana["success"] and "failed" not in ana["value"], ana
    assert ben["success"] and "failed" in ben["value"], ben
    assert "the factor 2 from differentiating (a - y)**2 is missing" in json.dumps(ben["value"]["failed"])
    submitted = {a["assignment_id"]: a["status"] for a in seen[f"submitted {run.ben}"]["value"]}
    assert submitted["01_one_neuron"] == "submitted"
    # lesson 00 runs in a student's environment, and its feedback button says the instructor grades
    assert seen["lesson 00"].returncode == 0, seen["lesson 00"].stderr[-3000:]
    ran = nbformat.read(home(run.ana) / "00_start_here" / "ran.ipynb", as_version=4)
    outputs = json.dumps([c.get("outputs", []) for c in ran.cells if c.cell_type == "code"])
    assert '"output_type": "error"' not in outputs
    assert "your instructor collects and grades" in outputs


@pytest.mark.slow
def test_the_one_command_grades_the_class_with_the_late_flag(hub_class):
    from nbgrader.api import Gradebook

    run, seen = hub_class, hub_class.round
    assert "3 submission(s) graded" in seen["grade"], seen["grade"]
    with Gradebook(f"sqlite:///{run.course / 'autograde' / 'gradebook.db'}") as gb:
        def grades(student, lesson):
            submission = gb.find_submission(lesson, student)
            notebook = gb.find_submission_notebook(lesson, lesson, student)
            return ({g.name: (g.score, g.max_score) for g in notebook.grades if g.max_score},
                    submission.score, submission.max_score, submission.total_seconds_late)

        ana_01, ben_01, ana_02 = grades(run.ana, "01_one_neuron"), grades(run.ben, "01_one_neuron"), grades(
            run.ana, "02_chain_rule")
    assert ana_01[1:] == (5.0, 5.0, 0.0), ana_01
    assert ben_01[0] == {"test_neuron_forward": (2.0, 2.0), "test_neuron_gradients": (0.0, 3.0)}, ben_01
    assert ben_01[1:] == (2.0, 5.0, 0.0), ben_01
    assert ana_02[1:3] == (10.0, 10.0), ana_02
    assert ana_02[3] > 20 * 365 * 86400, "lesson 02 was due in 2000: its submission is late"
    with open(run.course / "autograde" / "grades.csv") as f:
        rows = {(r["student"], r["lesson"]): r for r in csv.DictReader(f)}
    assert {key: (r["score"], r["max_score"], r["status"]) for key, r in rows.items()} == {
        (run.ana, "01_one_neuron"): ("5.0", "5.0", "graded"), (run.ben, "01_one_neuron"): ("2.0", "5.0", "graded"),
        (run.ana, "02_chain_rule"): ("10.0", "10.0", "graded")}
    assert float(rows[run.ana, "02_chain_rule"]["seconds_late"]) == ana_02[3] > 0
    assert float(rows[run.ana, "01_one_neuron"]["seconds_late"]) == 0
    assert not any(r["notes"] for r in rows.values()), [r["notes"] for r in rows.values()]


@pytest.mark.slow
def test_the_formgraders_autograde_button_gives_what_the_class_command_gave(hub_class):
    """The instructor presses Autograde in the formgrader for Ben's lesson 01 after the class command
    graded it: the same points and the same words (one pipeline, declared in nbgrader_config.py)."""
    import sqlite3

    run = hub_class
    autograded = run.course / "autograde" / "autograded" / run.ben / "01_one_neuron" / "01_one_neuron.ipynb"

    def errors():
        nb = nbformat.read(autograded, as_version=4)
        return {c.metadata.nbgrader["grade_id"]: o.traceback for c in nb.cells if c.cell_type == "code"
                for o in c.get("outputs", []) if o.output_type == "error"}

    def causes():
        with sqlite3.connect(run.course / "autograde" / "causes.db") as db:
            return sorted(db.execute("SELECT * FROM causes WHERE student = ?", (run.ben,)).fetchall())

    before, causes_before = errors(), causes()
    status, result = run.server(run.instructor, "POST", f"/formgrader/api/submission/01_one_neuron/{run.ben}/autograde")
    assert status == 200 and result["success"], (status, result)
    assert "Likely cause: the factor 2" in " ".join(" ".join(t) for t in before.values())
    assert errors() == before
    assert causes() == causes_before and causes_before
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{run.course / 'autograde' / 'gradebook.db'}") as gb:
        assert gb.find_submission("01_one_neuron", run.ben).score == 2.0


@pytest.mark.slow
def test_each_student_fetches_their_own_feedback_without_the_hidden_tests(hub_class):
    run = hub_class
    released = "\n".join(c.source for c in nbformat.read(ROOT / "lessons" / "01_one_neuron" / "01_one_neuron.ipynb",
                                                         as_version=4).cells)
    hidden = [line.strip() for c in nbformat.read(ROOT / "solutions" / "01_one_neuron" / "01_one_neuron.ipynb",
                                                  as_version=4).cells
              if "BEGIN HIDDEN TESTS" in c.source
              for line in c.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0].splitlines()
              if line.strip() and line.strip() not in released]  # the lines only the hidden tests have
    assert len(hidden) >= 3, hidden
    for user, lesson, score in ((run.ana, "01_one_neuron", "5.0 / 5.0"), (run.ben, "01_one_neuron", "2.0 / 5.0"),
                                (run.ana, "02_chain_rule", "10.0 / 10.0")):
        page = html.unescape(re.sub(r"<[^>]+>", "", feedback_html(user, lesson)))
        assert f"Score: {score}" in re.sub(r"\s+", " ", page), (user, lesson)
        if lesson == "01_one_neuron":
            assert 'reference.random_neuron_input, seed=1, outputs=["a"])' in page  # the visible tests' code shows
            assert not [line for line in hidden if line in page], f"hidden test code in {user}'s feedback"
    assert "the factor 2 from differentiating (a - y)**2 is missing" in html.unescape(
        feedback_html(run.ben, "01_one_neuron"))


@pytest.mark.slow
def test_students_have_the_student_tools_and_the_instructor_every_tool(hub_class):
    run = hub_class

    def page_config(user, headers=None):
        status, page = run.server(user, "GET", "/lab", raw=True, headers=headers)
        assert status == 200, (user, status)
        data = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S)
        return json.loads(data.group(1))

    assert not (home(run.ana) / "my-settings-were-loaded").exists(), "a student's own server settings were loaded"
    for student in (run.ana, run.ben):  # Ana tried to switch the instructor's tools on in her settings
        headers = {}
        config = page_config(student, headers)
        assert headers["content-security-policy"] == "frame-ancestors 'none'"  # JupyterHub's default: no frames
        assert set(STUDENT_TOOLS_OFF) <= set(config["disabledExtensions"]), config["disabledExtensions"]
        assert not set(STUDENT_TOOLS_ON) & set(config["disabledExtensions"])
        assert set(STUDENT_TOOLS_OFF + STUDENT_TOOLS_ON) <= set(config["lockedExtensions"])
        assert run.server(student, "GET", "/formgrader", raw=True)[0] == 404  # the server extension is off
    config = page_config(run.instructor)
    assert not set(STUDENT_TOOLS_OFF + STUDENT_TOOLS_ON) & set(config["disabledExtensions"])
    status, assignments = run.server(run.instructor, "GET", "/formgrader/api/assignments")
    assert status == 200, assignments
    # JupyterLab shows the formgrader in a frame: the instructor's server allows frames from the same site
    headers = {}
    assert run.server(run.instructor, "GET", "/formgrader", raw=True, headers=headers)[0] == 200
    assert headers["content-security-policy"] == "frame-ancestors 'self'"
    assert {"01_one_neuron", "02_chain_rule"} <= {a["name"] for a in assignments}
    # and a student's token opens no one else's server
    assert run.server(run.ana, "GET", "/api/contents", token=run.tokens[run.ben])[0] == 403


@pytest.mark.slow
def test_a_student_can_read_neither_anothers_work_nor_the_solutions(hub_class):
    run = hub_class
    inbound = run.exchange / COURSE / "inbound"
    ana_submission = next(inbound.glob(f"{run.ana}+01_one_neuron+*")) / "01_one_neuron.ipynb"
    ana_work = home(run.ana) / "01_one_neuron" / "01_one_neuron.ipynb"
    solution = run.course / "solutions" / "01_one_neuron" / "01_one_neuron.ipynb"
    gradebook = run.course / "autograde" / "gradebook.db"
    ana_feedback = run.course / "autograde" / "feedback" / run.ana / "01_one_neuron" / "01_one_neuron.html"
    attempts = {  # what Ben tries, and who may do it
        f"cat '{ana_submission}'": [run.ana, run.instructor],
        f"cat '{ana_work}'": [run.ana],
        f"cat '{solution}'": [run.instructor],
        f"cat '{gradebook}' > /dev/null": [run.instructor],
        f"cat '{ana_feedback}'": [run.instructor],
        f"ls '{home(run.instructor)}'": [run.instructor],
        f"ls '{inbound}'": [run.instructor],
        f"ls '{run.exchange / COURSE / 'feedback'}'": [run.instructor],
        f"ls '{run.course}'": [run.instructor],
    }
    for command, allowed in attempts.items():
        tried = run.as_user(run.ben, command)
        assert tried.returncode != 0 and "Permission denied" in tried.stderr, (command, tried.stdout[:300])
        for user in allowed:  # the same command works for its owner: the path is right
            assert run.as_user(user, command).returncode == 0, (user, command)
    # nor change or take away what is not his
    for command in (f"rm -rf '{ana_submission.parent}'", f"echo x > '{ana_submission}'",
                    f"mv '{run.exchange / COURSE}' '{run.exchange / 'taken'}'"):
        tried = run.as_user(run.ben, command)
        assert tried.returncode != 0, command
    assert ana_submission.is_file() and (run.exchange / COURSE).is_dir()


@pytest.mark.slow
def test_students_log_in_with_their_passwords(hub_class):
    run = hub_class
    passwords = dict(line.split() for line in run.passwords.read_text().splitlines())
    assert set(passwords) == set(run.class_users)

    def log_in(user, password):
        jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect(),
                                             urllib.request.HTTPCookieProcessor(jar))
        opener.open(f"{run.url}/hub/login", timeout=60).read()
        xsrf = next(c.value for c in jar if c.name == "_xsrf")
        form = urllib.parse.urlencode({"username": user, "password": password, "_xsrf": xsrf}).encode()
        try:
            response = opener.open(f"{run.url}/hub/login?_xsrf={xsrf}", data=form, timeout=60)
            return response.status, {c.name for c in jar}
        except urllib.error.HTTPError as error:
            return error.code, {c.name for c in jar}

    status, cookies = log_in(run.ana, passwords[run.ana])
    assert status == 302 and "jupyterhub-session-id" in cookies, (status, cookies)
    assert log_in(run.ana, passwords[run.ben])[0] == 403
    assert log_in("nobody", "x")[0] == 403


@pytest.mark.slow
def test_grading_as_a_user_who_holds_nothing_else_gives_the_same_grades(hub_class):
    """The guide's grading in isolation, first way: a copy of the course, graded by a user of its own."""
    run = hub_class
    os.chmod(home(run.grader), 0o700)
    copy = home(run.grader) / "backprop"
    subprocess.run(["cp", "-a", run.course, copy], check=True)
    subprocess.run(["chown", "-R", f"{run.grader}:", copy], check=True)
    graded = run.as_user(run.grader, f". {run.config / 'instructor.sh'} && cd ~/backprop && python -m autograde.grade")
    assert graded.returncode == 0, graded.stdout[-2000:] + graded.stderr[-2000:]

    def summary(course):
        with open(course / "autograde" / "grades.csv") as f:
            return {(r["student"], r["lesson"]): (r["score"], r["seconds_late"], r["status"])
                    for r in csv.DictReader(f)}

    assert summary(copy) == summary(run.course)
    # the code it runs cannot reach the instructor's course, nor a student's home
    for path in (run.course, home(run.ana)):
        assert "Permission denied" in run.as_user(run.grader, f"ls '{path}'").stderr
