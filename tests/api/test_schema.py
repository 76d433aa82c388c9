"""Schemathesis over the whole OpenAPI schema, in process against the WSGI app, authenticated with an API token.

Property-based: for every operation it generates valid and invalid parameters and checks that the API never
answers 500, that every status and body conforms to the schema, and that an unauthenticated call is refused.
The program code is fixed to the test program's (random codes would only ever meet a 403); everything else
is generated.  Deterministic by default so a CI failure can be replayed; ``MADOGUCHI_SCHEMATHESIS_RANDOM=1``
explores new inputs.
"""

from __future__ import annotations

import os

import hypothesis
import pytest
import schemathesis

from madoguchi.casework.models import CaseEvent, Status
from madoguchi.register.models import Participation
from madoguchi.wsgi import application
from tests.api.tokens import issue
from tests.casework.factories import CODE, make_case, make_setup
from tests.factories import ResidentFactory

MAX_EXAMPLES = int(os.environ.get("MADOGUCHI_SCHEMATHESIS_EXAMPLES", "25"))


@pytest.fixture
def api_token(db) -> str:
    setup = make_setup()
    for i, status in enumerate([Status.RECEIVED, Status.GRANTED, Status.PAID]):
        resident = ResidentFactory()
        Participation.objects.create(program=setup.program, resident=resident)
        case = make_case(setup.program, name=f"検査　{i}号", status=status, resident=resident)
        CaseEvent.objects.create(case=case, at=case.status_changed_at, on=case.received_on, actor="tanto",
                                 to_status=status, note="受付")
    return issue(setup.staff)


def _operations() -> list[tuple[schemathesis.GenerationMode, str, str]]:
    """Every operation in both modes; negative only where there is a parameter that can be made invalid."""
    from madoguchi.api.main import api

    paths = api.get_openapi_schema()["paths"]
    out = []
    for path, ops in sorted(paths.items()):
        for method, op in sorted(ops.items()):
            out.append((schemathesis.GenerationMode.POSITIVE, method.upper(), path))
            if op.get("parameters"):
                out.append((schemathesis.GenerationMode.NEGATIVE, method.upper(), path))
    return out


@pytest.fixture
def keep_test_connection():
    """The WSGI app is called directly (not through Django's test client), so stop it closing the test's
    database connection at the end of each request, as the test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(api_token, keep_test_connection):
    config = schemathesis.Config.from_dict({
        "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
        "parameters": {"program_code": CODE},
        # A schema-valid search may still be refused as bad input (400: no search term, a date that is not
        # one); any other status outside the schema fails.
        "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403"]}},
    })
    return schemathesis.openapi.from_wsgi("/api/openapi.json", application, config=config,
                                          headers={"Authorization": f"Bearer {api_token}"})


@pytest.mark.parametrize("mode,method,path", _operations())
def test_api_conforms_to_its_schema(api_schema, api_token, method, path, mode):
    # (schemathesis' lazy pytest fixture does not run under pytest 9, so each operation is driven here)
    operation = api_schema[path][method]
    headers = {"Authorization": f"Bearer {api_token}"}

    @hypothesis.settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                         derandomize=os.environ.get("MADOGUCHI_SCHEMATHESIS_RANDOM") != "1",
                         suppress_health_check=list(hypothesis.HealthCheck))
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        case.call_and_validate(headers=headers)

    check()
