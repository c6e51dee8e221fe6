from __future__ import annotations

import base64
import logging
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.security.crypto import (
    DecryptionError,
    KeyFile,
    Keyring,
    KeyringConfigError,
    TokenContext,
    generate_key_spec,
)

KEY_A = bytes(range(32))
KEY_B = bytes(range(100, 132))
B64_A = base64.b64encode(KEY_A).decode()
B64_B = base64.urlsafe_b64encode(KEY_B).decode()
CTX = TokenContext(team_id="T0ACME", slack_user_id="U0MARIA", link_id=7)
SECRET = "refresh-token-value-for-maria"


def ring(spec: str) -> Keyring:
    return Keyring.from_spec(spec)


def test_round_trip_and_format() -> None:
    keyring = ring(f"k1:{B64_A}")
    sealed = keyring.encrypt(SECRET, aad=CTX)
    version, kid, body = sealed.split(".")
    assert (version, kid) == ("v1", "k1")
    assert SECRET not in sealed
    assert "=" not in body
    # nonce (12) + plaintext + tag (16)
    assert len(base64.urlsafe_b64decode(body + "==")) == 12 + len(SECRET) + 16
    assert keyring.decrypt(sealed, aad=CTX) == SECRET


def test_fresh_nonce_every_time() -> None:
    keyring = ring(f"k1:{B64_A}")
    assert keyring.encrypt(SECRET, aad=CTX) != keyring.encrypt(SECRET, aad=CTX)


def test_unicode_and_empty_plaintext() -> None:
    keyring = ring(f"k1:{B64_A}")
    for text in ("", "ñandú ✓ 東京"):
        assert keyring.decrypt(keyring.encrypt(text, aad=CTX), aad=CTX) == text


def test_rotation_old_ciphertext_still_decrypts_and_needs_rewrap() -> None:
    old = ring(f"k1:{B64_A}")
    sealed_old = old.encrypt(SECRET, aad=CTX)
    rotated = ring(f"k2:{B64_B},k1:{B64_A}")
    assert rotated.primary_kid == "k2"
    assert rotated.kids == ("k2", "k1")
    assert rotated.decrypt(sealed_old, aad=CTX) == SECRET
    assert rotated.needs_rewrap(sealed_old) is True
    rewrapped = rotated.encrypt(rotated.decrypt(sealed_old, aad=CTX), aad=CTX)
    assert rewrapped.startswith("v1.k2.")
    assert rotated.needs_rewrap(rewrapped) is False
    # Once k1 is retired the old text fails closed.
    with pytest.raises(DecryptionError, match="unknown key id 'k1'"):
        ring(f"k2:{B64_B}").decrypt(sealed_old, aad=CTX)


def test_wrong_key_with_same_kid_fails() -> None:
    sealed = ring(f"k1:{B64_A}").encrypt(SECRET, aad=CTX)
    with pytest.raises(DecryptionError, match="authentication failed"):
        ring(f"k1:{B64_B}").decrypt(sealed, aad=CTX)


@pytest.mark.parametrize(
    "other",
    [
        TokenContext(team_id="T0OTHER", slack_user_id="U0MARIA", link_id=7),
        TokenContext(team_id="T0ACME", slack_user_id="U0DEV", link_id=7),
        TokenContext(team_id="T0ACME", slack_user_id="U0MARIA", link_id=8),
        TokenContext(team_id="T0ACME", slack_user_id="U0MARIA", link_id=7, purpose="access"),
    ],
    ids=["team", "user", "row", "purpose"],
)
def test_ciphertext_moved_to_another_owner_fails(other: TokenContext) -> None:
    keyring = ring(f"k1:{B64_A}")
    sealed = keyring.encrypt(SECRET, aad=CTX)
    with pytest.raises(DecryptionError, match="authentication failed"):
        keyring.decrypt(sealed, aad=other)


def test_relabelled_kid_fails_because_kid_is_bound() -> None:
    # Both keys identical: only the kid in the AAD differs.
    keyring = ring(f"k1:{B64_A},k2:{B64_A}")
    sealed = keyring.encrypt(SECRET, aad=CTX)
    with pytest.raises(DecryptionError, match="authentication failed"):
        keyring.decrypt(sealed.replace("v1.k1.", "v1.k2.", 1), aad=CTX)


_RING = Keyring.from_spec(f"k1:{B64_A}")
_SEALED = _RING.encrypt(SECRET, aad=CTX)
_BLOB = base64.urlsafe_b64decode(_SEALED.split(".")[2] + "==")


@given(position=st.integers(0, len(_BLOB) - 1), bit=st.integers(0, 7))
def test_any_flipped_bit_fails(position: int, bit: int) -> None:
    tampered = bytearray(_BLOB)
    tampered[position] ^= 1 << bit
    body = base64.urlsafe_b64encode(bytes(tampered)).rstrip(b"=").decode()
    with pytest.raises(DecryptionError):
        _RING.decrypt(f"v1.k1.{body}", aad=CTX)


@given(position=st.integers(0, len(_SEALED) - 1), char=st.sampled_from("A_-z9.+=/ "))
def test_any_changed_character_fails(position: int, char: str) -> None:
    tampered = _SEALED[:position] + char + _SEALED[position + 1 :]
    if tampered == _SEALED:
        return
    with pytest.raises(DecryptionError):
        _RING.decrypt(tampered, aad=CTX)


def test_non_canonical_base64_fails() -> None:
    # A 29-byte blob leaves 2 unused bits in the last character: setting them yields another
    # text that decodes to the same bytes, which must still be rejected.
    sealed = _RING.encrypt("x", aad=CTX)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(sealed[-1])
    variant = sealed[:-1] + alphabet[last ^ 0b01]
    assert base64.urlsafe_b64decode(variant.split(".")[2] + "=") == base64.urlsafe_b64decode(
        sealed.split(".")[2] + "="
    )
    with pytest.raises(DecryptionError, match="malformed"):
        _RING.decrypt(variant, aad=CTX)


@pytest.mark.parametrize("keep", [0, 1, 10, 20, 37, len(_SEALED) - 1])
def test_truncated_fails(keep: int) -> None:
    with pytest.raises(DecryptionError):
        _RING.decrypt(_SEALED[:keep], aad=CTX)


def test_short_blob_reports_truncation() -> None:
    body = base64.urlsafe_b64encode(os.urandom(20)).rstrip(b"=").decode()
    with pytest.raises(DecryptionError, match="truncated"):
        _RING.decrypt(f"v1.k1.{body}", aad=CTX)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_SEALED.replace("v1.", "v2.", 1), "unsupported ciphertext version"),
        (_SEALED.replace("v1.k1.", "v1.k9.", 1), "unknown key id 'k9'"),
        ("", "malformed"),
        ("garbage", "malformed"),
        ("a.b.c.d", "malformed"),
        ("v1..abc", "malformed key id"),
        (f"v1.k1.{_SEALED.split('.')[2]}==", "malformed"),
        ("v1.k1.!!!!notbase64!!!!", "malformed"),
        ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", "unsupported ciphertext version"),
    ],
)
def test_bad_inputs_fail_with_a_named_reason(text: str, message: str) -> None:
    with pytest.raises(DecryptionError, match=message):
        _RING.decrypt(text, aad=CTX)


def test_needs_rewrap_rejects_malformed() -> None:
    with pytest.raises(DecryptionError):
        _RING.needs_rewrap("garbage")


def test_token_context_rejects_separator() -> None:
    with pytest.raises(ValueError, match="team_id"):
        TokenContext(team_id="T0|X", slack_user_id="U0MARIA", link_id=1)
    with pytest.raises(ValueError, match="slack_user_id"):
        TokenContext(team_id="T0ACME", slack_user_id="", link_id=1)


def test_associated_data_layout() -> None:
    assert CTX.associated_data("k1") == b"astravue-refresh|v1|k1|T0ACME|U0MARIA|7"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "empty"),
        (" , ", "empty"),
        (B64_A, "entry 1 is not in the form kid:base64key"),
        (f"k1:{B64_A},{B64_B}", "entry 2 is not in the form"),
        (f"bad kid!:{B64_A}", r"entry 1: key id must match"),
        (f"{'k' * 33}:{B64_A}", r"entry 1: key id must match"),
        (f"k1:{B64_A},k1:{B64_B}", "duplicate key id 'k1'"),
        ("k1:not*base64", "key 'k1' is not valid base64"),
        (f"k1:{base64.b64encode(bytes(16)).decode()}", "key 'k1' must be 32 bytes, got 16"),
    ],
)
def test_spec_errors(spec: str, message: str) -> None:
    with pytest.raises(KeyringConfigError, match=message) as caught:
        Keyring.from_spec(spec)
    for key in (B64_A, B64_B):
        assert key not in str(caught.value)


def test_spec_accepts_standard_urlsafe_unpadded_and_spaces() -> None:
    unpadded = B64_B.rstrip("=")
    keyring = Keyring.from_spec(f" k1 : {B64_A} , k_2-x:{unpadded} ")
    assert keyring.kids == ("k1", "k_2-x")
    # The same key under both encodings decrypts the same text.
    sealed = keyring.encrypt(SECRET, aad=CTX)
    urlsafe_a = base64.urlsafe_b64encode(KEY_A).decode()
    assert Keyring.from_spec(f"k1:{urlsafe_a}").decrypt(sealed, aad=CTX) == SECRET


def test_repr_hides_keys() -> None:
    text = repr(Keyring.from_spec(f"k1:{B64_A}"))
    assert "k1" in text
    assert B64_A not in text
    assert str(KEY_A) not in text


def test_generate_key_spec() -> None:
    spec = generate_key_spec("k20261130")
    keyring = Keyring.from_spec(spec)
    assert keyring.primary_kid == "k20261130"
    assert generate_key_spec("k1") != generate_key_spec("k1")
    assert Keyring.from_spec(generate_key_spec()).primary_kid.startswith("k20")
    with pytest.raises(KeyringConfigError):
        generate_key_spec("no spaces")


def test_derive_is_per_purpose_and_follows_primary() -> None:
    keyring = Keyring.from_spec(f"k1:{B64_A}")
    assert len(keyring.derive(b"link-signing")) == 32
    assert keyring.derive(b"link-signing") != keyring.derive(b"other")
    assert keyring.derive(b"link-signing") != KEY_A
    rotated = Keyring.from_spec(f"k2:{B64_B},k1:{B64_A}")
    assert rotated.derive(b"link-signing") != keyring.derive(b"link-signing")


def test_key_file_created_private_then_reused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "data" / "token-keys"
    with caplog.at_level(logging.WARNING, logger="bot.security"):
        first = KeyFile.load_or_create(path)
    assert "created token encryption key file" in caplog.text
    assert first.split(":")[1] not in caplog.text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Keyring.from_spec(first).kids
    assert [p.name for p in path.parent.iterdir()] == ["token-keys"]

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="bot.security"):
        assert KeyFile.load_or_create(path) == first
    assert caplog.text == ""


def test_key_file_loses_race_and_reads_winner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "token-keys"
    winner = generate_key_spec("kwin")
    original_link = os.link

    def link_after_rival(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        # Another process writes the file between our existence check and our link.
        Path(dst).write_text(winner + "\n")
        original_link(src, dst)

    monkeypatch.setattr(os, "link", link_after_rival)
    assert KeyFile.load_or_create(path) == winner
    assert [p.name for p in tmp_path.iterdir()] == ["token-keys"]


def test_key_file_warns_when_too_open_and_rejects_bad_content(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "token-keys"
    path.write_text(generate_key_spec("k1"))
    path.chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="bot.security"):
        KeyFile.load_or_create(path)
    assert "chmod 600" in caplog.text

    path.write_text("k1:short")
    with pytest.raises(KeyringConfigError, match=str(path)):
        KeyFile.load_or_create(path)
