/**
 * Entry point: creates the services once and gives every disposable to
 * `context.subscriptions`. Nothing runs until a command is invoked, except
 * offering profiles recovered from an interrupted run.
 */
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { offerRecoveredSpills } from './commands/recoverSpills';
import { registerCommands } from './commands/registerCommands';
import { profileId, type Services } from './commands/services';
import { AnnotationController } from './editor/annotationController';
import { FunctionLensProvider } from './editor/functionLenses';
import { LineHoverProvider } from './editor/lineHover';
import { loadProfile } from './format/profileFile';
import { ProfilePanels } from './panel/profilePanels';
import { ProfileStorage } from './run/profileStorage';
import { RunController } from './run/runController';
import { RunStatusBar } from './run/runProgress';

const PYTHON_FILES: vscode.DocumentSelector = [{ scheme: 'file', language: 'python' }];

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Hotpath', { log: true });
  const annotations = new AnnotationController();
  const storage = new ProfileStorage(context);
  const statusBar = new RunStatusBar();
  const panels = new ProfilePanels(context.extensionUri, {
    loadProfile: async (id) =>
      id.startsWith('run:') ? undefined : loadProfile(await fs.readFile(id, 'utf8')),
    log: (message) => log.info(message),
  });
  const runs = new RunController(storage, annotations, statusBar, (profile, label) =>
    panels.show(profile, {
      profileId: profileId(profile, annotations.current?.source),
      label,
    }),
  );
  const services: Services = { context, runs, annotations, storage, panels, statusBar, log };

  context.subscriptions.push(
    log,
    annotations,
    statusBar,
    panels,
    runs,
    ...registerCommands(services),
    vscode.languages.registerCodeLensProvider(PYTHON_FILES, new FunctionLensProvider(annotations)),
    vscode.languages.registerHoverProvider(PYTHON_FILES, new LineHoverProvider(annotations)),
    panels.onDidChangeFilter((event) => {
      if (annotations.current?.raw === event.profile) annotations.applyView(event.options);
    }),
    // Enforced in code as well as by `enablement`: nothing runs before the workspace is trusted.
    vscode.workspace.onDidGrantWorkspaceTrust(() => log.info('workspace trusted: profiling enabled')),
  );
  void vscode.commands.executeCommand('setContext', 'hotpath.running', false);
  void offerRecoveredSpills(services).catch((error: Error) => log.warn(`recovery: ${error.message}`));
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions (a running program is stopped by RunController).
}
