"""What the documents mean (DESIGN §3: Manifests, Inventory).

`manifest` cuts documents into Kubernetes objects; `access` reads untrusted data totally;
`inventory` indexes the objects and pod templates of a run; `selectors`, `k8s_names` and
`kube_versions` hold the API's formats and versions; `resources` finds the bundled schemas.
"""
