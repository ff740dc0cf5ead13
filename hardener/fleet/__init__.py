"""Rolling a profile out to many phones: the inventory, the parallel rollout, the reports."""
