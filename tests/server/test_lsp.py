"""`netlint server` end to end (issue 29): pytest-lsp's client talks LSP to the real server,
started as `python -m netlint server` in a subprocess, over a workspace of real files."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from netlint.report.explain import explain_text
from netlint.run.registry import load_rules
from tests.helpers import FIXTURES_ROOT
from tests.server.client import SERVER, SERVICE, change, codes, diagnostics, has, open_document

PACK = FIXTURES_ROOT / "hostile" / "raising_pack.py"

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: old-web
  template:
    metadata:
      labels:
        app: old-web
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 8080
"""

BOOM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: boom\n"


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, tmp_path: Path):
    (tmp_path / "service.yaml").write_text(SERVICE)
    (tmp_path / "deployment.yaml").write_text(DEPLOYMENT)
    (tmp_path / "boom.yaml").write_text(BOOM)
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=tmp_path.as_uri(),
            initialization_options={"cache": False, "rules": [str(PACK)], "debounceMs": 0},
        )
    )
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_a_service_is_judged_with_the_deployment_of_another_file(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri = open_document(client, tmp_path / "service.yaml")
    found = await diagnostics(client, uri, has("service-selector-no-match"))
    [selector] = [d for d in found if d.code == "service-selector-no-match"]
    assert selector.range == types.Range(types.Position(6, 2), types.Position(6, 10))
    assert selector.severity == types.DiagnosticSeverity.Warning
    assert selector.source == "netlint"
    assert "Service shop/web" in selector.message
    assert selector.code_description is not None
    assert selector.code_description.href.endswith("/docs/rules/service-selector-no-match.md")


@pytest.mark.asyncio
async def test_editing_the_deployments_labels_clears_the_service(
    client: LanguageClient, tmp_path: Path
) -> None:
    service = open_document(client, tmp_path / "service.yaml")
    await diagnostics(client, service, has("service-selector-no-match"))
    deployment = open_document(client, tmp_path / "deployment.yaml")
    fixed = DEPLOYMENT.replace("app: old-web", "app: web")
    change(client, deployment, fixed)
    left = await diagnostics(client, service, lambda d: "service-selector-no-match" not in codes(d))
    assert "service-selector-no-match" not in codes(left)
    assert (tmp_path / "deployment.yaml").read_text() == DEPLOYMENT  # never written


@pytest.mark.asyncio
async def test_suppress_on_this_line_is_applied_and_silences_the_finding(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri = open_document(client, tmp_path / "service.yaml")
    found = await diagnostics(client, uri, has("service-selector-no-match"))
    [selector] = [d for d in found if d.code == "service-selector-no-match"]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            types.TextDocumentIdentifier(uri),
            selector.range,
            types.CodeActionContext([selector]),
        )
    )
    assert actions is not None
    by_title = {a.title: a for a in actions if isinstance(a, types.CodeAction)}
    action = by_title["Suppress service-selector-no-match on this line"]
    assert action.edit is not None and action.edit.changes is not None
    [edit] = action.edit.changes[uri]
    assert edit.new_text == "  # netlint: ignore[service-selector-no-match]"
    assert edit.range.start == types.Position(6, 11)
    applied = SERVICE.replace("  selector:\n", "  selector:" + edit.new_text + "\n")
    change(client, uri, applied)
    left = await diagnostics(client, uri, lambda d: "service-selector-no-match" not in codes(d))
    assert "service-selector-no-match" not in codes(left)


@pytest.mark.asyncio
async def test_hover_shows_the_rules_docs(client: LanguageClient, tmp_path: Path) -> None:
    uri = open_document(client, tmp_path / "service.yaml")
    await diagnostics(client, uri, has("service-selector-no-match"))
    shown = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(6, 4))
    )
    assert shown is not None and isinstance(shown.contents, types.MarkupContent)
    meta = load_rules().by_id()["service-selector-no-match"].meta
    assert shown.contents.value == explain_text(meta)


@pytest.mark.asyncio
async def test_a_broken_buffer_is_a_diagnostic_and_the_server_lives_on(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri = open_document(
        client, tmp_path / "service.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: web\n"
    )
    found = await diagnostics(client, uri, has("yaml-syntax"))
    [syntax] = [d for d in found if d.code == "yaml-syntax"]
    assert syntax.severity == types.DiagnosticSeverity.Error
    change(client, uri, SERVICE)
    again = await diagnostics(client, uri, has("service-selector-no-match"))
    assert "yaml-syntax" not in codes(again)


@pytest.mark.asyncio
async def test_a_rule_that_raises_is_an_internal_error_diagnostic(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri = open_document(client, tmp_path / "boom.yaml")
    found = await diagnostics(client, uri, has("internal-error"))
    [crash] = [d for d in found if d.code == "internal-error"]
    assert crash.message.startswith("rule test-raises failed on ConfigMap boom")
    service = open_document(client, tmp_path / "service.yaml")  # and it goes on linting
    await diagnostics(client, service, has("service-selector-no-match"))


FLAGS = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndata:\n  enabled: yes\n  port: 8080\n"


def _apply(text: str, edit: types.TextEdit) -> str:
    """`edit` applied to `text` (ASCII: UTF-16 columns are code points)."""
    lines = text.split("\n")

    def offset(at: types.Position) -> int:
        return sum(len(line) + 1 for line in lines[: at.line]) + at.character

    return text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]


@pytest.mark.asyncio
async def test_a_rules_fix_and_fix_all_are_code_actions(
    client: LanguageClient, tmp_path: Path
) -> None:
    (tmp_path / "flags.yaml").write_text(FLAGS)
    uri = open_document(client, tmp_path / "flags.yaml")
    found = await diagnostics(client, uri, has("yaml-ambiguous-value"))
    first = min(
        (d for d in found if d.code == "yaml-ambiguous-value"), key=lambda d: d.range.start.line
    )
    assert first.range == types.Range(types.Position(5, 11), types.Position(5, 14))
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            types.TextDocumentIdentifier(uri), first.range, types.CodeActionContext([first])
        )
    )
    assert actions is not None
    by_title = {a.title: a for a in actions if isinstance(a, types.CodeAction)}
    quote = by_title["quote the value (yaml-ambiguous-value)"]
    assert quote.kind == types.CodeActionKind.QuickFix and quote.is_preferred
    assert quote.edit is not None and quote.edit.changes is not None
    [edit] = quote.edit.changes[uri]
    assert _apply(FLAGS, edit) == FLAGS.replace("enabled: yes", 'enabled: "yes"')
    fix_all = by_title["Fix all safe netlint fixes in the file"]
    assert fix_all.kind == "source.fixAll.netlint"
    assert fix_all.edit is not None and fix_all.edit.changes is not None
    [whole] = fix_all.edit.changes[uri]
    fixed = _apply(FLAGS, whole)
    assert fixed == FLAGS.replace("yes", '"yes"').replace("8080", '"8080"')
    change(client, uri, fixed)
    left = await diagnostics(client, uri, lambda d: "yaml-ambiguous-value" not in codes(d))
    assert left == []


@pytest_lsp.fixture(config=SERVER)
async def misconfigured(lsp_client: LanguageClient, tmp_path: Path):
    (tmp_path / "service.yaml").write_text(SERVICE)
    (tmp_path / ".netlint.yaml").write_text("kube-version: '1.99'\n")
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=tmp_path.as_uri(),
            initialization_options={"cache": False},
        )
    )
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_an_invalid_configuration_is_shown_and_the_server_lives_on(
    misconfigured: LanguageClient, tmp_path: Path
) -> None:
    while not misconfigured.messages:
        await misconfigured.wait_for_notification(types.WINDOW_SHOW_MESSAGE)
    [message] = misconfigured.messages
    assert message.type == types.MessageType.Error
    assert message.message.startswith("netlint: ")
    assert ".netlint.yaml" in message.message
    uri = open_document(misconfigured, tmp_path / "service.yaml")
    [shown] = await diagnostics(misconfigured, uri, bool)
    assert shown.message.startswith("netlint is not linting: ")
    assert ".netlint.yaml" in shown.message
