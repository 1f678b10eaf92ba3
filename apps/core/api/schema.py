"""The OpenAPI schema documents the error answers too, with the bodies portal_exception_handler gives.

drf-spectacular documents only the success answer of each operation; a client generated from that
schema would not know a 400 names the fields, nor that a 404 or 409 can come. Each operation gets the
errors it can really give, judged from what it takes (query parameters, a body, path parameters),
who may call it (permissions, throttles) and whether it writes.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ComponentRegistry, ResolvedComponent
from rest_framework import permissions

from apps.core import policies

ERROR = ResolvedComponent(
    name="Error",
    type=ResolvedComponent.SCHEMA,
    object="Error",
    schema={
        "type": "object",
        "description": "An error that is not about one field: why the request was refused.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
)

VALIDATION_ERROR = ResolvedComponent(
    name="ValidationError",
    type=ResolvedComponent.SCHEMA,
    object="ValidationError",
    schema={
        "type": "object",
        "description": (
            "Bad input: each key names a field (or parameter) and holds its messages; `non_field_errors` holds "
            "the ones about the request as a whole. A nested field's errors are an object of the same shape "
            "(list items by their index). A body that cannot be parsed answers `detail` alone."
        ),
        "additionalProperties": {
            "anyOf": [
                {"type": "array", "items": {}},
                {"type": "object", "additionalProperties": {}},
                {"type": "string"},
            ]
        },
    },
)

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class PortalAutoSchema(AutoSchema):
    def get_operation(
        self, path: str, path_regex: str, path_prefix: str, method: str, registry: ComponentRegistry
    ) -> dict[str, Any] | None:
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        for parameter in operation.get("parameters", []):
            if self._empty_means_absent(parameter):
                parameter["allowEmptyValue"] = True
        responses = operation.setdefault("responses", {})
        for code, (description, component) in self._error_answers(operation).items():
            registry.register_on_missing(component)
            responses.setdefault(
                code, {"description": description, "content": {"application/json": {"schema": component.ref}}}
            )
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _empty_means_absent(self, parameter: dict[str, Any]) -> bool:
        """Optional query parameters read by a serializer or a filter take `name=` (as an HTML form sends an
        empty input) for not given. Not `page` (an empty page is no page: 404), nor lists (`name=` is one
        blank item, refused)."""
        return (
            parameter["in"] == "query"
            and not parameter.get("required", False)
            and parameter["name"] != "page"
            and parameter.get("schema", {}).get("type") != "array"
        )

    def _error_answers(self, operation: dict[str, Any]) -> dict[str, tuple[str, ResolvedComponent]]:
        locations = {parameter["in"] for parameter in operation.get("parameters", [])}
        has_body = "requestBody" in operation
        writes = self.method in UNSAFE_METHODS
        answers: dict[str, tuple[str, ResolvedComponent]] = {}
        if has_body or "query" in locations:
            answers["400"] = (
                "Bad input: the fields (or parameters) at fault, each with its messages.",
                VALIDATION_ERROR,
            )
        # Every view takes a token: a wrong or revoked one is refused even where no sign-in is needed.
        answers["401"] = ("Not signed in, or the token is invalid or revoked.", ERROR)
        if writes or not self._open_to_every_signed_in_caller():
            # Writes through a session also need the CSRF token, whoever may call the operation.
            answers["403"] = ("The caller's role may not do this (or a session write lacks its CSRF token).", ERROR)
        if "path" in locations or (self._is_list_view() and self._get_paginator() is not None):
            answers["404"] = ("No such object visible to the caller (or no such page of the list).", ERROR)
        if writes:
            answers["409"] = ("The request conflicts with data stored meanwhile; reload and try again.", ERROR)
        if has_body:
            answers["413"] = ("The request body is too large.", ERROR)
            answers["415"] = ("The request body's media type is not one this operation reads.", ERROR)
        if self.view.get_throttles():
            answers["429"] = ("Too many requests from this client; try again later.", ERROR)
        return answers

    def get_auth(self) -> list[dict[str, Any]]:
        """drf-spectacular marks authentication optional (`{}`) for AllowAny; an action a policy declares PUBLIC
        is as open: anonymous callers are answered, not refused."""
        auths = super().get_auth()
        by_policy = [p for p in self.view.get_permissions() if isinstance(p, policies.PolicyPermission)]
        public = policies.view_rule(self.view, self.method) == policies.PUBLIC
        if by_policy and public and {} not in auths:
            auths.append({})
        return auths

    def _open_to_every_signed_in_caller(self) -> bool:
        """Whether every signed-in caller passes the permissions (an anonymous one gets 401, never 403)."""
        open_kinds = (permissions.AllowAny, permissions.IsAuthenticated)
        open_rules = {policies.PUBLIC, policies.SIGNED_IN}
        return all(
            type(permission) in open_kinds
            or (
                isinstance(permission, policies.PolicyPermission)
                and policies.view_rule(self.view, self.method) in open_rules
            )
            for permission in self.view.get_permissions()
        )
