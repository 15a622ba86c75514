"""Field errors print as the API server prints them (apimachinery `field.Error.Error()`)."""

from __future__ import annotations

import pytest

from netlint.k8s import (
    FieldError,
    duplicate,
    forbidden,
    invalid,
    not_supported,
    path_text,
    required,
    too_long,
    too_long_max_length,
    too_many,
)


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (
            invalid(("spec", "ports", 0, "port"), 65536, "must be between 1 and 65535, inclusive"),
            "spec.ports[0].port: Invalid value: 65536: must be between 1 and 65535, inclusive",
        ),
        (
            invalid(("spec", "clusterIP"), "10.0.0.300", "must be a valid IP address"),
            'spec.clusterIP: Invalid value: "10.0.0.300": must be a valid IP address',
        ),
        (invalid(("spec", "x"), None, "d"), "spec.x: Invalid value: null: d"),
        (invalid(("spec", "x"), True, "d"), "spec.x: Invalid value: true: d"),
        (invalid(("spec", "x"), ["a", 1], "d"), 'spec.x: Invalid value: ["a",1]: d'),
        (required(("spec", "ports")), "spec.ports: Required value"),
        (
            required(("spec", "ports"), "at least one port is required"),
            "spec.ports: Required value: at least one port is required",
        ),
        (
            duplicate(("spec", "ports", 1, "name"), "http"),
            'spec.ports[1].name: Duplicate value: "http"',
        ),
        (
            not_supported(("spec", "type"), "Nodeport", ["ClusterIP", "NodePort"]),
            'spec.type: Unsupported value: "Nodeport": supported values: "ClusterIP", "NodePort"',
        ),
        (
            forbidden(
                ("spec", "ports", 0, "nodePort"), "may not be used when `type` is 'ClusterIP'"
            ),
            "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
        ),
        (
            too_long(("metadata", "annotations"), "x" * 10, 262144),
            "metadata.annotations: Too long: must have at most 262144 bytes",
        ),
        (
            too_long_max_length(("spec", "x"), "abc", 2),
            "spec.x: Too long: may not be longer than 2",
        ),
        (
            too_many(("spec", "ports"), 5, 3),
            "spec.ports: Too many: 5: must have at most 3 items",
        ),
        (
            invalid(("metadata", "labels", "app.kubernetes.io/name"), "-x", "d"),
            'metadata.labels[app.kubernetes.io/name]: Invalid value: "-x": d',
        ),
    ],
)
def test_text_is_the_api_servers(error: FieldError, text: str) -> None:
    assert error.text == text


def test_forbidden_points_at_the_key_and_the_others_at_the_value() -> None:
    assert forbidden(("spec", "x"), "d").on_key
    assert not invalid(("spec", "x"), 1, "d").on_key


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ((), ""),
        (("spec",), "spec"),
        (("spec", "ports", 0, "port"), "spec.ports[0].port"),
        (("metadata", "annotations", "a b"), "metadata.annotations[a b]"),
        (("items", 2, "metadata"), "items[2].metadata"),
    ],
)
def test_path_text(path: tuple[str | int, ...], text: str) -> None:
    assert path_text(path) == text
