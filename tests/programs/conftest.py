from tests.casework.conftest import _immediate_tasks, setup  # noqa: F401
