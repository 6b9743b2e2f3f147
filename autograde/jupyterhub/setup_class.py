#!/usr/bin/env python3
"""Set up a class of the course on one machine: JupyterHub, local users, nbgrader's exchange.

Run it as root, from a clone of the course, with a Python 3.11 or newer that every user can
run (Debian's and Ubuntu's /usr/bin/python3 is one; a Python in root's home is not):

    sudo /usr/bin/python3 autograde/jupyterhub/setup_class.py --instructor ada --students students.txt \\
        --passwords /root/class-passwords.txt

students.txt lists the students' user names, one a line (# starts a comment). Run it again
whenever the roster changes, or to update the installed configuration and packages: every
step leaves what is already there (users, homes, the course folder, the exchange) as it is.
Nobody is ever removed: a user who is no longer on the roster can no longer log in.

1. Users: the instructor and every student are local users (useradd: a home folder, bash),
   each home folder readable by its owner only (700). --passwords FILE gives every one of them
   who has no password a random one, and lists them in FILE (root only), to hand out.
2. The course folder, in the instructor's home (~/backprop): a copy of this clone unless it
   exists, owned by the instructor, 700. The solutions, the hidden tests, the submissions and
   the gradebook live there, out of the students' reach.
3. The Python environment, for everyone (<prefix>/venv): the course's pinned packages (those of
   requirements.txt, as the README installs them), JupyterHub (requirements.txt beside this
   file), and the course's helper package, copied from this clone, not linked to it (the
   students cannot read the course folder).
4. The proxy: configurable-http-proxy from npm (pinned by proxy/package-lock.json), into
   <prefix>/proxy.
5. The exchange (/srv/nbgrader/exchange): a folder where everyone may add and nobody may remove
   what is another's (1777), and in it the course's folder, the instructor's, so that no student
   can take its name first. nbgrader's first release makes in it inbound/ (students may write
   but not list it), outbound/ and feedback/.
6. The configuration, readable by everyone (/etc/backprop-hub): jupyterhub_config.py and
   class.json, the students' and the instructor's Jupyter configuration, private_submit.py,
   and instructor.sh (the instructor's environment for a shell over ssh); and the hub's state
   folder, root's only (/var/lib/backprop-hub). Your own hub settings go in local_config.py
   there: it is never overwritten, nor its permissions changed.

Then start the hub, as root:  <prefix>/venv/bin/jupyterhub -f <config>/jupyterhub_config.py
"""

import argparse
import json
import os
import pwd
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
COURSE_ID = "backprop"  # as in autograde/nbgrader_config.py
USER_NAME = re.compile(r"[a-z_][a-z0-9_-]{0,31}")
# what a copy of the course never takes from a clone without git: nbgrader's runtime data
RUNTIME = ("submitted", "autograded", "feedback", "solution", "exchange", "backups", "gradebook.db",
           ".grading-secret", "grades.csv", "__pycache__", ".ipynb_checkpoints", "*.pyc", ".venv")


class SetupError(Exception):
    pass


def run(args, **kwargs):
    """Run a command; a failure raises SetupError with its output."""
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise SetupError(f"{' '.join(str(a) for a in args)} failed ({result.returncode}):\n"
                         f"{(result.stdout + result.stderr).strip()[-3000:]}")
    return result


def setup(instructor, students, *, course_dir="~/backprop", prefix="/opt/backprop-hub",
          config_dir="/etc/backprop-hub", state_dir="/var/lib/backprop-hub", exchange="/srv/nbgrader/exchange",
          bind_url="http://:8000", python=None, installer="auto", uv=None, passwords=None,
          comment=None, log=print):
    """Every step of the module's docstring; returns the class settings (class.json)."""
    if os.geteuid() != 0:
        raise SetupError("setting up a class makes users and folders for them: run it as root (sudo)")
    umask = os.umask(0o022)  # what it installs for everyone is readable by everyone
    try:
        return _setup(instructor, students, course_dir, Path(prefix), Path(config_dir), Path(state_dir),
                      Path(exchange), bind_url, python, installer, uv, passwords, comment, log)
    finally:
        os.umask(umask)


def _setup(instructor, students, course_dir, prefix, config_dir, state_dir, exchange, bind_url, python, installer,
           uv, passwords, comment, log):
    names = [instructor, *students]
    bad = [n for n in names if not USER_NAME.fullmatch(n)]
    if bad:
        raise SetupError(f"user names must be lower-case letters, digits, _ or - (32 at most), starting with a "
                         f"letter or _; not: {', '.join(map(repr, bad))}")
    if len(set(names)) != len(names):
        raise SetupError("a user name appears twice (the instructor among the students?)")

    log(f"users: {instructor} (instructor) and {len(students)} student(s)")
    for name in names:
        ensure_user(name, comment or ("instructor" if name == instructor else "student") + ", backpropagation course")
    if passwords:
        given = give_passwords(names, Path(passwords))
        log(f"passwords: {len(given)} new, listed in {passwords}" if given else "passwords: everyone has one")

    course = ensure_course(course_dir, instructor)
    log(f"course folder: {course} (the instructor's only)")

    python = python or sys.executable
    check_usable(python, instructor, "this Python")
    venv = install_environment(prefix / "venv", python, installer, uv)
    check_usable(venv / "bin" / "python", students[0] if students else instructor, "the class's environment",
                 "import backprop, nbgrader, jupyterlab")
    log(f"environment: {venv}")

    proxy = install_proxy(prefix / "proxy")
    log(f"proxy: {proxy}")

    ensure_exchange(exchange, instructor)
    log(f"exchange: {exchange}")

    sandbox = ensure_sandbox(instructor)
    log(f"grading sandbox: bubblewrap, and uids {sandbox[0]}-{sandbox[0] + sandbox[1] - 1} for {instructor}'s "
        f"submissions to run as")

    settings = {"course_id": COURSE_ID, "instructor": instructor, "students": list(students),
                "course_dir": str(course_dir), "exchange": str(exchange), "environment": str(venv),
                "proxy": str(proxy), "state_dir": str(state_dir), "bind_url": bind_url}
    install_config(config_dir, settings)
    state_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(state_dir, 0o700)
    log(f"configuration: {config_dir}; the hub's state: {state_dir}")
    return settings


# ---------------------------------------------------------------------------------------------
# 1. users


def ensure_user(name, comment):
    """A local user with a home folder only they can open; made if missing. True if made."""
    made = False
    try:
        user = pwd.getpwnam(name)
    except KeyError:
        run(["useradd", "--create-home", "--shell", "/bin/bash", "--comment", comment, name])
        user, made = pwd.getpwnam(name), True
    os.chmod(user.pw_dir, 0o700)
    return made


def give_passwords(names, listing):
    """A random password for every user without one, appended to `listing` (root only)."""
    new = []
    for name in names:
        status = run(["passwd", "--status", name]).stdout.split()
        if len(status) < 2 or status[1] != "P":  # L: locked, NP: none
            new.append((name, secrets.token_urlsafe(12)))
    if new:
        run(["chpasswd"], input="".join(f"{n}:{p}\n" for n, p in new))
        listing.parent.mkdir(parents=True, exist_ok=True)
        with open(os.open(listing, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "a") as f:
            f.writelines(f"{n} {p}\n" for n, p in new)
        os.chmod(listing, 0o600)
    return [n for n, _ in new]


def ensure_sandbox(instructor, count=65536):
    """What grading in an operating-system sandbox needs (autograde/isolation.py): bubblewrap, newuidmap,
    and a range of subordinate uids and gids of the instructor's, for each submission to run as a user
    of its own. Installs the Debian packages if missing; returns the instructor's (first uid, count)."""
    missing = [package for command, package in (("bwrap", "bubblewrap"), ("newuidmap", "uidmap"))
               if not shutil.which(command)]
    if missing:
        if not shutil.which("apt-get"):
            raise SetupError(f"install {' and '.join(missing)} (grading runs submissions in their sandbox)")
        run(["apt-get", "install", "-y", "-qq", *missing], env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    ranges = {}
    for kind in ("uid", "gid"):
        lines = Path(f"/etc/sub{kind}").read_text().splitlines() if Path(f"/etc/sub{kind}").exists() else []
        fields = [line.split(":") for line in lines if line.count(":") == 2]
        taken = [(name, int(start), int(n)) for name, start, n in fields]
        own = [(start, n) for name, start, n in taken if name == instructor and n >= count]
        if own:
            ranges[kind] = own[0]
            continue
        start = max([100000] + [s + n for _, s, n in taken])
        flag = "--add-subuids" if kind == "uid" else "--add-subgids"
        run(["usermod", flag, f"{start}-{start + count - 1}", instructor])
        ranges[kind] = (start, count)
    return ranges["uid"]


# ---------------------------------------------------------------------------------------------
# 2. the course folder


def course_path(course_dir, instructor):
    """The course folder, ~ meaning the instructor's home."""
    if str(course_dir).startswith("~/"):
        return Path(pwd.getpwnam(instructor).pw_dir) / str(course_dir)[2:]
    return Path(course_dir)


def ensure_course(course_dir, instructor, source=REPO):
    """The instructor's course folder: a copy of `source` unless it exists; theirs only."""
    target = course_path(course_dir, instructor)
    user = pwd.getpwnam(instructor)
    if not target.exists():
        copy_course(source, target)
        for folder, dirs, files in os.walk(target):
            for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
                os.chown(name, user.pw_uid, user.pw_gid, follow_symlinks=False)
    if not (target / "autograde" / "nbgrader_config.py").is_file():
        raise SetupError(f"{target} is not a copy of the course: it has no autograde/nbgrader_config.py")
    os.chmod(target, 0o700)
    return target


def copy_course(source, target):
    """The files of the clone (with git: those it tracks or would; without: all but nbgrader's runtime data)."""
    source = Path(source)
    if (source / ".git").exists() and shutil.which("git"):
        listed = run(["git", "-c", f"safe.directory={source}", "-C", source, "ls-files", "-z", "--cached",
                      "--others", "--exclude-standard"]).stdout.split("\0")
        for name in filter(None, listed):
            if (source / name).is_file():
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source / name, target / name)
    else:
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(*RUNTIME, ".git"))
    target.mkdir(parents=True, exist_ok=True)


# ---------------------------------------------------------------------------------------------
# 3. the Python environment, 4. the proxy


def check_usable(python, user, what, code="pass"):
    """`python` runs `code` for `user` (a Python in root's home, for one, does not)."""
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"
    result = subprocess.run([runuser, "-u", user, "--", str(python), "-c", code], capture_output=True, text=True,
                            cwd="/", env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    if result.returncode != 0:
        raise SetupError(f"{what} ({python}) does not work for the user {user}: "
                         f"{(result.stdout + result.stderr).strip()[-1000:]}\n"
                         f"The class's users run it: use a Python every user can run, such as /usr/bin/python3 "
                         f"(--python), not one in root's home.")


def install_environment(venv, python, installer="auto", uv=None):
    """A virtual environment for everyone with the course's pinned packages, JupyterHub and the
    course's helper package (copied, not linked to this clone). Returns its folder."""
    venv = Path(venv)
    if installer == "auto":
        installer = "uv" if (uv or shutil.which("uv")) else "pip"
    if installer == "uv":
        uv = uv or shutil.which("uv")
        if not (venv / "bin" / "python").exists():
            run([uv, "venv", "--quiet", "--python", python, venv])
        install = [uv, "pip", "install", "--quiet", "--python", venv / "bin" / "python"]
        reinstall = "--reinstall"
    else:
        if not (venv / "bin" / "python").exists():
            run([python, "-m", "venv", venv])
        install = [venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        reinstall = "--force-reinstall"
    with tempfile.TemporaryDirectory() as build:
        # the course's pins, without its editable install of the helper package (`-e .`)
        course = [line for line in (REPO / "requirements.txt").read_text().splitlines()
                  if not line.strip().startswith("-e")]
        (Path(build) / "course.txt").write_text("\n".join(course) + "\n")
        run([*install, "-r", Path(build) / "course.txt", "-r", HERE / "requirements.txt"])
    with tempfile.TemporaryDirectory() as build:
        for name in ("pyproject.toml", "README.md", "LICENSE"):
            if (REPO / name).is_file():
                shutil.copy(REPO / name, build)
        shutil.copytree(REPO / "backprop", Path(build) / "backprop", ignore=shutil.ignore_patterns(*RUNTIME))
        run([*install, "--no-deps", reinstall, build])
    return venv


def install_proxy(folder):
    """configurable-http-proxy, the version proxy/package-lock.json pins; returns the command."""
    if not shutil.which("npm"):
        raise SetupError("npm is missing: install Node.js 20 or newer and npm (Debian: apt-get install nodejs npm)")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy(HERE / "proxy" / name, folder / name)
    run(["npm", "ci", "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error"], cwd=folder)
    command = folder / "node_modules" / ".bin" / "configurable-http-proxy"
    if not command.exists():
        raise SetupError(f"npm ci did not install {command}")
    return command


# ---------------------------------------------------------------------------------------------
# 5. the exchange, 6. the configuration


def ensure_exchange(exchange, instructor):
    """The exchange (1777) and in it the course's folder, the instructor's."""
    exchange = Path(exchange)
    exchange.mkdir(parents=True, exist_ok=True)
    os.chmod(exchange, 0o1777)
    course = exchange / COURSE_ID
    user = pwd.getpwnam(instructor)
    if not course.exists():
        course.mkdir()
        os.chown(course, user.pw_uid, user.pw_gid)
        os.chmod(course, 0o755)
    elif course.stat().st_uid != user.pw_uid:
        owner = pwd.getpwuid(course.stat().st_uid).pw_name
        raise SetupError(f"{course} belongs to {owner}, not to the instructor {instructor}: look inside, then remove "
                         f"it and run this again")
    return course


def install_config(config_dir, settings):
    """The hub's and the users' configuration, readable by everyone, writable by root only."""
    config_dir = Path(config_dir)
    config_dir.mkdir(parents=True, exist_ok=True)
    for name in ("jupyterhub_config.py", "private_submit.py"):
        shutil.copy(HERE / name, config_dir / name)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    student, instructor = config_dir / "student", config_dir / "instructor"
    for folder in (student, instructor):
        shutil.rmtree(folder, ignore_errors=True)
    # the students' JupyterLab is Binder's (binder/student/), with the class's nbgrader configuration
    shutil.copytree(REPO / "binder" / "student", student, ignore=skip)
    shutil.copy(HERE / "student" / "nbgrader_config.py", student / "nbgrader_config.py")
    shutil.copytree(HERE / "instructor", instructor, ignore=skip)
    shutil.copytree(REPO / "binder" / "student" / "lab-settings", instructor / "lab-settings")
    (config_dir / "class.json").write_text(json.dumps(settings, indent=2) + "\n")
    (config_dir / "instructor.sh").write_text(
        "# The class's instructor's environment in a shell over ssh (the hub gives their server the same):\n"
        f"#   . {config_dir / 'instructor.sh'}\n"
        f'export PATH="{settings["environment"]}/bin:$PATH"\n'
        f'export JUPYTER_CONFIG_PATH="{instructor}"\n'
        f'export BACKPROP_EXCHANGE="{settings["exchange"]}"\n')
    for folder, _, files in os.walk(config_dir):
        os.chmod(folder, 0o755)
        for name in files:
            if not (folder == str(config_dir) and name == "local_config.py"):  # yours: may hold secrets
                os.chmod(os.path.join(folder, name), 0o644)
    return config_dir


# ---------------------------------------------------------------------------------------------


def read_roster(path):
    names = []
    for line in Path(path).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(line)
    return names


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--instructor", required=True, help="the instructor's user name")
    parser.add_argument("--students", required=True, help="a file of the students' user names, one a line")
    parser.add_argument("--passwords", help="give users without a password a random one, listed in this file")
    parser.add_argument("--course-dir", default="~/backprop", help="the course folder (~ is the instructor's home)")
    parser.add_argument("--prefix", default="/opt/backprop-hub", help="where the environment and the proxy go")
    parser.add_argument("--config-dir", default="/etc/backprop-hub", help="where the configuration goes")
    parser.add_argument("--state-dir", default="/var/lib/backprop-hub", help="where the hub keeps its database")
    parser.add_argument("--exchange", default="/srv/nbgrader/exchange", help="nbgrader's exchange")
    parser.add_argument("--bind-url", default="http://:8000", help="where the hub listens (default: port 8000)")
    parser.add_argument("--python", help="the Python of the environment (default: the one running this)")
    parser.add_argument("--installer", choices=["auto", "pip", "uv"], default="auto",
                        help="what installs the packages (auto: uv if it is on PATH, else pip)")
    args = parser.parse_args(argv)
    try:
        settings = setup(args.instructor, read_roster(args.students), course_dir=args.course_dir, prefix=args.prefix,
                         config_dir=args.config_dir, state_dir=args.state_dir, exchange=args.exchange,
                         bind_url=args.bind_url, python=args.python, installer=args.installer,
                         passwords=args.passwords)
    except SetupError as exc:
        sys.exit(f"setup_class.py: {exc}")
    address = settings["bind_url"].replace("://:", "://<this machine>:")
    print(f"\nThe class is set up. Start the hub, as root:\n"
          f"    {settings['environment']}/bin/jupyterhub -f {Path(args.config_dir) / 'jupyterhub_config.py'}\n"
          f"(a systemd service for it: autograde/GUIDE.md). Everyone logs in at {address} with their user name "
          f"and password.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
