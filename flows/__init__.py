"""Prefect orchestration only: the flows call plain functions of the ofsted_findings package."""

from ofsted_findings import lifeline
from ofsted_findings.prefect_settings import configure_offline

configure_offline()
# A flow run that `serve`'s Prefect runner started dies with `serve` (ofsted_findings/serving.py).
lifeline.from_environment()
