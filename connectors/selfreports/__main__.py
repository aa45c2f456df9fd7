"""python -m connectors.selfreports — load a folder of self-reports and endorsements into raw_selfreports."""

from __future__ import annotations

from connectors.common.pipeline import main
from connectors.selfreports import selfreports_source, settings


def _add_arguments(parser) -> None:
    parser.add_argument("--folder", help=f"the shared folder of YAML/CSV entries (overrides {settings.FOLDER_SETTING})")


def _build(args):
    if args.folder:
        return selfreports_source(folder=args.folder)
    if settings.SelfReportsSettings.configured():
        return selfreports_source(**settings.SelfReportsSettings.from_env().source_arguments())
    return selfreports_source()  # resolves through dlt config


if __name__ == "__main__":
    main(
        settings.SOURCE_NAME,
        "Load self-reports (work in no tool) and colleagues' endorsements from a shared folder.",
        settings.SETTINGS_HELP,
        _build,
        _add_arguments,
    )
