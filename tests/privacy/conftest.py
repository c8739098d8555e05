from tests.grants.conftest import participation, staff_line  # noqa: F401
