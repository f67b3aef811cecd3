"""Every process of a run allocates Arrow memory from the system allocator (settings
ARROW_MEMORY_POOL): the package sets it before pyarrow loads, and worker processes inherit it.
Checked in fresh interpreters: this one loaded pyarrow long ago."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from ofsted_findings.settings import ARROW_MEMORY_POOL, ARROW_MEMORY_POOL_ENV
from tests.conftest import REPO

CHECK = """
import json
import ofsted_findings.cli  # what the command starts from
import pyarrow
from ofsted_findings.run.pool import run_supervised
from tests.worker_functions import memory_pool

(worker,) = run_supervised(memory_pool, [0], workers=1, time_limit=60, on_failure=lambda i, r: r)
print(json.dumps({"main": pyarrow.default_memory_pool().backend_name, "worker": worker}))
"""


def pools(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k != ARROW_MEMORY_POOL_ENV}
    out = subprocess.run(
        [sys.executable, "-c", CHECK],
        env={**clean, **env},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.splitlines()[-1])


def test_the_command_and_its_workers_use_the_system_allocator():
    assert ARROW_MEMORY_POOL == "system"
    assert pools() == {"main": "system", "worker": ["system", "system"]}


def test_an_allocator_chosen_in_the_environment_wins():
    chosen = pools(**{ARROW_MEMORY_POOL_ENV: "jemalloc"})
    assert chosen == {"main": "jemalloc", "worker": ["jemalloc", "jemalloc"]}
