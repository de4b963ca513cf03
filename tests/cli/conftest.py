import pytest
from typer.testing import CliRunner

from tripplanner.cli.app import app


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, ["--no-color", *map(str, args)])

    return invoke
