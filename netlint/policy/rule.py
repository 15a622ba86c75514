"""`PolicyRule`: a declarative policy as an ordinary `Rule`, and the check of config `params:`
against the loaded policies' parameters.

A policy file's documents each declare one rule: an id, a severity, docs, a `match` (which
objects) and a `schema` (JSON Schema, draft 2020-12) that every matching object must satisfy.
Each violation is a finding at the failing path.

A policy is an ordinary `Rule` (`PolicyRule`): the engine needs nothing special, the built-in
pack loads its own policies with the same public functions (`load_policy_file`,
`load_policy_paths`), and a Python pack can subclass `PolicyRule` to add what JSON Schema cannot
say (the built-in `ingress-path-format` does).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from netlint.api import Diagnostic, Rule, RuleContext, RuleMeta, Settings
from netlint.findings import Fix, Path
from netlint.fixes import replace_scalar, safe_fix, unsafe_fix
from netlint.model.manifest import Manifest
from netlint.policy.match import Match
from netlint.policy.messages import (
    first_extra,
    reason_of,
    reasons,
    relative,
    render,
    render_path,
    split_nested,
)
from netlint.policy.params import SETTINGS, Parameter, coerce_param, substitute
from netlint.policy.template import parse_template
from netlint.policy.validator import (
    FastValidator,
    FixSpec,
    Validator,
    compile_meta,
    fast_validator,
    inline,
    meta_of,
    new_validator,
    wrap,
)

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

    from netlint.policy.cel_validation import CelValidation


class PolicySpec(NamedTuple):
    """A policy document, checked and parsed (what `PolicyRule` is built from)."""

    meta: RuleMeta
    match: Match
    parameters: tuple[Parameter, ...]
    schema: dict[str, Any] | None  # None: the policy gives `validations` (CEL) instead
    message: str
    hint: str | None
    source: str  # file:line of the policy, for messages
    validations: tuple[CelValidation, ...] = ()


class _Compiled:
    """A policy's schema with one run's parameters bound: jsonschema-rs answers "is there any
    finding?" (`fast`), and python-jsonschema with netlint's keywords, built the first time an
    object fails, words the findings (`validator`)."""

    __slots__ = ("_validator", "_wrapped", "fast", "params")

    def __init__(
        self, wrapped: object, fast: FastValidator | None, params: dict[str, object]
    ) -> None:
        self._wrapped = wrapped
        self._validator: Validator | None = None
        self.fast = fast
        self.params = params

    @property
    def validator(self) -> Validator:
        if self._validator is None:
            self._validator = new_validator(self._wrapped)
        return self._validator


class PolicyRule(Rule):
    """A declarative policy as a rule. Subclass it to add Python to a policy."""

    def __init__(self, spec: PolicySpec) -> None:
        self.spec = spec
        self.meta = spec.meta
        self.kinds = frozenset(k.kind for k in spec.match.include.kinds) or None
        self._compiled: dict[str, _Compiled] = {}
        # The validator of the last run's settings: every check of a run passes the same
        # (immutable) Settings, and binding the parameters again for each object costs more
        # than validating it.
        self._last: tuple[Settings, _Compiled] | None = None
        self._message = parse_template(spec.message)
        self._hint = parse_template(spec.hint) if spec.hint else None

    # Compiled validators hold closures; a rule sent to a worker process compiles its own.
    def __getstate__(self) -> dict[str, object]:
        state = dict(vars(self))
        state["_compiled"] = {}
        state["_last"] = None
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        vars(self).update(state)

    def applies_to(self, manifest: Manifest) -> bool:
        return self.spec.match.include.kind_ok(manifest)

    def params(self, settings: Settings) -> dict[str, object]:
        """The parameters bound for this run: config `params:`, else the setting, else the default."""
        given = settings.params.get(self.meta.id, {})
        bound: dict[str, object] = {}
        for parameter in self.spec.parameters:
            if parameter.name in given:
                bound[parameter.name] = coerce_param(parameter.type, given[parameter.name])
            elif parameter.setting is not None:
                bound[parameter.name] = SETTINGS[parameter.setting](settings)
            else:
                bound[parameter.name] = coerce_param(parameter.type, parameter.default)
        return bound

    def _validator(self, settings: Settings) -> _Compiled:
        last = self._last
        if last is not None and last[0] is settings:
            return last[1]
        params = self.params(settings)
        key = json.dumps(params, sort_keys=True, default=str)
        found = self._compiled.get(key)
        if found is None:
            substituted = substitute(copy.deepcopy(self.spec.schema or {}), params)
            schema = inline(substituted, substituted)
            found = _Compiled(
                wrap(schema, lambda k: compile_meta(k, params)),
                fast_validator(schema) if self.spec.schema is not None else None,
                params,
            )
            self._compiled[key] = found
        self._last = (settings, found)
        return found

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        compiled = self._validator(ctx.settings)
        if not self.spec.match.selects(manifest, ctx, compiled.params):
            return
        if self.spec.validations:
            from netlint.policy.cel_validation import cel_diagnostics  # see netlint.policy.document

            yield from cel_diagnostics(
                self.meta.id,
                self.spec.validations,
                manifest,
                compiled.params,
                lambda value, path, reason: self._lookup(
                    manifest, compiled.params, value, path, reason
                ),
                self._message,
                self._hint,
            )
            return
        if compiled.fast is not None and compiled.fast.is_valid(manifest.data):
            return  # the common case, decided by jsonschema-rs
        validator, params = compiled.validator, compiled.params
        for error in validator.iter_errors(manifest.data):
            yield from self._diagnostics(error, manifest, params, validator)

    # -- errors -> diagnostics

    def _lookup(
        self,
        manifest: Manifest,
        params: Mapping[str, object],
        value: object,
        path: Path,
        reason: str,
    ) -> Callable[[str], object]:
        names: dict[str, object] = {
            "ref": str(manifest.ref),
            "kind": manifest.kind,
            "name": manifest.name,
            "namespace": manifest.namespace,
            "apiVersion": manifest.api_version,
            "id": self.meta.id,
            "summary": self.meta.summary,
            "value": value,
            "key": path[-1] if path else None,
            "path": render_path(path),
            "reason": reason,
            "object": manifest.data,
            "params": params,
        }
        return names.get

    def _diagnostics(
        self,
        error: ValidationError,
        manifest: Manifest,
        params: Mapping[str, object],
        validator: Validator,
    ) -> Iterator[Diagnostic]:
        path: Path = tuple(error.absolute_path)
        meta = meta_of(error)
        if meta is None or (meta.message is None and meta.reason is None):
            if meta is not None and error.context:
                # Only hints or a severity here: the errors below are the findings.
                for child in error.context:
                    yield from self._diagnostics(child, manifest, params, validator)
                return
            reason = reason_of(error, partial(self._lookup, manifest, params))
            on_key = error.validator in ("required", "dependentRequired") and bool(path)
            target = path
            instance = cast("object", error.instance)
            if error.validator == "additionalProperties" and isinstance(error.instance, dict):
                extra = first_extra(error)
                if extra is not None:
                    target, on_key = (*path, extra), True
            lookup = self._lookup(manifest, params, instance, path, reason)
            yield Diagnostic(
                target,
                self._message.render(lookup),
                on_key=on_key,
                hint=self._hint.render(lookup) if self._hint else None,
            )
            return
        if meta.message is not None:
            own, nested = split_nested(error.context)
            for child in nested:  # a message below this one reports on its own
                yield from self._diagnostics(child, manifest, params, validator)
            if nested and not own:
                return
            reason = "; ".join(reasons(own, partial(self._lookup, manifest, params)))
        else:
            reason = render(
                meta.reason, partial(self._lookup, manifest, params), error.instance, path, ""
            )
        lookup = self._lookup(manifest, params, error.instance, path, reason)
        template = meta.message or self._message
        target = relative(path, meta.path) if meta.path is not None else path
        hint = None
        for candidate in meta.hints:
            if candidate.when is None or candidate.when.is_valid(error.instance):
                hint = candidate.template.render(lookup)
                break
        else:
            if not meta.hints and self._hint is not None:
                hint = self._hint.render(lookup)
        yield Diagnostic(
            target,
            template.render(lookup),
            severity=meta.severity,
            on_key=meta.on_key,
            hint=hint or None,
            fix=self._fix(meta.fix, manifest, path, error, lookup, validator),
        )

    @staticmethod
    def _fix(
        spec: FixSpec | None,
        manifest: Manifest,
        path: Path,
        error: ValidationError,
        lookup: Callable[[str], object],
        validator: Validator,
    ) -> Fix | None:
        """`x-netlint-fix` on the scalar at `path`, when it applies, changes the value and the
        new value passes the subschema that failed: a fix that leaves the finding (lower case
        for `Shop.example.com:443`, which keeps its port) is no fix."""
        instance: object = error.instance
        if spec is None or isinstance(instance, (dict, list)):
            return None
        if spec.when is not None and not spec.when.is_valid(instance):
            return None
        value = spec.value.render(lookup)
        if value == instance or next(validator.descend(value, error.schema), None) is not None:
            return None
        build = unsafe_fix if spec.unsafe else safe_fix
        return build(spec.title.render(lookup), replace_scalar(manifest, path, value))


def check_params(
    rules: Iterable[Rule], params: Mapping[str, Mapping[str, object]]
) -> list[tuple[tuple[str | int, ...], str]]:
    """Problems with config `params:` (unknown rule ids, undeclared names, wrong types), each
    with the key path it is about."""
    by_id = {rule.meta.id: rule for rule in rules}
    problems: list[tuple[tuple[str | int, ...], str]] = []
    for rule_id, values in params.items():
        rule = by_id.get(rule_id)
        if rule is None:
            problems.append(
                (("params", rule_id), f"params: no rule or policy {rule_id!r} is loaded")
            )
            continue
        if not isinstance(rule, PolicyRule):
            continue  # a Python rule reads its own parameters
        declared = {p.name: p for p in rule.spec.parameters}
        for name, value in values.items():
            parameter = declared.get(name)
            if parameter is None:
                known = ", ".join(declared) or "none"
                problems.append(
                    (
                        ("params", rule_id, name),
                        f"params.{rule_id}: policy {rule_id} has no parameter {name!r} "
                        f"(declared: {known})",
                    )
                )
                continue
            try:
                coerce_param(parameter.type, value)
            except ValueError as error:
                problems.append((("params", rule_id, name), f"params.{rule_id}.{name}: {error}"))
    return problems
