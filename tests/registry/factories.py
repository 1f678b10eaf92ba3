"""The registry's factories live in tests/factories.py (the sweep's registry); re-exported here."""

from tests.factories import (  # noqa: F401
    AuditEventFactory,
    ImportJobFactory,
    IpAssetFactory,
    MsmeFactory,
    MsmeMemberFactory,
)
