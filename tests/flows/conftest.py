"""Prefect's test harness, started once for the flow tests only (unit tests stay fast)."""

import pytest

from ofsted_findings.prefect_settings import configure_offline

configure_offline()


@pytest.fixture(scope="session", autouse=True)
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
