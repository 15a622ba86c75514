"""The run's object index keeps a key's one manifest without a list (`ObjectIndex`), and pod
templates share the label dicts they would hold twice: the answers are those of before."""

from __future__ import annotations

from netlint.input.loader import load_yaml
from netlint.model.inventory import BUILTIN_WORKLOADS, ObjectIndex, pod_templates
from netlint.model.manifest import Manifest, objects_of
from netlint.model.namespace import APPLY_NAMESPACE

TEXT = """\
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
---
apiVersion: v1
kind: Service
metadata: {name: web}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: same, labels: {app: web}}
spec: {template: {metadata: {labels: {app: web}}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: other, labels: {team: a}}
spec: {template: {metadata: {labels: {app: web}}}}
"""


def _objects() -> list[Manifest]:
    return objects_of(load_yaml(TEXT, "x.yaml").documents).manifests


def test_one_copy_several_copies_and_none_answer_as_lists_in_input_order() -> None:
    first, second, applied, api, *_ = _objects()
    index = ObjectIndex([first, second, applied, api])
    assert index.exact("Service", "shop", "web") == [first, second]
    assert index.exact("Service", "shop", "api") == [api]
    assert index.exact("Service", "shop", "db") == []
    assert index.compatible_copies("Service", "shop", "web") == [first, second, applied]
    assert index.compatible_copies("Service", APPLY_NAMESPACE, "web") == [applied, first, second]
    assert index.named_anywhere("Service", "web") == [first, second, applied]
    assert index.named_anywhere("Service", "api") == [api]


def test_templates_share_equal_labels_and_the_hash_labels_of_their_kind() -> None:
    same, other = (pod_templates(m, BUILTIN_WORKLOADS)[0] for m in _objects()[4:])
    assert same.labels == same.owner_labels == {"app": "web"}
    assert same.owner_labels is same.labels
    assert other.owner_labels == {"team": "a"} and other.labels == {"app": "web"}
    assert same.added_labels == {"pod-template-hash": None}
    assert same.added_labels is other.added_labels
