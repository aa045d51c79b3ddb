#!/usr/bin/env bash
# Install the SSUP curriculum on a server running The Littlest JupyterHub (TLJH).
# Run as root from a clone of the repository:  sudo bash deploy/tljh/install.sh
# Safe to run again after `git pull` (it re-installs the package and the hook).
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
USER_ENV=/opt/tljh/user
HUB_CONFIG=/opt/tljh/config/jupyterhub_config.d

test -x "$USER_ENV/bin/pip" || { echo "TLJH is not installed here ($USER_ENV/bin/pip missing)." >&2; exit 1; }

# 1. the pinned stack and the ssup package, in the environment every user's server runs in
"$USER_ENV/bin/pip" install --quiet -r "$REPO/requirements.txt"
# editable: the package finds curriculum.yml, data/ and exercises/ in this clone (keep it at this path)
"$USER_ENV/bin/pip" install --quiet --no-deps -e "$REPO"

# 2. the start-up hook (runs as each user when their server starts)
install -D -m 0644 "$REPO/deploy/jupyter_server_config.py" "$USER_ENV/etc/jupyter/jupyter_server_config.py"

# 3. hub settings (SSUP_HUB_DIR, limits), then reload the hub
install -D -m 0644 "$REPO/deploy/tljh/jupyterhub_config.d/ssup.py" "$HUB_CONFIG/ssup.py"
mkdir -p /srv/ssup
chmod 0755 /srv/ssup

# 4. the log sync for the trainers' live dashboard (the cohort folder is set in the unit file)
install -D -m 0644 "$REPO/deploy/tljh/ssup-sync-logs.service" /etc/systemd/system/ssup-sync-logs.service
install -D -m 0644 "$REPO/deploy/tljh/ssup-sync-logs.timer" /etc/systemd/system/ssup-sync-logs.timer
systemctl daemon-reload

tljh-config set limits.memory 2G
tljh-config reload
echo "Installed. Next: create the cohort (ssup cohort new /srv/ssup/cohort --roster roster.csv --hub),"
echo "copy its hub/ folder to /srv/ssup/hub, then: systemctl enable --now ssup-sync-logs.timer"
