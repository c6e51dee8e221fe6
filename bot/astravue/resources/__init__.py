"""The Astravue API by area: each resource turns typed arguments into calls of the transport."""
