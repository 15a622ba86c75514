"""CEL, the Kubernetes policy language, evaluated offline (issue 32, item 1).

Built on cel-python (`celpy`, Apache-2.0): its parser, standard functions and macros, with
the Kubernetes libraries it lacks written here from their upstream definitions
(k8s.io/apiserver/pkg/cel/library and cel-go's ext.Strings): lists, strings, regex, URLs,
IPs and CIDRs, quantities, the named formats (`format.dns1123Label()`, whose name checks the
policy engine installs), semver, cel-go's string `format` and sets extension, and optional types (`?.`, `orValue`), added
to celpy's grammar. Not evaluated: the authorizer library, which asks the cluster.

`compile_expression(source).evaluate(activation)`; values in and out are plain Python data.
"""

from __future__ import annotations

from netlint.cel.errors import CelCompileError, CelEvaluationError
from netlint.cel.program import Program, compile_expression

__all__ = ["CelCompileError", "CelEvaluationError", "Program", "compile_expression"]
