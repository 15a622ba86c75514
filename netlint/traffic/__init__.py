"""Traffic between the workloads of the input (issue 26): which NetworkPolicies isolate a pod, and
whether a connection from a source to a destination pod on a port is allowed (`policy_eval`).

Public for rule packs, as `netlint.k8s` is (DESIGN §6): the built-in NetworkPolicy rules and the
reachability rule are written against it, and so can a user's pack.
"""
