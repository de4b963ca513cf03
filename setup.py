"""The build step pyproject.toml cannot state: the wheel carries config/ as tripplanner/default_config.

config/ stays at the top of the repository as the one copy staff and developers edit; building
a wheel copies its files into the package, where tripplanner.config finds them with
importlib.resources. An editable install (`pip install -e .`, as the Makefile does) needs no
copy: tripplanner.config reads config/ of the checkout directly.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

CONFIG_FILES = ("projects.yaml", "relations.yaml", "travel.toml", "rail.toml", "road.toml")
"""The same list as tripplanner.config.CONFIG_FILES (tests/test_wheel_install.py holds the two together)."""


class BuildWithDefaultConfig(build_py):
    """build_py, plus the default config copied from config/ into tripplanner/default_config."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib, "tripplanner", "default_config")
        target.mkdir(parents=True, exist_ok=True)
        for name in CONFIG_FILES:
            shutil.copyfile(Path(__file__).parent / "config" / name, target / name)


setup(cmdclass={"build_py": BuildWithDefaultConfig})
