"""The domain: plain values and errors that services decide with and ui words."""
