"""The `madoguchi` console command: runs any Django management command."""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.settings")
    from django.core.management import execute_from_command_line

    args = list(argv if argv is not None else sys.argv)
    args[0] = "madoguchi"
    execute_from_command_line(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
