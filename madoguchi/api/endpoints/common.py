"""Shapes and parameter bounds shared by the API's routes (what the OpenAPI schema promises)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Schema

from madoguchi.register.policy import AccessPolicy, policy_for_request

# Ids are positive 64-bit integers in both databases; larger numbers are refused as bad input (422).
ID_MAX = 2**63 - 1
# A program code is a slug (register.Program.code).
CODE_PATTERN = r"^[-a-zA-Z0-9_]{1,64}$"
# Text parameters: no NUL character (PostgreSQL cannot hold one in text).
TEXT_PATTERN = r"^[^\x00]*$"
PAGE_MAX = 1_000_000


class Error(Schema):
    detail: str
    logged: bool = False


class FieldError(Schema):
    loc: list[str]
    msg: str


class Invalid(Schema):
    detail: str
    errors: list[FieldError]


class Page(Schema):
    """One page of a list.  ``items`` hold only the items declared for the caller (see each route)."""

    program: str
    page: int
    per_page: int
    total: int
    pages: int
    items: list[dict[str, Any]]


REFUSALS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 422: Invalid}


def policy(request: HttpRequest) -> AccessPolicy:
    return policy_for_request(request, channel="api")
