"""Block Kit builders: pure functions, data in and dicts out; every user-facing string."""
