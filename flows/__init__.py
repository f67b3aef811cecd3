"""Prefect orchestration only: the flows call plain functions of the ofsted_findings package."""

from ofsted_findings.prefect_settings import configure_offline

configure_offline()
