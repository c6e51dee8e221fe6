"""What background jobs send: channel feed posts (and, as they move here, DMs and Home
publishes), rendered with `bot.ui` and paced by the Messenger."""
