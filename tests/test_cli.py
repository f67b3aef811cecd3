"""Every command is documented: an Example in its help and a line in README.md."""

import pytest
from click.testing import CliRunner

from ofsted_findings.cli import main
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
