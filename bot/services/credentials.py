"""Sealing and opening a link's tokens: the one place that knows each ciphertext's context."""

from __future__ import annotations

from bot.db.models import AstravueLink
from bot.security.crypto import Keyring, TokenContext

REFRESH = "refresh"
ACCESS = "access"


class LinkCredentials:
    def __init__(self, keyring: Keyring) -> None:
        self.keyring = keyring

    @staticmethod
    def _context(link: AstravueLink, purpose: str) -> TokenContext:
        return TokenContext(
            team_id=link.team_id, slack_user_id=link.slack_user_id, link_id=link.id, purpose=purpose
        )

    def seal(self, link: AstravueLink, purpose: str, token: str) -> str:
        return self.keyring.encrypt(token, aad=self._context(link, purpose))

    def open(self, link: AstravueLink, purpose: str, ciphertext: str) -> str:
        """Plaintext, or `DecryptionError` (fail closed: the caller marks the link)."""
        return self.keyring.decrypt(ciphertext, aad=self._context(link, purpose))

    def rewrapped(self, link: AstravueLink) -> dict[str, str]:
        """This link's ciphertexts that are not under the primary key, re-encrypted under it
        (column name -> new ciphertext); the link itself is left unchanged."""
        changes = {}
        for purpose, column in ((REFRESH, "refresh_token_ct"), (ACCESS, "access_token_ct")):
            ciphertext = getattr(link, column)
            if ciphertext and self.keyring.needs_rewrap(ciphertext):
                changes[column] = self.seal(link, purpose, self.open(link, purpose, ciphertext))
        return changes
