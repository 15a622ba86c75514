"""The names of netlint's schema keywords in a policy's schema, and of the JSON Schema keywords
whose values are data.

netlint's schema keywords, usable on any subschema (the policy format's schema documents them):

- `x-netlint-message`: when this subschema fails, one finding for the node it applies to, with
  this message template (`{{ ref }} host {{ value | quote }} is invalid: {{ reason }}`);
  everything that failed below it is joined into `{{ reason }}`.
- `x-netlint-reason`: the text this subschema contributes to `{{ reason }}` when it fails,
  instead of python-jsonschema's wording.
- `x-netlint-hint`: the `help:` line: a template, or a list of `{when: <schema>, hint: ...}`
  tried in order against the node (an entry without `when` always applies).
- `x-netlint-severity`: the severity of this subschema's findings.
- `x-netlint-path`: where to point instead of the node itself, relative to it (`nodePort`,
  `../host`, or a list of steps for keys holding `/`).
- `x-netlint-on-key`: point at the key of the entry rather than its value.
- `x-netlint-fix`: a fix for this subschema's findings on a scalar: `{title: ..., value:
  <template>, when: <schema>, unsafe: false}` writes the rendered `value` in place of the node
  (`{{ value | lower }}`, a string in its quoting), when `when` (if given) holds for the node,
  the value changes and the new value passes the subschema that failed.

In the compiled schema a subschema with any of them is wrapped in one `x-netlint` keyword
(`netlint.policy.validator`).
"""

from __future__ import annotations

# netlint's keywords (above). `substitute` leaves them alone: their templates read `params` when
# a finding is worded, and a hint's `when` is substituted as it is compiled.
KEYWORDS = (
    "x-netlint-message",
    "x-netlint-reason",
    "x-netlint-hint",
    "x-netlint-severity",
    "x-netlint-path",
    "x-netlint-on-key",
    "x-netlint-fix",
)
# The one keyword python-jsonschema is extended with: {"meta": Meta, "schema": subschema}.
WRAPPER = "x-netlint"
# Keys that stay beside the wrapper, at the level of the subschema they belong to.
ROOT_KEYS = ("$schema", "$id", "$defs", "$anchor", "$dynamicAnchor", "$vocabulary", "$comment")
# Keywords whose values are data, not subschemas: inlining, wrapping and the checks of a policy
# document do not look inside them.
DATA_KEYWORDS = frozenset({"const", "enum", "default", "examples"})
