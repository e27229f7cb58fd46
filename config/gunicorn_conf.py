"""gunicorn's settings for the API: the image, docker-compose and the load
benchmark start it with ``gunicorn -c config/gunicorn_conf.py config.wsgi:application``.
Each can be changed through the environment (``GUNICORN_*``); a flag on the
command line wins over this file.

Threaded workers (``gthread``): a request spends a good part of its time
waiting on PostgreSQL and Redis, and a sync worker's core idles through each
wait; with threads, another request of the same process runs meanwhile. One
process per core (the GIL lets one thread compute at a time), a few threads
each. Every thread keeps its own database connection for CONN_MAX_AGE seconds
(config/settings/base.py, health-checked before reuse), so the server holds
up to workers × threads connections: keep that under PostgreSQL's
max_connections with the Celery workers' added. Keep-alive lets a client or
the reverse proxy send its next request on the same connection.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# At most 8 by default: on a large host, a process per core times the threads would pass
# PostgreSQL's 100 connections (max_connections) before the Celery workers took theirs.
workers = int(os.environ.get("GUNICORN_WORKERS", "") or min(os.cpu_count() or 2, 8))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request past this is killed with its worker (the solver runs in Celery, never here).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Seconds an idle keep-alive connection is held: longer than the proxy's gap between requests is wasted.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# A worker is replaced after this many requests (and a random few more, so they do not all restart at
# once): what a long-lived process accumulates is given back.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# The workers' heartbeat files in memory: a container's /tmp may sit on a slow overlay disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Access lines go to the proxy's log; errors to stderr, read by the container runtime.
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
