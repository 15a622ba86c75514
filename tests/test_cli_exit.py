"""The `netlint` command leaves without tearing its heap down (`netlint.cli._exit_now`), and yet
as `sys.exit` would: the exit status, the exit handlers, everything written reaching its
reader."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

_MAIN = """
import atexit, sys
atexit.register(lambda: print("exit handler ran", file=sys.stderr))
from netlint.cli import entry
sys.argv = ["netlint", *sys.argv[1:]]
entry()
print("not reached", file=sys.stderr)
"""

_BAD = "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  ports: [{port: 99999}]\n"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _MAIN, *args], capture_output=True, text=True, check=False
    )


def test_a_run_with_findings_exits_1_with_its_report_and_the_exit_handlers_run(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(_BAD)
    done = _run("check", str(bad), "--no-cache")
    assert done.returncode == 1
    assert "error[service-port-range]" in done.stdout
    assert "; 1 file linted; 1 object; in " in done.stdout.splitlines()[-1]  # the last line
    assert done.stderr.splitlines() == ["exit handler ran"]


def test_a_clean_run_exits_0_and_a_usage_error_2(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    assert _run("check", str(good), "--no-cache").returncode == 0
    usage = _run("check", "--no-such-option")
    assert usage.returncode == 2
    assert usage.stderr.splitlines()[-1] == "exit handler ran"


def test_a_profiled_run_exits_normally_so_the_profiler_writes_its_data(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    stats = tmp_path / "run.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(stats), "-m", "netlint", "check"]
    done = subprocess.run([*command, str(good), "--no-cache"], capture_output=True, check=False)
    assert done.returncode == 0
    assert stats.stat().st_size > 0


def test_main_called_in_a_process_raises_system_exit_and_leaves_it_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from netlint.cli import main

    good = tmp_path / "good.yaml"
    good.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    monkeypatch.setattr(sys, "argv", ["netlint", "check", str(good), "--no-cache"])
    with pytest.raises(SystemExit) as done:
        main()
    assert done.value.code == 0


_COLLECTOR = """
import atexit, gc, sys
from netlint.cli import entry
frozen = gc.get_freeze_count()
atexit.register(lambda: print(gc.isenabled(), frozen, file=sys.stderr))
sys.argv = ["netlint", *sys.argv[1:]]
entry()
"""


def test_the_collector_never_scans_the_imports_nor_the_run_on_the_way_out(tmp_path: Path) -> None:
    """What importing the command line built is out of the collector's reach (`gc.freeze`), and a
    run leaves with the collector still paused: either scan costs milliseconds and frees nothing
    (issue 31, item 2)."""
    good = tmp_path / "good.yaml"
    good.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    done = subprocess.run(
        [sys.executable, "-c", _COLLECTOR, "check", str(good), "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    enabled, frozen = done.stderr.split()
    assert enabled == "False"
    assert int(frozen) > 10_000  # click, the parser and netlint's modules


def test_main_in_a_process_resumes_the_collector(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from netlint.cli import main

    good = tmp_path / "good.yaml"
    good.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    monkeypatch.setattr(sys, "argv", ["netlint", "check", str(good), "--no-cache"])
    with pytest.raises(SystemExit):
        main()
    assert gc.isenabled()
