"""What background jobs send to Slack: DMs, Home publishes, channel feed posts, pacing
(DESIGN.md Layout)."""
