"""Where text comes from and how it becomes positioned documents (DESIGN §3: Sources, Documents).

`sources` finds files in folders and stdin, `reading` reads and decodes one (`source_texts` reads
a reported file again, `sizes` parses `--max-file-size`, `display_paths` names paths in findings);
`yaml_events` and `loader` turn YAML text into `document` trees whose every node knows its line
and column (`tree_builder` builds them from the parser's events, `mapping_keys` orders mappings
with duplicate or merge keys, `limits` holds the caps, `syntax_errors` the recovery after an
error); `scalars` resolves plain scalars as Kubernetes' YAML decoding does. Nothing here knows
what a Kubernetes object is.
"""
