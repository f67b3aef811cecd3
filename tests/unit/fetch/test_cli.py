"""`ofsted-findings fetch`: the summary, one line per failed URL, and the exit status."""

from click.testing import CliRunner

from ofsted_findings.cli import main
from ofsted_findings.fetch.manifest import MANIFEST_NAME

QUICK = ["--rate", "0", "--backoff", "0", "--retries", "1", "--timeout", "5"]


def run(*args: str):
    return CliRunner().invoke(main, ["fetch", *args])


def test_fetch_prints_a_summary_and_one_line_per_failure(site, tmp_path):
    raw = tmp_path / "raw"
    args = ["--raw", str(raw), "--base-url", site.base_url, *QUICK]
    result = run(*args, "--authority", "Dudley", "--authority", "Bracknell Forest", "--since", "2017-01-01")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:3] == [
        "providers: 3 listed, 2 selected, 2 checked",
        "publications: 5 seen, 3 new, 0 changed, 0 unchanged, 1 not selected, 1 error(s)",
    ]
    assert "new: dudley_2018-12-10_childrens-services-inspection.pdf" in result.stdout
    assert f"manifest: {raw / MANIFEST_NAME}" in result.stdout
    failures = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    assert len(failures) == 1 and failures[0].endswith("HTTP 404 Not Found")

    again = run(*args, "--authority", "80464")
    assert again.exit_code == 0
    assert "publications: 3 seen, 1 new, 0 changed, 2 unchanged, 0 not selected, 0 error(s)" in again.stdout
    assert "new: dudley_2016-10-26_monitoring-visit.pdf" in again.stdout  # --since no longer leaves it out


def test_usage_errors_exit_1_in_one_line(site, tmp_path):
    for args, message in [
        (
            ["--authority", "Atlantis"],
            "error: --authority 'Atlantis': not a local authority in the reference list",
        ),
        (["--base-url", "ftp://example.com"], "error: ftp://example.com: not an http(s) URL"),
    ]:
        result = run("--raw", str(tmp_path), "--base-url", site.base_url, *QUICK, *args)
        assert (result.exit_code, result.output.strip()) == (1, message)
    assert run("--since", "last week").exit_code == 2  # click's own usage error


def test_unreachable_site_exits_1(site, tmp_path):
    site.search_status = 503
    result = run("--raw", str(tmp_path / "raw"), "--base-url", site.base_url, *QUICK)
    assert result.exit_code == 1
    assert result.output.strip().startswith("error: site unreachable: http://127.0.0.1:")
    assert result.output.strip().count("\n") == 0
