"""Use cases: take ids and domain models, return domain results; never see Slack payloads."""
