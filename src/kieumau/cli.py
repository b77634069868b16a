"""The `kieumau` command: serve, load-tree, demo, createuser, backup, restore, and Django's own
via `manage`."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kieumau.settings")
    argv = list(sys.argv[1:] if argv is None else argv)
    from django.core.management import execute_from_command_line

    if not argv or argv[0] in ("-h", "--help", "help"):
        print(
            "kieumau serve [--port N] | worker | load-tree | load-criteria | demo | "
            "createuser USERNAME --role ROLE --unit CODE | backup PATH | restore PATH | "
            "report --unit CODE|--plan NUMBER [--from D --to D] --format docx|pdf|xlsx|csv "
            "--out PATH | manage <django command>"
        )
        return
    command, rest = argv[0], argv[1:]
    if command == "manage":
        execute_from_command_line(["kieumau", *rest])
        return
    django_name = {
        "serve": "serve",
        "load-tree": "load_tree",
        "load-criteria": "load_criteria",
        "demo": "demo",
        "createuser": "createuser",
        "report": "report",
        "worker": "worker",
        "backup": "backup",
        "restore": "restore",
    }.get(command)
    if django_name is None:
        sys.exit(f"kieumau: unknown command {command!r}; try `kieumau help`")
    execute_from_command_line(["kieumau", django_name, *rest])
