"""Running the rules (DESIGN §3: Rules, Findings).

`engine` drives a run; `per_file` is the stage that runs on each file (in worker processes
through `shards`, or from the `cache`); `registry` loads rule packs and `selection` decides which
rules run; `config` reads `.netlint.yaml` and `[tool.netlint]`.
"""
