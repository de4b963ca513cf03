"""Commands about the config folder: config path, config init."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tripplanner.cli.base import ConfigOption, NoColorOption, Streams, app, boundary
from tripplanner.errors import CatalogError

config_app = typer.Typer(name="config", help="Where the catalogs and travel settings come from; a copy to edit.",
                         no_args_is_help=True)
app.add_typer(config_app)


@config_app.command("path")
@boundary
def path(config: ConfigOption = None, no_color: NoColorOption = False) -> None:
    """Print the config folder in use and where it came from: --config, TRIPPLANNER_CONFIG or the defaults."""
    from tripplanner.config import locate_config

    location = locate_config(config)
    Streams.out.out(str(location.folder), highlight=False)
    Streams.out.out(f"from {location.origin}", highlight=False)
    if not location.folder.is_dir():
        raise CatalogError(f"{location.folder} does not exist or is not a folder")
    if location.missing:
        raise CatalogError(f"{location.folder} lacks {', '.join(location.missing)}")


@config_app.command("init")
@boundary
def init(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="Folder to create (or fill) with the default config.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite config files already in DIR.")] = False,
    no_color: NoColorOption = False,
) -> None:
    """Copy the default config (projects, relations, travel, rail, road) into DIR for staff to edit."""
    from tripplanner.config import init_config

    written = init_config(folder, force)
    for file in written:
        Streams.out.out(f"wrote {file}", highlight=False)
    Streams.out.out(f"use it with --config {folder} or TRIPPLANNER_CONFIG={folder}", highlight=False)
