"""What the cross-file stage cache records of a check (`run.facts`): the keys of its inventory
questions, the indexes it used and whose positions it read; and what a file provides."""

from __future__ import annotations

from netlint.model.inventory import Inventory
from netlint.run.facts import (
    ALL_OBJECTS,
    ALL_TEMPLATES,
    RecordingInventory,
    kind_key,
    label_key,
    name_key,
    provided_keys,
)
from netlint.run.per_file import FileResult
from tests.helpers import inventory_of

TEXT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec: {containers: [{name: web, image: web}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80}]}
"""


def test_questions_are_recorded_by_key() -> None:
    recorder = RecordingInventory(inventory_of(TEXT))
    recorder.start()
    assert recorder.get("Service", "shop", "web") is not None
    assert len(recorder.matching_templates({"app": "web"}, "shop")) == 1
    assert recorder.of_kind("Deployment")
    reads = recorder.stop()
    assert reads.keys == {
        name_key("Service", "web"),
        label_key("app", "web"),
        label_key("app", None),
        kind_key("Deployment"),
    }
    assert not reads.memos and not reads.positions
    recorder.start()
    assert recorder.stop().keys == frozenset()  # each check starts afresh


def test_an_index_is_recorded_once_by_name_with_what_its_build_read() -> None:
    recorder = RecordingInventory(inventory_of(TEXT))

    def build(inventory: Inventory) -> int:
        return len(inventory.of_kind("Service")) + len(inventory.templates)

    recorder.start()
    assert recorder.memo("count", build) == 2
    first = recorder.stop()
    recorder.start()
    assert recorder.memo("count", build) == 2  # built once: its reads are the index's
    second = recorder.stop()
    assert first.memos == second.memos == {"count"}
    assert first.keys == second.keys == frozenset()
    assert recorder.memo_reads["count"] == (
        frozenset({kind_key("Service"), ALL_TEMPLATES}),
        frozenset(),
    )


def test_positions_read_are_recorded_by_file() -> None:
    inventory = inventory_of(TEXT, "apps/web.yaml")
    recorder = RecordingInventory(inventory)
    service = inventory.of_kind("Service")[0]
    service.span_of(())  # before `start`: not recorded
    recorder.start()
    service.span_of(("spec",))
    reads = recorder.stop()
    assert reads.positions == {"apps/web.yaml"}
    service.span_of(())  # after `stop`: not recorded either
    recorder.start()
    assert recorder.stop().positions == frozenset()


def test_a_file_provides_the_keys_of_its_objects_and_pod_templates() -> None:
    inventory = inventory_of(TEXT)
    result = FileResult("cluster.yaml", True, manifests=inventory.manifests)
    result.templates = inventory.templates
    keys = provided_keys(result)
    assert {
        name_key("Deployment", "web"),
        name_key("Service", "web"),
        kind_key("Service"),
        label_key("app", "web"),
        label_key("tier", "front"),
        label_key("pod-template-hash", None),  # set by the controller: any value
        ALL_OBJECTS,
        ALL_TEMPLATES,
    } <= keys
    assert label_key("app", "api") not in keys
