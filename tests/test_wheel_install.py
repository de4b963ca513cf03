"""A normal install works: the wheel carries the default config and plans an example from any folder.

Builds the wheel from a copy of the sources (offline: --no-build-isolation with the test extra's
setuptools), installs it without dependencies into a fresh virtual environment that sees this
environment's packages through a .pth file, and runs the installed `tripplanner` from a temporary
folder. Takes about 10 s; `-m "not install"` leaves it out.
"""

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tripplanner.config import CONFIG_FILES

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "tripplanner", "config")
"""What a wheel is built from (the sdist's contents, less tests and examples)."""

pytestmark = pytest.mark.install


def _can_build_wheels() -> bool:
    """setuptools 70.1+ builds wheels itself; older ones need the `wheel` package."""
    try:
        import setuptools
    except ImportError:
        return False
    major, minor = (int(part) for part in setuptools.__version__.split(".")[:2])
    if (major, minor) >= (70, 1):
        return True
    try:
        import wheel  # noqa: F401
    except ImportError:
        return False
    return True


def _run(*command, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from a copy of the sources, offline."""
    if not _can_build_wheels():
        pytest.skip("this environment's setuptools cannot build wheels offline (install the test extra)")
    folder = tmp_path_factory.mktemp("build")
    source = folder / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    _run(sys.executable, "-m", "pip", "wheel", source, "--no-deps", "--no-build-isolation", "--no-index",
         "--quiet", "-w", folder / "dist")
    (built,) = (folder / "dist").glob("tripplanner-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel installed in it; its bin folder."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    own = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    # The dependencies come from this environment: its site-packages go on the path, after the fresh ones
    # (a path in a .pth file is not a site folder, so this environment's editable install is not seen).
    ours = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (own / "dependencies-of-the-test.pth").write_text("".join(f"{p}\n" for p in ours))
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "--quiet", wheel)
    return venv / "bin"


def _clean_environment() -> dict[str, str]:
    """The environment without anything that points at the checkout or another config."""
    return {k: v for k, v in os.environ.items() if k not in ("TRIPPLANNER_CONFIG", "PYTHONPATH", "PYTHONHOME")}


def test_wheel_carries_exactly_the_default_config(wheel):
    """The wheel holds config/'s files, byte for byte, as tripplanner/default_config; no second copy in git."""
    with zipfile.ZipFile(wheel) as archive:
        shipped = {Path(n).name: archive.read(n) for n in archive.namelist() if n.startswith("tripplanner/default_config/")}
        assert not any(n.startswith("config/") for n in archive.namelist())
    assert shipped == {name: (ROOT / "config" / name).read_bytes() for name in CONFIG_FILES}
    assert not (ROOT / "tripplanner" / "default_config").exists()


def test_installed_wheel_reads_its_packaged_config(installed, tmp_path):
    """From an unrelated folder, the installed package is the wheel's and `config path` names its defaults."""
    environment = _clean_environment()
    where = _run(installed / "python", "-c", "import tripplanner; print(tripplanner.__file__)", cwd=tmp_path, env=environment)
    assert Path(where.stdout.strip()).is_relative_to(installed.parent)
    result = _run(installed / "tripplanner", "config", "path", cwd=tmp_path, env=environment)
    folder, origin = result.stdout.splitlines()[:2]
    assert Path(folder).is_relative_to(installed.parent) and origin == "from the packaged defaults"


def test_installed_wheel_plans_an_example_from_a_temporary_folder(installed, tmp_path):
    """`tripplanner plan` of the installed wheel exits 0 on an example copied into a temporary folder."""
    shutil.copy2(ROOT / "examples" / "paris-vienna-2017.yaml", tmp_path / "trip.yaml")
    result = subprocess.run([str(installed / "tripplanner"), "plan", "trip.yaml", "--time-limit", "2", "--quiet"],
                            cwd=tmp_path, env=_clean_environment(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Vienna" in result.stdout


def test_installed_wheel_copies_its_defaults_for_staff(installed, tmp_path):
    """`config init` of the installed wheel writes the five files, equal to config/'s."""
    _run(installed / "tripplanner", "config", "init", "office-config", cwd=tmp_path, env=_clean_environment())
    assert all((tmp_path / "office-config" / n).read_bytes() == (ROOT / "config" / n).read_bytes() for n in CONFIG_FILES)
