"""A WSGI application for gunicorn: every request runs family.child_main, which measures itself
into $HOTPATH_TRUTH_DIR, and answers the worker's pid.

    python -m gunicorn --workers 2 --bind 127.0.0.1:PORT wsgi_app:app   (from this folder)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import family  # noqa: E402


def app(environ, start_response):
    if environ.get("PATH_INFO") == "/work":
        family.child_main(os.environ["HOTPATH_TRUTH_DIR"], busy_s=0.15, idle_s=0.05)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(os.getpid()).encode()]
