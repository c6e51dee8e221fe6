"""The demo stands outside the product, so it spells the connect command's words itself."""

from __future__ import annotations

from bot.demo.surfaces import CONNECT_WORDS
from bot.listeners.router import GRAMMAR


def test_the_demo_follows_sign_in_after_exactly_the_grammars_connect_words() -> None:
    (connect,) = [spec for spec in GRAMMAR if spec.path == "connect"]
    assert frozenset((connect.path, *connect.aliases)) == CONNECT_WORDS
