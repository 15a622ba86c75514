"""`netlint server` end to end (issue 29): pytest-lsp's client talks LSP to the real server,
started as `python -m netlint server` in a subprocess, over a workspace of real files."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from netlint.report.explain import explain_text
from netlint.run.registry import load_rules
from tests.helpers import FIXTURES_ROOT
from tests.server.client import (
    SERVER,
    SERVICE,
    apply_edit,
    change,
    codes,
    diagnostics,
    has,
    open_document,
    published_version,
    start_session,
)

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
    await start_session(lsp_client, tmp_path, {"rules": [str(PACK)]})
    yield
    await lsp_client.shutdown_session()


# The Deployment on disk, never opened: one the Service selects, listening on 9090; and one with
# other labels, which the Service does not select.
LISTENING = DEPLOYMENT.replace("app: old-web", "app: web").replace("8080", "9090")


@pytest.mark.parametrize(
    ("deployment", "rule", "where", "message"),
    [
        pytest.param(
            LISTENING,
            "service-target-port-unresolved",
            ((10, 16), (10, 20)),
            "Service shop/web port 80/TCP: targetPort 8080 is not a containerPort of "
            "Deployment shop/web (declared: 9090)\n",
            id="its port",
        ),
        pytest.param(
            DEPLOYMENT,
            "service-selector-no-match",
            ((6, 2), (6, 10)),
            "Service shop/web selects no pods: no pod template in namespace shop of the linted "
            "files has app=web\n",
            id="its labels",
        ),
    ],
)
@pytest.mark.asyncio
async def test_a_service_is_judged_with_the_deployment_of_another_file(
    client: LanguageClient,
    tmp_path: Path,
    deployment: str,
    rule: str,
    where: tuple[tuple[int, int], tuple[int, int]],
    message: str,
) -> None:
    (tmp_path / "deployment.yaml").write_text(deployment)
    uri = open_document(client, tmp_path / "service.yaml")
    [found] = await diagnostics(client, uri, bool)
    assert found.code == rule
    assert found.range == types.Range(types.Position(*where[0]), types.Position(*where[1]))
    assert found.severity == types.DiagnosticSeverity.Warning
    assert found.source == "netlint"
    assert found.message.startswith(message)
    assert found.code_description is not None
    assert found.code_description.href.endswith(f"/docs/rules/{rule}.md")


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
    applied = apply_edit(SERVICE, edit)
    assert applied == SERVICE.replace(
        "  selector:\n", "  selector:  # netlint: ignore[service-selector-no-match]\n"
    )
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
    elsewhere = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(0, 2))
    )
    assert elsewhere is None  # no finding under apiVersion


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
    assert syntax.range.start == types.Position(3, 0)
    change(client, uri, SERVICE)
    again = await diagnostics(client, uri, has("service-selector-no-match"))
    assert "yaml-syntax" not in codes(again)


# What a buffer goes through while it is typed or mangled: every prefix of the Service, and
# edits that leave it broken in other ways.
MID_EDIT = [
    *(SERVICE[:end] for end in range(0, len(SERVICE), 7)),
    SERVICE.replace("  ports:", "  ports: [{port: 80"),
    SERVICE.replace("    app: web", "\tapp: web"),
    SERVICE.replace("name: web", 'name: "web'),
    SERVICE.replace("apiVersion: v1", "apiVersion: v1\n---\n- [ {"),
    SERVICE + "---\n" + SERVICE.replace("kind: Service", "kind: &a [*a]"),
    "\x00\ufeff:\n",
]


@pytest.mark.asyncio
async def test_every_buffer_of_an_edit_is_linted_and_none_crashes_the_server(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri = open_document(client, tmp_path / "service.yaml", "")
    for version, text in enumerate(MID_EDIT, start=2):
        change(client, uri, text, version)
        published = await published_version(client, uri, version)
        assert "internal-error" not in codes(published.diagnostics), text
    change(client, uri, SERVICE, len(MID_EDIT) + 2)
    final = await published_version(client, uri, len(MID_EDIT) + 2)
    assert codes(final.diagnostics) == ["service-selector-no-match"]


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


LATE = """\
apiVersion: v1
kind: Service
metadata:
  name: boom-late
  namespace: shop
spec:
  ports:
  - port: 80
"""


@pytest_lsp.fixture(
    config=ClientServerConfig(
        server_command=[*SERVER.server_command, "--rules", str(PACK)],
    ),
)
async def flagged(lsp_client: LanguageClient, tmp_path: Path):
    """The server started with `--rules PACK`, as an editor's command line would start it."""
    (tmp_path / "late.yaml").write_text(LATE)
    await start_session(lsp_client, tmp_path)
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_a_cross_file_rule_that_raises_from_a_rules_flag_pack_is_a_diagnostic(
    flagged: LanguageClient, tmp_path: Path
) -> None:
    uri = open_document(flagged, tmp_path / "late.yaml")
    found = await diagnostics(flagged, uri, has("internal-error"))
    [crash] = [d for d in found if d.code == "internal-error"]
    assert crash.message.startswith(
        "rule test-raises-late failed on Service shop/boom-late in late.yaml: KeyError: "
    )
    assert crash.severity == types.DiagnosticSeverity.Error
    assert crash.range.start == types.Position(0, 0)
    change(flagged, uri, LATE.replace("boom-late", "calm"))  # the server is alive and linting
    left = await diagnostics(flagged, uri, lambda d: "internal-error" not in codes(d))
    assert "internal-error" not in codes(left)


FLAGS = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndata:\n  enabled: yes\n  port: 8080\n"


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
    assert apply_edit(FLAGS, edit) == FLAGS.replace("enabled: yes", 'enabled: "yes"')
    fix_all = by_title["Fix all safe netlint fixes in the file"]
    assert fix_all.kind == "source.fixAll.netlint"
    assert fix_all.edit is not None and fix_all.edit.changes is not None
    [whole] = fix_all.edit.changes[uri]
    fixed = apply_edit(FLAGS, whole)
    assert fixed == FLAGS.replace("yes", '"yes"').replace("8080", '"8080"')
    change(client, uri, fixed)
    left = await diagnostics(client, uri, lambda d: "yaml-ambiguous-value" not in codes(d))
    assert left == []


@pytest_lsp.fixture(config=SERVER)
async def misconfigured(lsp_client: LanguageClient, tmp_path: Path):
    (tmp_path / "service.yaml").write_text(SERVICE)
    (tmp_path / ".netlint.yaml").write_text("kube-version: '1.99'\n")
    await start_session(lsp_client, tmp_path)
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
