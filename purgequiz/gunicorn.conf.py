"""gunicorn's settings for `make serve` (a file gunicorn reads with -c).

Workers from the CPU count, as gunicorn's documentation suggests (2 x cores
+ 1), unless WEB_CONCURRENCY says otherwise; the address from BIND. The
access log goes to standard output, for the service manager to keep."""

import multiprocessing
import os


def workers_for(cpus: int) -> int:
    return 2 * cpus + 1


bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(
    os.environ.get("WEB_CONCURRENCY") or workers_for(multiprocessing.cpu_count())
)
timeout = 60  # a 1 MB import takes about 7 s; nothing takes a minute
graceful_timeout = 30
accesslog = "-"
errorlog = "-"
# A worker restarts after this many requests (with jitter), so that a slow
# leak never grows for weeks.
max_requests = 5000
max_requests_jitter = 500
