"""Settings of the one-view test site (manage.py): no database, no apps, no request log."""
SECRET_KEY = "only-for-tests"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "django_urls"
INSTALLED_APPS = []
DATABASES = {}
USE_TZ = True
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "loggers": {"django.server": {"handlers": [], "level": "CRITICAL", "propagate": False}},
}
