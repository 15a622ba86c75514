"""`netlint server`: a Language Server Protocol server over stdio (issue 29).

It lints the editor's open documents with the workspace as context, through the same engine,
configuration and filters as `netlint check` (the CLI builds the run: `setup.RunSetup`). Only
`app` imports pygls; the CLI imports this package inside the `server` command alone, so that
`netlint check` never pays for it.
"""
