"""`netlint server` as a command: pygls is optional and loaded by this command only (issue 29;
that no other command imports it is tests/test_lazy_imports.py's)."""

from __future__ import annotations

import subprocess
import sys


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )


def test_without_pygls_it_says_how_to_install_it() -> None:
    done = _python(
        "import sys; sys.modules['pygls'] = None; sys.argv = ['netlint', 'server']; "
        "from netlint.cli import main; main()"
    )
    assert done.returncode == 2
    assert done.stderr == (
        "netlint: error: netlint server needs pygls: pip install 'netlint-k8s[server]'\n"
    )
