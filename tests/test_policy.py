"""Declarative policies, `--rules`/config `rules:`/`params:`, and `netlint test` (issue 6;
DESIGN §6): what a policy owner sees in text and SARIF, and the exit codes of broken input."""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result

from netlint.cli import cli
from netlint.findings import ALWAYS_REPORTED

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "tests" / "policies" / "examples"
POLICIES = EXAMPLES / "policies"
MANIFESTS = EXAMPLES / "manifests.yaml"
PACK = REPO / "examples" / "packs" / "readiness_pack.py"
SARIF_SCHEMA = Path("/work/shared/schemas-ref/sarif-schema-2.1.0.json")
FINDING = re.compile(
    r"^(?P<path>\S+):(?P<line>\d+):(?P<col>\d+): (?P<sev>\w+)\[(?P<rule>[a-z0-9-]+)\] (?P<msg>.+)$"
)
EXAMPLE_IDS = "no-nodeport-in-prod,ingress-requires-tls,service-owner-label"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def findings(output: str) -> list[tuple[str, str, str, str, str]]:
    return [
        (m["rule"], m["line"], m["col"], m["sev"], m["msg"])
        for m in map(FINDING.match, output.splitlines())
        if m
    ]


# --- the README's three examples ------------------------------------------------------------


def test_three_example_policies_in_text() -> None:
    result = invoke(
        "check", str(MANIFESTS), "--rules", str(POLICIES), "--select", EXAMPLE_IDS, "--no-color"
    )
    assert result.exit_code == 1, result.output
    assert findings(result.output) == [
        (
            "no-nodeport-in-prod",
            "14",
            "9",
            "error",
            "Service shop/web is type NodePort in a namespace labelled env=prod",
        ),
        (
            "service-owner-label",
            "21",
            "9",
            "warning",
            "Service staging/debug has no labels, so no owner label",
        ),
        ("service-owner-label", "33", "3", "warning", "Service shop/api has no owner label"),
        (
            "ingress-requires-tls",
            "44",
            "1",
            "error",
            "Ingress shop/web has no spec.tls: it serves plain HTTP",
        ),
        (
            "ingress-requires-tls",
            "63",
            "5",
            "error",
            "Ingress shop/api TLS entry 0 names no secretName",
        ),
    ]
    assert "help: use type ClusterIP and route to it from the Ingress" in result.output


def test_namespace_selector_uses_external_namespace_labels(tmp_path: Path) -> None:
    """staging/debug is NodePort too, but only a namespace labelled env=prod is refused; a
    Namespace that is not in the input takes its labels from config external.namespaces."""
    manifest = tmp_path / "svc.yaml"
    manifest.write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: debug, namespace: staging}\n"
        "spec:\n  type: NodePort\n  ports: [{port: 80}]\n"
    )
    # Not beside the manifest: the run below without --config must not discover it.
    config = tmp_path / "ci" / "netlint.yaml"
    config.parent.mkdir()
    config.write_text(
        f"rules: [{POLICIES}]\nexternal:\n  namespaces:\n    staging: {{env: prod}}\n"
    )
    result = invoke(
        "check",
        str(manifest),
        "--config",
        str(config),
        "--select",
        "no-nodeport-in-prod",
        "--no-color",
    )
    assert findings(result.output) == [
        (
            "no-nodeport-in-prod",
            "5",
            "9",
            "error",
            "Service staging/debug is type NodePort in a namespace labelled env=prod",
        )
    ]
    unknown = invoke(
        "check",
        str(manifest),
        "--rules",
        str(POLICIES),
        "--select",
        "no-nodeport-in-prod",
        "--no-color",
    )
    assert unknown.exit_code == 0 and findings(unknown.output) == []


def test_example_policies_in_sarif(tmp_path: Path) -> None:
    sarif = tmp_path / "out.sarif"
    result = invoke(
        "check",
        str(MANIFESTS),
        "--rules",
        str(POLICIES),
        "--select",
        EXAMPLE_IDS,
        "--sarif-file",
        str(sarif),
        "--no-color",
    )
    assert result.exit_code == 1
    document = json.loads(sarif.read_text())
    if SARIF_SCHEMA.is_file():
        jsonschema.validate(document, json.loads(SARIF_SCHEMA.read_text()))
    run = document["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    # The selected policies, and the input and tool errors, which always run.
    assert set(rules) == {*EXAMPLE_IDS.split(","), *ALWAYS_REPORTED}
    tls = rules["ingress-requires-tls"]
    assert tls["shortDescription"]["text"] == "Every Ingress must use TLS"
    assert "spec.tls" in tls["fullDescription"]["text"]
    assert tls["helpUri"] == "https://kubernetes.io/docs/concepts/services-networking/ingress/#tls"
    assert tls["properties"]["security-severity"] == "6.0"
    located = sorted(
        (
            r["ruleId"],
            r["level"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
        )
        for r in run["results"]
    )
    assert located == [
        ("ingress-requires-tls", "error", 44, 1),
        ("ingress-requires-tls", "error", 63, 5),
        ("no-nodeport-in-prod", "error", 14, 9),
        ("service-owner-label", "warning", 21, 9),
        ("service-owner-label", "warning", 33, 3),
    ]


def test_default_message_and_location_without_netlint_keywords(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "id: web-replicas\nseverity: warning\nsummary: Deployments run at least 2 replicas\n"
        "match: {kinds: [Deployment], names: [web*]}\n"
        "schema:\n  properties:\n    spec:\n      properties:\n        replicas: {minimum: 2}\n"
    )
    manifest = tmp_path / "d.yaml"
    manifest.write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n"
        "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: batch}\nspec:\n"
        "  replicas: 1\n"
    )
    result = invoke(
        "check", str(manifest), "--rules", str(policy), "--select", "web-replicas", "--no-color"
    )
    assert findings(result.output) == [
        (
            "web-replicas",
            "5",
            "13",
            "warning",
            "Deployment web: Deployments run at least 2 replicas: 1 is less than the minimum of 2",
        )
    ]


def test_kinds_mean_their_own_group_unless_the_policy_names_an_api_version(tmp_path: Path) -> None:
    # "Gateway" alone is the Gateway API kind; Istio's Gateway is reached by naming its group.
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "id: gateways-named-edge\nseverity: warning\nsummary: Gateways are named edge-*\n"
        "match: {kinds: [Gateway]}\n"
        "schema: {properties: {metadata: {properties: {name: {pattern: '^edge-'}}}}}\n"
        "---\n"
        "id: istio-gateways-named-edge\nseverity: warning\nsummary: Istio gateways are named edge-*\n"
        "match: {kinds: [{kind: Gateway, apiVersion: networking.istio.io/*}]}\n"
        "schema: {properties: {metadata: {properties: {name: {pattern: '^edge-'}}}}}\n"
    )
    manifest = tmp_path / "g.yaml"
    manifest.write_text(
        "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: public}\n"
        "spec: {selector: {istio: ingressgateway}}\n"
    )
    result = invoke(
        "check", str(manifest), "--rules", str(policy), "--no-color",
        "--select", "gateways-named-edge,istio-gateways-named-edge",
    )  # fmt: skip
    assert [f[0] for f in findings(result.output)] == ["istio-gateways-named-edge"]


# --- parameters -------------------------------------------------------------------------------

NODEPORT = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: NodePort\n  ports: [{port: 80, nodePort: 8080}]\n"


def test_node_port_range_param_from_flag_config_and_params(tmp_path: Path) -> None:
    manifest = tmp_path / "s.yaml"
    manifest.write_text(NODEPORT)
    default = invoke("check", str(manifest), "--select", "service-nodeport-range", "--no-color")
    assert "The range of valid ports is 30000-32767" in default.output
    flag = invoke(
        "check",
        str(manifest),
        "--select",
        "service-nodeport-range",
        "--node-port-range",
        "8000-9000",
        "--no-color",
    )
    assert flag.exit_code == 0 and findings(flag.output) == []
    config = tmp_path / "c.yaml"
    config.write_text("params:\n  service-nodeport-range:\n    node-port-range: 8000-8079\n")
    params = invoke(
        "check",
        str(manifest),
        "--config",
        str(config),
        "--select",
        "service-nodeport-range",
        "--no-color",
    )
    assert findings(params.output) == [
        (
            "service-nodeport-range",
            "6",
            "32",
            "error",
            "Service web port 80/TCP: nodePort 8080: provided port is not in the valid "
            "range. The range of valid ports is 8000-8079",
        )
    ]


def test_user_policy_parameter(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "id: max-ports\nseverity: error\nsummary: Too many ports\nmatch: {kinds: [Service]}\n"
        "parameters:\n  limit: {type: integer, default: 1}\n"
        "schema:\n  properties:\n    spec:\n      properties:\n        ports:\n"
        "          maxItems: '{{ params.limit }}'\n"
        "          x-netlint-message: '{{ ref }} has more than {{ params.limit }} ports'\n"
    )
    manifest = tmp_path / "s.yaml"
    manifest.write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 80}, {port: 81}]\n"
    )
    result = invoke("check", str(manifest), "--rules", str(policy), "--select", "max-ports")
    assert [f[4] for f in findings(result.output)] == ["Service web has more than 1 ports"]
    config = tmp_path / "c.yaml"
    config.write_text(f"rules: [{policy}]\nparams: {{max-ports: {{limit: 2}}}}\n")
    raised = invoke("check", str(manifest), "--config", str(config), "--select", "max-ports")
    assert raised.exit_code == 0, raised.output
    config.write_text(f"rules: [{policy}]\nparams: {{max-ports: {{limit: two}}}}\n")
    wrong = invoke("check", str(manifest), "--config", str(config))
    assert wrong.exit_code == 2
    assert "params.max-ports.limit: expected a value of type integer" in wrong.output
    config.write_text(f"rules: [{policy}]\nparams: {{max-ports: {{limmit: 2}}}}\n")
    unknown = invoke("check", str(manifest), "--config", str(config))
    assert unknown.exit_code == 2 and "has no parameter 'limmit'" in unknown.output


def test_label_selector_parameter_in_match(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "id: owned-services\nseverity: warning\nsummary: Services need an owner\n"
        "parameters:\n  skip: {type: label-selector, default: {matchLabels: {generated: 'true'}}}\n"
        "match:\n  kinds: [Service]\n  exclude: {selector: '{{ params.skip }}'}\n"
        "schema:\n  required: [metadata]\n  properties:\n    metadata:\n"
        "      required: [labels]\n      properties: {labels: {required: [owner]}}\n"
    )
    manifest = tmp_path / "s.yaml"
    manifest.write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: web, labels: {generated: 'true'}}\n"
        "---\napiVersion: v1\nkind: Service\nmetadata: {name: api, labels: {tier: api}}\n"
    )
    result = invoke("check", str(manifest), "--rules", str(policy), "--select", "owned-services")
    assert [f[4] for f in findings(result.output)] == [
        "Service api: Services need an owner: 'owner' is a required property"
    ]
    config = tmp_path / "c.yaml"
    config.write_text(
        f"rules: [{policy}]\nparams:\n  owned-services:\n    skip:\n"
        "      matchExpressions: [{key: tier, operator: Exists}]\n"
    )
    result = invoke("check", str(manifest), "--config", str(config), "--select", "owned-services")
    assert [f[4] for f in findings(result.output)] == [
        "Service web: Services need an owner: 'owner' is a required property"
    ]


# --- broken policies and collisions: one clear line, exit 2 ---------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "id: x\nseverity: fatal\nsummary: s\nmatch: {kinds: [Service]}\nschema: {}\n",
            "p.yaml:2: invalid policy: severity: 'fatal' is not one of ['error', 'warning', 'info']",
        ),
        (
            "id: x\nseverity: error\nsummary: s\nmatch: {kinds: [Service]}\nschema: {}\nsevrity: 1\n",
            "p.yaml:6: invalid policy: unknown key 'sevrity'",
        ),
        (
            "id: x\nseverity: error\nsummary: s\nschema: {}\n",
            "p.yaml:1: invalid policy: 'match' is a required property",
        ),
        (
            "id: x\nseverity: error\nsummary: s\nmatch: {kinds: [Service]}\nschema:\n  type: objekt\n",
            "p.yaml:6: policy x: invalid JSON Schema",
        ),
        (
            "id: x\nseverity: error\nsummary: s\nmatch: {kinds: [Service]}\nschema:\n  x-netlint-message: '{{ valeu }}'\n",
            "p.yaml:6: {{ valeu }}: unknown name 'valeu'",
        ),
        (
            "id: x\nseverity: error\nsummary: s\nmatch: {kinds: [Service]}\nschema:\n  pattern: '(['\n",
            "p.yaml:6: invalid regular expression",
        ),
        (
            "id: x\nseverity: error\nsummary: s\nmatch: {kinds: [Service]}\nschema: {}\n  bad: [\n",
            "p.yaml:6: YAML syntax error",
        ),
        (
            "id: x\nseverity: error\nsummary: s\nmatch: {kinds: [Service]}\nschema:\n  maximum: '{{ params.max }}'\n",
            "p.yaml:6: {{ params.max }}: no parameter 'max' is declared",
        ),
        (
            "id: x\nseverity: error\nsummary: s\nmatch:\n  kinds: [Service]\n"
            "  namespaceSelector: '{{ params.where }}'\nschema: {}\n",
            "p.yaml:6: {{ params.where }}: no parameter 'where' is declared",
        ),
        (
            "id: x\nseverity: error\nsummary: s\nparameters:\n  where: {type: string, default: a}\n"
            "match:\n  kinds: [Service]\n  exclude:\n    selector: '{{ params.where }}'\nschema: {}\n",
            "p.yaml:9: {{ params.where }}: parameter 'where' is of type string, not label-selector",
        ),
        (
            "id: x\nseverity: error\nsummary: s\nparameters:\n"
            "  where: {type: label-selector, default: {matchLabels: {a: 1}}}\n"
            "match: {kinds: [Service]}\nschema: {}\n",
            "p.yaml:5: expected a label selector such as {matchLabels: {env: prod}}: matchLabels "
            "must map label keys to strings",
        ),
    ],
)
def test_broken_policy_is_one_clear_error(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "p.yaml").write_text(text)
    manifest = tmp_path / "m.yaml"
    manifest.write_text(NODEPORT)
    result = invoke("check", str(manifest), "--rules", str(tmp_path / "p.yaml"))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert (
        lines[0].startswith("netlint: error: ")
        and str(tmp_path / expected.split(":", maxsplit=1)[0]) in lines[0]
    )
    assert expected.split(":", 1)[1] in lines[0], lines[0]


def test_policy_id_colliding_with_builtin_exits_2(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "id: service-port-name\nseverity: error\nsummary: s\nmatch: {kinds: [Service]}\nschema: {}\n"
    )
    result = invoke("rules", "--rules", str(policy))
    assert result.exit_code == 2
    assert "rule id 'service-port-name'" in result.output
    assert "must not collide with built-in" in result.output


def test_config_rules_never_load_python(tmp_path: Path) -> None:
    config = tmp_path / ".netlint.yaml"
    config.write_text(f"rules: [{PACK}]\n")
    result = invoke("rules", "--config", str(config))
    assert result.exit_code == 2
    assert "configuration loads YAML policies only" in result.output


# --- Python packs -----------------------------------------------------------------------------


def test_example_python_pack_cross_resource(tmp_path: Path) -> None:
    manifest = tmp_path / "app.yaml"
    manifest.write_text(
        textwrap.dedent(
            """\
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: web, namespace: shop}
            spec:
              defaultBackend:
                service: {name: api, port: {number: 80}}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: api, namespace: shop}
            spec:
              selector: {app: api}
              ports: [{port: 80}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: shop}
            spec:
              selector: {matchLabels: {app: api}}
              template:
                metadata: {labels: {app: api}}
                spec:
                  containers: [{name: api, image: "api:1"}]
            """
        )
    )
    result = invoke(
        "check",
        str(manifest),
        "--rules",
        str(PACK),
        "--select",
        "ingress-backend-readiness",
        "--no-color",
    )
    assert findings(result.output) == [
        (
            "ingress-backend-readiness",
            "6",
            "21",
            "warning",
            "Ingress shop/web routes to Service shop/api, whose pods (Deployment shop/api) have "
            "container 'api' without a readinessProbe: they get traffic before they are ready",
        )
    ]


# --- netlint test -----------------------------------------------------------------------------


def test_netlint_test_passes_on_the_repo_fixtures() -> None:
    result = invoke("test", str(REPO / "tests" / "policies"))
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1].endswith(" passed, 0 failed")
    assert "PASS" in result.output and "builtin/service-nodeport-range" in result.output


def test_netlint_test_names_the_difference(tmp_path: Path) -> None:
    case = tmp_path / "case"
    shutil.copytree(EXAMPLES, case)
    test_file = case / "netlint-test.yaml"
    text = test_file.read_text()
    assert "  line: 14\n" in text
    test_file.write_text(text.replace("  line: 14\n", "  line: 15\n", 1))
    result = invoke("test", str(case))
    assert result.exit_code == 1
    assert "FAIL" in result.output
    assert (
        "  missing:    manifests.yaml:15:9: error[no-nodeport-in-prod] Service shop/web"
        in result.output
    )
    assert (
        "  unexpected: manifests.yaml:14:9: error[no-nodeport-in-prod] Service shop/web"
        in result.output
    )
    assert result.output.strip().splitlines()[-1] == "0 passed, 1 failed"


def test_netlint_test_broken_test_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "netlint-test.yaml").write_text("manifests: [nowhere.yaml]\n")
    result = invoke("test", str(tmp_path))
    assert result.exit_code == 2
    assert "netlint-test.yaml:1: manifests: " in result.output and "does not exist" in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    assert invoke("test", str(empty)).exit_code == 2
