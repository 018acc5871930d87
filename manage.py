#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "panelhub.settings.production")
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    from panelhub.history import command_context

    # A command's writes carry its name in the history (docs/data-protection.md).
    with command_context(sys.argv):
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
