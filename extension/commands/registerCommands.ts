/**
 * Every command the extension contributes, bound to its implementation. The ids are
 * contributions/commandIds.ts's, which a unit test checks against package.json.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandId, RevealLocationArgs } from '../contributions/commandIds';
import { isExportFormat } from '../format/exportFormats';
import { revealSource } from '../panel/revealSource';
import { attachToProcess, type AttachTarget } from './attachCommand';
import { compareWith } from './compareCommand';
import { type ExportRequest, exportProfile, openProfile } from './profileFileIo';
import { showProcess } from './processFilterCommand';
import { profileFile } from './profileFileCommands';
import { profileTests } from './profileTestCommands';
import { presentProfile, profileId, type Services } from './services';
import { refreshCurrentStacks, showCurrentStacks } from './stacksCommand';
import { parseFunctionKey } from '../model/profileIndex';

export function registerCommands(services: Services): vscode.Disposable[] {
  const { runs, annotations, panels } = services;
  const guarded =
    <A extends unknown[]>(name: string, run: (...args: A) => Promise<void> | void) =>
    async (...args: A) => {
      try {
        await run(...args);
      } catch (error) {
        services.log.error(`${name}: ${(error as Error).stack ?? String(error)}`);
        void vscode.window.showErrorMessage(
          `Hotpath: ${name} failed: ${(error as Error).message} [HOTPATH_INTERNAL]. Details are in the Hotpath output.`,
        );
      }
    };
  // Arguments reach a command from menus, keybindings, links and other extensions: each handler
  // takes them as `unknown` and checks them, whatever commandIds.ts says its own callers pass.
  const register = (id: CommandId, run: (...args: unknown[]) => Promise<void> | void) =>
    vscode.commands.registerCommand(id, guarded(id, run));

  return [
    register('hotpath.profileFile', (uri?: unknown) => profileFile(services, asUri(uri))),
    register('hotpath.profileFileWithArgs', (uri?: unknown, args?: unknown) =>
      profileFile(services, asUri(uri), isStringArray(args) ? { kind: 'given', args } : { kind: 'ask' }),
    ),
    register('hotpath.profileTest', (uri?: unknown, testPath?: unknown) =>
      profileTests(
        services,
        asUri(uri),
        isStringArray(testPath) && testPath.length > 0 ? testPath : undefined,
      ),
    ),
    register('hotpath.profileTestsInFile', (uri?: unknown) => profileTests(services, asUri(uri), undefined)),
    register('hotpath.attach', (options?: unknown) => attachToProcess(services, asAttachOptions(options))),
    register('hotpath.stop', () => runs.stop()),
    // Keeps the program running and counts from now on (one request at a time, for a server).
    register('hotpath.reset', () => runs.reset()),
    register('hotpath.showStacks', (options?: unknown) => showCurrentStacks(services.stacks, asPid(options))),
    register('hotpath.refreshStacks', () => refreshCurrentStacks(services.stacks)),
    register('hotpath.closeStacks', () => services.stacks.close()),
    register('hotpath.showProcess', (choice?: unknown) => showProcess(services, asProcessChoice(choice))),
    // Takes the paint away and keeps the profile: Show Panel, Export and the status bar still have it.
    register('hotpath.clearAnnotations', () => annotations.clear()),
    register('hotpath.compareWith', (baseline?: unknown) => compareWith(services, asProfileUri(baseline))),
    register('hotpath.stopComparing', () => annotations.stopComparing()),
    register('hotpath.openProfile', (uri?: unknown) => openProfile(services, asUri(uri))),
    register('hotpath.exportProfile', (request?: unknown) =>
      exportProfile(services, asExportRequest(request)),
    ),
    register('hotpath.showPanel', () => {
      const shown = annotations.current;
      if (!shown) {
        void vscode.window.showInformationMessage(
          'Hotpath: no profile yet. Profile a file or open a saved profile.',
        );
        return;
      }
      void presentProfile(services, shown.raw, { source: shown.source, hashes: shown.hashes });
    }),
    register('hotpath.showLastProfile', () => {
      const shown = annotations.current;
      if (shown) void presentProfile(services, shown.raw, { source: shown.source, hashes: shown.hashes });
    }),
    register('hotpath.revealLocation', async (args?: unknown) => {
      const location = args as Partial<RevealLocationArgs> | undefined;
      if (typeof location?.path !== 'string' || typeof location.line !== 'number') return;
      await revealSource(location.path, location.line, '/', undefined);
    }),
    register('hotpath.revealFunction', (key?: unknown) => {
      const shown = annotations.current;
      const fn = parseFunctionKey(key);
      if (!shown || !fn) return;
      const panel = panels.show(shown.raw, { profileId: profileId(shown.raw, shown.source) });
      const path = annotations.resolve(fn.file);
      if (path) panel.setHighlight({ file: path, line: fn.firstLine });
    }),
  ];
}

/** A profile file given as a Uri or an absolute path (keybindings, tests); anything else means "ask". */
function asProfileUri(value: unknown): vscode.Uri | undefined {
  if (typeof value === 'string' && path.isAbsolute(value)) return vscode.Uri.file(value);
  return asUri(value);
}

/** Menus pass the clicked resource; the palette passes nothing. */
function asUri(value: unknown): vscode.Uri | undefined {
  return value instanceof vscode.Uri ? value : undefined;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** `{ pid, durationS? }` from a keybinding or another extension; anything else means "ask". */
/** `{ format: one of EXPORT_FORMATS, hideLibrary?: boolean, target: '/abs/path' }`, else ask. */
function asExportRequest(value: unknown): ExportRequest | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { format, hideLibrary, target } = value as Record<string, unknown>;
  if (!isExportFormat(format)) return undefined;
  if (typeof target !== 'string' || !path.isAbsolute(target)) return undefined;
  return { format, hideLibrary: hideLibrary === true, target };
}

/** `{ pid }` from a keybinding, another extension or a test; anything else means "ask". */
function asPid(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { pid } = value as Record<string, unknown>;
  return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function asProcessChoice(value: unknown): { pid: number } | { all: true } | undefined {
  if (typeof value === 'object' && value !== null && (value as Record<string, unknown>).all === true)
    return { all: true };
  const pid = asPid(value);
  return pid === undefined ? undefined : { pid };
}

function asAttachOptions(value: unknown): AttachTarget | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { pid, durationS } = value as Record<string, unknown>;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return undefined;
  const duration = typeof durationS === 'number' && durationS > 0 ? durationS : undefined;
  return { pid, durationS: duration };
}
