"""Prefect orchestration only: the flows call plain functions of the ofsted_findings package."""

from ofsted_findings.flows.prefect_settings import configure_offline
from ofsted_findings.run import lifeline

configure_offline()
# A flow run that `serve`'s Prefect runner started dies with `serve` (flows/serving.py).
lifeline.from_environment()
