"""ValidatingAdmissionPolicies and their bindings, loaded from policy files as data and
evaluated offline as the API server would for the CREATE of each object (issue 32, item 3):

- `spec`: the documents checked and parsed; `loading`: paired into rules.
- `resources`: the resource a manifest is created through; `matching`: match constraints.
- `params`: parameter objects from the input; `references`: what cannot be known offline.
- `evaluate`: one evaluation; `rule`: `AdmissionPolicyRule`.

What tells an admission document from a netlint policy is here, so that loading a netlint policy
does not import the rest (issue 31).
"""

from __future__ import annotations

from typing import cast

ADMISSION_GROUP = "admissionregistration.k8s.io"
POLICY_KIND = "ValidatingAdmissionPolicy"
BINDING_KIND = "ValidatingAdmissionPolicyBinding"


def is_admission_document(data: object) -> bool:
    """Whether a policy file's document is a ValidatingAdmissionPolicy or its binding (any
    other document with a `kind` is not a policy)."""
    return (
        isinstance(data, dict)
        and cast("dict[str, object]", data).get("kind") in (POLICY_KIND, BINDING_KIND)
        and str(cast("dict[str, object]", data).get("apiVersion", "")).startswith(
            ADMISSION_GROUP + "/"
        )
    )
