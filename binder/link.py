"""Print the Binder launch link and badge of the course, for this repository or another.

    python binder/link.py                 the course's own repository (REPOSITORY below)
    python binder/link.py someone/fork    a fork on GitHub

The link opens lesson 00 in JupyterLab. The README's badge is this script's output for
REPOSITORY: change REPOSITORY, run the script, and paste its output into the README.
"""

import sys

REPOSITORY = "OWNER/backprop-course"  # the course's GitHub repository, "owner/name"
START_PAGE = "lessons/00_start_here/00_start_here.ipynb"


def launch_url(repository=REPOSITORY, ref="HEAD"):
    if repository.count("/") != 1 or " " in repository:
        raise ValueError(f"repository must be 'owner/name' on GitHub, but is {repository!r}.")
    return f"https://mybinder.org/v2/gh/{repository}/{ref}?urlpath=lab/tree/{START_PAGE}"


def badge(repository=REPOSITORY):
    return f"[![Launch on Binder](https://mybinder.org/badge_logo.svg)]({launch_url(repository)})"


if __name__ == "__main__":
    repository = sys.argv[1] if len(sys.argv) > 1 else REPOSITORY
    print(launch_url(repository))
    print(badge(repository))
