"""Kustomize roots rendered with the real kustomize (issue 23, item 3).

A kustomize root (`run.scopes`: a kustomization no other one of the input uses) is built with
`kustomize build` or, without it, `kubectl kustomize`, found on PATH, when config
`render.kustomize` is `auto` (the default). The build output is linted in the root's scope
instead of the files it was built from, and `filters.kustomize_sources` moves each finding back
to the file and node it came from.

The user's checkout is never written to: the build runs on a temporary kustomization that lists
the root as its one resource and asks for `buildMetadata: [originAnnotations,
transformerAnnotations]`. kustomize then records on every object the file it came from
(`config.kubernetes.io/origin`, a path relative to the temporary folder) and the kustomizations
whose transformers changed it (`alpha.config.kubernetes.io/transformations`). Both annotations
are read here and removed from the text before any rule sees the objects.

Nothing in a manifest or checkout runs, and nothing is fetched:
- no `--enable-alpha-plugins`, `--enable-exec` or `--enable-helm` is passed, so kustomize refuses
  exec and container KRM functions, legacy plugins and Helm charts;
- a root whose build lists a remote base (a git or http URL) is not built, and the summary says
  which; kustomize runs with an empty PATH (no `git` to clone with) and proxies that lead
  nowhere, so nothing it could otherwise fetch is fetched;
- the argument list is passed without a shell, stdin is closed, the home and configuration
  folders are the temporary one, and a build that takes longer than `KustomizeOptions.timeout`
  is stopped.
A build that kustomize refuses is one `kustomize-build` finding at the root's kustomization,
with kustomize's message, and the files are then linted as plain files.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from netlint.input.display_paths import printable
from netlint.input.document import Document, Node
from netlint.input.lines import split_lines
from netlint.input.loader import load_yaml
from netlint.model.access import as_list, as_map, as_str
from netlint.run.renders import KustomizeOptions, Renders
from netlint.run.results import KustomizeOrigin, KustomizeRoot, KustomizeStream

RENDER_MODES = ("auto", "never")
NOT_ON_PATH = "neither kustomize nor kubectl is on PATH"
TURNED_OFF = "render.kustomize is never"
FAILED = "kustomize build failed"
NEEDS_MORE = "netlint never runs its kustomize plugins, KRM functions or Helm charts"
RENDERED_SUFFIX = " (kustomize build)"  # the display path of a root's rendered stream
ORIGIN = "config.kubernetes.io/origin"
TRANSFORMATIONS = "alpha.config.kubernetes.io/transformations"
_PARALLEL_BUILDS = 4
_PARSING = threading.Lock()
_BUILD_METADATA = "buildMetadata: [originAnnotations, transformerAnnotations]\n"
# Where kustomize's HTTP client is sent instead of the network: the discard port of this host.
_NOWHERE = "http://127.0.0.1:9"


def command_name(command: Sequence[str]) -> str:
    """`kubectl kustomize`, `kustomize build`: how the summary names the command."""
    return f"{os.path.basename(command[0])} {command[1]}"


@dataclass(frozen=True, slots=True)
class Built:
    """One root's build: the stream to lint (annotations removed) and what each document came
    from, or why there is none (`error`: kustomize's own message, for the finding)."""

    text: str | None
    origins: tuple[KustomizeOrigin, ...] = ()
    error: str | None = None
    reason: str | None = None  # why not rendered, for the summary


def _environment(folder: str) -> dict[str, str]:
    empty = os.path.join(folder, "bin")
    os.mkdir(empty)
    return {
        "PATH": empty,  # no git, ssh or anything else to start
        "HOME": folder,
        "XDG_CONFIG_HOME": folder,
        "KUBECONFIG": os.path.join(folder, "kubeconfig"),
        **dict.fromkeys(("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"), _NOWHERE),
        "NO_PROXY": "",
        "no_proxy": "",
        "GIT_TERMINAL_PROMPT": "0",
    }


_LOG_HEADER = re.compile(r'^[EWI]\d{4} [\d:.]+\s+\d+ \S+\] "command failed" err=[<"]?')


def _message(stderr: bytes, returncode: int, relative: str, shown: str, folder: str) -> str:
    """kustomize's error on one line, with the temporary folder's paths written as the user's
    (kubectl's logging header and `Error: ` dropped)."""
    text = stderr.decode("utf-8", "replace").strip()
    text = _LOG_HEADER.sub("", text).removesuffix(">").strip().removesuffix('"')
    text = text.removeprefix("Error: ").removeprefix("error: ").replace('\\"', '"')
    detail = " ".join(line.strip() for line in text.splitlines() if line.strip())
    detail = detail or f"exit status {returncode}"
    root = os.path.normpath(os.path.join(folder, relative))
    # The temporary kustomization's own layer adds nothing: what the root's build said follows.
    inner = detail.find(f"recursed accumulation of path '{root}': ")
    if inner >= 0:
        detail = detail[inner + len(f"recursed accumulation of path '{root}': ") :]
        detail = detail.removesuffix("'")
    detail = detail.replace(folder + os.sep, "").replace(root, shown).replace(relative, shown)
    return printable(detail[:500])


def _needs_more(message: str) -> bool:
    """Whether kustomize refused the build only for what netlint never turns on: plugins, KRM
    functions, Helm inflation."""
    return any(
        word in message
        for word in (
            "external plugins disabled",
            "--enable-helm",
            "--enable-alpha-plugins",
            "--enable-exec",
        )
    )


def build(root: str, shown: str, command: Sequence[str], timeout: float) -> Built:
    """Build the root at `root` (a real folder, shown as `shown`) with `command`."""
    # Imported by the runs that build: most runs meet no kustomization (issue 31).
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="netlint-kustomize-") as made:
        folder = os.path.realpath(made)
        relative = os.path.relpath(root, folder)
        with open(os.path.join(folder, "kustomization.yaml"), "w", encoding="utf-8") as wrapper:
            wrapper.write(f"resources:\n- {json.dumps(relative)}\n{_BUILD_METADATA}")
        try:
            completed = subprocess.run(
                [*command, folder],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=timeout,
                check=False,
                cwd=folder,
                env=_environment(folder),
            )
        except subprocess.TimeoutExpired:
            return Built(None, reason=f"{command_name(command)} took longer than {timeout:g}s")
        except OSError as error:
            return Built(None, reason=f"kustomize could not run: {error.strerror or error}")
        if completed.returncode != 0:
            error = _message(completed.stderr, completed.returncode, relative, shown, folder)
            if _needs_more(error):
                return Built(None, reason=NEEDS_MORE)
            return Built(None, error=error, reason=FAILED)
        with _PARSING:  # the YAML loader is not for several threads at once
            return _read_output(completed.stdout.decode("utf-8", "replace"), folder)


def _origin(text: Node, folder: str) -> tuple[str | None, str | None, str | None]:
    """(file, kustomization that generated it, generator kind) of an origin annotation."""
    loaded = load_yaml(text, ORIGIN) if isinstance(text, str) else None
    data = as_map(loaded.documents[0].data) if loaded and loaded.documents else None
    if data is None:
        return None, None, None
    path = as_str(data.get("path"))
    if as_str(data.get("repo")):
        path = None  # a remote base: not a file of the checkout
    configured_in = as_str(data.get("configuredIn"))
    by = as_map(data.get("configuredBy"))
    kind = as_str(by.get("kind")) if by is not None else None
    return (
        os.path.realpath(os.path.join(folder, path)) if path else None,
        os.path.realpath(os.path.join(folder, configured_in)) if configured_in else None,
        kind,
    )


def _transformations(text: Node, folder: str) -> tuple[str, ...]:
    """The kustomizations whose transformers changed an object, innermost first, once each."""
    loaded = load_yaml(text, TRANSFORMATIONS) if isinstance(text, str) else None
    found: list[str] = []
    for item in as_list(loaded.documents[0].data if loaded and loaded.documents else None) or []:
        entry = as_map(item)
        configured_in = as_str(entry.get("configuredIn")) if entry is not None else None
        if configured_in:
            found.append(os.path.realpath(os.path.join(folder, configured_in)))
    return tuple(dict.fromkeys(found))


def _entry_lines(document: Document, keys: Sequence[str], drop: set[str]) -> list[range]:
    """The lines (0-based) of the entries `drop` of the annotations mapping of `document`
    whose keys are `keys` in order; all of its lines, key included, when nothing else is left."""
    annotations = ("metadata", "annotations")
    # The mapping ends where its last value does (a block scalar at the start of the next line).
    end_line, end_column = document.span_of((*annotations, keys[-1]))[2:]
    end = end_line + 1 if end_column else end_line  # exclusive
    starts = [document.key_span((*annotations, key))[0] for key in keys]
    if set(keys) <= drop:
        return [range(document.key_span(annotations)[0], end)]
    return [
        range(start, starts[number + 1] if number + 1 < len(keys) else end)
        for number, (key, start) in enumerate(zip(keys, starts, strict=True))
        if key in drop
    ]


def _read_output(text: str, folder: str) -> Built:
    """The build output with the build-metadata annotations removed, and each document's
    origin; a build whose output cannot be read that way is reported as not rendered."""
    loaded = load_yaml(text, "kustomize build")
    origins: list[KustomizeOrigin] = []
    removed: set[int] = set()
    expected: list[Node] = []
    for document in loaded.documents:
        data = as_map(document.data)
        metadata = as_map(data.get("metadata")) if data is not None else None
        annotations = as_map(metadata.get("annotations")) if metadata is not None else None
        if data is None or metadata is None or annotations is None:
            origins.append(KustomizeOrigin(None, None, None, ()))
            expected.append(document.data)
            continue
        path, configured_in, generator = _origin(annotations.get(ORIGIN), folder)
        transformations = _transformations(annotations.get(TRANSFORMATIONS), folder)
        origins.append(KustomizeOrigin(path, configured_in, generator, transformations))
        drop = {key for key in (ORIGIN, TRANSFORMATIONS) if key in annotations}
        for lines in _entry_lines(document, list(annotations), drop):
            removed.update(lines)
        kept: dict[str, Node] = {k: v for k, v in annotations.items() if k not in drop}
        new_metadata: dict[str, Node] = {k: v for k, v in metadata.items() if k != "annotations"}
        if kept:
            new_metadata = {**metadata, "annotations": kept}
        stripped_object: dict[str, Node] = {**data, "metadata": new_metadata}
        expected.append(stripped_object)
    lines = split_lines(text)
    stripped = "\n".join(line for number, line in enumerate(lines) if number not in removed)
    check = load_yaml(stripped, "kustomize build")
    if loaded.problems or check.problems or [d.data for d in check.documents] != expected:
        return Built(None, reason="the kustomize build output could not be read")
    return Built(stripped, tuple(origins))


def render_roots(
    roots: Sequence[tuple[str, str, str | None]], options: KustomizeOptions
) -> Renders:
    """Render `roots` ((real folder, display path, why it cannot be rendered or None))."""
    renders = Renders({}, {}, [], {})
    command = options.command if options.mode == "auto" else None
    wanted = [(folder, shown) for folder, shown, refused in roots if refused is None]
    builds: dict[str, Built] = {}
    if command is not None and wanted:
        # The builds wait on kustomize, not on Python: a few at a time.
        def one(root: tuple[str, str]) -> Built:
            return build(root[0], root[1], command, options.timeout)

        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=min(_PARALLEL_BUILDS, len(wanted))) as pool:
            done = list(pool.map(one, wanted))
        builds = {folder: built for (folder, _), built in zip(wanted, done, strict=True)}
    for folder, shown, refused in roots:
        built = builds.get(folder)
        if built is None or command is None:
            reason = refused or (TURNED_OFF if options.mode == "never" else NOT_ON_PATH)
            renders.roots.append(KustomizeRoot(shown, False, reason))
            continue
        if built.text is None:
            renders.roots.append(KustomizeRoot(shown, False, built.reason))
            if built.error is not None:
                renders.failures[folder] = built.error
            continue
        stream = shown + RENDERED_SUFFIX
        renders.texts[stream] = built.text
        renders.streams[stream] = KustomizeStream(folder, shown, built.origins)
        renders.roots.append(KustomizeRoot(shown, True, None, command_name(command)))
    return renders
