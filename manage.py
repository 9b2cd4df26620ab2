#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora.settings")
    # Commands run the long jobs (migrations, db_worker, exports, tallies): their
    # own database timeouts (agora/db_options.py).
    os.environ.setdefault("AGORA_PROCESS", "command")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
