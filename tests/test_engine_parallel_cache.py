"""The same findings whatever the number of processes and whatever the cache holds (DESIGN §8, §9)."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import pickle
import re
import shutil
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Settings
from netlint.bench.generate import generate
from netlint.cli import cli
from netlint.findings import Finding, ObjectRef, Severity
from netlint.input.limits import Limits
from netlint.input.reading import Source
from netlint.input.sources import PathMatcher
from netlint.run import cache as cache_module
from netlint.run import per_file
from netlint.run.engine import RunOptions, run
from netlint.run.per_file import FileStage, FindingMaker
from netlint.run.registry import load_rules
from tests.helpers import schemas, settling_nowhere

RULES = load_rules()


def _lint(root: Path, **options: object) -> tuple[list[Finding], int]:
    report = run(
        RunOptions(paths=[str(root)], excludes=PathMatcher((), root), cwd=root, **options),  # type: ignore[arg-type]
        RULES,
        schemas(),
    )
    return report.findings, report.cache_hits


def _view(findings: list[Finding]) -> list[tuple[object, ...]]:
    return [
        (f.rule_id, f.location, f.severity, f.message, f.obj, f.obj_path, f.hint) for f in findings
    ]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tree")
    generate(root, 400, seed=7)
    return root


@pytest.mark.skipif(not hasattr(os, "fork"), reason="parallel parsing uses fork")
def test_parallel_run_equals_single_process_run(tree: Path) -> None:
    single, _ = _lint(tree, jobs=1)
    parallel, _ = _lint(tree, jobs=2)
    assert single  # the generator plants mistakes: there is something to compare
    assert _view(parallel) == _view(single)


def test_deferring_a_check_never_changes_its_findings(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The per-file stage defers a rule early on a kind where it kept asking the inventory;
    # with DEFER_AFTER 0 every check of every rule runs with the inventory instead.
    usual, _ = _lint(tree, jobs=1)
    monkeypatch.setattr(per_file, "DEFER_AFTER", 0)
    deferred, _ = _lint(tree, jobs=1)
    assert usual  # the generator plants mistakes: there is something to compare
    assert _view(deferred) == _view(usual)


@pytest.mark.parametrize("where", ["tree", "fixtures"])
def test_settling_checks_in_their_own_file_never_changes_findings(
    where: str, tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The generated tree keeps each app's objects in one file, the rule fixtures split them
    # over files and folders and hold every finding of these rules.
    root = tree if where == "tree" else Path(__file__).parent / "fixtures"
    usual, _ = _lint(root, jobs=1)
    settling_nowhere(monkeypatch)
    unsettled, _ = _lint(root, jobs=1)
    assert usual
    assert _view(usual) == _view(unsettled)


def _stage_result(text: str) -> per_file.FileResult:
    stage = FileStage(
        [rule for rule in RULES.rules if rule.kinds != frozenset()],
        Settings(),
        schemas(),
        FindingMaker(frozenset(rule.meta.id for rule in RULES.rules), {}),
        Limits(),
    )
    return stage.process(Source("app.yaml", text, None), True)


_SERVICE = """\
apiVersion: v1
kind: Service
metadata: {name: NAME, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: TARGET}]
"""
_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: NAME, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: web:1
        ports: [{name: PORT, containerPort: 8080}]
"""


def _service(name: str, target: str) -> str:
    return _SERVICE.replace("NAME", name).replace("TARGET", target)


def _deployment(name: str, port: str) -> str:
    return _DEPLOYMENT.replace("NAME", name).replace("PORT", port)


def _deferred_rules(result: per_file.FileResult) -> set[str]:
    return {rule_id for _, rule_ids in result.deferred for rule_id in rule_ids}


def test_a_check_that_its_own_file_answers_is_not_deferred() -> None:
    result = _stage_result(_service("web", "http") + "---\n" + _deployment("web", "http"))
    deferred = _deferred_rules(result)
    assert "service-selector-no-match" not in deferred
    assert "service-target-port-unresolved" not in deferred
    assert "duplicate-object" in deferred  # another file may hold a second shop/web
    assert not [f for f in result.findings if f.rule_id.startswith("service-")]


def test_a_check_that_finds_something_in_its_own_file_is_deferred() -> None:
    # The file's pods do not declare port `http`; another file's pods with app=web might.
    result = _stage_result(_service("web", "http") + "---\n" + _deployment("web", "metrics"))
    assert "service-target-port-unresolved" in _deferred_rules(result)
    assert "service-selector-no-match" not in _deferred_rules(result)
    assert not [f for f in result.findings if f.rule_id == "service-target-port-unresolved"]


def test_pods_of_another_file_settle_what_the_own_file_could_not(tmp_path: Path) -> None:
    # k8s-api-rules §1, worth linting: a targetPort name that no container port in the matched
    # Pods carries. It resolves per pod, so one matched workload declaring it is enough here.
    (tmp_path / "web.yaml").write_text(
        _service("web", "http") + "---\n" + _deployment("web", "metrics")
    )
    (tmp_path / "web-canary.yaml").write_text(_deployment("web-canary", "http"))
    (tmp_path / "api.yaml").write_text(
        _service("api", "http") + "---\n" + _service("admin", "admin")
    )
    findings, _ = _lint(tmp_path, jobs=1)
    # web's pods in web.yaml lack `http`, web-canary's have it; api.yaml has no pods at all,
    # and no pods of any file declare `admin`.
    assert [
        (f.rule_id, f.location.path, f.location.line, f.location.column, f.obj)
        for f in findings
        if f.rule_id.startswith("service-") and f.severity == Severity.ERROR
    ] == [
        (
            "service-target-port-unresolved",
            "api.yaml",
            13,
            len("  ports: [{name: http, port: 80, targetPort: ") + 1,
            ObjectRef("Service", "shop", "admin"),
        )
    ]


def test_warm_run_from_cache_equals_cold_run(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold, cold_hits = _lint(tree, cache_dir=cache)
    warm, warm_hits = _lint(tree, cache_dir=cache)
    assert cold_hits == 0
    assert warm_hits > 0
    assert _view(warm) == _view(cold)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="parallel parsing uses fork")
def test_warm_parallel_run_takes_entries_through_workers(tree: Path, tmp_path: Path) -> None:
    # A worker reads and checks its hits and sends them on as any result, texts included.
    cache = tmp_path / "cache"
    options = RunOptions(
        paths=[str(tree)], excludes=PathMatcher((), tree), cwd=tree, jobs=2, cache_dir=cache
    )
    cold = run(options, RULES, schemas())
    warm = run(options, RULES, schemas())
    assert warm.cache_hits == warm.files == cold.files
    assert _view(warm.findings) == _view(cold.findings)
    assert dict(warm.data.sources) == dict(cold.data.sources)
    assert warm.data.real_paths == cold.data.real_paths
    some = next(iter(cold.data.sources))
    assert cold.data.sources[some] == (tree / some).read_text()


def test_a_changed_file_is_linted_again(tmp_path: Path) -> None:
    (tmp_path / "svc.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n"
    )
    cache = tmp_path / "cache"
    assert not [f for f in _lint(tmp_path, cache_dir=cache)[0] if f.rule_id == "schema"]
    (tmp_path / "svc.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80, protocol: tcp}]}\n"
    )
    findings, _ = _lint(tmp_path, cache_dir=cache)
    assert [f.rule_id for f in findings if f.rule_id == "schema"] == ["schema"]


class _Payload:
    """What a hostile pickle carries: unpickling it runs `exec`, which makes `marker`."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (exec, (f"open({str(self.marker)!r}, 'w').close()",))


def _plant(cache: Path, payload: bytes) -> int:
    """Overwrite every entry in `cache` with `payload`, framed as well as whoever can write the
    folder can: signed with the HMAC key found beside the entries (netlint up to v5), else with
    the entry header and its CRC-32, which protect against corruption only."""
    key_file = cache / "hmac.key"
    magic: bytes = getattr(cache_module, "_MAGIC", b"")
    planted = 0
    for salt_folder in (p for p in cache.iterdir() if p.is_dir()):
        for entry in (p for p in salt_folder.glob("*/*") if p.is_file()):
            if key_file.exists():
                mac = hmac.new(key_file.read_bytes(), payload, hashlib.sha256).digest()
                entry.write_bytes(mac + payload)
            else:
                entry.write_bytes(magic + zlib.crc32(payload).to_bytes(4, "little") + payload)
            planted += 1
    return planted


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_planted_pickle_is_never_run(tree: Path, tmp_path: Path, jobs: int) -> None:
    # The exploit: a CI cache restored from another branch, whose job rewrote every
    # entry as a pickle that runs code and re-signed it with the key it found in the folder.
    cache = tmp_path / "cache"
    cold, _ = _lint(tree, cache_dir=cache, jobs=jobs)
    marker = tmp_path / "executed"
    assert _plant(cache, pickle.dumps(_Payload(marker))) > 0
    warm, hits = _lint(tree, cache_dir=cache, jobs=jobs)
    assert not marker.exists()
    assert hits == 0  # every planted entry is a miss, and the files are linted again
    assert _view(warm) == _view(cold)
    again, hits = _lint(tree, cache_dir=cache, jobs=jobs)  # the misses wrote good entries
    assert hits > 0 and _view(again) == _view(cold)


def test_a_run_prunes_stale_entry_folders_of_other_salts_only(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _lint(tree, cache_dir=cache)
    (current,) = [folder for folder in cache.iterdir() if folder.is_dir()]
    stale = cache / "netlint-0123456789abcdef"  # an older netlint's, or another configuration's
    shutil.copytree(current, stale)
    user = cache / "db"  # the user's, named like the first cache layout's folders
    user.mkdir()
    (user / "dump.sql").write_text("mine")
    month_ago = time.time() - 30 * 24 * 3600
    for folder in (stale, user):
        os.utime(folder, (month_ago, month_ago))
    _, hits = _lint(tree, cache_dir=cache)
    assert hits > 0
    assert not stale.exists()
    assert (user / "dump.sql").read_text() == "mine" and current.exists()


def _cross_file() -> dict[str, str]:
    """Services whose pods are in another file; one port's finding is suppressed by a comment."""
    suppressed = "targetPort: http}]  # netlint: ignore[service-target-port-unresolved]"
    web = _service("web", "http").replace("targetPort: http}]", suppressed)
    return {
        "web.yaml": web + "---\n" + _service("admin", "admin"),
        "deploy.yaml": _deployment("web", "metrics"),
    }


def test_a_warm_run_prints_what_a_cold_run_prints(tmp_path: Path) -> None:
    # Findings of every kind (examples/ has one manifest per rule), a comment suppression, and
    # checks that need another file's objects, through the command and every output format.
    root = tmp_path / "tree"
    # Without examples/.netlint.yaml, which applies each example on its own: here the files are
    # one scope, so that checks join objects of several files.
    shutil.copytree(
        Path(__file__).parents[1] / "examples", root, ignore=shutil.ignore_patterns(".netlint.yaml")
    )
    for name, text in _cross_file().items():
        (root / name).write_text(text)
    env = {"NETLINT_CACHE_DIR": str(tmp_path / "cache")}

    def output(fmt: str, *flags: str) -> str:
        result = CliRunner().invoke(
            cli, ["check", str(root), "--output-format", fmt, *flags], env=env
        )
        assert result.exit_code == 1, result.output
        text = re.sub(r"in [0-9.]+s$", "in Xs", result.output, flags=re.M)
        return re.sub(r'"elapsedSeconds": [0-9.e-]+', '"elapsedSeconds": X', text)

    for fmt in ("json", "text", "sarif", "github"):
        uncached = output(fmt, "--no-cache")
        assert output(fmt) == uncached  # the first run fills the cache (or finds it filled)
        assert output(fmt) == uncached  # this one reads every file from it
    raw = CliRunner().invoke(cli, ["check", str(root), "--output-format", "json"], env=env)
    findings = json.loads(raw.output)["findings"]
    assert {f["rule"] for f in findings if f["suppressed"]} == {"service-target-port-unresolved"}
    assert ("service-target-port-unresolved", "web.yaml") in {
        (f["rule"], Path(f["path"]).name) for f in findings if not f["suppressed"]
    }


class _AsksOnSome(Rule):
    """Asks the inventory about every ConfigMap whose name starts with "ask"."""

    meta = RuleMeta(
        id="asks-on-some", severity=Severity.WARNING, summary="test rule", what="", why=""
    )
    kinds = frozenset({"ConfigMap"})

    def __init__(self) -> None:
        self.calls = 0

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        self.calls += 1
        if manifest.name.startswith("ask"):
            ctx.inventory.get("Secret", manifest.namespace, manifest.name)
        return iter(())


def _config_maps(names: list[str]) -> str:
    return "".join(
        f"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {n}}}\n" for n in names
    )


@pytest.mark.parametrize(
    ("first", "tried_after"),
    [
        # Half of the first DEFER_AFTER asked the inventory: the rest are deferred untried.
        (["ask", "local"] * (per_file.DEFER_AFTER // 2), 0),
        # Fewer than half: every object is still tried first.
        (
            ["ask"] * (per_file.DEFER_AFTER // 2 - 1) + ["local"] * (per_file.DEFER_AFTER // 2 + 1),
            10,
        ),
    ],
)
def test_a_rule_that_mostly_asks_the_inventory_is_deferred_without_trying(
    first: list[str], tried_after: int
) -> None:
    rule = _AsksOnSome()
    stage = FileStage([rule], Settings(), schemas(), FindingMaker(frozenset(), {}), Limits())
    names = [f"{kind}-{i}" for i, kind in enumerate(first)] + [f"local-x{i}" for i in range(10)]
    result = stage.process(Source("a.yaml", _config_maps(names), None), True)
    assert rule.calls == per_file.DEFER_AFTER + tried_after
    deferred = {result.manifests[index].name for index, _ in result.deferred}
    asked = {name for name in names if name.startswith("ask")}
    # Whatever was tried or not, every check that asked the inventory runs again with it.
    assert asked <= deferred
    assert len(deferred) == len(asked) + (10 - tried_after)


class _OnSomeNames(Rule):
    """Reports every ConfigMap it applies to; applies only to names ending in "-odd", a
    decision by more than the kind."""

    meta = RuleMeta(
        id="on-some-names", severity=Severity.WARNING, summary="test rule", what="", why=""
    )
    kinds = frozenset({"ConfigMap"})

    def applies_to(self, manifest: Manifest) -> bool:
        return super().applies_to(manifest) and manifest.name.endswith("-odd")

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        yield Diagnostic(("metadata", "name"), f"{manifest} checked")


def test_a_kind_plan_still_asks_a_rule_that_decides_by_more_than_the_kind() -> None:
    # Past DEFER_AFTER objects the kind's plan is made and `applies_to` is answered once for
    # the kind where the rule decides by kind alone; this rule must still be asked per object.
    rule = _OnSomeNames()
    stage = FileStage(
        [rule, _AsksOnSome()],
        Settings(),
        schemas(),
        FindingMaker(frozenset({"on-some-names"}), {}),
        Limits(),
    )
    names = [f"cm-{i}-{'odd' if i % 2 else 'even'}" for i in range(3 * per_file.DEFER_AFTER)]
    result = stage.process(Source("a.yaml", _config_maps(names), None), True)
    assert "ConfigMap" in stage.plans
    reported = [f.message for f in result.findings]
    assert reported == [f"ConfigMap {n} checked" for n in names if n.endswith("-odd")]
