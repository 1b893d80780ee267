"""The pure pieces of fencing: cleaning third-party text and masking the codes we know."""

from __future__ import annotations

import pytest

from hostaway_mcp.domain.fencing import NO_SECRETS, KnownSecrets, clean_text, fence, scrub
from hostaway_mcp.hostaway import AccessInfo, Listing, Reservation


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("plain text\nsecond line\tand a tab", "plain text\nsecond line\tand a tab"),
        ("windows\r\nline", "windows\nline"),
        ("evil\u202etxt.exe", "eviltxt.exe"),  # right-to-left override
        ("zero\u200bwidth\u200c\u200d\u2060joiners\ufeff", "zerowidthjoiners"),
        ("tags\U000e0049\U000e0047\U000e004e", "tags"),  # invisible ASCII smuggling
        ("selector\ufe0f\U000e0100", "selector"),
        ("bell\x07 and escape\x1b[31m", "bell and escape[31m"),
        ("Olá, 日本語, emoji 🎉", "Olá, 日本語, emoji 🎉"),
        (None, None),
    ],
)
def test_clean_text_drops_invisible_and_direction_controls(
    raw: str | None, clean: str | None
) -> None:
    assert clean_text(raw) == clean


def listing(**access: str) -> Listing:
    return Listing(id=1, name="Loft", access=AccessInfo(**access))


def test_known_codes_are_masked_as_whole_tokens_with_their_kind() -> None:
    secrets = KnownSecrets.of(
        [listing(door_security_code="4242", wifi_password="sunny-days-88")],
        [Reservation(id=7, access=AccessInfo(door_code="1234#")), None],
    )
    text = "Code 4242, wifi sunny-days-88, door 1234#. Not 42424 nor a4242."
    assert secrets.mask(text) == (
        "Code [door code hidden], wifi [wifi password hidden], door [door code hidden]. "
        "Not 42424 nor a4242."
    )
    assert secrets.found_in(text) == ["door code", "wifi password"]
    assert NO_SECRETS.mask(text) == text and NO_SECRETS.found_in(text) == []


def test_codes_too_short_to_mask_safely_are_not_known() -> None:
    secrets = KnownSecrets.of([listing(door_security_code="123", wifi_password="pass")])
    assert not secrets
    assert secrets.mask("I will pass by at 123 Main St") == "I will pass by at 123 Main St"


def test_masking_happens_before_shortening_and_fence_keeps_only_texts() -> None:
    secrets = KnownSecrets.of([listing(door_security_code="987654")])
    assert scrub("code\u200b 987654", secrets) == "code [door code hidden]"
    assert fence(guest_name=None, body=None) is None
    fenced = fence(guest_name="Ana\u202e", body="hi")
    assert fenced is not None
    assert fenced.model_dump() == {"guest_name": "Ana", "body": "hi"}  # nulls are not sent
    combined = secrets | KnownSecrets.of([listing(door_security_code="5555")])
    assert combined.mask("987654 5555") == "[door code hidden] [door code hidden]"
