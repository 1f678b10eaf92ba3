import os

from django.core.wsgi import get_wsgi_application

from apps.tenants.checks import require_rls_role
from portal.env import settings_module

os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module())
application = get_wsgi_application()

# Refuses to serve (production) as a database role that row-level security does not apply to.
require_rls_role()
