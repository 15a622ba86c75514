"""Line-independent identities of findings, for baselines and SARIF `partialFingerprints`.

A finding is identified by its rule, the object it is about (kind, namespace, name) and the path
inside that object, so that edits elsewhere in the file do not change it (DESIGN §7). Findings
with no object (syntax errors, unreadable files) fall back to the file and the message.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Protocol

from netlint.findings import Finding


class _Digest(Protocol):
    def hexdigest(self) -> str: ...


@functools.cache
def _sha256() -> Callable[[bytes], _Digest]:
    """SHA-256 from the interpreter's own module, which hashlib falls back to, where there is
    one: `import hashlib` loads OpenSSL's libcrypto, 3.6 MiB more resident memory for the
    fingerprints of a SARIF report (issue 31: a tenth of the 10x peak memory budget at 10k
    objects). Both give the same digest."""
    for module in ("_sha2", "_sha256"):  # CPython 3.12+, then 3.10-3.11
        try:
            return importlib.import_module(module).sha256
        except (ImportError, AttributeError):
            pass
    import hashlib

    return hashlib.sha256


def _path_text(finding: Finding) -> str:
    return ".".join(f"[{step}]" if isinstance(step, int) else step for step in finding.obj_path)


def fingerprint(finding: Finding) -> str:
    if finding.obj is not None:
        obj = finding.obj
        parts = [finding.rule_id, obj.kind, obj.namespace or "", obj.name, _path_text(finding)]
    else:
        parts = [finding.rule_id, finding.location.path, finding.message]
    return _sha256()("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
