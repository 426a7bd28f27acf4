"""The test site's views: /work measures itself as any family.py child does, /ping says who serves."""
import os

from django.http import HttpResponse
from django.urls import path

import family


def work(request):
    family.child_main(os.environ["HOTPATH_TRUTH_DIR"], busy_s=0.15, idle_s=0.05)
    return HttpResponse(str(os.getpid()))


def ping(request):
    return HttpResponse(str(os.getpid()))


urlpatterns = [path("work", work), path("ping", ping)]
