"""ValidatingAdmissionPolicies and their bindings, loaded from policy files as data and
evaluated offline as the API server would for the CREATE of each object (issue 32, item 3):

- `spec`: the documents checked and parsed; `loading`: paired into rules.
- `resources`: the resource a manifest is created through; `matching`: match constraints.
- `params`: parameter objects from the input; `references`: what cannot be known offline.
- `evaluate`: one evaluation; `rule`: `AdmissionPolicyRule`.
"""
