"""statefulset-service: the governing Service a StatefulSet names in `spec.serviceName` (issue 27,
item 1): its name as `ValidateStatefulSetSpec` checks it since 1.33, and whether it exists in the
StatefulSet's namespace, is headless and selects the pods (DESIGN §4 open world)."""

from __future__ import annotations

from netlint.api import ExternalObjects, Settings
from tests.helpers import brief, lint_fixture, lint_text

RULE = "statefulset-service"


def _statefulset(service_name: str | None, *, namespace: str = "shop", replicas: int = 2) -> str:
    name_line = f"  serviceName: {service_name}\n" if service_name is not None else ""
    return (
        f"apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {{name: db, namespace: {namespace}}}\n"
        f"spec:\n{name_line}  replicas: {replicas}\n  selector: {{matchLabels: {{app: db}}}}\n"
        "  template:\n    metadata: {labels: {app: db}}\n"
        "    spec: {containers: [{name: db, image: postgres}]}\n"
    )


def _service(name: str, *, namespace: str = "shop", headless: bool = True) -> str:
    cluster_ip = "clusterIP: None, " if headless else ""
    return (
        f"apiVersion: v1\nkind: Service\nmetadata: {{name: {name}, namespace: {namespace}}}\n"
        f"spec: {{{cluster_ip}selector: {{app: db}}, ports: [{{port: 5432}}]}}\n"
    )


def test_bad_fixture() -> None:
    findings = lint_fixture(RULE)
    assert brief(findings) == [
        (RULE, 8, 16, "warning"),  # a typo: did you mean the headless Service
        (RULE, 35, 16, "info"),  # not headless, one replica
        (RULE, 60, 16, "warning"),  # headless, selects other pods
        (RULE, 87, 16, "error"),  # not a DNS-1123 label
        (RULE, 103, 16, "error"),  # only in another namespace
    ]
    assert [(f.message, f.hint) for f in findings] == [
        (
            "StatefulSet shop/db names Service shop/db-headles as its governing Service, which "
            "is not found in the linted files, although they define Services in namespace shop: "
            "pod DNS names such as db-0.db-headles.shop.svc never resolve without it; did you "
            "mean 'db-headless' (headless, and selects the pods)?",
            "name the headless Service that selects the pods, lint it together with the "
            "Service's manifest (or pass it with --context), or declare it: external: "
            "{services: [shop/db-headles]}",
        ),
        (
            "StatefulSet shop/mq names Service shop/mq as its governing Service, which is not "
            "headless: the pods get no DNS names of their own (such as mq-0.mq.shop.svc), only "
            "the Service's cluster IP",
            "set clusterIP: None on Service shop/mq (the field cannot be changed in place: "
            "recreate it), or add a headless Service for the StatefulSet and name it here",
        ),
        (
            "StatefulSet shop/kv names Service shop/kv as its governing Service, but its "
            "selector app=kv-store does not select the StatefulSet's pods (app=kv): they are "
            "not its endpoints and get no DNS names (such as kv-0.kv.shop.svc)",
            "make the selector of Service shop/kv match the pod template's labels "
            "(spec.template.metadata.labels)",
        ),
        (
            'StatefulSet shop/zk is invalid: spec.serviceName: Invalid value: "ZK_Headless": a '
            "lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
            "'-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
            "'123-abc')",
            "use the name of a Service: lowercase letters, digits and '-'",
        ),
        (
            "StatefulSet shop/search names Service 'search' as its governing Service, which is "
            "not in namespace shop but exists in namespace logging: pod DNS names such as "
            "search-0.search.shop.svc only come from a headless Service of the StatefulSet's "
            "own namespace, so they never resolve",
            "add a headless Service 'search' to namespace shop",
        ),
    ]


def test_good_fixture() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_before_1_33_the_pods_are_refused_instead() -> None:
    findings = lint_fixture(RULE, settings=Settings(kube_version="1.32"))
    (refused,) = [f for f in findings if "ZK_Headless" in f.message]
    assert (refused.location.line, refused.location.column, refused.severity.label) == (
        87,
        16,
        "error",
    )
    assert refused.message.startswith(
        "StatefulSet shop/zk is accepted (Kubernetes 1.32 does not check spec.serviceName), but "
        'the API server refuses the pods it creates: spec.subdomain: Invalid value: "ZK_Headless"'
    )


def test_the_invalid_name_is_not_workload_selectors_too() -> None:
    findings = lint_text(_statefulset("Bad_Name"), select=[RULE, "workload-selector"])
    assert [(f.rule_id, f.severity.label) for f in findings] == [(RULE, "error")]


def test_absent_or_empty_service_name_is_optional() -> None:
    text = _statefulset(None) + "---\n" + _service("other")
    assert lint_text(text, select=[RULE]) == []
    text = _statefulset('""') + "---\n" + _service("other")
    assert lint_text(text, select=[RULE]) == []


def test_a_nearest_name_when_no_headless_service_selects_the_pods() -> None:
    text = _statefulset("db-hedless") + "---\n" + _service("db-headless", headless=False)
    (finding,) = lint_text(text, select=[RULE])
    assert (finding.location.line, finding.severity.label) == (5, "warning")
    assert finding.message.endswith("never resolve without it; did you mean 'db-headless'?")


def test_declared_external_service_is_not_judged() -> None:
    text = _statefulset("db") + "---\n" + _service("web")
    assert len(lint_text(text, select=[RULE])) == 1
    settings = Settings(external=ExternalObjects(patterns={"services": ("shop/db",)}))
    assert lint_text(text, select=[RULE], settings=settings) == []


def test_objects_without_namespace_share_the_apply_namespace() -> None:
    text = (
        _statefulset("db").replace(", namespace: shop", "")
        + "---\n"
        + _service("db").replace(", namespace: shop", "")
    )
    assert lint_text(text, select=[RULE]) == []
    # A Service without namespace may be applied to namespace shop: not "another namespace".
    text = _statefulset("db") + "---\n" + _service("db").replace(", namespace: shop", "")
    assert lint_text(text, select=[RULE]) == []


def test_a_variant_that_is_headless_satisfies_the_reference() -> None:
    text = (
        _statefulset("db")
        + "---\n"
        + _service("db", headless=False)
        + "---\n"
        + _service("db").replace("{name: db,", "{name: db, labels: {variant: ha},")
    )
    findings = lint_text(text, select=[RULE, "duplicate-object"])
    assert [f.rule_id for f in findings] == ["duplicate-object"]


def test_pods_selected_by_the_pod_name_label_count() -> None:
    one_pod = _service("db").replace(
        "selector: {app: db}", "selector: {statefulset.kubernetes.io/pod-name: db-0}"
    )
    assert lint_text(_statefulset("db") + "---\n" + one_pod, select=[RULE]) == []


def test_an_external_name_service_is_not_headless() -> None:
    service = (
        "apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: shop}\n"
        "spec: {type: ExternalName, externalName: db.example.com}\n"
    )
    (finding,) = lint_text(_statefulset("db", replicas=1) + "---\n" + service, select=[RULE])
    assert (finding.location.line, finding.location.column, finding.severity.label) == (
        5,
        16,
        "info",
    )
    assert finding.message.endswith(
        "which is not headless: the pods get no DNS names of their own (such as "
        "db-0.db.shop.svc), only an alias of another name"
    )
