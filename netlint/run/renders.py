"""What the Helm and kustomize renderers take and give (`run.helm_render`,
`run.kustomize_render`), apart from the renderers: a run that meets no chart and no kustomize
root, like a one-file run, never imports them (issue 31, item 2)."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

from netlint.records import record

if TYPE_CHECKING:
    from netlint.input.reading import Source
    from netlint.run.results import HelmChart, KustomizeRoot, KustomizeStream


@record(frozen=True, slots=True)
class HelmOptions:
    mode: str = "auto"  # one of helm_render.RENDER_MODES
    binary: str | None = None  # helm found on PATH (None: not found)
    values: tuple[str, ...] = ()  # absolute paths of values files, passed with -f
    timeout: float = 120.0  # seconds per chart


@record(frozen=True, slots=True)
class Rendered:
    """What rendering the charts gave: streams to lint, what the summary says of each chart,
    and, by stream path, the chart folder (real path) and how it is shown."""

    sources: list[Source]
    charts: list[HelmChart]
    streams: dict[str, tuple[str, str]]


@record(frozen=True, slots=True)
class KustomizeOptions:
    mode: str = "auto"  # one of kustomize_render.RENDER_MODES
    command: tuple[str, ...] | None = None  # (kustomize, "build") or (kubectl, "kustomize")
    timeout: float = 120.0  # seconds per root


def find_command() -> tuple[str, ...] | None:
    """How to build a kustomization with what is on PATH: `kustomize build`, else
    `kubectl kustomize`; None when neither is there."""
    kustomize = shutil.which("kustomize")
    if kustomize is not None:
        return (kustomize, "build")
    kubectl = shutil.which("kubectl")
    return (kubectl, "kustomize") if kubectl is not None else None


@record(slots=True)
class Renders:
    """What rendering the roots gave: streams to lint (display path -> text and where each of
    its documents came from), the summary's view of each root, and the failures to report
    (kustomization display path... filled by the engine)."""

    streams: dict[str, KustomizeStream]
    texts: dict[str, str]
    roots: list[KustomizeRoot]
    failures: dict[str, str]  # real path of the root's folder -> kustomize's message
