"""The API's routes, one module per area, all on :data:`madoguchi.api.main.api`."""

from madoguchi.api.endpoints import cases, participants, residents  # noqa: F401
