"""Running the rules (DESIGN §3: Rules, Findings).

`engine` drives a run; `per_file` is the stage that runs on each file (in worker processes
through `shards`, or from the `cache`); `registry` loads rule packs and `selection` decides which
rules run; `config_loading` reads `.netlint.yaml` and `[tool.netlint]` into a `config.Config`
(`config_files`, `config_toml`, `config_schema`, `config_build`; `config_values` parses the
values the command line takes too).
"""
