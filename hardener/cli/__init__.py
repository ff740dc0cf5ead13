"""Command-line interface. Each `cmd_*.py` module registers its commands on the root app."""
