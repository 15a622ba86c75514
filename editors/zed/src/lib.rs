//! Registers `netlint server`, netlint's language server, with Zed. Everything the server does
//! is netlint's; this only says how to start it and hands it Zed's `lsp.netlint` settings.

use zed_extension_api::{self as zed, settings::LspSettings, LanguageServerId, Result};

struct Netlint;

/// The user's `lsp.netlint` settings for the worktree (none given: the defaults).
fn settings_of(language_server_id: &LanguageServerId, worktree: &zed::Worktree) -> LspSettings {
    LspSettings::for_worktree(language_server_id.as_ref(), worktree).unwrap_or_default()
}

impl zed::Extension for Netlint {
    fn new() -> Self {
        Netlint
    }

    /// `netlint server` from the worktree's PATH, unless `lsp.netlint.binary` names another.
    fn language_server_command(
        &mut self,
        language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = settings_of(language_server_id, worktree).binary;
        let command = match binary.as_ref().and_then(|binary| binary.path.clone()) {
            Some(path) => path,
            None => worktree.which("netlint").ok_or_else(|| {
                "netlint is not on PATH: pip install 'netlint-k8s[server]'".to_string()
            })?,
        };
        let args = binary
            .and_then(|binary| binary.arguments)
            .unwrap_or_else(|| vec!["server".to_string()]);
        Ok(zed::Command {
            command,
            args,
            env: worktree.shell_env(),
        })
    }

    /// `lsp.netlint.initialization_options`: netlint's initializationOptions.
    fn language_server_initialization_options(
        &mut self,
        language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        Ok(settings_of(language_server_id, worktree).initialization_options)
    }

    /// `lsp.netlint.settings`: what the server reads with workspace/configuration.
    fn language_server_workspace_configuration(
        &mut self,
        language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        Ok(settings_of(language_server_id, worktree).settings)
    }
}

zed::register_extension!(Netlint);
