"""The `netlint` command: check, rules, explain, test, graph, server (DESIGN §8).

Exit codes (DESIGN §4): 0 nothing at or above the fail level; 1 findings at or above it, or an
internal error (a bug in netlint); 2 usage or configuration errors. Errors are one clear line on
stderr: no traceback ever reaches a user.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import importlib
import io
import os
import sys
from typing import NoReturn

from netlint.heap import collector_paused, imports_unscanned

# Importing the command line (click, the YAML parser) and then a command's modules builds tens
# of thousands of objects and frees none: the cycle collector would only scan them again and
# again (about 4 ms of a one-file run, issue 31), and what is imported here lives as long as the
# process. A short command's run frees nothing either; the language server, which runs on,
# resumes the collector (`netlint.heap.collector_resumed`).
with imports_unscanned():
    import click

    from netlint import __version__
    from netlint.input.yaml_events import backend

    backend()  # the parser, imported here rather than by `--version`'s text below


def _version_text() -> str:
    parser = backend()
    return f"netlint {__version__} (YAML parser: {parser.name}; Python {sys.version.split()[0]})"


# Errors of writing to stdout that are about where it goes, not about netlint.
_OUTPUT_ERRORS = frozenset({errno.EBADF, errno.ENOSPC, errno.EIO, errno.EDQUOT})


# Each command's module, imported when the command runs (or `--help` lists it): `netlint check`
# on one file does not pay for the graph renderer or the rule docs writer (issue 31).
_COMMANDS = {
    "check": ("netlint.cli.check_command", "check"),
    "explain": ("netlint.cli.commands", "explain"),
    "graph": ("netlint.cli.graph_command", "graph"),
    "rules": ("netlint.cli.commands", "list_rules"),
    "server": ("netlint.cli.server_command", "server"),
    "test": ("netlint.cli.commands", "test_command"),
}


class _Commands(click.Group):
    """click's group, with lazily imported commands and a did-you-mean for a mistyped command
    (`netlint chek`)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        where = _COMMANDS.get(cmd_name)
        if where is None:
            return None
        command = getattr(importlib.import_module(where[0]), where[1])
        assert isinstance(command, click.Command)
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            import difflib

            close = difflib.get_close_matches(name, self.list_commands(ctx), n=1)
            suggestion = f"; did you mean {close[0]!r}?" if close else ""
            raise click.UsageError(f"no such command {name!r}{suggestion}", ctx)
        return super().resolve_command(ctx, args)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", message=_version_text())
def cli() -> None:
    """Lint Kubernetes networking manifests: Services, Ingresses, EndpointSlices and the
    workloads they select."""


def _first_lower(message: str) -> str:
    """click's "No such option: --x." in netlint's style: "no such option: --x"."""
    message = " ".join(message.split()).removesuffix(".")
    return message[:1].lower() + message[1:]


def _usable_streams() -> None:
    """Exit 2 with one line when there is no stdout to write the report to; make stdout and
    stderr show what their encoding cannot (`PYTHONIOENCODING=latin-1`, a C locale) as escapes
    rather than fail half-way through a report."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            with contextlib.suppress(ValueError):  # a stream closed under us: caught below
                stream.reconfigure(errors="backslashreplace")
    if sys.stdout is None:  # started with file descriptor 1 closed
        if sys.stderr is not None:
            sys.stderr.write(
                "netlint: error: standard output is closed: nowhere to write the report\n"
            )
        sys.exit(2)


def entry() -> None:
    """The `netlint` command and `python -m netlint`: `main`, then a quick exit (`_exit_now`).
    Code that calls `main` itself gets its `SystemExit`, as from any command."""
    # Paused until the process leaves: resuming the collector after the run would first scan
    # every object the run built (4 ms of a one-file run, issue 31), only to exit.
    with collector_paused():
        try:
            main()
        except SystemExit as done:
            if sys.getprofile() is not None or sys.gettrace() is not None:
                raise  # a profiler or coverage measures this run: it writes its data after it
            _exit_now(done.code)


def _exit_now(code: object) -> NoReturn:
    """Leave as `sys.exit(code)` would, without freeing the run's objects one by one first: a
    run holds every object's data, findings and indexes until it ends, and tearing that heap
    down took 0.05-0.1 s after the report was written at 10k objects. What exit does besides
    is done here: the exit handlers run and the streams are flushed."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"), as Python prints it
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()  # pyright: ignore[reportPrivateUsage]  # the handlers exit would run
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a reader gone (`| head`), a closed stream
            status = status or 1
    os._exit(status)


def main() -> None:
    _usable_streams()
    try:
        with collector_paused():  # see the imports above
            cli.main(prog_name="netlint", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("netlint: aborted", err=True)
        sys.exit(130)
    except click.exceptions.UsageError as error:
        # One line in the style of every other usage error, not click's "Usage: ... Error:".
        command = error.ctx.command_path if error.ctx is not None else "netlint"
        click.echo(
            f"netlint: error: {_first_lower(error.format_message())} (see `{command} --help`)",
            err=True,
        )
        sys.exit(2)
    except click.exceptions.ClickException as error:
        click.echo(f"netlint: error: {_first_lower(error.format_message())}", err=True)
        sys.exit(2)
    except BrokenPipeError:
        # Output piped into `head`: not an error worth a traceback.
        sys.stderr.close()
        sys.exit(1)
    except OSError as error:
        if error.errno not in _OUTPUT_ERRORS:
            raise
        # stdout is a full disk, a device that fails, or was closed while running.
        click.echo(f"netlint: error: cannot write the report: {error.strerror or error}", err=True)
        sys.exit(2)
    except Exception as error:  # no traceback ever reaches a user (DESIGN §10)
        click.echo(
            f"netlint: internal error: {type(error).__name__}: {error}\n"
            "This is a bug in netlint: please report it with the command, the input that "
            f"triggered it and `netlint --version` ({__version__}).",
            err=True,
        )
        sys.exit(1)  # not 2: that is for usage and configuration errors only
    sys.exit(0)
