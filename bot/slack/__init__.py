"""Slack installations and the Web API clients that act for them."""
