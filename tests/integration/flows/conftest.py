"""Prefect's test harness, started once for the flow tests only (unit tests stay fast)."""

import pytest

from ofsted_findings.flows.prefect_settings import configure_offline

configure_offline()


@pytest.fixture(scope="session", autouse=True)
def prefect_harness():
    import os

    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        # the CLI's runs use the harness's server too, not a shared one (prefect_server.py)
        os.environ["PREFECT_API_URL"] = PREFECT_API_URL.value()
        try:
            yield
        finally:
            os.environ.pop("PREFECT_API_URL", None)
