"""prefect.yaml's deployments point at real flows with a valid schedule."""

import importlib.util
import sys

import yaml

from tests.conftest import REPO


def test_deployments_point_at_flows():
    from prefect import Flow
    from prefect.schedules import Cron

    config = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))
    assert config["deployments"]
    for deployment in config["deployments"]:
        path, name = deployment["entrypoint"].split(":")
        spec = importlib.util.spec_from_file_location(f"entry_{name}", REPO / path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # as Prefect loads an entrypoint (dataclasses need it)
        spec.loader.exec_module(module)
        flow = getattr(module, name)
        assert isinstance(flow, Flow)
        assert set(deployment["parameters"]) <= set(flow.parameters.properties)
        for schedule in deployment.get("schedules", []):
            Cron(schedule["cron"], timezone=schedule["timezone"])
