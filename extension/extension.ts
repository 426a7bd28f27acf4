/**
 * Entry point: creates the services once and gives every disposable to
 * `context.subscriptions`. Nothing runs until a command is invoked, except
 * offering profiles recovered from an interrupted run.
 */
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { registerLanguageModelTools } from './agent/languageModelTools';
import { panelKey } from './panel/panelKey';
import { offerRecoveredSpills } from './commands/recoverSpills';
import { registerCommands } from './commands/registerCommands';
import {
  paintProfile,
  presentLiveProfile,
  presentProfile,
  sourceOf,
  type Services,
} from './commands/services';
import { AnnotationController } from './editor/annotationController';
import { FunctionLensProvider } from './editor/functionLenses';
import { LineHoverProvider } from './editor/lineHover';
import { TestLensProvider } from './editor/testLenses';
import { loadProfile } from './format/profileFile';
import type { RawProfile } from './model/rawProfile';
import type { ViewOptions } from './model/types';
import { createViewBuilder, ProfilePanels } from './panel/profilePanels';
import { viewOptionsFor } from './views/viewModel';
import { ProfileStorage } from './run/profileStorage';
import { RunController } from './run/runController';
import { RunStatusBar } from './run/runProgress';
import type { StackDump } from './session/stackDump';
import { CurrentStacks } from './stacks/currentStacks';

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
  /** The open profile panels: one per profiled program. */
  panels(): ShownPanel[];
  /** The stacks Show Current Stacks shows (of the process picked); undefined when none. */
  stacks(): StackDump | undefined;
  /**
   * Every process Show Current Stacks shows, parents first: the one picked, then (under
   * `hotpath.followSubprocesses`) its descendants, each with its stacks or a note saying why it
   * has none; undefined when none is shown.
   */
  stackProcesses(): ShownStackProcess[] | undefined;
  /** The current stacks' marks on a file, in line order; empty when it has none. */
  stackMarks(uri: vscode.Uri): ShownStackMark[];
}

export interface ShownStackProcess {
  pid: number;
  ppid: number;
  argv: string[];
  /** Its stacks; for a gone process, the last ones read. */
  dump?: StackDump;
  /** Why it has no stacks (not Python, gone, an unsupported version). */
  note?: string;
  /** It has gone since the stacks shown were read, at this time (hh:mm:ss). */
  goneAfter?: string;
}

export interface ShownStackMark {
  /** 1-based. */
  line: number;
  state: 'running' | 'waiting';
  /** The text after the line: `MainThread (pid 1234): waiting in Event.wait · …`. */
  label: string;
}

export interface ShownPanel {
  /** The title as the tab shows it. */
  title: string;
  /** The profile shown: a saved file's path, or `run:…` for a run that was not saved. */
  profileId: string;
  /** True when the editor shows this panel's profile. */
  painting: boolean;
  /** The process its filter shows (an index into the profile's processes); undefined: all. */
  process: number | undefined;
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
  /** While comparing with a baseline: the change level (−3 faster … 3 slower), its text and status. */
  change?: { level: number; label: string; status: string };
}

export function activate(context: vscode.ExtensionContext): HotpathApi {
  const log = vscode.window.createOutputChannel('Hotpath', { log: true });
  // One worker thread builds the panels' views and the editor's annotations.
  const views = createViewBuilder(context.extensionUri);
  // "The previous run" of a profile is the one of its program, as its panel is.
  const annotations = new AnnotationController(views, (raw) =>
    panelKey(raw.meta, `${raw.meta.pid}:${raw.meta.startedAt}`),
  );
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
    (profile, options) => presentProfile({ annotations, panels, statusBar, storage }, profile, options),
    (message) => log.info(message),
    (profile, label) => presentLiveProfile({ annotations, panels }, profile, label),
  );
  const stacks = new CurrentStacks();
  const services: Services = { context, runs, annotations, storage, panels, statusBar, log, stacks };
  /** A panel paints the editor with its profile: brought to the front, or its filter changed. */
  const testLenses = new TestLensProvider();
  const paintFromPanel = (profile: RawProfile, id: string, options: ViewOptions | undefined) =>
    void paintProfile(services, profile, sourceOf(id), options, undefined, !runs.running);

  context.subscriptions.push(
    log,
    annotations,
    { dispose: () => views.dispose() },
    statusBar,
    panels,
    runs,
    stacks,
    ...registerCommands(services),
    ...registerLanguageModelTools(services),
    vscode.languages.registerCodeLensProvider(PYTHON_FILES, new FunctionLensProvider(annotations)),
    vscode.languages.registerHoverProvider(PYTHON_FILES, new LineHoverProvider(annotations)),
    testLenses,
    vscode.languages.registerCodeLensProvider(PYTHON_FILES, testLenses),
    vscode.workspace.onDidCloseTextDocument((document) => testLenses.forget(document)),
    panels.onDidChangeFilter((event) => paintFromPanel(event.profile, event.profileId, event.options)),
    panels.onDidComeToFront((event) =>
      paintFromPanel(
        event.profile,
        event.profileId,
        event.filtered ? viewOptionsFor(event.filter) : undefined,
      ),
    ),
    // Panels whose profile the editor does not show say so in their title.
    annotations.onDidChange(() => {
      panels.setPainted(annotations.painted?.raw);
      // The panel of a profile the editor compares shows the change, too.
      panels.setComparison(annotations.painted?.raw, annotations.comparedWith);
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
          change: l.change && { level: l.change.level, label: l.change.label, status: l.change.status },
        }));
    },
    get running() {
      return runs.running;
    },
    stacks: () => stacks.current,
    stackProcesses: () =>
      stacks.processes?.map(({ pid, ppid, argv, dump, note, goneAfter }) => ({
        pid,
        ppid,
        argv,
        dump,
        note,
        goneAfter,
      })),
    stackMarks: (uri) =>
      uri.scheme === 'file'
        ? stacks.marksOn(uri.fsPath).map(({ line, state, label }) => ({ line, state, label }))
        : [],
    panels() {
      return panels.all().map((panel) => ({
        title: panel.panel.title,
        profileId: panel.profileId,
        painting: panel.profile !== undefined && panel.profile === annotations.painted?.raw,
        process: panel.currentFilter.process,
      }));
    },
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions (a running program is stopped by RunController).
}
