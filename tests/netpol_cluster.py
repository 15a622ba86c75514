"""The small cluster the NetworkPolicy engine's tests share (`test_policy_eval`, and
`test_nca_oracle`, which runs it through NCA too): Namespaces, Pods and a policy builder."""

from __future__ import annotations

import textwrap

CLUSTER = """\
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: shop, env: prod}}
---
apiVersion: v1
kind: Namespace
metadata: {name: other, labels: {team: other, env: dev}}
---
apiVersion: v1
kind: Namespace
metadata: {name: kube-system}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web, tier: front}}
spec:
  containers:
  - name: web
    image: nginx
    ports: [{name: http, containerPort: 8080}, {name: metrics, containerPort: 9090}]
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db, tier: back}}
spec:
  containers: [{name: db, image: postgres, ports: [{name: sql, containerPort: 5432}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: other, labels: {app: client}}
spec:
  containers: [{name: c, image: busybox, ports: [{name: http, containerPort: 8099}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: coredns, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec:
  containers:
  - name: coredns
    image: coredns
    ports: [{name: dns, containerPort: 53, protocol: UDP}, {name: dns-tcp, containerPort: 53}]
"""


def policy(name: str, namespace: str, spec: str) -> str:
    """A NetworkPolicy document (with its `---`) of `spec`, which may be indented."""
    body = textwrap.indent(textwrap.dedent(spec).strip("\n"), "  ")
    return (
        "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
        f"metadata: {{name: {name}, namespace: {namespace}}}\nspec:\n{body}\n"
    )


DENY_SHOP = policy("deny", "shop", "podSelector: {}")

# Pods of namespace other may reach the cluster DNS, and nothing else.
ALLOW_DNS = policy(
    "dns",
    "other",
    """
    podSelector: {}
    policyTypes: [Egress]
    egress:
    - to:
      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
        podSelector: {matchLabels: {k8s-app: kube-dns}}
      ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]
    """,
)

# Pods of shop admit pods app=client of namespace other (named by its label) on two ports.
FROM_CLIENT = policy(
    "from-client",
    "shop",
    """
    podSelector: {}
    ingress:
    - from:
      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: other}}
        podSelector: {matchLabels: {app: client}}
      ports: [{port: 8080}, {port: 5432}]
    """,
)
