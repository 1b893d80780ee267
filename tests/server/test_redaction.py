"""Nothing secret leaves the process: an upstream that echoes the client secret and the access
token puts neither into a tool result, a tool error, a resource, a prompt or a log line."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from mcp import Client

from hostaway_mcp.logs import JsonFormatter, redact, register_secret
from tests.support.records import TOKEN, envelope, listing
from tests.support.scripted import Scripted, paged
from tests.support.servers import scripted_server

pytestmark = pytest.mark.anyio

# A secret whose JSON form differs from its text: a quote, a backslash and a tab.
SECRET = 'se"cr\\et\tvalue-1234'
FORMS = {SECRET, json.dumps(SECRET)[1:-1], TOKEN}


def leaked(text: str) -> list[str]:
    return [form for form in FORMS if form in text]


def every_text(result: Any) -> str:
    texts = [block.text for block in result.content]
    return "\n".join([*texts, json.dumps(result.structured_content, ensure_ascii=False)])


async def test_an_upstream_echoing_secret_and_token_leaks_into_no_result_error_or_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    echo = f"Authorization: Bearer {TOKEN} client_secret={SECRET}"
    villa = listing(40160, name=f"Villa {SECRET} / {TOKEN}", description=f"You sent {echo}")
    upstream = Scripted(
        {
            ("GET", "/listings"): paged([villa]),
            ("GET", "/listings/40160"): envelope(villa),
            ("GET", "/reservations/101"): (400, {"status": "fail", "result": echo}),
        }
    )
    async with Client(scripted_server(upstream, client_secret=SECRET)) as client:
        listed = await client.call_tool("list_all_properties", {})
        details = await client.call_tool("get_property_details", {"listing_id": 40160})
        failed = await client.call_tool("get_booking_details", {"reservation_id": 101})
        resource = await client.read_resource("hostaway://properties/40160")
        prompt = await client.get_prompt("guest_reply", {"conversation_id": "7"})
    assert not listed.is_error and not details.is_error
    assert "Villa *** / ***" in listed.content[0].text
    assert listed.structured_content["properties"][0]["name"] == "Villa *** / ***"
    described = details.structured_content["description"]
    assert described == "You sent Authorization: Bearer *** client_secret=***"
    assert failed.is_error and "Hostaway refused the request" in failed.content[0].text
    outputs = [
        every_text(listed),
        every_text(details),
        every_text(failed),
        resource.contents[0].text,
        json.dumps(prompt.model_dump(mode="json")),
    ]
    assert [leaked(text) for text in outputs] == [[], [], [], [], []]
    formatter = JsonFormatter()
    logs = "\n".join(formatter.format(record) for record in caplog.records)
    assert "tool call" in logs
    assert leaked(logs) == []


def test_log_values_are_redacted_before_they_are_encoded() -> None:
    register_secret(SECRET)
    record = logging.makeLogRecord(
        {
            "name": "hostaway_mcp.test",
            "levelno": logging.INFO,
            "levelname": "INFO",
            "msg": "upstream said %s",
            "args": (f"secret={SECRET}",),
            "detail": {"nested": [SECRET]},
            "header": f"Authorization: Bearer {'x' * 40}",
        }
    )
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert leaked(line) == []
    assert entry["message"] == "upstream said secret=***"
    assert entry["detail"] == {"nested": ["***"]}
    assert entry["header"] == "Authorization: Bearer ***"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig", "Bearer ***"),
        ('{"access_token":"abc.def.ghi"}', '{"access_token":"***"}'),
        ("grant_type=client_credentials&client_secret=hunter2&scope=general",
         "grant_type=client_credentials&client_secret=***&scope=general"),
        ("authorization = Basic dXNlcjpwYXNzd29yZA==", "authorization = ***"),
        # guest text that merely uses the words is left alone
        ("the bearer of good news needs authorization: yes", "the bearer of good news needs "
         "authorization: yes"),
    ],
)  # fmt: skip
def test_credential_shapes_are_masked_even_when_never_registered(text: str, expected: str) -> None:
    assert redact(text) == expected
