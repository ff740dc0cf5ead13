"""The virtual phone's commands, one module per command family, over one shared context."""
