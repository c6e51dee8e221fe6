"""Security primitives: token encryption at rest and signed, single-use link tokens."""

from bot.security.crypto import (
    DecryptionError,
    KeyFile,
    Keyring,
    KeyringConfigError,
    TokenContext,
    derive_secret,
    generate_key_spec,
)
from bot.security.signing import (
    LINK_SIGNING_INFO,
    InMemoryNonceStore,
    LinkSigner,
    NonceStore,
    SignatureError,
    SignatureExpired,
    SignatureInvalid,
    SignatureReused,
)

__all__ = [
    "LINK_SIGNING_INFO",
    "DecryptionError",
    "InMemoryNonceStore",
    "KeyFile",
    "Keyring",
    "KeyringConfigError",
    "LinkSigner",
    "NonceStore",
    "SignatureError",
    "SignatureExpired",
    "SignatureInvalid",
    "SignatureReused",
    "TokenContext",
    "derive_secret",
    "generate_key_spec",
]
