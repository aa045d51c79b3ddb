"""JupyterHub: hand the release to each trainee on first login, with the right environment.

A hub cohort (``ssup cohort new DIR --hub``) gets a folder ``DIR/hub/`` that is safe to make
readable by every hub user (the release notebooks and ``hub.json``: no emails, no results). The
trainee's single-user server runs :func:`start_user` from a Jupyter server config file
(``deploy/jupyter_server_config.py``) as the trainee, when the server starts:

- the trainee id is the hub user name (``JUPYTERHUB_USER``);
- the workspace is ``SSUP_HOME`` if the deployment sets it (Zero to JupyterHub mounts the
  trainee's own folder of a shared volume there), else ``~/ssup``;
- release notebooks missing from the workspace are copied in (never over the trainee's work);
- ``SSUP_HOME``, ``SSUP_TRAINEE`` and, when the cohort has them, ``SSUP_DATA_DIR`` and
  ``SSUP_HIDE_SOLUTIONS`` are set in the server's environment, which every kernel inherits, so
  every check the trainee runs lands in their own attempts log.

Users not on the roster (the trainers) get nothing copied.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from ssup.config import REPO_ROOT

HUB_FILE = "hub.json"


def write_hub_files(cohort: Any) -> Path:
    """Write ``DIR/hub/``: hub.json, the release, the start-up hook and instructions."""
    hub = cohort.root / "hub"
    (hub / "release").mkdir(parents=True, exist_ok=True)
    for notebook in cohort.notebooks:
        shutil.copyfile(cohort.release_dir / notebook, hub / "release" / notebook)
    settings = {
        "cohort": cohort.name,
        "trainees": [t.trainee_id for t in cohort.roster()],
        "notebooks": cohort.notebooks,
        "data_dir": cohort.data_dir,
        "assessed": bool(cohort.config.get("assessed")),
        "workspace_in_home": "ssup",
    }
    (hub / HUB_FILE).write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    hook = REPO_ROOT / "deploy" / "jupyter_server_config.py"
    if hook.is_file():
        shutil.copyfile(hook, hub / "jupyter_server_config.py")
    workspace = cohort.config.get("workspace", "")
    (hub / "README.md").write_text(f"""# Hub files for cohort {cohort.name}

Copy this folder to `/srv/ssup/hub` on the hub (readable by every user: it holds only the
release notebooks and the list of trainee user names):

    sudo mkdir -p /srv/ssup && sudo cp -r {hub} /srv/ssup/hub && sudo chmod -R a+rX /srv/ssup/hub

Install the start-up hook once per hub (see docs/trainer-guide.md, "Running on JupyterHub"):

- The Littlest JupyterHub: `sudo cp jupyter_server_config.py /opt/tljh/user/etc/jupyter/`
- Zero to JupyterHub: the image built from `deploy/z2jh/Dockerfile` has it already.

Each trainee logs in with their trainee id as user name; on first login their notebooks are copied
to `~/ssup` (TLJH) or their workspace volume (Z2JH). Keep the cohort folder itself ({cohort.root})
private to trainers: it holds the roster, submissions and the gradebook.

The trainer reads trainees' workspaces at `{workspace}`: collect with
`sudo -E ssup cohort collect {cohort.root}`; the live dashboard reads logs copied by
`ssup cohort sync-logs {cohort.root} --group jupyterhub-admins` (deploy/tljh/ssup-sync-logs.timer
runs it every 20 seconds).
""", encoding="utf-8")
    return hub


def start_user(hub_dir: str | os.PathLike[str] | None = None, environ: Any = None,
               home: str | os.PathLike[str] | None = None) -> Path | None:
    """Prepare the trainee's workspace and environment; return the workspace (None: not a trainee)."""
    env = os.environ if environ is None else environ
    folder = Path(hub_dir or env.get("SSUP_HUB_DIR") or "/srv/ssup/hub")
    settings_file = folder / HUB_FILE
    trainee = env.get("SSUP_TRAINEE") or env.get("JUPYTERHUB_USER")
    if not trainee or not settings_file.is_file():
        return None
    settings = json.loads(settings_file.read_text(encoding="utf-8"))
    if trainee not in settings.get("trainees", []):
        return None
    base = Path(home) if home is not None else Path.home()
    workspace = Path(env.get("SSUP_HOME") or base / settings.get("workspace_in_home", "ssup")).expanduser()
    workspace.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(workspace, 0o700)  # only the trainee (and root) can read or write their log and work
    except OSError:
        pass
    for notebook in settings.get("notebooks", []):
        source, target = folder / "release" / notebook, workspace / notebook
        if source.is_file() and not target.exists():
            shutil.copyfile(source, target)
    env["SSUP_HOME"] = str(workspace)
    env["SSUP_TRAINEE"] = trainee
    if settings.get("data_dir"):
        env["SSUP_DATA_DIR"] = settings["data_dir"]
    if settings.get("assessed"):
        env["SSUP_HIDE_SOLUTIONS"] = "1"
    return workspace
