"""Where traffic goes and whether it gets there (DESIGN §5, "NetworkPolicy and reachability").

`services` reads Services after defaulting and resolves their targetPorts against pod
templates; `ingresses` and `routes` read the backends of Ingresses and Gateway API routes;
`paths` joins them into the traffic paths the input defines (entry point → route → Service
port → pods); `controllers` says where the ingress controllers that carry an Ingress's traffic
run (config `traffic.ingress-controllers:`). Rules read these like `netlint.k8s`: they are part
of the public surface a rule pack is written against.
"""
