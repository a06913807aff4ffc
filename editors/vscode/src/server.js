'use strict';
// How the language server is started, kept apart from the `vscode` module
// so that it can be run outside the editor: `smc lsp` over stdio.

/**
 * The server options of vscode-languageclient for a configuration section
 * `smdl` (anything with get(key, default), as WorkspaceConfiguration).
 * No transport is named: a command then speaks over its stdin and stdout
 * as it is, where naming stdio would add a `--stdio` argument.
 */
function serverOptions(config) {
    const command = config.get('server.path', 'smc') || 'smc';
    const extra = config.get('server.args', []);
    if (!Array.isArray(extra) || !extra.every((a) => typeof a === 'string'))
        throw new Error('smdl.server.args must be an array of strings');
    return { command, args: ['lsp', ...extra] };
}

module.exports = { serverOptions };
