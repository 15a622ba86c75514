"""CustomResourceDefinitions: their schemas and CEL rules judging custom resources under `schema`.

- `openapi`: a CRD version's OpenAPI v3 schema as a strict JSON Schema;
- `structural`: what its CEL rules need of it, and the defaulting done before they run;
- `rules`: `x-kubernetes-validations` evaluated as the API server does on a CREATE;
- `loading`: the CRDs a user gives (`--crd`, config `crds:`), read as data.

The bundled Gateway API kinds go through the same code: the generator writes their strict
schema and their rule schema (`*.rules.json`) from the upstream CRDs.
"""
