"""factory_boy factories for the foundation's models."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress

from apps.accounts.models import User
from apps.accounts.roles import Division, Role
from apps.tenants.models import Membership, Tenant

PASSWORD = "correct-horse-battery"


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenant
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"t{n}")
    name = factory.LazyAttribute(lambda o: f"Agency {o.slug.upper()}")
    country = "KE"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        self.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    tenant = factory.SubFactory(TenantFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MSME_MEMBER


def user_with_role(role: Role | None, tenant: Tenant | None = None, **fields: object) -> User:
    """A verified user acting in `role` (in `tenant` for tenant roles). None: signed in, no role."""
    if role == Role.PLATFORM_ADMIN:
        return UserFactory(is_staff=True, is_superuser=True, **fields)
    if role == Role.DIVISION_ANALYST:
        return UserFactory(division=Division.PCT, division_role=User.DivisionRole.ANALYST, **fields)
    user = UserFactory(**fields)
    if role is not None:
        assert tenant is not None, "tenant roles need a tenant"
        MembershipFactory(user=user, tenant=tenant, role=role.value)
    return user
