"""The public API for rules: what the built-in pack and every user pack are written against.

A rule is metadata (id, severity, docs in ruff's shape) plus a `check` that receives one manifest
and the run's context and yields `Diagnostic`s: a path inside the object and a message. The engine
turns them into located findings, applies severity overrides and suppressions; a rule never
prints, never locates and never scans the input itself (the inventory answers cross-object
questions).

A diagnostic may carry a `Fix`: edits of its document's text, applied by `netlint check --fix`
(or only with `--unsafe-fixes`, as the fix's `Applicability` says); `netlint.fixes` builds the
usual edits from a manifest and a path, and `RuleMeta.fixable` tells users whether a rule fixes.

A pack is a module that lists its rules explicitly in a module-level `RULES` sequence. The types a
check meets (`Manifest`, `Node`, `Path`, `Inventory`, `PodTemplate`, `ContainerPort`) are
re-exported here; the helpers for reading data and the API's formats are in `netlint.k8s`.
"""

from __future__ import annotations

import fnmatch
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import field
from importlib import import_module

from netlint.findings import END_OF_LINE, Applicability, Edit, Fix, Path, Severity
from netlint.input.document import Node
from netlint.model.inventory import (
    BUILTIN_WORKLOADS,
    ContainerPort,
    Inventory,
    PodTemplate,
    WorkloadKind,
)
from netlint.model.kube_versions import DEFAULT_KUBE_VERSION
from netlint.model.label_values import OrdinalValues
from netlint.model.manifest import Manifest
from netlint.model.namespace import APPLY_NAMESPACE
from netlint.model.resources import package_files
from netlint.records import record

# Kebab-case; dots join such words for rules named after a ValidatingAdmissionPolicy
# (`demo-policy.example.com`), whose name is its id.
RULE_ID = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*")
FIXABLE = ("always", "sometimes", "never")


@record(frozen=True, slots=True)
class RuleMeta:
    """Everything users see about a rule: `netlint rules`, `netlint explain`, SARIF, the README."""

    id: str
    severity: Severity  # the default; a check may report some cases at another severity
    summary: str  # one line
    what: str  # "What it does"
    why: str  # "Why is this bad?"
    example: str = ""  # YAML that triggers the rule
    fix: str = ""  # "Use instead": the corrected YAML or the action to take
    help_uri: str | None = None  # the Kubernetes/ingress-nginx/Gateway API page on the concept
    tags: tuple[str, ...] = ()
    security_severity: float | None = None  # CVSS-like 0.0-10.0 for rules tagged "security"
    enabled_by_default: bool = True
    facts: tuple[str, ...] = ()  # rows of the reference (SVC-14, ...) this rule enforces
    options: str = ""  # configuration that changes the rule, if any
    gateway_counterpart: str | None = (
        None  # migration help: the Gateway API rule for the same check
    )

    # Whether its findings carry a fix: "always", "sometimes" or "never" (`netlint rules`).
    fixable: str = "never"

    def __post_init__(self) -> None:
        if self.fixable not in FIXABLE:
            raise ValueError(f"rule {self.id}: fixable must be one of {', '.join(FIXABLE)}")
        if not RULE_ID.fullmatch(self.id):
            raise ValueError(f"rule id {self.id!r} is not kebab-case (words may be joined by dots)")


@record(frozen=True, slots=True)
class Diagnostic:
    """One problem found by a check, located by its path inside the manifest."""

    path: Path
    message: str
    severity: Severity | None = None  # None: the rule's default severity
    on_key: bool = False  # point at the key of the entry instead of its value
    hint: str | None = None  # "help:" line: how to fix it
    manifest: Manifest | None = None  # None: the manifest being checked
    # Edits of the document of the manifest reported on (`netlint.fixes` builds them).
    fix: Fix | None = None


@record(frozen=True, slots=True)
class ExternalObjects:
    """Objects that exist outside the input (config `external:`, DESIGN §4 "Open world")."""

    patterns: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: {})
    namespace_labels: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: {})

    def declares(self, category: str, namespace: str | None, name: str) -> bool:
        """Whether `category` ("secrets", "services", ...) declares namespace/name.

        An entry is `name` (any namespace) or `namespace/name`; shell globs are allowed. A
        reference from the apply namespace may be to any namespace once applied.
        """
        for pattern in self.patterns.get(category, ()):
            if "/" in pattern:
                ns_pattern, _, name_pattern = pattern.partition("/")
                if (
                    namespace is not None
                    and (namespace == APPLY_NAMESPACE or fnmatch.fnmatchcase(namespace, ns_pattern))
                    and (fnmatch.fnmatchcase(name, name_pattern))
                ):
                    return True
            elif fnmatch.fnmatchcase(name, pattern):
                return True
        return False


@record(frozen=True, slots=True)
class IngressController:
    """Where the pods of an ingress or Gateway controller run, and which classes it serves
    (config `traffic.ingress-controllers:`): the source of the traffic of the Ingresses and
    Gateways of those classes, as NetworkPolicies see it."""

    name: str  # how messages and the traffic map name it
    namespace: str
    pod_labels: Mapping[str, str]
    # IngressClass or GatewayClass names it serves (matched when the class is not in the input).
    classes: tuple[str, ...] = ()
    # IngressClass `spec.controller` / GatewayClass `spec.controllerName` values it answers to.
    controllers: tuple[str, ...] = ()
    # Its pods run with `hostNetwork: true`: their traffic may come from the node's address.
    host_network: bool = False


# ingress-nginx as its Helm chart and static manifests install it.
INGRESS_NGINX = IngressController(
    name="ingress-nginx",
    namespace="ingress-nginx",
    pod_labels={
        "app.kubernetes.io/name": "ingress-nginx",
        "app.kubernetes.io/component": "controller",
    },
    classes=("nginx",),
    controllers=("k8s.io/ingress-nginx",),
)


@record(frozen=True, slots=True)
class Settings:
    """Run-wide settings rules may read (resolved from flags and configuration)."""

    kube_version: str = DEFAULT_KUBE_VERSION
    # The namespace of objects without `metadata.namespace`: None for the apply namespace
    # (`netlint.model.namespace`), the usual case; a name when config or a flag states one.
    default_namespace: str | None = None
    node_port_range: tuple[int, int] = (30000, 32767)
    external: ExternalObjects = field(default_factory=ExternalObjects)
    # Per-rule parameters from config `params:` (policy id -> name -> value).
    params: Mapping[str, Mapping[str, object]] = field(default_factory=lambda: {})
    # Kinds that hold a pod template: the built-in ones and config `workloads:`.
    workloads: tuple[WorkloadKind, ...] = BUILTIN_WORKLOADS
    # Where ingress and Gateway controllers run: config `traffic.ingress-controllers:` first
    # (the first entry that serves a class wins), then the built-in ingress-nginx entry.
    ingress_controllers: tuple[IngressController, ...] = (INGRESS_NGINX,)


class SchemaChecker(ABC):
    """What `schema`-style rules ask of the bundled schemas (kept abstract so packs can use it)."""

    @abstractmethod
    def has_schema(self, api_version: str, kind: str) -> bool: ...

    @abstractmethod
    def violations(
        self, api_version: str, kind: str, obj: object
    ) -> Iterable[tuple[Path, str, bool]]:
        """(path, message, on_key) per violation."""

    def detailed_violations(
        self, api_version: str, kind: str, obj: object
    ) -> Iterable[tuple[Path, str, bool, tuple[str, ...]]]:
        """`violations`, each with the values the schema supports at its path when it is a value
        outside an enum (else `()`): what a fix of `tcp` to `TCP` needs."""
        for path, message, on_key in self.violations(api_version, kind, obj):
            yield path, message, on_key, ()

    def cache_token(self) -> str:
        """What, besides netlint's own code, the verdicts depend on (the CRDs a user gives):
        part of the cache's key."""
        return ""


@record(frozen=True, slots=True)
class RuleContext:
    inventory: Inventory
    settings: Settings
    schemas: SchemaChecker


class Rule(ABC):
    """Subclass, set `meta`, implement `check`. `kinds` limits which manifests reach `check`:
    names of `Manifest.kind_key`, so "Service" means the core Service and not Knative's."""

    meta: RuleMeta
    kinds: frozenset[str] | None = None  # None: every kind
    # True for a rule that only reports what the inventory lacks (a Service, a pod template):
    # its checks never report more when the inventory holds more objects (more matching
    # templates, more copies from `all_named`), and they read of what `inventory.get` returns
    # only that it exists (a run's first copy of an object may be in another file). The
    # per-file stage then tries them with the objects of their own file
    # (`per_file.FileInventory`), and a check that reports nothing there is done.
    settles_locally: bool = False

    def applies_to(self, manifest: Manifest) -> bool:
        return self.kinds is None or manifest.kind_key in self.kinds

    @abstractmethod
    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        """Yield the problems of `manifest`."""


class EngineRule(Rule):
    """A rule whose findings the loader or the engine produces (syntax, unreadable files...).

    It exists so that those findings have documentation, selection and SARIF metadata like
    every other rule; its `check` has nothing to add per manifest.
    """

    def __init__(self, meta: RuleMeta) -> None:
        self.meta = meta
        self.kinds = frozenset()

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        return iter(())


# The lazy rules not imported yet: `LazyRule.load_all` imports them before the engine forks, so
# that its workers share what this process imported instead of each importing it again.
_UNLOADED: list[LazyRule] = []
# What the engine asks of a rule only if the rule has it (`getattr(rule, name, default)`): a
# `LazyRule` knows whether its rule has each, and answers for one that does not without
# importing it (a cached run asks every rule for its `cache_token`).
OPTIONAL_HOOKS = ("cache_token",)


class LazyRule(Rule):
    """A rule listed by where it is defined, with what the engine asks of every rule before it
    checks an object given up front: its `meta`, `kinds` and `settles_locally` (a pack keeps
    them in a generated registry, checked against the rule by a test). Its module is imported
    the first time an object of its kinds is checked, so that a run on one Service never
    imports the Gateway API rules (issue 31); then it is the rule `getattr(module, name)`
    names, called with `args` unless it is a `Rule` already (a class, or a factory)."""

    def __init__(
        self,
        meta: RuleMeta,
        kinds: frozenset[str] | None,
        settles_locally: bool,
        source: tuple[str, str, tuple[str, ...]],  # (module, name, args)
        hooks: frozenset[str] = frozenset(),  # the `OPTIONAL_HOOKS` its rule has
    ) -> None:
        self.meta = meta
        self.kinds = kinds
        self.settles_locally = settles_locally
        self.source = source
        self.hooks = hooks
        self._rule: Rule | None = None
        _UNLOADED.append(self)

    @staticmethod
    def import_rule(source: tuple[str, str, tuple[str, ...]]) -> Rule:
        """The rule `source` names, imported (and made) now."""
        module, name, args = source
        found: object = getattr(import_module(module), name)
        rule: object = found if isinstance(found, Rule) or not callable(found) else found(*args)
        if not isinstance(rule, Rule):
            raise TypeError(f"{module}.{name} is not a netlint Rule")
        return rule

    def loaded(self) -> Rule:
        """The rule itself, imported on first use."""
        rule = self._rule
        if rule is None:
            rule = self._rule = self.import_rule(self.source)
        return rule

    def resolved(self) -> Rule:
        """The rule itself if imported already, else this stand-in: what a caller that checks
        many objects keeps, to skip this layer on each check without importing anything."""
        return self if self._rule is None else self._rule

    @staticmethod
    def load_all() -> None:
        """Import every lazy rule not imported yet (before forking workers)."""
        while _UNLOADED:
            _UNLOADED.pop().loaded()

    def applies_to(self, manifest: Manifest) -> bool:
        if self.kinds is not None and manifest.kind_key not in self.kinds:
            return False  # without importing it: its kinds are known
        return self.loaded().applies_to(manifest)

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        return self.loaded().check(manifest, ctx)

    def __getattr__(self, name: str) -> object:
        # Anything else a caller asks of the rule (a policy's `spec`, `cache_token`) is the
        # rule's own; dunder lookups (pickle, copy) are not forwarded.
        if name.startswith("__") or name in ("_rule", "source", "hooks"):
            raise AttributeError(name)
        if name in OPTIONAL_HOOKS and name not in self.hooks:
            raise AttributeError(name)  # as its rule would, without importing it
        return getattr(self.loaded(), name)


def unwrapped(rule: Rule) -> Rule:
    """The rule itself: a `LazyRule`'s rule, imported, else `rule`."""
    return rule.loaded() if isinstance(rule, LazyRule) else rule


__all__ = [
    "END_OF_LINE",
    "FIXABLE",
    "INGRESS_NGINX",
    "OPTIONAL_HOOKS",
    "Applicability",
    "ContainerPort",
    "Diagnostic",
    "Edit",
    "EngineRule",
    "ExternalObjects",
    "Fix",
    "IngressController",
    "Inventory",
    "LazyRule",
    "Manifest",
    "Node",
    "OrdinalValues",
    "Path",
    "PodTemplate",
    "Rule",
    "RuleContext",
    "RuleMeta",
    "SchemaChecker",
    "Settings",
    "Severity",
    "package_files",
    "unwrapped",
]
