// The client: starts `judgement-lsp` (the setting `judgement.server.path`,
// by default the name found on PATH) for .rules and .calendar files, and
// restarts it when asked or when the setting changes.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

/** The server's command: the setting, or the name looked for on PATH. */
function serverCommand() {
  const config = vscode.workspace.getConfiguration("judgement");
  return config.get("server.path") || "judgement-lsp";
}

function serverOptions() {
  // The server takes no arguments (crates/lsp/README.md).
  return { command: serverCommand(), args: [], transport: TransportKind.stdio };
}

/** Whether `file` is a file this process may run. */
function runnable(file) {
  try {
    fs.accessSync(file, process.platform === "win32" ? fs.constants.F_OK : fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch (_) {
    return false;
  }
}

/**
 * The folder the language client starts the server in: the first
 * workspace folder on disk, else this process's own. A relative
 * `judgement.server.path` is relative to it.
 */
function serverFolder() {
  const folder = (vscode.workspace.workspaceFolders || [])[0];
  return folder && folder.uri && folder.uri.scheme === "file" ? folder.uri.fsPath : process.cwd();
}

/**
 * The names `file` may be started by: on Windows, as Node starts a program
 * without a shell, the name as written where it has an ending of its own,
 * then with `.com` and `.exe` added; elsewhere the name as written.
 */
function startable(file) {
  if (process.platform !== "win32") return [file];
  const added = [`${file}.com`, `${file}.exe`];
  return path.extname(file) ? [file, ...added] : added;
}

/**
 * Whether `command` names a server that can be started: a path (absolute,
 * or with a directory in it, relative to `serverFolder()`) to a runnable
 * file, or a name found in a directory of PATH. Looked for before the
 * client starts, so that a missing server is reported once, by this
 * extension with how to install it, and not also by the client.
 */
function found(command) {
  if (command.includes("/") || command.includes(path.sep)) {
    return startable(path.resolve(serverFolder(), command)).some(runnable);
  }
  return (process.env.PATH || "")
    .split(path.delimiter)
    .filter(Boolean)
    // A relative directory of PATH is relative to where the server starts.
    .some((dir) => startable(path.resolve(serverFolder(), dir, command)).some(runnable));
}

function notStarted(command, why) {
  vscode.window.showErrorMessage(
    `judgement: the language server \`${command}\` did not start (${why}). ` +
      "Install it with `cargo install --path crates/lsp`, or set `judgement.server.path`."
  );
}

async function start(context) {
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "judgement-rules" },
      { scheme: "untitled", language: "judgement-rules" },
      { scheme: "file", language: "judgement-calendar" },
    ],
  };
  const command = serverCommand();
  if (!found(command)) {
    notStarted(command, "it is not a file that can be run, nor a name found on PATH");
    return;
  }
  // Calendars and definitions beside a rule file change what it means.
  clientOptions.synchronize = {
    fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{rules,calendar}"),
  };
  client = new LanguageClient(
    "judgement",
    "judgement language server",
    serverOptions(),
    clientOptions
  );
  try {
    await client.start();
  } catch (error) {
    notStarted(command, error.message || error);
  }
}

async function stop() {
  if (client) {
    const running = client;
    client = undefined;
    try {
      await running.stop();
    } catch (_) {
      // It was not running.
    }
  }
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand("judgement.restartServer", async () => {
      await stop();
      await start(context);
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("judgement.server")) {
        await stop();
        await start(context);
      }
    })
  );
  await start(context);
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
