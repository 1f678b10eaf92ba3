from tests.helpdesk.conftest import desk, in_tenant  # noqa: F401 (the helpdesk's world: a tenant, its queue, the AMC's)
