"""`netlint server`'s settings (issue 29, item 4), end to end with pytest-lsp's client: the
workspace's configuration, initializationOptions over it, the editor's settings pushed with
workspace/didChangeConfiguration or pulled with workspace/configuration, and an invalid
configuration shown in the editor while the server stays up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.server.client import (
    SERVER,
    SERVICE,
    change,
    codes,
    diagnostics,
    has,
    open_document,
    start_session,
)

# Served until 1.25: deprecated-api says so and names the target version; the Service it names
# is not in the workspace: endpointslice-service.
SLICE = """\
apiVersion: discovery.k8s.io/v1beta1
kind: EndpointSlice
metadata:
  name: web
  namespace: shop
  labels:
    kubernetes.io/service-name: web
addressType: IPv4
endpoints: []
"""


def _targets(found: list[types.Diagnostic], version: str) -> bool:
    return any(d.code == "deprecated-api" and f"(target {version})" in d.message for d in found)


async def _session_on(
    client: LanguageClient, root: Path, name: str, text: str, **given: Any
) -> str:
    """Write `text` to `root/name`, start a session on `root` (`given`: its `options` and
    `capabilities`) and open the file: its URI."""
    (root / name).write_text(text)
    await start_session(client, root, given.get("options"), given.get("capabilities"))
    return open_document(client, root / name)


async def _message(client: LanguageClient, count: int) -> types.ShowMessageParams:
    """The `count`th window/showMessage of the session."""
    while len(client.messages) < count:
        await client.wait_for_notification(types.WINDOW_SHOW_MESSAGE)
    return client.messages[count - 1]


def _configure(client: LanguageClient, settings: object) -> None:
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings))


@pytest_lsp.fixture(config=SERVER)
async def editor(lsp_client: LanguageClient):
    """A client the test initializes itself (`start_session`), to choose options and capabilities."""
    yield
    await lsp_client.shutdown_session()


@pytest.mark.parametrize(
    ("config", "options", "expected", "target"),
    [
        pytest.param(
            (
                "pyproject.toml",
                '[tool.netlint]\nkube-version = "1.33"\nignore = ["endpointslice-service"]\n',
            ),
            {},
            ["deprecated-api"],
            "1.33",
            id="tool.netlint is read",
        ),
        pytest.param(
            (".netlint.yaml", "kube-version: '1.33'\n"),
            {"kubeVersion": "1.34", "select": ["deprecated-api"]},
            ["deprecated-api"],  # select: endpointslice-service is not run
            "1.34",
            id="kubeVersion and select win over the file",
        ),
        pytest.param(
            (".netlint.yaml", "ignore: [endpointslice-service]\n"),
            {"ignore": ["deprecated-api"]},
            [],
            None,
            id="ignore adds to the file's",
        ),
    ],
)
@pytest.mark.asyncio
async def test_the_workspace_configuration_under_the_initialization_options(
    editor: LanguageClient,
    tmp_path: Path,
    config: tuple[str, str],
    options: dict[str, object],
    expected: list[str],
    target: str | None,
) -> None:
    (tmp_path / config[0]).write_text(config[1])
    uri = await _session_on(editor, tmp_path, "slice.yaml", SLICE, options=options)
    found = await diagnostics(editor, uri, lambda _: True)  # the first lint's
    assert codes(found) == expected
    assert target is None or _targets(found, target)


@pytest.mark.asyncio
async def test_changed_settings_re_lint_and_a_wrong_one_is_shown_not_fatal(
    editor: LanguageClient, tmp_path: Path
) -> None:
    uri = await _session_on(editor, tmp_path, "slice.yaml", SLICE)
    found = await diagnostics(editor, uri, has("endpointslice-service"))
    assert _targets(found, "1.37")  # the default target
    _configure(editor, {"netlint": {"kubeVersion": "1.33", "ignore": ["endpointslice-service"]}})
    found = await diagnostics(editor, uri, lambda d: _targets(list(d), "1.33"))
    assert codes(found) == ["deprecated-api"]

    _configure(editor, {"netlint": {"kubeVersion": 1.33}})
    shown = await _message(editor, 1)
    assert shown.type == types.MessageType.Error
    assert shown.message == "netlint: settings.netlint.kubeVersion: expected a string"
    [stopped] = await diagnostics(editor, uri, lambda d: any(x.code is None for x in d))
    assert stopped.message == (
        "netlint is not linting: settings.netlint.kubeVersion: expected a string"
    )
    assert stopped.severity == types.DiagnosticSeverity.Error

    _configure(editor, {"netlint": {"kubeVersion": "1.35"}})  # and it comes back
    found = await diagnostics(editor, uri, lambda d: _targets(list(d), "1.35"))
    assert sorted(codes(found)) == ["deprecated-api", "endpointslice-service"]


@pytest.mark.asyncio
async def test_settings_are_pulled_from_a_client_that_serves_them(
    editor: LanguageClient, tmp_path: Path
) -> None:
    # pytest-lsp's client answers workspace/configuration from what is set here.
    editor.set_configuration({"kubeVersion": "1.33"}, section="netlint")
    capabilities = types.ClientCapabilities(
        workspace=types.WorkspaceClientCapabilities(configuration=True)
    )
    uri = await _session_on(editor, tmp_path, "slice.yaml", SLICE, capabilities=capabilities)
    await diagnostics(editor, uri, lambda d: _targets(list(d), "1.33"))
    editor.set_configuration({"kubeVersion": "1.34"}, section="netlint")
    _configure(editor, None)  # pushes nothing: the server asks again
    await diagnostics(editor, uri, lambda d: _targets(list(d), "1.34"))


@pytest.mark.asyncio
async def test_an_invalid_configuration_file_is_marked_and_fixing_it_resumes(
    editor: LanguageClient, tmp_path: Path
) -> None:
    (tmp_path / "service.yaml").write_text(SERVICE)
    config = tmp_path / ".netlint.yaml"
    config.write_text("ignore: []\nkube-version: '1.99'\n")
    await start_session(editor, tmp_path)
    problem = (
        ".netlint.yaml:2: unsupported Kubernetes version '1.99': "
        "use one of 1.32, 1.33, 1.34, 1.35, 1.36, 1.37"
    )
    assert (await _message(editor, 1)).message == f"netlint: {problem}"
    [marked] = await diagnostics(editor, config.as_uri(), bool)
    assert marked.message == problem
    assert marked.range == types.Range(types.Position(1, 0), types.Position(1, 20))
    assert marked.source == "netlint"

    uri = open_document(editor, tmp_path / "service.yaml")
    [stopped] = await diagnostics(editor, uri, bool)
    assert stopped.message == f"netlint is not linting: {problem}"

    # Fixed in the editor and saved: the mark goes, the Service is linted again.
    config_uri = open_document(editor, config)
    fixed = "ignore: []\nkube-version: '1.35'\n"
    change(editor, config_uri, fixed)
    config.write_text(fixed)
    editor.text_document_did_save(
        types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(config_uri))
    )
    await diagnostics(editor, uri, has("service-selector-no-match"))
    assert await diagnostics(editor, config_uri, lambda d: not d) == []


@pytest.mark.asyncio
async def test_a_configuration_changed_on_disk_is_re_read(
    editor: LanguageClient, tmp_path: Path
) -> None:
    uri = await _session_on(editor, tmp_path, "service.yaml", SERVICE)
    await diagnostics(editor, uri, has("service-selector-no-match"))
    config = tmp_path / ".netlint.yaml"
    config.write_text("ignore: [service-selector-no-match]\n")
    editor.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            [types.FileEvent(config.as_uri(), types.FileChangeType.Created)]
        )
    )
    assert await diagnostics(editor, uri, lambda d: not d) == []


@pytest.mark.asyncio
async def test_the_crds_setting_validates_custom_resources_with_their_crds_rules(
    editor: LanguageClient, tmp_path: Path
) -> None:
    fixtures = Path(__file__).parents[1] / "fixtures" / "crds"
    (tmp_path / "crds").mkdir()
    (tmp_path / "crds" / "widgets.yaml").write_text((fixtures / "widgets.yaml").read_text())
    text = (fixtures / "widgets-bad.yaml").read_text()
    uri = await _session_on(editor, tmp_path, "widget.yaml", text, options={"crds": ["crds"]})
    found = await diagnostics(editor, uri, has("schema"))
    assert [(d.range.start.line, d.message) for d in found] == [
        (5, "spec: Invalid value: minReplicas (3) must not exceed maxReplicas (2)"),
        (8, "spec.tls.secretName: Required value: a TLS widget needs its Secret"),
        (11, "spec.ports: Invalid value: port names must be unique"),
    ]
