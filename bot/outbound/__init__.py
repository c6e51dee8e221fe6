"""What background jobs send to Slack: DMs, Home publishes, pacing (DESIGN.md Layout)."""
