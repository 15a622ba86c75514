"""A deterministic generator of realistic manifest trees for the benchmark.

Each "app" is a folder with a Deployment, a Service, usually an Ingress with a TLS Secret, and
now and then a selector-less Service with its EndpointSlice or a StatefulSet. A few deliberate
mistakes (a selector typo, a NodePort out of range, a missing TLS secret) keep the rules busy on
their finding paths too. The same seed and size always give the same bytes.
"""

from __future__ import annotations

import random
from pathlib import Path

_TEAMS = ("shop", "payments", "search", "identity", "media", "ops", "data", "edge")
_TIERS = ("frontend", "backend", "worker", "api")


def _deployment(name: str, ns: str, app: str, tier: str, port: int, replicas: int) -> str:
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app: {app}
    tier: {tier}
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: {app}
      tier: {tier}
  template:
    metadata:
      labels:
        app: {app}
        tier: {tier}
      annotations:
        prometheus.io/scrape: "true"
    spec:
      containers:
      - name: {name}
        image: registry.example.com/{ns}/{name}:1.{replicas}.0
        ports:
        - name: http
          containerPort: {port}
        - name: metrics
          containerPort: 9090
        env:
        - name: LOG_LEVEL
          value: info
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
        readinessProbe:
          httpGet:
            path: /healthz
            port: http
"""


def _service(name: str, ns: str, app: str, tier: str, kind: str, node_port: int | None) -> str:
    node = f"\n    nodePort: {node_port}" if node_port is not None else ""
    return f"""apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app: {app}
spec:
  type: {kind}
  selector:
    app: {app}
    tier: {tier}
  ports:
  - name: http
    port: 80
    targetPort: http{node}
  - name: metrics
    port: 9090
    targetPort: 9090
"""


def _ingress(name: str, ns: str, host: str, secret: str) -> str:
    return f"""apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {name}
  namespace: {ns}
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt
spec:
  ingressClassName: nginx
  tls:
  - hosts:
    - {host}
    secretName: {secret}
  rules:
  - host: {host}
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: {name}
            port:
              name: http
"""


def _secret(name: str, ns: str) -> str:
    return f"""apiVersion: v1
kind: Secret
metadata:
  name: {name}
  namespace: {ns}
type: kubernetes.io/tls
data:
  tls.crt: ""
  tls.key: ""
"""


def _external(name: str, ns: str, index: int) -> str:
    return f"""apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {ns}
spec:
  ports:
  - name: db
    port: 5432
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: {name}-1
  namespace: {ns}
  labels:
    kubernetes.io/service-name: {name}
addressType: IPv4
ports:
- name: db
  port: 5432
endpoints:
- addresses:
  - 10.{index % 250}.{index // 250 % 250}.10
- addresses:
  - 10.{index % 250}.{index // 250 % 250}.11
"""


def generate(root: Path, objects: int, seed: int = 1) -> tuple[int, int]:
    """Write about `objects` objects below `root`; returns (files, objects) written."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    written_objects = 0
    files = 0
    app_index = 0
    while written_objects < objects:
        team = _TEAMS[app_index % len(_TEAMS)]
        tier = _TIERS[rng.randrange(len(_TIERS))]
        name = f"{team}-{tier}-{app_index}"
        ns = f"{team}-{app_index % 7}"
        app = name
        folder = root / team / name
        folder.mkdir(parents=True, exist_ok=True)
        port = rng.choice((8080, 8000, 3000, 5000))
        selector_tier = tier
        node_port: int | None = None
        service_type = "ClusterIP"
        roll = rng.random()
        if roll < 0.03:
            selector_tier = tier + "x"  # a selector typo: service-selector-no-match
        elif roll < 0.06:
            service_type, node_port = "NodePort", rng.choice((8080, 30000 + app_index % 2700))
        docs = [
            _deployment(name, ns, app, tier, port, 1 + app_index % 3),
            _service(name, ns, app, selector_tier, service_type, node_port),
        ]
        if rng.random() < 0.7:
            docs.append(_ingress(name, ns, f"{name}.{team}.example.com", f"{name}-tls"))
            if rng.random() < 0.9:
                docs.append(_secret(f"{name}-tls", ns))
        (folder / "app.yaml").write_text("---\n".join(docs), encoding="utf-8")
        files += 1
        written_objects += len(docs)
        if rng.random() < 0.15:
            (folder / "database.yaml").write_text(
                _external(f"{name}-db", ns, app_index), encoding="utf-8"
            )
            files += 1
            written_objects += 2
        app_index += 1
    return files, written_objects
