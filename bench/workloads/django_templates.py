"""Django template rendering, the workload of the pyinstrument 2.0 launch post.

A page that extends a base template, includes a navigation bar and one
partial per product, loops and applies filters, rendered 4,000 times with
Django configured standalone (no project, no database).
"""

import datetime
import os
import sys

# sys.argv[0], not __file__: `python -m yappi` runs the script with its own globals.
HERE = os.path.dirname(os.path.abspath(sys.argv[0]))
sys.path.insert(0, HERE)
from benchreport import Units  # noqa: E402

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(
    DEBUG=False,
    INSTALLED_APPS=[],
    USE_TZ=False,
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [os.path.join(HERE, "templates")],
        }
    ],
)
django.setup()

from django.template.loader import render_to_string  # noqa: E402


def context():
    site = {
        "name": "Example shop",
        "year": 2024,
        "links": [
            {"url": "/", "title": "home", "active": False},
            {"url": "/catalog/", "title": "catalog", "active": True},
            {"url": "/about/", "title": "about us", "active": False},
            {"url": "/contact/", "title": "contact", "active": False},
        ],
    }
    products = [
        {
            "id": i,
            "name": "product number %d" % i,
            "description": "A sturdy and reliable thing that does exactly what it says on the box, "
            "every day, for years and years to come.",
            "price": 9.99 + i * 1.25,
            "on_sale": i % 3 == 0,
            "tags": ["Tools", "Garden", "Sale" if i % 3 == 0 else "New"],
            "stock": i % 4,
        }
        for i in range(6)
    ]
    reviews = [
        {"author": "Ann <ann@example.com>", "text": "Great.\nWould buy again.", "stars": 5},
        {"author": "", "text": "Fine.", "stars": 3},
    ]
    return {
        "site": site,
        "title": "catalog",
        "products": products,
        "reviews": reviews,
        "updated": datetime.datetime(2024, 5, 17, 9, 30),
        "currency": "",
    }


def main(renders):
    ctx = context()
    Units("django", renders).run(lambda _: render_to_string("catalog.djhtml", ctx))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 4000)
