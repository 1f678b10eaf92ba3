from apps.tenants.tasks import tenant_task
from tests.tenancy_app.models import Widget


@tenant_task(name="tenancy_app.widget_names")
def widget_names(tenant) -> list[str]:
    """Reads through the scoped manager: works only if the worker re-entered the tenant."""
    return [tenant.slug, *sorted(Widget.objects.values_list("name", flat=True))]
