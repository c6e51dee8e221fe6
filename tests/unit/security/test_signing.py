from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from bot.security.crypto import Keyring, generate_key_spec
from bot.security.signing import (
    InMemoryNonceStore,
    LinkSigner,
    SignatureExpired,
    SignatureInvalid,
    SignatureReused,
)

SECRET = bytes(range(32))
PAYLOAD = {"team": "T0ACME", "user": "U0MARIA"}


class FakeClock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def signer(clock: FakeClock) -> LinkSigner:
    return LinkSigner(SECRET, clock=clock)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_round_trip_carries_exp_and_nonce(signer: LinkSigner, clock: FakeClock) -> None:
    token = signer.sign(PAYLOAD, ttl=600)
    assert all(c.isalnum() or c in "-_." for c in token)
    claims = signer.verify(token)
    assert claims["team"] == "T0ACME"
    assert claims["user"] == "U0MARIA"
    assert claims["exp"] == int(clock.now) + 600
    assert len(claims["n"]) >= 16
    assert signer.verify(signer.sign(PAYLOAD, ttl=600))["n"] != claims["n"]


def test_tampered_payload_rejected(signer: LinkSigner) -> None:
    body, signature = signer.sign(PAYLOAD, ttl=600).split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=="))
    claims["user"] = "U0DEV"
    forged = _b64(json.dumps(claims, separators=(",", ":"), sort_keys=True).encode())
    with pytest.raises(SignatureInvalid):
        signer.verify(f"{forged}.{signature}")


@pytest.mark.parametrize("part", [0, 1])
def test_any_changed_character_rejected(signer: LinkSigner, part: int) -> None:
    token = signer.sign(PAYLOAD, ttl=600)
    pieces = token.split(".")
    for index in range(len(pieces[part])):
        changed = list(pieces)
        char = changed[part][index]
        changed[part] = (
            changed[part][:index] + ("A" if char != "A" else "B") + changed[part][index + 1 :]
        )
        with pytest.raises(SignatureInvalid):
            signer.verify(".".join(changed))


def test_other_secret_rejected(clock: FakeClock) -> None:
    token = LinkSigner(SECRET, clock=clock).sign(PAYLOAD, ttl=600)
    with pytest.raises(SignatureInvalid, match="bad signature"):
        LinkSigner(bytes(reversed(SECRET)), clock=clock).verify(token)


@pytest.mark.parametrize(
    "token", ["", "nodot", "a.b.c", ".sig", "body.", "bo dy.sig", "x" * 5000 + ".y"]
)
def test_malformed_rejected(signer: LinkSigner, token: str) -> None:
    with pytest.raises(SignatureInvalid):
        signer.verify(token)


def test_signed_non_object_payload_rejected(signer: LinkSigner) -> None:
    # Even a correctly signed body must carry exp and n.
    body = _b64(b"[1,2]")
    with pytest.raises(SignatureInvalid, match="malformed payload"):
        signer.verify(f"{body}.{_b64(hmac.new(SECRET, body.encode(), hashlib.sha256).digest())}")


def test_expired(signer: LinkSigner, clock: FakeClock) -> None:
    token = signer.sign(PAYLOAD, ttl=600)
    clock.now += 599
    assert signer.verify(token)["user"] == "U0MARIA"
    clock.now += 1
    with pytest.raises(SignatureExpired):
        signer.verify(token)


def test_forged_token_reports_invalid_not_expired(signer: LinkSigner, clock: FakeClock) -> None:
    token = signer.sign(PAYLOAD, ttl=1)
    clock.now += 10
    with pytest.raises(SignatureInvalid):
        signer.verify(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))


def test_sign_rejects_reserved_claims_and_bad_ttl(signer: LinkSigner) -> None:
    with pytest.raises(ValueError, match="reserved"):
        signer.sign({"exp": 1}, ttl=600)
    with pytest.raises(ValueError, match="ttl"):
        signer.sign(PAYLOAD, ttl=0)


def test_short_secret_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        LinkSigner(b"short")


async def test_second_use_rejected(signer: LinkSigner, clock: FakeClock) -> None:
    store = InMemoryNonceStore(clock=clock)
    token = signer.sign(PAYLOAD, ttl=600)
    assert (await signer.verify_once(token, store))["user"] == "U0MARIA"
    with pytest.raises(SignatureReused):
        await signer.verify_once(token, store)
    # A different link is unaffected.
    assert await signer.verify_once(signer.sign(PAYLOAD, ttl=600), store)


async def test_store_prunes_expired_entries(clock: FakeClock) -> None:
    store = InMemoryNonceStore(clock=clock)
    assert await store.consume("a", clock.now + 10)
    assert await store.consume("b", clock.now + 100)
    assert not await store.consume("a", clock.now + 10)
    clock.now += 10
    assert await store.consume("c", clock.now + 10)
    assert len(store) == 2  # "a" pruned, "b" and "c" live


async def test_store_is_bounded_and_fails_closed(clock: FakeClock) -> None:
    store = InMemoryNonceStore(max_entries=2, clock=clock)
    assert await store.consume("a", clock.now + 10)
    assert await store.consume("b", clock.now + 20)
    assert not await store.consume("c", clock.now + 20)
    assert len(store) == 2
    clock.now += 10
    assert await store.consume("c", clock.now + 20)


def test_from_keyring_uses_derived_secret(clock: FakeClock) -> None:
    spec = generate_key_spec("k1")
    token = LinkSigner.from_keyring(Keyring.from_spec(spec), clock=clock).sign(PAYLOAD, ttl=600)
    same = LinkSigner.from_keyring(Keyring.from_spec(spec), clock=clock)
    assert same.verify(token)["team"] == "T0ACME"
    rotated = Keyring.from_spec(f"{generate_key_spec('k2')},{spec}")
    with pytest.raises(SignatureInvalid):
        LinkSigner.from_keyring(rotated, clock=clock).verify(token)
