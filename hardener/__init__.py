"""hardener: take back control of a phone from workplace and social apps, over ADB."""

__version__ = "0.1.0"
