"""I/O with the laptop's own tools: `ssh-keygen` for signed profiles."""
