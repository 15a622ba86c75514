"""Where text comes from and how it becomes positioned documents (DESIGN §3: Sources, Documents).

`sources` finds and reads files and stdin; `yaml_events` and `loader` turn YAML text into
`document` trees whose every node knows its line and column; `scalars` resolves plain scalars as
Kubernetes' YAML decoding does. Nothing here knows what a Kubernetes object is.
"""
