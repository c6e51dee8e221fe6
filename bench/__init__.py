"""Benchmarks against the sandbox on loopback: each module runs with `python -m bench.<name>`."""
