"""What the language server tests do as the editor: open and edit documents, wait for the
diagnostics a lint publishes."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

# The real server, as an editor starts it.
SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "netlint", "server"])

# Selects the pods of no Deployment unless one in the workspace has `app: web`.
SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
"""


async def start_session(
    client: LanguageClient,
    root: Path,
    options: Mapping[str, object] | None = None,
    capabilities: types.ClientCapabilities | None = None,
) -> None:
    """Initialize a session on the workspace `root`, with `options` as initializationOptions
    (no cache, no debounce, unless they say otherwise)."""
    await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities or types.ClientCapabilities(),
            root_uri=root.as_uri(),
            initialization_options={"cache": False, "debounceMs": 0, **(options or {})},
        )
    )


def open_document(client: LanguageClient, path: Path, text: str | None = None) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri, "yaml", 1, path.read_text() if text is None else text)
        )
    )
    return uri


def change(client: LanguageClient, uri: str, text: str, version: int = 2) -> None:
    """The editor's buffer of `uri` becomes `text` (not saved)."""
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [types.TextDocumentContentChangeWholeDocument(text)],
        )
    )


async def diagnostics(
    client: LanguageClient,
    uri: str,
    wanted: Callable[[Sequence[types.Diagnostic]], bool],
) -> list[types.Diagnostic]:
    """The diagnostics of `uri` once a publication satisfies `wanted`."""
    while uri not in client.diagnostics or not wanted(client.diagnostics[uri]):
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[uri])


def codes(diagnostics: Sequence[types.Diagnostic]) -> list[str]:
    return [str(d.code) for d in diagnostics]


def has(rule: str) -> Callable[[Sequence[types.Diagnostic]], bool]:
    return lambda diagnostics: rule in codes(diagnostics)


async def published_version(
    client: LanguageClient, uri: str, version: int
) -> types.PublishDiagnosticsParams:
    """The diagnostics published for `version` of `uri` (those of earlier versions are
    skipped: a lint takes the newest text)."""
    while True:
        params = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        assert isinstance(params, types.PublishDiagnosticsParams)
        if params.uri == uri and params.version == version:
            return params


def apply_edit(text: str, edit: types.TextEdit) -> str:
    """`edit` applied to `text` (ASCII: UTF-16 columns are code points)."""
    lines = text.split("\n")

    def offset(at: types.Position) -> int:
        return sum(len(line) + 1 for line in lines[: at.line]) + at.character

    return text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
