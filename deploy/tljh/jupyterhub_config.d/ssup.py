# SSUP settings for The Littlest JupyterHub (copied to /opt/tljh/config/jupyterhub_config.d/ by
# deploy/tljh/install.sh). TLJH loads every .py file in that folder after its own settings.
c = get_config()  # noqa: F821 - provided by JupyterHub

# Where each trainee's server finds the cohort's hub files (release notebooks, hub.json).
c.Spawner.environment.update({"SSUP_HUB_DIR": "/srv/ssup/hub"})

# Start in JupyterLab; the start-up hook opens the trainee's ssup folder.
c.Spawner.default_url = "/lab"

# Servers of trainees who walk away are stopped after an hour (TLJH's idle culler does the work;
# see `tljh-config set services.cull.timeout`). Users' homes are private (mode 0750 or 0700,
# owned by the user), so trainees can read and write only their own attempts log.
