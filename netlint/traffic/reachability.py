"""Whether a traffic path (`paths`) can carry traffic, by the NetworkPolicies of the input
(`policy_eval`): the rule `traffic-blocked` and `netlint graph` judge paths the same way.

The source of an Ingress's or a Gateway's traffic is its controller's pods, where config
`traffic.ingress-controllers:` says they run; a connection needs the destination pods' ingress
and the controller pods' egress (when policies of its namespace isolate them). Clients inside the
cluster are no one in particular: their paths get no connection verdict, only whether the
destination pods are isolated and which policies do it.
"""

from __future__ import annotations

from dataclasses import dataclass

from netlint.api import IngressController
from netlint.traffic.paths import TrafficPath
from netlint.traffic.policy_eval import (
    INGRESS,
    Connection,
    Endpoint,
    Isolation,
    PolicyEvaluator,
    Verdict,
)


@dataclass(frozen=True, slots=True)
class PathVerdict:
    path: TrafficPath
    # None when the source is unknown: clients in the cluster, a controller not configured.
    connection: Connection | None
    isolation: Isolation  # of the destination pods, for ingress

    @property
    def verdict(self) -> Verdict:
        return self.connection.verdict if self.connection is not None else Verdict.UNKNOWN


def controller_pods(controller: IngressController) -> Endpoint:
    """The controller's pods as one end of a connection."""
    return Endpoint.pods(
        controller.namespace, controller.pod_labels, host_network=controller.host_network
    )


def path_port(path: TrafficPath) -> int | str | None:
    """The destination port as a policy sees it: the container port number, else its name."""
    destination = path.destination
    return destination.port if destination.port is not None else destination.port_name


def judge(path: TrafficPath, evaluator: PolicyEvaluator) -> PathVerdict:
    destination = Endpoint.of_template(path.destination.template)
    isolation = evaluator.isolation(destination, INGRESS)
    controller = path.entry.controller
    port = path_port(path)
    if controller is None or port is None:
        return PathVerdict(path, None, isolation)
    connection = evaluator.connection(
        controller_pods(controller), destination, port, path.destination.protocol
    )
    return PathVerdict(path, connection, isolation)
