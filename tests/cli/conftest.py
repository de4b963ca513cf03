import pytest
from typer.testing import CliRunner

from tripplanner.cli import planning  # noqa: F401  (registers the planning commands)
from tripplanner.cli.app import app


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, ["--no-color", *map(str, args)])

    return invoke
