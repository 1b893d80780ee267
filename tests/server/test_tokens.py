"""The tokens file (`NAME SHA256HEX` per line), `hostaway-mcp token add|list|remove`, and the
token verifier over it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from hostaway_mcp.__main__ import main
from hostaway_mcp.errors import ConfigurationError
from hostaway_mcp.server.tokens import (
    TokenEntry,
    TokenFileVerifier,
    add_token,
    bearer_auth_settings,
    digest,
    parse_tokens,
    read_tokens,
    remove_token,
    write_tokens,
)

pytestmark = pytest.mark.anyio
HASH = "a" * 64


@pytest.fixture(autouse=True)
def no_tokens_file_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOSTAWAY_HTTP_TOKENS_FILE", raising=False)


def test_the_format_allows_comments_blank_lines_and_upper_case_hex() -> None:
    text = f"# team\n\nmaria {HASH.upper()}\n  joao.silva@ops   {'b' * 64}  \n"
    assert parse_tokens(text, "tokens") == [
        TokenEntry("maria", HASH),
        TokenEntry("joao.silva@ops", "b" * 64),
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("maria\n", "line 1: expected 'NAME SHA256HEX', got 1 fields"),
        (f"maria {HASH} extra\n", "got 3 fields"),
        (f"ma/ria {HASH}\n", "not a valid user name"),
        ("maria abc\n", "64 hex digits"),
        (f"# x\nmaria {HASH}\nmaria {'b' * 64}\n", "line 3: the name 'maria' appears twice"),
        (f"maria {HASH}\njoao {HASH}\n", "the same token is listed twice"),
    ],
)
def test_a_bad_file_is_refused_naming_the_line(text: str, problem: str) -> None:
    with pytest.raises(ConfigurationError, match=problem):
        parse_tokens(text, "tokens")


def test_add_creates_the_file_0600_and_stores_only_the_hash(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "tokens"
    token = add_token(path, "maria")
    assert token.startswith("hmcp_") and len(token) > 40
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    text = path.read_text()
    assert token not in text and digest(token) in text
    second = add_token(path, "joao")
    assert second != token
    assert [entry.name for entry in read_tokens(path)] == ["maria", "joao"]
    with pytest.raises(ConfigurationError, match="maria already has a token"):
        add_token(path, "maria")
    with pytest.raises(ConfigurationError, match="not a valid user name"):
        add_token(path, "bad name")
    assert remove_token(path, "maria") is True
    assert remove_token(path, "maria") is False
    assert [entry.name for entry in read_tokens(path)] == ["joao"]


def test_a_file_others_can_write_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tokens"
    write_tokens(path, [TokenEntry("maria", HASH)])
    os.chmod(path, 0o664)
    with pytest.raises(ConfigurationError, match=r"writable by other users \(mode 664\)") as caught:
        read_tokens(path)
    assert f"chmod 600 {path}" in caught.value.user_message()
    os.chmod(path, 0o640)  # readable by a group is fine: it holds hashes only
    assert read_tokens(path)
    with pytest.raises(ConfigurationError, match="does not exist"):
        read_tokens(tmp_path / "missing")
    with pytest.raises(ConfigurationError, match="not a regular file"):
        read_tokens(tmp_path)


async def test_the_verifier_maps_a_token_to_its_user_and_rereads_a_changed_file(
    tmp_path: Path,
) -> None:
    path = tmp_path / "tokens"
    maria = add_token(path, "maria")
    verifier = TokenFileVerifier(path)
    access = await verifier.verify_token(maria)
    assert access is not None
    assert access.client_id == "maria" and access.subject == "maria"
    assert maria not in access.model_dump_json()
    assert await verifier.verify_token(maria + "x") is None
    assert await verifier.verify_token("") is None
    joao = add_token(path, "joao")  # a new token works without a restart
    assert verifier.user_for(joao) == "joao"
    remove_token(path, "maria")  # and a removed one stops working at once
    assert verifier.user_for(maria) is None
    path.write_text("garbage\n")  # a broken edit keeps the tokens read before
    assert verifier.user_for(joao) == "joao"
    path.unlink()
    assert verifier.user_for(joao) == "joao"


def test_auth_settings_advertise_no_authorization_server() -> None:
    auth = bearer_auth_settings()
    assert auth.resource_server_url is None
    assert auth.client_registration_options is None


# ---- the command ------------------------------------------------------------------------------


def test_token_add_prints_the_token_once_on_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "tokens"
    monkeypatch.setenv("HOSTAWAY_HTTP_TOKENS_FILE", str(path))
    assert main(["token", "add", "maria"]) == 0
    captured = capsys.readouterr()
    token = captured.out.strip()
    assert token.startswith("hmcp_") and "\n" not in token
    assert token not in captured.err and "shown only this once" in captured.err
    assert TokenFileVerifier(path).user_for(token) == "maria"
    assert main(["token", "list"]) == 0
    assert capsys.readouterr().out == "maria\n"
    assert main(["token", "add", "maria"]) == 2
    assert "already has a token" in capsys.readouterr().err
    assert main(["token", "remove", "maria"]) == 0
    assert main(["token", "remove", "maria"]) == 1
    assert "no token for maria" in capsys.readouterr().err
    assert main(["token", "list"]) == 0
    assert capsys.readouterr().out == ""


def test_token_needs_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["token", "list"]) == 2
    assert "HOSTAWAY_HTTP_TOKENS_FILE" in capsys.readouterr().err
    assert main(["token", "--file", str(tmp_path / "t"), "list"]) == 0
    assert "No tokens" in capsys.readouterr().err
