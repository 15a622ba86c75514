"""Line-independent identities of findings, for baselines and SARIF `partialFingerprints`.

A finding is identified by its rule, the object it is about (kind, namespace, name) and the path
inside that object, so that edits elsewhere in the file do not change it (DESIGN §7). Findings
with no object (syntax errors, unreadable files) fall back to the file and the message.
"""

from __future__ import annotations

from netlint.findings import Finding


def _path_text(finding: Finding) -> str:
    return ".".join(f"[{step}]" if isinstance(step, int) else step for step in finding.obj_path)


def fingerprint(finding: Finding) -> str:
    if finding.obj is not None:
        obj = finding.obj
        parts = [finding.rule_id, obj.kind, obj.namespace or "", obj.name, _path_text(finding)]
    else:
        parts = [finding.rule_id, finding.location.path, finding.message]
    import hashlib  # by the runs with a baseline or SARIF (issue 31)

    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
