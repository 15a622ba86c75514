"""The language server itself (pygls): documents in, diagnostics, code actions and hovers out.

Lints run on the event loop, one at a time: edits that arrive during a lint wait in the
stream and are taken together by the next one, and a burst of edits is let settle for
`debounce_ms` first. Whatever goes wrong in a lint (a rule's bug becomes an `internal-error`
finding in the engine already) is logged and shown in the editor; the server keeps serving.
"""

from __future__ import annotations

import asyncio
import os
import traceback
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from netlint import __version__
from netlint.api import RuleMeta
from netlint.findings import Finding
from netlint.server.actions import FIX_ALL_KIND, code_actions, fix_all_action, hover
from netlint.server.convert import SOURCE, diagnostic, lines_of, position
from netlint.server.setup import SECTION, Builder, ServerOptions, SetupError
from netlint.server.workspace import Workspace

# Saving one of these re-reads the configuration.
_CONFIG_NAMES = frozenset([".netlint.yaml", ".netlint.yml", "pyproject.toml"])


class NetlintServer(LanguageServer):
    def __init__(self, builder: Builder, options: ServerOptions) -> None:
        super().__init__("netlint", __version__)  # pyright: ignore[reportUnknownMemberType]
        self.builder = builder
        self.base_options = options  # the command line's
        self.init_options = options  # initializationOptions over the command line's
        self.options = options  # the editor's settings over both: what the run is built from
        self.root = Path.cwd()
        self.workspace_run: Workspace | None = None
        self.setup_error: str | None = None
        self.metas: dict[str, RuleMeta] = {}
        # uri -> (text linted, its findings): what code actions and hovers answer from.
        self.linted: dict[str, tuple[str, list[Finding]]] = {}
        self.pending: asyncio.TimerHandle | None = None
        # The configuration file with an error shown on it, to clear once it is valid.
        self.config_problem_uri: str | None = None

    def configure(self) -> None:
        """(Re)build the run from the configuration; an invalid one is shown, not raised."""
        try:
            setup = self.builder(self.root, self.options)
        except SetupError as error:
            self.fail(error)
            return
        self._show_config_problem(None)
        self.setup_error = None
        self.workspace_run = Workspace(setup)
        self.metas = {rule.meta.id: rule.meta for rule in setup.rule_set.rules}

    def reconfigure(self, settings: object) -> None:
        """The editor's settings (didChangeConfiguration, or pulled with workspace/configuration)
        over the initialization options: rebuild the run and re-lint the open documents."""
        try:
            self.options = ServerOptions.parse(settings, self.init_options, "settings")
        except SetupError as error:
            self.fail(error)
        else:
            self.configure()
        self.schedule(0)

    def fail(self, error: SetupError) -> None:
        """Stop linting until the configuration is valid again, and say why: a message, and a
        diagnostic on the configuration file when the error is in one. The open documents get
        theirs at the next lint (`_publish_setup_error`)."""
        self.workspace_run = None
        self.setup_error = str(error)
        self.window_show_message(
            types.ShowMessageParams(types.MessageType.Error, f"netlint: {error}")
        )
        self._show_config_problem(error)

    def _show_config_problem(self, error: SetupError | None) -> None:
        """Publish `error` on the line of the configuration file it names (None: clear the
        diagnostic published before)."""
        if self.config_problem_uri is not None:
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=self.config_problem_uri, diagnostics=[])
            )
            self.config_problem_uri = None
        if error is None or error.file is None:
            return
        uri = self._uri_of(error.file)
        document = self.workspace.text_documents.get(uri)
        try:
            text = document.source if document is not None else error.file.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        lines = lines_of(text)
        line = max(error.line - 1, 0)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri,
                diagnostics=[
                    types.Diagnostic(
                        range=types.Range(
                            position(lines, line, 0), position(lines, line, len(text))
                        ),
                        message=str(error),
                        severity=types.DiagnosticSeverity.Error,
                        source=SOURCE,
                    )
                ],
            )
        )
        self.config_problem_uri = uri

    def _uri_of(self, path: Path) -> str:
        """The URI the editor has `path` open under (its spelling of it), else path's own."""
        for uri in self.workspace.text_documents:
            shown = to_fs_path(uri)
            if shown is not None and Path(os.path.realpath(shown)) == path:
                return uri
        return path.as_uri()

    def schedule(self, delay: float) -> None:
        """Lint the open documents after `delay` seconds, unless a lint is already waiting
        (it will read the newest texts)."""
        if self.pending is not None:
            return
        self.pending = asyncio.get_running_loop().call_later(delay, self.lint_now)

    def open_documents(self) -> dict[str, str]:
        """uri -> text of every open file document."""
        return {
            uri: document.source
            for uri, document in self.workspace.text_documents.items()
            if uri.startswith("file:")
        }

    def lint_now(self) -> None:
        self.pending = None
        documents = self.open_documents()
        if self.workspace_run is None:
            self._publish_setup_error(documents)
            return
        by_path = {os.path.realpath(to_fs_path(uri) or uri): uri for uri in documents}
        try:
            linted = self.workspace_run.lint(
                {path: documents[uri] for path, uri in by_path.items()}
            )
        except Exception:  # a bug of netlint's own: say so, keep serving
            self.window_log_message(
                types.LogMessageParams(types.MessageType.Error, traceback.format_exc())
            )
            self.window_show_message(
                types.ShowMessageParams(
                    types.MessageType.Error,
                    "netlint: internal error while linting (see the output log); please report it",
                )
            )
            return
        for path, uri in by_path.items():
            text = linted.texts[path]
            findings = linted.findings.get(path, [])
            self.linted[uri] = (text, findings)
            lines = lines_of(text)
            document = self.workspace.get_text_document(uri)
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(
                    uri=uri,
                    version=document.version,
                    diagnostics=[diagnostic(f, lines, self.metas.get(f.rule_id)) for f in findings],
                )
            )

    def _publish_setup_error(self, documents: dict[str, str]) -> None:
        """The invalid configuration, on the first line of each open document (but the
        configuration file in error, which shows it on its line)."""
        start = types.Position(0, 0)
        for uri in documents:
            if uri == self.config_problem_uri:
                continue
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(
                    uri=uri,
                    diagnostics=[
                        types.Diagnostic(
                            range=types.Range(start, types.Position(0, 1)),
                            message=f"netlint is not linting: {self.setup_error}",
                            severity=types.DiagnosticSeverity.Error,
                            source=SOURCE,
                        )
                    ],
                )
            )


def _kind(kind: types.CodeActionKind | str | None) -> str:
    """A code action kind as its string ("quickfix", "source.fixAll")."""
    if isinstance(kind, types.CodeActionKind):
        return kind.value
    return kind or ""


def _is_config(uri: str) -> bool:
    path = to_fs_path(uri)
    return path is not None and Path(path).name in _CONFIG_NAMES


def _root(params: types.InitializeParams) -> Path:
    """The workspace root: the first folder, else the root URI, else the working directory."""
    uri = params.workspace_folders[0].uri if params.workspace_folders else params.root_uri
    path = to_fs_path(uri) if uri else None
    return Path(path) if path else Path.cwd()


# The configuration files the client is asked to watch, when it can (dynamic registration).
_WATCH_CONFIG = types.RegistrationParams(
    [
        types.Registration(
            id="netlint-configuration",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[
                    types.FileSystemWatcher(glob_pattern=f"**/{name}")
                    for name in sorted(_CONFIG_NAMES)
                ]
            ),
        )
    ]
)


def _settings_request(root: Path) -> types.ConfigurationParams:
    """workspace/configuration for netlint's settings section in the workspace."""
    return types.ConfigurationParams(
        [types.ConfigurationItem(scope_uri=root.as_uri(), section=SECTION)]
    )


def make_server(builder: Builder, options: ServerOptions) -> NetlintServer:
    server = NetlintServer(builder, options)

    @server.feature(types.INITIALIZE)
    def initialize(ls: NetlintServer, params: types.InitializeParams) -> None:  # pyright: ignore[reportUnusedFunction]
        ls.root = _root(params)
        try:
            ls.init_options = ls.options = ServerOptions.parse(
                params.initialization_options, ls.base_options
            )
        except SetupError as error:
            ls.setup_error = str(error)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: NetlintServer, params: types.InitializedParams) -> None:  # pyright: ignore[reportUnusedFunction]
        # Only now: diagnostics (on a configuration file in error) may not precede the
        # initialize response.
        if ls.setup_error is not None:
            ls.fail(SetupError(ls.setup_error))
        else:
            ls.configure()
        capabilities = ls.client_capabilities.workspace
        if capabilities is None:
            return
        watched = capabilities.did_change_watched_files
        if watched is not None and watched.dynamic_registration:
            ls.client_register_capability(_WATCH_CONFIG)
        if capabilities.configuration:
            settings = await ls.workspace_configuration_async(_settings_request(ls.root))
            if settings and settings[0]:
                ls.reconfigure(settings[0])

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(  # pyright: ignore[reportUnusedFunction]
        ls: NetlintServer, params: types.DidChangeConfigurationParams
    ) -> None:
        settings = params.settings
        capabilities = ls.client_capabilities.workspace
        if not settings and capabilities is not None and capabilities.configuration:
            # A client that pushes no settings expects them pulled (the spec's pull model).
            pulled = await ls.workspace_configuration_async(_settings_request(ls.root))
            settings = pulled[0] if pulled else None
        ls.reconfigure(settings)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(  # pyright: ignore[reportUnusedFunction]
        ls: NetlintServer, params: types.DidChangeWatchedFilesParams
    ) -> None:
        # A configuration file changed on disk (edited elsewhere, a checkout): re-read it.
        # Other files need no more than a lint: the engine sees what changed on disk.
        if any(_is_config(change.uri) for change in params.changes):
            ls.configure()
        ls.schedule(0)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: NetlintServer, params: types.DidOpenTextDocumentParams) -> None:  # pyright: ignore[reportUnusedFunction]
        ls.schedule(0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: NetlintServer, params: types.DidChangeTextDocumentParams) -> None:  # pyright: ignore[reportUnusedFunction]
        ls.schedule(ls.options.debounce_ms / 1000)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: NetlintServer, params: types.DidSaveTextDocumentParams) -> None:  # pyright: ignore[reportUnusedFunction]
        if _is_config(params.text_document.uri):
            ls.configure()
        ls.schedule(0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: NetlintServer, params: types.DidCloseTextDocumentParams) -> None:  # pyright: ignore[reportUnusedFunction]
        uri = params.text_document.uri
        ls.linted.pop(uri, None)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )
        ls.schedule(0)  # the others may have leaned on its unsaved text

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND]),
    )
    def code_action(  # pyright: ignore[reportUnusedFunction]
        ls: NetlintServer, params: types.CodeActionParams
    ) -> list[types.CodeAction]:
        uri = params.text_document.uri
        text, findings = ls.linted.get(uri, ("", []))
        if text != ls.workspace.get_text_document(uri).source:
            return []  # edited since it was linted: the findings' places may have moved
        actions = code_actions(uri, text, findings, ls.metas, params.range)
        only = params.context.only
        kinds = None if only is None else [_kind(kind) for kind in only]
        wants_fix_all = kinds is None or any(FIX_ALL_KIND.startswith(kind) for kind in kinds)
        if kinds is not None:
            actions = [a for a in actions if any(_kind(a.kind).startswith(k) for k in kinds)]
        if wants_fix_all and ls.workspace_run is not None and any(f.fix for f in findings):
            path = os.path.realpath(to_fs_path(uri) or uri)
            fixed = ls.workspace_run.fix_all(path, text)
            if fixed is not None:
                actions.append(fix_all_action(uri, text, fixed))
        return actions

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: NetlintServer, params: types.HoverParams) -> types.Hover | None:  # pyright: ignore[reportUnusedFunction]
        text, findings = ls.linted.get(params.text_document.uri, ("", []))
        return hover(text, findings, ls.metas, params.position)

    return server


def serve(builder: Builder, options: ServerOptions) -> None:
    """Serve over stdin and stdout until the editor says exit."""
    make_server(builder, options).start_io()


__all__ = ["NetlintServer", "make_server", "serve"]
