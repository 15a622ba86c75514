"""`python -m netlint.bench --lsp`: how long an edit waits for its diagnostics in the editor.

A scripted LSP session (pygls's client, the `server` extra) with `netlint server` in a
subprocess over a generated workspace: open one app's file, then change a label of its
Deployment again and again (each edit breaks or mends its Service's selector, so the cross-file
stage has real work) and time each `didChange` until the `publishDiagnostics` of that version.
The figure is the median of the edits after a first, warming one; the server's debounce is
set to 0 so that the time is the server's own.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient


async def _session(root: Path, document: Path, edits: int) -> list[float]:
    client = LanguageClient("netlint-bench", "1")
    arrived: dict[int, asyncio.Future[float]] = {}
    uri = document.as_uri()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)  # pyright: ignore[reportUntypedFunctionDecorator]
    def published(params: types.PublishDiagnosticsParams) -> None:  # pyright: ignore[reportUnusedFunction]
        waiting = arrived.get(params.version or 0)
        if params.uri == uri and waiting is not None and not waiting.done():
            waiting.set_result(time.perf_counter())

    await client.start_io(sys.executable, "-m", "netlint", "server")  # pyright: ignore[reportUnknownMemberType]
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=root.as_uri(),
            initialization_options={"debounceMs": 0},
        )
    )
    client.initialized(types.InitializedParams())
    loop = asyncio.get_running_loop()
    text = document.read_text(encoding="utf-8")
    arrived[1] = loop.create_future()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "yaml", 1, text))
    )
    await arrived[1]  # the first lint loads the workspace
    label = _first_app_label(text)
    seconds: list[float] = []
    for version in range(2, edits + 3):
        changed = text if version % 2 else text.replace(f"app: {label}", f"app: {label}-x", 1)
        arrived[version] = loop.create_future()
        sent = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                [types.TextDocumentContentChangeWholeDocument(changed)],
            )
        )
        seconds.append(await arrived[version] - sent)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return seconds[1:]  # the first edit also warms what the open did not


def _first_app_label(text: str) -> str:
    for line in text.splitlines():
        if line.strip().startswith("app: "):
            return line.strip().removeprefix("app: ")
    raise ValueError("the generated file has no app label")


def measure_lsp(root: Path, edits: int) -> float:
    """Print and return the median seconds from didChange to publishDiagnostics."""
    files = sorted(root.rglob("*.yaml"))
    document = next(path for path in files if path.name == "app.yaml")
    seconds = asyncio.run(_session(root, document, edits))
    median = statistics.median(seconds)
    print(
        f"  lsp: didChange -> publishDiagnostics over {len(files)} files, {len(seconds)} edits: "
        f"median {median * 1000:.0f} ms (min {min(seconds) * 1000:.0f}, "
        f"max {max(seconds) * 1000:.0f})"
    )
    return median
