"""Workload rules: the parts of Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets,
ReplicationControllers, Jobs and CronJobs that Services rely on (selectors, template labels,
container ports, probe ports), ported from the API server's validation (`_*_validation`)."""
