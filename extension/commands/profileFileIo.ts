/**
 * Open Profile… and Export Profile…: profile files in and out. Loading goes
 * through the format's validating reader, so a corrupt or hostile file ends
 * in a message, never in the editor or the panel.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { exportCollapsed } from '../format/collapsed';
import { loadProfile } from '../format/profileFile';
import { exportSpeedscope } from '../format/speedscope';
import type { RawProfile } from '../model/rawProfile';
import type { ViewOptions } from '../model/types';
import { presentProfile, type Services } from './services';

/** Profile files bigger than this are refused before reading (a 30-minute run at 1 kHz is ~100 MB). */
const MAX_PROFILE_BYTES = 1024 * 1024 * 1024;

export async function openProfile(services: Services, target?: vscode.Uri): Promise<void> {
  let uri = target;
  if (!uri) {
    const picked = await vscode.window.showOpenDialog({
      title: 'Hotpath: open a profile',
      canSelectMany: false,
      defaultUri: vscode.Uri.file(
        await services.storage.dialogDir(vscode.window.activeTextEditor?.document.uri),
      ),
      filters: { 'Hotpath profiles': ['json'] },
    });
    uri = picked?.[0];
  }
  if (!uri) return;
  const profile = await readProfile(uri);
  if (!profile) return;
  await presentProfile(services, profile, { source: uri });
}

/** Reads and validates a profile file; shows the error and returns undefined when it is not usable. */
export async function readProfile(uri: vscode.Uri): Promise<RawProfile | undefined> {
  try {
    const stat = await fs.stat(uri.fsPath);
    if (stat.size > MAX_PROFILE_BYTES) {
      throw Object.assign(
        new Error(`the file is ${Math.round(stat.size / 2 ** 20)} MB, more than Hotpath opens`),
        {
          code: 'HOTPATH_PROFILE_TOO_LARGE',
        },
      );
    }
    return loadProfile(await fs.readFile(uri.fsPath, 'utf8'));
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'HOTPATH_PROFILE_UNREADABLE';
    void vscode.window.showErrorMessage(
      `Hotpath: cannot open ${path.basename(uri.fsPath)}: ${(error as Error).message} [${code}]`,
    );
    return undefined;
  }
}

type ExportFormat = 'speedscope' | 'collapsed';

export async function exportProfile(services: Services): Promise<void> {
  const shown = services.annotations.current;
  if (!shown) {
    void vscode.window.showInformationMessage(
      'Hotpath: there is no profile to export. Run or open one first.',
    );
    return;
  }
  const format = await vscode.window.showQuickPick(
    [
      {
        label: 'Speedscope',
        description: '.speedscope.json',
        detail: 'Opens in speedscope.app and other flame graph viewers',
        format: 'speedscope' as ExportFormat,
      },
      {
        label: 'Collapsed stacks',
        description: '.collapsed.txt',
        detail: "Brendan Gregg's flamegraph.pl, inferno, and many other tools",
        format: 'collapsed' as ExportFormat,
      },
    ],
    { title: 'Hotpath: export the profile as' },
  );
  if (!format) return;
  const suffix = format.format === 'speedscope' ? '.speedscope.json' : '.collapsed.txt';
  const stem = shown.source ? path.basename(shown.source.fsPath).replace(/\.hotpath\.json$/, '') : 'profile';
  const base = path.join(await services.storage.dialogDir(shown.source), stem);
  const target = await vscode.window.showSaveDialog({
    title: 'Hotpath: export the profile',
    defaultUri: vscode.Uri.file(base + suffix),
  });
  if (!target) return;
  const options: ViewOptions = shown.options;
  try {
    const text =
      format.format === 'speedscope'
        ? exportSpeedscope(shown.raw, options)
        : exportCollapsed(shown.raw, options);
    await fs.writeFile(target.fsPath, text, 'utf8');
    void vscode.window.showInformationMessage(`Hotpath: exported to ${target.fsPath}`);
  } catch (error) {
    void vscode.window.showErrorMessage(
      `Hotpath: export failed: ${(error as Error).message} [HOTPATH_EXPORT_FAILED]`,
    );
  }
}
