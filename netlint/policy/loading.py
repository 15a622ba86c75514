"""Policy files: which paths hold policies, and loading their rules (ids unique within a file and
across the files of one call)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path as FsPath

from netlint.input.loader import load_yaml
from netlint.policy.document import PolicyError, parse_document
from netlint.policy.rule import PolicyRule

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:
    from importlib.abc import Traversable

POLICY_SUFFIXES = (".yaml", ".yml")


def load_policy_text(text: str, display: str) -> list[PolicyRule]:
    """Every policy of one YAML text (one policy per document)."""
    loaded = load_yaml(text, display)
    if loaded.problems:
        problem = loaded.problems[0]
        raise PolicyError(f"{display}:{problem.span[0] + 1}: {problem.message}")
    rules: list[PolicyRule] = []
    seen: dict[str, str] = {}
    for document in loaded.documents:
        if document.data is None:
            continue
        spec = parse_document(document, display)
        if spec.meta.id in seen:
            raise PolicyError(
                f"{spec.source}: policy id {spec.meta.id!r} is already defined at {seen[spec.meta.id]}"
            )
        seen[spec.meta.id] = spec.source
        rules.append(PolicyRule(spec))
    if not rules:
        raise PolicyError(f"{display}:1: no policy in this file")
    return rules


def load_policy_file(path: FsPath | Traversable, display: str | None = None) -> list[PolicyRule]:
    label = display or str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise PolicyError(f"{label}: cannot read the policy file: {error}") from None
    return load_policy_text(text, label)


def policy_files(path: FsPath) -> list[FsPath]:
    """A policy file, or the `*.yaml`/`*.yml` files of a folder and its subfolders, sorted."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in POLICY_SUFFIXES and p.is_file())
    return [path]


def is_policy_path(path: FsPath) -> bool:
    """YAML policies (a `.yaml`/`.yml` file, or a folder that is not a Python package)."""
    if path.is_dir():
        return not (path / "__init__.py").is_file()
    return path.suffix in POLICY_SUFFIXES


def load_policy_paths(paths: Iterable[FsPath]) -> list[tuple[str, PolicyRule]]:
    """(label, rule) for every policy of the given files and folders; ids unique across them."""
    found: list[tuple[str, PolicyRule]] = []
    seen: dict[str, str] = {}
    for path in paths:
        if not path.exists():
            raise PolicyError(f"{path}: no such policy file or folder")
        files = policy_files(path)
        if path.is_dir() and not files:
            raise PolicyError(f"{path}: no *.yaml or *.yml policy file in this folder")
        for file in files:
            for rule in load_policy_file(file):
                if rule.meta.id in seen:
                    raise PolicyError(
                        f"{rule.spec.source}: policy id {rule.meta.id!r} is already defined at "
                        f"{seen[rule.meta.id]}"
                    )
                seen[rule.meta.id] = rule.spec.source
                found.append((str(file), rule))
    return found
