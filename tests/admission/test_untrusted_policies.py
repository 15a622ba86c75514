"""Loading the policy folder of an untrusted checkout (config `rules:`) executes nothing
(issue 32, acceptance): its Python files are never imported, YAML tags that construct Python
objects are refused, and ValidatingAdmissionPolicies are data whose CEL can only compute."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import run_netlint

# Every file below that runs would leave a marker beside itself.
_MARK = "import pathlib; pathlib.Path(__file__).with_suffix('.ran').write_text('ran')\n"

OWNER_POLICY = """\
id: service-owner-label
severity: warning
summary: Services must carry an owner label
match: {kinds: [Service]}
schema: {properties: {metadata: {required: [labels], properties: {labels: {required: [owner]}}}}}
"""

VAP = """\
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: no-nodeport}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [services]}
  validations:
  - expression: "object.spec.type != 'NodePort' || \\"__import__('os').system('touch ran')\\" == ''"
    message: "{{ __import__('os').system('touch ran') }}"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: no-nodeport}
spec: {policyName: no-nodeport, validationActions: [Deny]}
"""

SERVICE = """\
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80}]
"""


def _checkout(root: Path, policies: dict[str, str]) -> Path:
    folder = root / "policies"
    folder.mkdir(parents=True)
    for name in ("plugin.py", "conftest.py", "sitecustomize.py", "usercustomize.py", "rules.py"):
        (folder / name).write_text(_MARK)
    (folder / "evil.pth").write_text(
        f"import pathlib; pathlib.Path({str(folder)!r}, 'pth.ran').write_text('ran')\n"
    )
    for name, text in policies.items():
        (folder / name).write_text(text)
    (root / ".netlint.yaml").write_text("rules: [policies/]\n")
    (root / "service.yaml").write_text(SERVICE)
    return root


def _nothing_ran(root: Path) -> None:
    assert sorted(p.name for p in root.rglob("*.ran")) == []
    assert not (root / "ran").exists()


def test_a_policy_folder_with_python_files_runs_none_of_them(tmp_path: Path) -> None:
    root = _checkout(tmp_path, {"owner.yaml": OWNER_POLICY})
    result = run_netlint(root, "check", "--no-cache", "service.yaml")
    assert result.returncode == 1, result.stderr
    assert "warning[service-owner-label] Service shop/web" in result.stdout.decode()
    _nothing_ran(root)


def test_python_yaml_tags_in_a_policy_file_are_refused(tmp_path: Path) -> None:
    hostile = "!!python/object/apply:os.system ['touch ran']\n"
    root = _checkout(tmp_path, {"owner.yaml": OWNER_POLICY, "hostile.yaml": hostile})
    result = run_netlint(root, "check", "--no-cache", "service.yaml")
    assert result.returncode == 2
    assert result.stderr.decode() == (
        f"netlint: error: {root / 'policies' / 'hostile.yaml'}:1: tag "
        "'!!python/object/apply:os.system' is not a standard YAML type; Kubernetes cannot decode "
        "it and netlint never constructs it\n"
    )
    _nothing_ran(root)


def test_admission_policies_of_the_checkout_are_evaluated_as_data(tmp_path: Path) -> None:
    root = _checkout(tmp_path, {"owner.yaml": OWNER_POLICY, "no-nodeport.yaml": VAP})
    result = run_netlint(root, "check", "--no-cache", "service.yaml")
    assert result.returncode == 1, result.stderr
    assert "error[no-nodeport] Service shop/web: ValidatingAdmissionPolicy" in (
        result.stdout.decode()
    )
    _nothing_ran(root)


def test_without_cel_python_a_policy_that_needs_cel_is_a_usage_error(tmp_path: Path) -> None:
    root = _checkout(tmp_path, {"no-nodeport.yaml": VAP})
    # A sitecustomize beside netlint that hides cel-python, as an installation without it.
    hider = tmp_path / "hide"
    hider.mkdir()
    (hider / "sitecustomize.py").write_text(
        "import sys\nsys.modules['celpy'] = None\n"  # importing it raises ModuleNotFoundError
    )
    result = run_netlint(
        root, "check", "--no-cache", "service.yaml", env={"PYTHONPATH": str(hider)}
    )
    assert result.returncode == 2
    assert "CEL expressions need cel-python, which this installation lacks" in (
        result.stderr.decode()
    )
