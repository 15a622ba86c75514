"""Configuration discovery, validation and values (DESIGN §7, §4 exit codes)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from netlint.api import ExternalObjects
from netlint.findings import Severity
from netlint.model.inventory import WorkloadKind
from netlint.run.config import Config, ConfigError
from netlint.run.config_loading import find_config, load_config
from netlint.run.config_values import parse_kube_version, parse_node_port_range, parse_template_path

REPO = Path(__file__).resolve().parent.parent
SCHEMA = REPO / "schemas" / "netlint-config.schema.json"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


# --- discovery ---------------------------------------------------------------------------


def test_no_config_gives_defaults(tmp_path: Path) -> None:
    config = load_config(None, tmp_path)
    assert config == Config(path=None, base_dir=tmp_path.resolve())
    assert config.select is None
    assert config.paths is None
    assert config.kube_version is None


def test_discovery_searches_upward(tmp_path: Path) -> None:
    found = write(tmp_path / ".netlint.yaml", "select: [schema]\n")
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    assert find_config(deep) == found.resolve()
    config = load_config(None, deep)
    assert config.path == found.resolve()
    assert config.base_dir == tmp_path.resolve()
    assert config.select == ("schema",)


def test_nearest_directory_wins(tmp_path: Path) -> None:
    write(tmp_path / ".netlint.yaml", "select: [schema]\n")
    nearer = write(tmp_path / "sub" / "pyproject.toml", '[tool.netlint]\nselect = ["ingress"]\n')
    assert find_config(tmp_path / "sub") == nearer.resolve()
    assert load_config(None, tmp_path / "sub").select == ("ingress",)


def test_netlint_yaml_before_pyproject_in_one_directory(tmp_path: Path) -> None:
    yaml_config = write(tmp_path / ".netlint.yaml", "select: [schema]\n")
    write(tmp_path / "pyproject.toml", '[tool.netlint]\nselect = ["ingress"]\n')
    assert find_config(tmp_path) == yaml_config.resolve()


def test_pyproject_without_tool_netlint_does_not_count(tmp_path: Path) -> None:
    outer = write(tmp_path / ".netlint.yaml", "ignore: [schema]\n")
    write(
        tmp_path / "pkg" / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.ruff]\nline-length = 99\n',
    )
    assert find_config(tmp_path / "pkg") == outer.resolve()
    assert load_config(None, tmp_path / "pkg").ignore == ("schema",)


def test_pyproject_mentioning_netlint_elsewhere_does_not_count(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "netlint-plugin"\ndependencies = ["netlint"]\n',
    )
    assert find_config(tmp_path) is None


def test_pyproject_with_dotted_tool_key_counts(tmp_path: Path) -> None:
    pyproject = write(tmp_path / "pyproject.toml", '[tool]\nnetlint.select = ["schema"]\n')
    assert find_config(tmp_path) == pyproject.resolve()
    assert load_config(None, tmp_path).select == ("schema",)


def test_explicit_config_wins_over_discovery(tmp_path: Path) -> None:
    write(tmp_path / ".netlint.yaml", "select: [schema]\n")
    explicit = write(tmp_path / "ci" / "strict.yaml", "select: [all]\n")
    config = load_config(Path("ci/strict.yaml"), tmp_path)
    assert config.path == explicit.resolve()
    assert config.base_dir == explicit.parent.resolve()
    assert config.select == ("all",)


def test_explicit_config_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"configuration file not found: nope\.yaml"):
        load_config(Path("nope.yaml"), tmp_path)


def test_explicit_pyproject_without_table_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    with pytest.raises(ConfigError, match=r"pyproject\.toml: no \[tool\.netlint\] table"):
        load_config(Path("pyproject.toml"), tmp_path)


def test_empty_yaml_config_is_the_defaults(tmp_path: Path) -> None:
    write(tmp_path / ".netlint.yaml", "# nothing configured yet\n")
    config = load_config(None, tmp_path)
    assert config.path == (tmp_path / ".netlint.yaml").resolve()
    assert config.select is None


# --- errors name the file and the line -------------------------------------------------------


def test_unknown_key_in_pyproject_names_file_and_line(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        """
        [project]
        name = "x"

        [tool.netlint]
        select = ["schema"]
        selct = ["service"]
        """,
    )
    with pytest.raises(ConfigError) as raised:
        load_config(None, tmp_path)
    assert str(raised.value) == (
        "pyproject.toml:6: unknown key 'selct' in [tool.netlint] (did you mean 'select'?)"
    )


def test_unknown_key_in_yaml_names_file_and_line(tmp_path: Path) -> None:
    write(
        tmp_path / ".netlint.yaml",
        """
        select:
          - schema
        exclude: [vendor]
        selct: [service]
        """,
    )
    with pytest.raises(ConfigError) as raised:
        load_config(None, tmp_path)
    assert str(raised.value) == ".netlint.yaml:4: unknown key 'selct' (did you mean 'select'?)"


def test_unknown_nested_key_in_pyproject_sub_table(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        """
        [tool.netlint]
        select = ["schema"]

        [tool.netlint.external]
        secrets = ["wildcard-tls"]
        configmaps = ["x"]
        """,
    )
    with pytest.raises(ConfigError) as raised:
        load_config(None, tmp_path)
    message = "pyproject.toml:6: unknown key 'configmaps' in [tool.netlint.external]"
    assert str(raised.value) == message


def test_unknown_key_in_array_of_tables(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        """
        [tool.netlint]
        [[tool.netlint.workloads]]
        kind = "Workflow"
        [[tool.netlint.workloads]]
        kind = "Other"
        tmplate = "spec.pod"
        """,
    )
    with pytest.raises(ConfigError, match=r"^pyproject\.toml:6: unknown key 'tmplate' in "):
        load_config(None, tmp_path)


def test_unknown_nested_key_in_yaml(tmp_path: Path) -> None:
    write(
        tmp_path / ".netlint.yaml",
        """
        external:
          secrets: [wildcard-tls]
          configmaps: [x]
        """,
    )
    with pytest.raises(ConfigError) as raised:
        load_config(None, tmp_path)
    assert str(raised.value) == ".netlint.yaml:3: unknown key 'configmaps' in external"


def test_wrong_value_names_key_and_line(tmp_path: Path) -> None:
    write(tmp_path / ".netlint.yaml", "select: [schema]\nfail-on: fatal\n")
    with pytest.raises(ConfigError) as raised:
        load_config(None, tmp_path)
    assert str(raised.value).startswith(".netlint.yaml:2: fail-on: 'fatal' is not one of")


def test_wrong_severity_override_in_pyproject(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        """
        [tool.netlint]
        select = ["schema"]

        [tool.netlint.severity]
        schema = "warning"
        duplicate-object = "critical"
        """,
    )
    expected = r"^pyproject\.toml:6: tool\.netlint\.severity\.duplicate-object: 'critical'"
    with pytest.raises(ConfigError, match=expected):
        load_config(None, tmp_path)


def test_every_problem_is_kept_first_line_first(tmp_path: Path) -> None:
    write(tmp_path / ".netlint.yaml", "fail-on: fatal\nselect: schema\nbogus: 1\n")
    with pytest.raises(ConfigError) as raised:
        load_config(None, tmp_path)
    assert [problem.split(":")[1] for problem in raised.value.problems] == ["1", "2", "3"]
    assert str(raised.value) == raised.value.problems[0]


def test_invalid_toml_names_its_line(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.netlint]\nselect = ["schema"\nignore = []\n')
    with pytest.raises(ConfigError, match=r"^pyproject\.toml:\d+: invalid TOML: "):
        load_config(None, tmp_path)


def test_yaml_syntax_error_names_its_line(tmp_path: Path) -> None:
    write(tmp_path / ".netlint.yaml", "select: [schema\nignore: []\n")
    with pytest.raises(ConfigError, match=r"^\.netlint\.yaml:\d+: YAML syntax error"):
        load_config(None, tmp_path)


def test_yaml_config_must_be_a_mapping(tmp_path: Path) -> None:
    write(tmp_path / ".netlint.yaml", "- schema\n")
    with pytest.raises(ConfigError, match="must be a mapping"):
        load_config(None, tmp_path)


def test_unsupported_kube_version_in_config(tmp_path: Path) -> None:
    write(tmp_path / ".netlint.yaml", "select: [schema]\nkube-version: '1.20'\n")
    with pytest.raises(ConfigError) as raised:
        load_config(None, tmp_path)
    assert str(raised.value) == (
        ".netlint.yaml:2: unsupported Kubernetes version '1.20': "
        "use one of 1.32, 1.33, 1.34, 1.35, 1.36, 1.37"
    )


def test_bad_node_port_range_in_config(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.netlint]\nnode-port-range = "32767-30000"\n')
    with pytest.raises(ConfigError, match=r"^pyproject\.toml:2: end port cannot be less"):
        load_config(None, tmp_path)


# --- every key --------------------------------------------------------------------------------

FULL_YAML = """
select: [service, ingress-path-conflict]
extend-select: [service-exposure]
ignore: [ingress-rewrite-target]
severity:
  duplicate-object: error
  ingress-rewrite-target: warning
fail-on: error
exclude: [vendor, "charts/**/tests"]
per-file-ignores:
  "legacy/*.yaml": [deprecated-api, schema]
paths: [k8s, deploy/prod]
context: [shared/]
default-namespace: apps
kube-version: v1.35.2
node-port-range: 30000+2767
workloads:
  - kind: Workflow
    apiVersion: argoproj.io/v1alpha1
    template: spec.templates[0].podSpecPatch
  - kind: Pod2
    template: "."
  - kind: Widget
    group: example.com
external:
  secrets: ["*/wildcard-tls", "shop/db"]
  services: [kube-dns]
  ingressClasses: [nginx]
  gatewayClasses: [istio]
  gateways: ["infra/main"]
  namespaces:
    prod: {env: prod}
rules: [policies/]
params:
  service-exposure:
    allowed-types: [ClusterIP]
max-file-size: 2000000
"""

FULL_TOML = """
[tool.netlint]
select = ["service", "ingress-path-conflict"]
extend-select = ["service-exposure"]
ignore = ["ingress-rewrite-target"]
fail-on = "error"
exclude = ["vendor", "charts/**/tests"]
paths = ["k8s", "deploy/prod"]
context = ["shared/"]
default-namespace = "apps"
kube-version = "v1.35.2"
node-port-range = "30000+2767"
rules = ["policies/"]
max-file-size = 2000000

[tool.netlint.severity]
duplicate-object = "error"
ingress-rewrite-target = "warning"

[tool.netlint.per-file-ignores]
"legacy/*.yaml" = ["deprecated-api", "schema"]

[[tool.netlint.workloads]]
kind = "Workflow"
apiVersion = "argoproj.io/v1alpha1"
template = "spec.templates[0].podSpecPatch"

[[tool.netlint.workloads]]
kind = "Pod2"
template = "."

[[tool.netlint.workloads]]
kind = "Widget"
group = "example.com"

[tool.netlint.external]
secrets = ["*/wildcard-tls", "shop/db"]
services = ["kube-dns"]
ingressClasses = ["nginx"]
gatewayClasses = ["istio"]
gateways = ["infra/main"]
namespaces = { prod = { env = "prod" } }

[tool.netlint.params.service-exposure]
allowed-types = ["ClusterIP"]
"""


@pytest.mark.parametrize(
    ("name", "text"), [(".netlint.yaml", FULL_YAML), ("pyproject.toml", FULL_TOML)]
)
def test_every_key_is_parsed(tmp_path: Path, name: str, text: str) -> None:
    write(tmp_path / name, text)
    config = load_config(None, tmp_path)
    assert config.path == (tmp_path / name).resolve()
    assert config.select == ("service", "ingress-path-conflict")
    assert config.extend_select == ("service-exposure",)
    assert config.ignore == ("ingress-rewrite-target",)
    assert config.severity == {
        "duplicate-object": Severity.ERROR,
        "ingress-rewrite-target": Severity.WARNING,
    }
    assert config.fail_on is Severity.ERROR
    assert config.exclude == ("vendor", "charts/**/tests")
    assert config.per_file_ignores == {"legacy/*.yaml": ("deprecated-api", "schema")}
    assert config.paths == ("k8s", "deploy/prod")
    assert config.context == ("shared/",)
    assert config.default_namespace == "apps"
    assert config.kube_version == "1.35"
    assert config.node_port_range == (30000, 32767)
    assert config.workloads == (
        WorkloadKind("Workflow", ("spec", "templates", 0, "podSpecPatch"), "argoproj.io"),
        WorkloadKind("Pod2", (), None),
        WorkloadKind("Widget", ("spec", "template"), "example.com"),
    )
    assert isinstance(config.external, ExternalObjects)
    assert dict(config.external.patterns) == {
        "secrets": ("*/wildcard-tls", "shop/db"),
        "services": ("kube-dns",),
        "ingressClasses": ("nginx",),
        "gatewayClasses": ("istio",),
        "gateways": ("infra/main",),
    }
    assert config.external.declares("secrets", "anywhere", "wildcard-tls")
    assert not config.external.declares("secrets", "other", "db")
    assert dict(config.external.namespace_labels) == {"prod": {"env": "prod"}}
    assert config.rules == ("policies/",)
    assert config.params == {"service-exposure": {"allowed-types": ["ClusterIP"]}}
    assert config.max_file_size == 2_000_000
    assert config.resolve("k8s") == tmp_path.resolve() / "k8s"


def test_unquoted_yaml_kube_version_number_is_accepted(tmp_path: Path) -> None:
    write(tmp_path / ".netlint.yaml", "kube-version: 1.34\n")
    assert load_config(None, tmp_path).kube_version == "1.34"


def test_workload_with_both_group_and_api_version_is_refused(tmp_path: Path) -> None:
    write(
        tmp_path / ".netlint.yaml",
        "workloads:\n  - kind: X\n    group: a.io\n    apiVersion: a.io/v1\n",
    )
    with pytest.raises(ConfigError, match=r"^\.netlint\.yaml:2: workloads\[0\]: "):
        load_config(None, tmp_path)


def test_core_api_version_workload_means_the_core_group(tmp_path: Path) -> None:
    write(tmp_path / ".netlint.yaml", "workloads:\n  - kind: PodLike\n    apiVersion: v1\n")
    assert load_config(None, tmp_path).workloads == (
        WorkloadKind("PodLike", ("spec", "template"), ""),
    )


# --- value parsers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.32", "1.32"),
        ("1.37", "1.37"),
        ("v1.35", "1.35"),
        ("v1.35.2", "1.35"),
        ("1.33.0", "1.33"),
    ],
)
def test_parse_kube_version(text: str, expected: str) -> None:
    assert parse_kube_version(text) == expected


@pytest.mark.parametrize("text", ["1.31", "1.38", "2.0", "135", "latest", "", "v1", "1.35.2.1"])
def test_parse_kube_version_refuses_others_naming_the_supported(text: str) -> None:
    with pytest.raises(ValueError, match=r"use one of 1\.32, 1\.33, 1\.34, 1\.35, 1\.36, 1\.37"):
        parse_kube_version(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30000-32767", (30000, 32767)),
        (" 20000-22767 ", (20000, 22767)),
        ("30000+2767", (30000, 32767)),  # min+offset, as PortRange.Set
        ("30000+0", (30000, 30000)),
        ("31000", (31000, 31000)),
        ("0-65535", (0, 65535)),
    ],
)
def test_parse_node_port_range(text: str, expected: tuple[int, int]) -> None:
    assert parse_node_port_range(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "32767-30000",
        "30000-70000",
        "a-b",
        "30000-",
        "-5",
        "30000-32767+1",
        "1 - 2",
        "30000:32767",
    ],
)
def test_parse_node_port_range_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_node_port_range(text)


def test_parse_template_path() -> None:
    assert parse_template_path("spec.template") == ("spec", "template")
    assert parse_template_path("spec.jobTemplate.spec.template") == (
        "spec",
        "jobTemplate",
        "spec",
        "template",
    )
    assert parse_template_path("spec.templates[2].pod") == ("spec", "templates", 2, "pod")
    assert parse_template_path(".") == ()
    for bad in ("spec..template", "spec.[0]", "", "spec.template."):
        with pytest.raises(ValueError):
            parse_template_path(bad)


# --- the schema itself -----------------------------------------------------------------------


def test_config_schema_is_valid_draft_2020_12_with_descriptions() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    expected = {
        "select", "extend-select", "ignore", "severity", "fail-on", "exclude", "per-file-ignores",
        "paths", "context", "scopes", "default-namespace", "kube-version", "node-port-range", "workloads",
        "external", "rules", "crds", "params", "max-file-size", "respect-gitignore", "render", "traffic",
    }  # fmt: skip
    assert set(schema["properties"]) == expected
    for key, definition in schema["properties"].items():
        assert definition.get("description"), key
