"""Sealing a Slack installation's tokens with the key ring: AAD bound to the enterprise id,
the team id, the installation row and what the token is (bot token or its refresh token)."""

from __future__ import annotations

from bot.db.models import SlackInstallation
from bot.security.crypto import Keyring, TokenContext

BOT = "slack-bot"
BOT_REFRESH = "slack-bot-refresh"
COLUMNS = ((BOT, "bot_token_ct"), (BOT_REFRESH, "bot_refresh_token_ct"))


def _context(row: SlackInstallation, purpose: str) -> TokenContext:
    # TokenContext's user field carries the enterprise: "-" stands for none (AAD fields are
    # never empty), and no Slack id contains ":" or "-".
    return TokenContext(
        team_id=f"team:{row.team_id or '-'}",
        slack_user_id=f"enterprise:{row.enterprise_id or '-'}",
        link_id=row.id,
        purpose=purpose,
    )


class InstallationSeals:
    def __init__(self, keyring: Keyring) -> None:
        self.keyring = keyring

    def seal(self, row: SlackInstallation, purpose: str, token: str) -> str:
        return self.keyring.encrypt(token, aad=_context(row, purpose))

    def open(self, row: SlackInstallation, purpose: str, ciphertext: str) -> str:
        """Plaintext, or `DecryptionError` (the caller treats the team as not installed)."""
        return self.keyring.decrypt(ciphertext, aad=_context(row, purpose))

    def rewrapped(self, row: SlackInstallation) -> dict[str, str]:
        """The row's ciphertexts not under the primary key, re-sealed under it."""
        changes = {}
        for purpose, column in COLUMNS:
            ciphertext = getattr(row, column)
            if ciphertext and self.keyring.needs_rewrap(ciphertext):
                changes[column] = self.seal(row, purpose, self.open(row, purpose, ciphertext))
        return changes
