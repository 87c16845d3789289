"""Sealed secrets open with their key and for their purpose only."""

from __future__ import annotations

import pytest

from registry.sealing import Seal, SealError, is_sealed, key_from_text

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
SEAL = Seal(key_from_text("the registry's test key, long enough"))


def test_a_sealed_secret_opens_with_its_key_for_its_purpose() -> None:
    sealed = SEAL.seal(SECRET, "user 1 mfa secret")
    assert is_sealed(sealed) and SECRET not in sealed
    assert sealed != SEAL.seal(SECRET, "user 1 mfa secret")  # a fresh nonce every time
    assert SEAL.open(sealed, "user 1 mfa secret") == SECRET


def test_a_plain_secret_from_before_sealing_reads_as_it_is() -> None:
    assert not is_sealed(SECRET)
    assert SEAL.open(SECRET, "user 1 mfa secret") == SECRET


def test_another_key_is_named_as_the_cause() -> None:
    other = Seal(key_from_text("another installation's key, long too"))
    with pytest.raises(SealError, match="sealed with another key"):
        SEAL.open(other.seal(SECRET, "user 1 mfa secret"), "user 1 mfa secret")


def test_a_secret_copied_to_another_account_or_altered_does_not_open() -> None:
    sealed = SEAL.seal(SECRET, "user 1 mfa secret")
    with pytest.raises(SealError, match="altered or belongs elsewhere"):
        SEAL.open(sealed, "user 2 mfa secret")
    flipped = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
    with pytest.raises(SealError, match="altered or belongs elsewhere"):
        SEAL.open(flipped, "user 1 mfa secret")
