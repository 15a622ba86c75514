"""`netlint server` as a command: pygls is optional and loaded by this command only (issue 29)."""

from __future__ import annotations

import subprocess
import sys


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )


def test_the_other_commands_never_import_pygls() -> None:
    done = _python(
        "import sys, netlint.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol')))"
    )
    assert done.stdout == "[]\n", done.stderr


def test_without_pygls_it_says_how_to_install_it() -> None:
    done = _python(
        "import sys; sys.modules['pygls'] = None; sys.argv = ['netlint', 'server']; "
        "from netlint.cli import main; main()"
    )
    assert done.returncode == 2
    assert done.stderr == (
        "netlint: error: netlint server needs pygls: pip install 'netlint-k8s[server]'\n"
    )
