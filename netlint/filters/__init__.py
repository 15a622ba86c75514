"""What happens to findings after the rules (DESIGN §3: Filters).

Inline and annotation `suppression`s, the `baseline`, the `fingerprint` both rely on, and
`helm_sources`, which points findings in `helm template` output back at the chart's templates.
"""
