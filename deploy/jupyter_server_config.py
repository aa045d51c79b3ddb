# SSUP start-up hook for a trainee's Jupyter server on JupyterHub.
#
# Install as a Jupyter server config file of the users' environment, e.g.
#   The Littlest JupyterHub:  /opt/tljh/user/etc/jupyter/jupyter_server_config.py
#   Zero to JupyterHub image: /etc/jupyter/jupyter_server_config.py   (deploy/z2jh/Dockerfile)
#
# It runs as the trainee when their server starts. For a user on the cohort's roster it copies
# the release notebooks into their workspace (first login only: work is never overwritten) and
# sets SSUP_HOME and SSUP_TRAINEE (and SSUP_DATA_DIR / SSUP_HIDE_SOLUTIONS when the cohort has
# them), which every kernel of the server inherits. SSUP_HUB_DIR names the cohort's hub folder
# (default /srv/ssup/hub). Anything going wrong here must never stop the server from starting.
import os

try:
    from ssup.cohort.hub import start_user

    _workspace = start_user(os.environ.get("SSUP_HUB_DIR", "/srv/ssup/hub"))
    if _workspace is not None:
        c = get_config()  # noqa: F821 - provided by Jupyter when it loads this file
        c.ServerApp.default_url = "/lab/tree/" + os.path.relpath(_workspace, os.path.expanduser("~"))
except Exception as error:  # noqa: BLE001
    print(f"SSUP start-up hook skipped: {error}")
