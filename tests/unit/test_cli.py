"""Every command is documented: an Example in its help and a line in README.md."""

import pytest
from click.testing import CliRunner

from ofsted_findings import cli as cli_module
from ofsted_findings.cli import fetch_option_flags, main, run_option_flags
from tests.conftest import REPO

COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help_has_an_example(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_command_is_in_the_readme(command):
    assert f"ofsted-findings {command}" in (REPO / "README.md").read_text(encoding="utf-8")


def test_expected_errors_are_one_line(tmp_path):
    result = CliRunner().invoke(main, ["sql", "select 1", "--warehouse", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and result.output.startswith("error: ")


def test_fetch_and_serve_share_the_fetch_flags_and_run_and_serve_the_run_flags():
    def flags(command: str) -> set[str]:
        return {opt for p in main.commands[command].params for opt in p.opts + p.secondary_opts}

    fetch, run, serve = flags("fetch"), flags("run"), flags("serve")
    assert fetch - {"--help"} <= serve
    assert run - {"--help", "--dask-address"} <= serve


def test_every_fetch_option_reaches_a_scheduled_run(tmp_path):
    """serve's flags, each set away from its default, arrive in the scheduled flow's parameters
    as the FetchOptions and RunOptions a direct `fetch` / `run` would use."""
    import dataclasses

    from ofsted_findings.cli import serve_parameters
    from ofsted_findings.fetch.run import FetchOptions
    from ofsted_findings.flows.scheduled import scheduled_flow
    from ofsted_findings.run.options import RunOptions

    raw = tmp_path / "raw"
    args = ["--raw", str(raw), "--warehouse", str(tmp_path / "wh"),
            "--authority", "Dudley", "--authority", "80464", "--types", "focused-visit,monitoring-visit",
            "--since", "2019-02-03", "--base-url", "http://127.0.0.1:9/", "--files-base-url",
            "http://127.0.0.1:8/", "--rate", "7", "--timeout", "11", "--retries", "5", "--backoff", "0.5",
            "--budget", "99", "--no-recheck",
            "--strict", "--workers", "3", "--full", "--time-limit", "33", "--memory-limit", "500MB",
            "--allow-shrink"]
    params = main.commands["serve"].make_context("serve", args).params
    built = {}

    def serve_body(**kwargs):  # what serve's own body receives: its flags made into the options
        built.update(kwargs)

    run_option_flags(fetch_option_flags(serve_body))(**params)
    fetch_options, run_options = built["fetch_options"], built["run_options"]
    for name, value in ((f.name, getattr(fetch_options, f.name)) for f in dataclasses.fields(FetchOptions)):
        default = getattr(FetchOptions(raw_dir=raw), name)
        if name != "raw_dir":
            assert value != default, f"--{name} did not change the fetch options"
    for f in dataclasses.fields(RunOptions):
        assert getattr(run_options, f.name) != getattr(RunOptions(), f.name), f.name

    parameters = serve_parameters(raw_dir=raw, warehouse_dir=tmp_path / "wh", run_options=run_options,
                                  fetch_options=fetch_options)
    received = scheduled_flow.validate_parameters(parameters)
    assert received["fetch_options"] == dataclasses.replace(fetch_options, raw_dir=raw.absolute())
    assert received["options"] == run_options


def test_the_flows_validate_serves_parameters_in_the_process_serve_starts(tmp_path):
    """`serve`'s runner pickles the flow into a fresh process, where Prefect validates the
    deployment's JSON parameters against the flow's annotations (was: `Pipeline_FlowModel is not
    fully defined; you should define RunOptions`, every scheduled run failed)."""
    import subprocess
    import sys

    import cloudpickle

    from ofsted_findings.cli import serve_parameters
    from ofsted_findings.fetch.run import FetchOptions
    from ofsted_findings.flows.pipeline import pipeline_flow
    from ofsted_findings.flows.scheduled import scheduled_flow
    from ofsted_findings.run.options import RunOptions

    raw, wh = tmp_path / "raw", tmp_path / "wh"
    options = RunOptions(workers=3, strict=True)
    fetching = FetchOptions(raw_dir=raw, recheck=False)
    cases = [
        (pipeline_flow,
         serve_parameters(raw_dir=raw, warehouse_dir=wh, run_options=options, fetch_options=None)),
        (scheduled_flow,
         serve_parameters(raw_dir=raw, warehouse_dir=wh, run_options=options, fetch_options=fetching)),
    ]
    (tmp_path / "cases.pkl").write_bytes(cloudpickle.dumps(cases))
    check = (
        "import sys, cloudpickle\n"
        "for flow, parameters in cloudpickle.loads(open(sys.argv[1], 'rb').read()):\n"
        "    got = flow.validate_parameters(parameters)\n"
        "    print(flow.name, got['options'].workers, got['options'].strict,\n"
        "          got.get('fetch_options') and got['fetch_options'].recheck)\n"
    )
    done = subprocess.run([sys.executable, "-c", check, str(tmp_path / "cases.pkl")], capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)
    expected = ["ofsted-findings 3 True None", "ofsted-findings-scheduled 3 True False"]
    assert done.stdout.splitlines() == expected, done.stderr[-2000:]


def test_a_dask_run_without_the_dask_extra_is_one_line(tmp_path, monkeypatch):
    import ofsted_findings.flows.distributed as distributed

    monkeypatch.setattr(distributed, "dask_installed", lambda: False)
    result = CliRunner().invoke(
        main, ["run", "--raw", str(tmp_path), "--warehouse", str(tmp_path / "wh"), "--dask-address", "tcp://x:1"]
    )
    assert result.exit_code == 1
    assert result.output == f"error: {distributed.DASK_MISSING}\n"
    assert not (tmp_path / "wh").exists()


def test_a_command_freezes_the_collector_as_it_exits_once_a_process(monkeypatch, tmp_path):
    # the interpreter's teardown would otherwise traverse every object left (~0.5 s after a run)
    import gc

    registered = []
    monkeypatch.setattr(cli_module.atexit, "register", registered.append)
    cli_module._freeze_at_exit.cache_clear()
    for _ in range(2):
        CliRunner().invoke(main, ["sql", "select 1", "--warehouse", str(tmp_path)])
    assert registered == [gc.freeze]
