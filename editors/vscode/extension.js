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
 * Whether `command` names a server that can be started: a path (absolute,
 * or with a directory in it) to a runnable file, or a name found in a
 * directory of PATH (with one of PATHEXT's endings on Windows). Looked for
 * before the client starts, so that a missing server is reported once, by
 * this extension with how to install it, and not also by the client.
 */
function found(command) {
  if (command.includes("/") || command.includes(path.sep)) return runnable(command);
  const endings =
    process.platform === "win32" ? ["", ...(process.env.PATHEXT || ".EXE;.CMD;.BAT").split(";")] : [""];
  return (process.env.PATH || "")
    .split(path.delimiter)
    .filter(Boolean)
    .some((dir) => endings.some((ending) => runnable(path.join(dir, command + ending))));
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
    synchronize: {
      // Calendars and definitions beside a rule file change what it means.
      fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{rules,calendar}"),
    },
  };
  const command = serverCommand();
  if (!found(command)) {
    notStarted(command, "it is not a file that can be run, nor a name found on PATH");
    return;
  }
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
