"""The approval card in a real browser (Debian's Chromium), fed write previews the real server
makes over the demo sandbox: what a person reads before approving, and what Approve does. For
the Approve button itself the test host forwards the card's tools/call to that same server, so the
card shows the server's own answer and the sandbox counts what was sent."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import (
    MESSAGE,
    LiveServer,
    OpenView,
    ViewPage,
    fixture,
    free_nights,
    preview_calls,
    tool_result,
    upcoming_conversation,
)

pytestmark = pytest.mark.browser

XSS = '<img src=x onerror="window.__pwned=1">'
TITLES = {"send_guest_message": "Send this message?", "update_calendar": "Change this calendar?"}


def preview(live: LiveServer, name: str) -> dict[str, Any]:
    """A preview made now by the live server: `approve_message` or `approve_calendar`."""
    tool, arguments = preview_calls(live.sandbox)[name]
    result = live.call(tool, arguments)
    assert not result["isError"], result
    assert result["structuredContent"]["approval_id"].startswith("apv_")
    return result


def card(open_view: OpenView, result: dict[str, Any], **options: Any) -> ViewPage:
    return open_view("approve", result, size=(760, 600), flexible_height=True, **options)


def rows(changes: list[dict[str, Any]]) -> list[str]:
    """The cells a person reads in the before -> after table, row by row."""
    cells = []
    for change in changes:
        fenced = (change.get("untrusted") or {}).get(change["field"])
        before = fenced or change.get("before") or "not set"
        cells += [change["label"], before, "→", change.get("after") or "cleared"]
    return cells


# ---- what a person reads ------------------------------------------------------------------------


def test_a_real_message_preview_shows_who_gets_what_exactly(
    open_view: OpenView, live: LiveServer
) -> None:
    result = preview(live, "approve_message")
    data = result["structuredContent"]
    view = card(open_view, result)
    shown = view.view.locator("article.card")
    expect(shown.locator("h1")).to_have_text("Send this message?")
    expect(shown.locator(".summary")).to_have_text(data["summary"])
    # Our words name the guest by conversation; the name as the guest typed it has its own line.
    expect(shown.locator(".detail dt")).to_have_text(
        ["Recipient", "Guest (as typed)", "Via", "Booking", "Property", "Message"]
    )
    expect(shown.locator('[data-key="recipient"] dd')).to_have_text(
        f"the guest of conversation {preview_calls(live.sandbox)['approve_message'][1]['conversation_id']}"
    )
    conversation = upcoming_conversation(live.sandbox)
    expect(shown.locator('[data-key="untrusted.guest_name"] dd')).to_have_text(
        conversation["recipientName"]
    )
    message = shown.locator(".message-text")
    assert message.text_content() == MESSAGE  # the full text, exactly as it will be sent
    assert message.inner_text().split("\n") == MESSAGE.split("\n")
    expect(shown.locator(".request summary")).to_have_text(
        f"Exact request: POST /conversations/{conversation['id']}/messages"
    )
    expect(shown).to_contain_text("Approve before Dec 2, 2026, 9:15 AM")  # the pinned expiry
    expect(shown.locator(".changes")).to_have_count(0)  # a message changes no stored value
    assert view.tool_calls() == []


def test_a_real_calendar_preview_shows_each_value_before_and_after(
    open_view: OpenView, live: LiveServer
) -> None:
    result = preview(live, "approve_calendar")
    data = result["structuredContent"]
    _, arguments = preview_calls(live.sandbox)["approve_calendar"]
    view = card(open_view, result)
    expect(view.view.locator("h1")).to_have_text("Change this calendar?")
    expect(view.view.locator(".changes tbody tr > *")).to_have_text(rows(data["changes"]))
    # The values are the sandbox's own: what those nights hold now, and what was asked for.
    listing = live.sandbox.store.listing(arguments["listing_id"])
    first = date.fromisoformat(arguments["start_date"])
    days = [
        live.sandbox.store.calendar_day(listing["id"], first + timedelta(days=i)) for i in range(3)
    ]
    prices = sorted({float(day["price"]) for day in days})
    now = " to ".join(f"{p:,.2f}" for p in (prices[0], prices[-1]) if p) if len(prices) > 1 else ""
    price = view.view.locator(".changes tbody tr").nth(0)
    expect(price.locator("th")).to_have_text("Price per night")
    expect(price.locator(".before")).to_have_text(
        f"{now or f'{prices[0]:,.2f}'} {listing['currencyCode']}"
    )
    expect(price.locator(".after")).to_have_text(f"189.50 {listing['currencyCode']}")
    expect(view.view.locator(".changes tbody tr").nth(2).locator(".before")).to_have_text(
        "not set"
    )  # no note on those nights yet
    # details keep their own wording beside the table
    expect(view.view.locator('[data-key="price"] dd')).to_have_text(data["details"]["price"])


def test_a_real_booking_preview_shows_its_changes_and_the_guest_as_typed(
    open_view: OpenView, live: LiveServer
) -> None:
    result = preview(live, "approve_booking")
    data = result["structuredContent"]
    booking = live.sandbox.store.reservation(int(data["request"]["path"].split("/")[2]))
    view = card(open_view, result)
    expect(view.view.locator("h1")).to_have_text("Change this booking?")
    expect(view.view.locator(".changes tbody tr > *")).to_have_text(
        ["Guests", str(booking["numberOfGuests"]), "→", str(booking["numberOfGuests"] + 1),
         "Host note", "not set", "→", "Champagne in the fridge on arrival"]
    )  # fmt: skip
    expect(view.view.locator('[data-key="untrusted.guest_name"] dd')).to_have_text(
        booking["guestName"]
    )
    expect(view.view.locator(".warnings li")).to_have_text(data["warnings"])


def test_guest_written_text_is_shown_as_text_and_marked_as_theirs(
    open_view: OpenView, live: LiveServer
) -> None:
    # A guest who typed markup into their name and their booking note.
    conversation = upcoming_conversation(live.sandbox, skip=1)
    reservation = live.sandbox.store.reservation(conversation["reservationId"])
    reservation.update(guestName=XSS, guestFirstName=XSS, guestNote=f"Crib please {XSS}")
    live.sandbox.store.reservation_changed(reservation)  # and the copy its conversation embeds
    conversation["recipientName"] = XSS
    message = live.call("send_guest_message", {"conversation_id": conversation["id"], "body": "Hi"})
    note = live.call(
        "update_booking", {"reservation_id": reservation["id"], "guest_note": "Crib is ready"}
    )
    message_card, note_card = card(open_view, message), card(open_view, note)
    expect(message_card.view.locator('[data-key="untrusted.guest_name"] dd')).to_have_text(XSS)
    before = note_card.view.locator(".changes .before")
    expect(before.locator(".value")).to_have_text(f"Crib please {XSS}")
    expect(before.locator(".typed-by")).to_have_text("as typed by the guest")
    expect(note_card.view.locator(".changes .after")).to_have_text("Crib is ready")
    expect(note_card.view.locator('[data-key="untrusted.guest_name"] dd')).to_have_text(XSS)
    for view in (message_card, note_card):
        expect(view.view.locator("img")).to_have_count(0)
        assert view.frame.evaluate("typeof window.__pwned") == "undefined"
        assert view.page.evaluate("typeof window.__pwned") == "undefined"


# ---- Approve, answered by the real server ------------------------------------------------------


def test_approve_sends_the_real_preview_once_and_shows_the_outcome(
    open_view: OpenView, live: LiveServer
) -> None:
    result = preview(live, "approve_message")
    data = result["structuredContent"]
    before = live.writes()
    view = card(open_view, result, forward=live.forward)
    view.view.locator("button.approve").click()
    expect(view.view.locator("#outcome")).to_contain_text("Done: Sent a message of 108 characters")
    sent = live.answers[-1]["structuredContent"]
    assert (sent["sent"], sent["approved_via"]) == (True, "app")
    expect(view.view.locator("#outcome")).to_have_text("Done: " + sent["summary"])
    assert view.tool_calls() == [
        {"name": "approve_write", "arguments": {"approval_id": data["approval_id"]}}
    ]
    conversation_id = data["request"]["path"].split("/")[2]
    assert live.writes()[len(before) :] == [f"POST /conversations/{conversation_id}/messages"]
    assert live.sandbox.store.messages[int(conversation_id)][-1]["body"] == MESSAGE
    # Pressing again, or Cancel, does nothing more.
    view.view.locator("button.approve").evaluate("el => { el.click(); el.click(); }")
    view.view.locator("button.cancel").evaluate("el => el.click()")
    assert len(view.tool_calls()) == 1
    assert live.writes()[len(before) :] == [f"POST /conversations/{conversation_id}/messages"]

    # The same card drawn again (a reload): its approval is used up, the server refuses.
    again = card(open_view, result, forward=live.forward)
    again.view.locator("button.approve").click()
    expect(again.view.locator("#outcome")).to_contain_text("Not done: ")
    expect(again.view.locator("#outcome")).to_contain_text("was already used")
    assert live.writes()[len(before) :] == [f"POST /conversations/{conversation_id}/messages"]


def test_approving_a_calendar_change_sets_exactly_the_previewed_nights(
    open_view: OpenView, live: LiveServer
) -> None:
    listing_id, first = free_nights(live.sandbox, 3, after=90)
    arguments = {
        "listing_id": listing_id,
        "start_date": first.isoformat(),
        "end_date": (first + timedelta(days=3)).isoformat(),
        "price": 210,
        "available": False,
    }
    result = live.call("update_calendar", arguments)
    changes = result["structuredContent"]["changes"]
    assert [c["field"] for c in changes] == ["availability", "price"]
    before = live.writes()
    view = card(open_view, result, forward=live.forward)
    expect(view.view.locator(".changes tbody tr > *")).to_have_text(rows(changes))
    view.view.locator("button.approve").focus()
    view.page.keyboard.press("Enter")  # from the keyboard
    expect(view.view.locator("#outcome")).to_contain_text("Done: Updated the calendar of")
    assert live.writes()[len(before) :] == [f"PUT /listings/{listing_id}/calendar"]
    for night in range(3):
        day = live.sandbox.store.calendar_day(listing_id, first + timedelta(days=night))
        assert (float(day["price"]), bool(day["isAvailable"])) == (210.0, False)
    assert live.sandbox.store.calendar_day(listing_id, first + timedelta(days=3))["isAvailable"]


# ---- the buttons, against canned answers -------------------------------------------------------


@pytest.fixture
def approval(open_view: OpenView, live: LiveServer) -> tuple[ViewPage, dict[str, Any]]:
    result = preview(live, "approve_message")
    view = card(
        open_view, result, responses={"approve_write": tool_result(fixture("approve_outcome"))}
    )
    return view, result["structuredContent"]


def test_cancel_sends_no_tool_call_and_tells_the_model(
    approval: tuple[ViewPage, dict[str, Any]],
) -> None:
    view, data = approval
    view.view.locator("button.cancel").click()
    expect(view.view.locator("#outcome")).to_have_text("Cancelled. Nothing was sent.")
    expect(view.view.locator("button.approve")).to_be_disabled()
    view.page.wait_for_function("host.contextUpdates.length === 1")
    assert view.tool_calls() == []
    [update] = view.host("host.contextUpdates")
    assert update["content"][0]["text"] == (
        f"The user cancelled send_guest_message (approval {data['approval_id']}) in the approval "
        "card; nothing was sent."
    )


def test_a_canned_outcome_is_shown_and_both_buttons_stay_disabled(
    approval: tuple[ViewPage, dict[str, Any]],
) -> None:
    view, data = approval
    view.view.locator("button.approve").click()
    expect(view.view.locator("#outcome")).to_have_text(
        "Done: " + fixture("approve_outcome")["summary"]
    )
    expect(view.view.locator("button.approve")).to_be_disabled()
    expect(view.view.locator("button.cancel")).to_be_disabled()
    assert view.tool_calls() == [
        {"name": "approve_write", "arguments": {"approval_id": data["approval_id"]}}
    ]


def test_a_refused_approval_is_shown_and_not_retried(open_view: OpenView, live: LiveServer) -> None:
    refused = {"isError": True, "content": [{"type": "text", "text": "This approval expired."}]}
    view = card(open_view, preview(live, "approve_message"), responses={"approve_write": refused})
    view.view.locator("button.approve").click()
    expect(view.view.locator("#outcome")).to_have_text("Not done: This approval expired.")
    expect(view.view.locator("button.approve")).to_be_disabled()
    assert len(view.tool_calls()) == 1


def test_a_preview_without_approval_id_cannot_be_approved_here(
    open_view: OpenView, live: LiveServer
) -> None:
    result = copy.deepcopy(preview(live, "approve_message"))
    del result["structuredContent"]["approval_id"]
    view = card(open_view, tool_result(result["structuredContent"]))
    expect(view.view.locator("button.approve")).to_be_disabled()
    expect(view.view.locator(".card")).to_contain_text("confirm it in the chat instead")


def test_a_write_already_sent_shows_only_its_outcome(open_view: OpenView) -> None:
    view = card(open_view, tool_result(fixture("approve_outcome")))
    expect(view.view.locator("h1")).to_have_text("Done")
    expect(view.view.locator("button.approve")).to_have_count(0)
