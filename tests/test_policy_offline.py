"""A policy resolves nothing outside itself: no `$ref` is fetched or read (issue 34, item 1)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner
from referencing.exceptions import Unresolvable

from netlint.cli import cli
from netlint.policy.validator import fast_validator, new_validator

SERVICE = "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}]}\n"


class _Counting(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Counting.requests.append(self.path)
        body = b'{"type": "object"}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    """An HTTP server on localhost that answers every GET with a schema, and counts them."""
    _Counting.requests = []
    httpd = HTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _policy(schema: str) -> str:
    return f"id: x\nseverity: error\nsummary: s\nmatch: {{kinds: [Service]}}\nschema:\n{schema}"


@pytest.mark.parametrize(
    ("schema", "line", "problem"),
    [
        ("  $ref: '{url}/a.json'\n", 6, "$ref '{url}/a.json' points outside the policy"),
        ("  properties:\n    spec: {{$ref: 'file://{secret}'}}\n", 7, "$ref 'file:///"),
        ("  $ref: 'b.json#/x'\n", 6, "$ref 'b.json#/x' points outside the policy"),
        ("  $id: '{url}/base'\n  $ref: '#/x'\n", 6, "$id '{url}/base'"),
        ("  $schema: '{url}/meta'\n", 6, "$schema '{url}/meta': policies are JSON Schema"),
        ("  $defs: {{a: {{$dynamicRef: '{url}/d'}}}}\n", 6, "$dynamicRef '{url}/d'"),
    ],
)
@pytest.mark.parametrize("command", ["check", "rules"])
def test_a_reference_outside_the_policy_is_refused_and_never_followed(
    tmp_path: Path, server: str, schema: str, line: int, problem: str, command: str
) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text('{"type": "object"}')
    policy = tmp_path / "p.yaml"
    policy.write_text(_policy(schema.format(url=server, secret=secret)))
    manifest = tmp_path / "s.yaml"
    manifest.write_text(SERVICE)
    args = [command, str(manifest)] if command == "check" else [command]
    result = CliRunner().invoke(cli, [*args, "--rules", str(policy)], catch_exceptions=False)
    assert result.exit_code == 2
    (output,) = result.output.strip().splitlines()
    assert output.startswith(f"netlint: error: {policy}:{line}: policy x: ")
    assert problem.format(url=server) in output
    assert _Counting.requests == []


def test_local_references_still_resolve(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(
        _policy(
            "  $defs: {small: {maximum: 100}}\n  properties:\n    spec:\n      properties:\n"
            "        ports: {items: {properties: {port: {$ref: '#/$defs/small'}}}}\n"
        )
    )
    manifest = tmp_path / "s.yaml"
    manifest.write_text(SERVICE.replace("port: 80", "port: 8080"))
    result = CliRunner().invoke(
        cli, ["check", str(manifest), "--rules", str(policy), "--select", "x"]
    )
    assert result.exit_code == 1
    assert "error[x]" in result.output


def test_validators_cannot_retrieve_even_if_asked(server: str) -> None:
    # The second line: a schema that reached the validators anyway resolves nothing remote.
    schema = {"$ref": f"{server}/a.json"}
    assert fast_validator(schema) is None  # jsonschema-rs refuses to build it
    with pytest.raises(Unresolvable):
        list(new_validator(schema).iter_errors({}))
    assert _Counting.requests == []
