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
import { createViewBuilder, ProfilePanels } from './panel/profilePanels';
import { ProfileStorage } from './run/profileStorage';
import { RunController } from './run/runController';
import { RunStatusBar } from './run/runProgress';

const PYTHON_FILES: vscode.DocumentSelector = [{ scheme: 'file', language: 'python' }];

/**
 * What `activate` returns to other extensions (and to the extension-host
 * tests): a read-only look at what the editor shows, since decorations
 * themselves cannot be read back through the VS Code API.
 */
export interface HotpathApi {
  readonly apiVersion: 1;
  /** The annotations shown for a file, in current line order; undefined when it has none. */
  annotations(uri: vscode.Uri): ShownLine[] | undefined;
  /** True while a profile runs. */
  readonly running: boolean;
}

export interface ShownLine {
  /** 1-based, after edits. */
  line: number;
  /** 1-based line in the profile. */
  profiledLine: number;
  level: number;
  inline: string | undefined;
  hot: boolean;
  stale: boolean;
}

export function activate(context: vscode.ExtensionContext): HotpathApi {
  const log = vscode.window.createOutputChannel('Hotpath', { log: true });
  // One worker thread builds the panels' views and the editor's annotations.
  const views = createViewBuilder(context.extensionUri);
  const annotations = new AnnotationController(views);
  const storage = new ProfileStorage(context);
  const statusBar = new RunStatusBar();
  const panels = new ProfilePanels(context.extensionUri, {
    loadProfile: async (id) =>
      id.startsWith('run:') ? undefined : loadProfile(await fs.readFile(id, 'utf8')),
    log: (message) => log.info(message),
    views,
  });
  const runs = new RunController(
    storage,
    annotations,
    statusBar,
    (profile, label) =>
      panels.show(profile, {
        profileId: profileId(profile, annotations.current?.source),
        label,
      }),
    (message) => log.info(message),
  );
  const services: Services = { context, runs, annotations, storage, panels, statusBar, log };

  context.subscriptions.push(
    log,
    annotations,
    { dispose: () => views.dispose() },
    statusBar,
    panels,
    runs,
    ...registerCommands(services),
    vscode.languages.registerCodeLensProvider(PYTHON_FILES, new FunctionLensProvider(annotations)),
    vscode.languages.registerHoverProvider(PYTHON_FILES, new LineHoverProvider(annotations)),
    panels.onDidChangeFilter((event) => {
      if (annotations.current?.raw === event.profile) void annotations.applyView(event.options);
    }),
    // Enforced in code as well as by `enablement`: nothing runs before the workspace is trusted.
    vscode.workspace.onDidGrantWorkspaceTrust(() => log.info('workspace trusted: profiling enabled')),
  );
  void vscode.commands.executeCommand('setContext', 'hotpath.running', false);
  void offerRecoveredSpills(services).catch((error: Error) => log.warn(`recovery: ${error.message}`));

  return {
    apiVersion: 1,
    annotations(uri) {
      const file = annotations.fileFor(uri);
      if (!file) return undefined;
      return [...file.lines.values()]
        .sort((a, b) => a.line - b.line)
        .map((l) => ({
          line: l.line,
          profiledLine: l.profiledLine,
          level: l.level,
          inline: l.inline,
          hot: l.hot,
          stale: file.stale,
        }));
    },
    get running() {
      return runs.running;
    },
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions (a running program is stopped by RunController).
}
