"""Traffic between the workloads of the input (issue 26): where it goes, which NetworkPolicies
isolate a pod, and whether a connection from a source to a destination pod on a port is allowed.

- `policy_eval`: NetworkPolicy evaluation (isolation, connections, verdicts).
- `services`, `ingresses`, `routes`: Services after defaulting and their targetPorts against pod
  templates; the backends of Ingresses and of Gateway API routes, and their classes.
- `controllers`: where the ingress and Gateway controllers that carry an Ingress's or a Gateway's
  traffic run (config `traffic.ingress-controllers:`).
- `paths`: the traffic paths the input defines (entry point → route → Service port → pods);
  `reachability` judges them with `policy_eval`; `graph` is the map `netlint graph` draws.

Public for rule packs, as `netlint.k8s` is (DESIGN §6): the built-in NetworkPolicy rules and the
reachability rule are written against it, and so can a user's pack.
"""
