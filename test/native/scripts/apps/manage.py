"""A one-view Django site for the tests that follow real applications' processes.

    manage.py runserver 127.0.0.1:PORT

runserver's autoreloader serves the site from a child process (it restarts it when a file
changes). GET /work runs family.child_main, which measures itself into $HOTPATH_TRUTH_DIR;
GET /ping answers the serving process's pid.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# This folder (the site's modules) and the one above it (family.py, truth.py).
sys.path[:0] = [HERE, os.path.dirname(HERE)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "django_settings")

if __name__ == "__main__":
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
