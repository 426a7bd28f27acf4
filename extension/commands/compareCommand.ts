/**
 * Hotpath: Compare with… — picks a baseline for the profile the editor shows (the previous run
 * of the same program, a saved profile, or any profile file) and paints each line's change from
 * it; Hotpath: Stop Comparing (or Clear Annotations) leaves the comparison.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RawProfile } from '../model/rawProfile';
import { PROFILE_EXTENSION } from '../run/profileStorage';
import { scriptLabel } from '../views/viewModel';
import { readProfile } from './profileFileIo';
import type { Services } from './services';

/** Saved profiles offered in the pick, the newest first. */
const MAX_SAVED = 20;

interface BaselineChoice extends vscode.QuickPickItem {
  pick: () => Promise<{ raw: RawProfile; label: string } | undefined>;
}

/** `target`: a saved profile (a Uri or an absolute path) from a keybinding, a test or an extension. */
export async function compareWith(services: Services, target?: vscode.Uri): Promise<void> {
  const { annotations } = services;
  const shown = annotations.current;
  if (!shown) {
    void vscode.window.showInformationMessage(
      'Hotpath: there is no profile to compare. Run or open one first, then compare it with another.',
    );
    return;
  }
  const chosen = target ? await fromFile(target) : await ask(services, shown.raw, shown.source);
  if (!chosen) return;
  // The same run as one shown here before: its own copy knows how the code was edited since.
  const baseline = annotations.history.sameRun(chosen.raw) ?? chosen.raw;
  if (baseline === shown.raw || sameRun(baseline, shown.raw)) {
    void vscode.window.showInformationMessage(
      'Hotpath: that is the profile shown. Pick an earlier run or another saved profile.',
    );
    return;
  }
  await annotations.compareWith(baseline, chosen.label);
  void vscode.window.showInformationMessage(
    `Hotpath: comparing with ${chosen.label}: slower lines are marked warm, faster ones cool. ` +
      '"Hotpath: Stop Comparing" goes back.',
  );
}

async function fromFile(uri: vscode.Uri): Promise<{ raw: RawProfile; label: string } | undefined> {
  const raw = await readProfile(uri);
  return raw && { raw, label: path.basename(uri.fsPath) };
}

async function ask(
  services: Services,
  raw: RawProfile,
  source: vscode.Uri | undefined,
): Promise<{ raw: RawProfile; label: string } | undefined> {
  const choices: BaselineChoice[] = [];
  const previous = services.annotations.history.previousRun(raw);
  if (previous) {
    const label = `the previous run of ${scriptLabel(previous.meta.argv)} (${clock(previous.meta.startedAt)})`;
    choices.push({
      label: `$(history) Previous run of ${scriptLabel(previous.meta.argv)}`,
      description: clock(previous.meta.startedAt),
      pick: () => Promise.resolve({ raw: previous, label }),
    });
  }
  const dir = await services.storage.dialogDir(source);
  for (const file of await savedProfiles(dir, source?.fsPath)) {
    choices.push({
      label: `$(file) ${path.basename(file.path)}`,
      description: new Date(file.mtimeMs).toLocaleString(),
      pick: () => fromFile(vscode.Uri.file(file.path)),
    });
  }
  choices.push({
    label: '$(folder-opened) Browse…',
    description: 'a .hotpath.json file',
    pick: async () => {
      const picked = await vscode.window.showOpenDialog({
        title: 'Hotpath: compare with the profile',
        canSelectMany: false,
        defaultUri: vscode.Uri.file(dir),
        filters: { 'Hotpath profiles': ['json'] },
      });
      return picked?.[0] && fromFile(picked[0]);
    },
  });
  const choice = await vscode.window.showQuickPick(choices, {
    title: 'Hotpath: compare the shown profile with…',
    placeHolder: 'The baseline: each line shows how much slower or faster it is now',
  });
  return choice?.pick();
}

/** The profiles saved in `dir`, newest first, without `exclude` (the one shown). */
async function savedProfiles(
  dir: string,
  exclude: string | undefined,
): Promise<{ path: string; mtimeMs: number }[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const files = await Promise.all(
    names
      .filter((name) => name.endsWith(PROFILE_EXTENSION))
      .map(async (name) => {
        const full = path.join(dir, name);
        const stat = await fs.stat(full).catch(() => undefined);
        return stat?.isFile() && full !== exclude ? { path: full, mtimeMs: stat.mtimeMs } : undefined;
      }),
  );
  return files
    .filter((f): f is { path: string; mtimeMs: number } => f !== undefined)
    .sort((a, b) => b.mtimeMs - a.mtimeMs)
    .slice(0, MAX_SAVED);
}

function sameRun(a: RawProfile, b: RawProfile): boolean {
  return a.meta.pid === b.meta.pid && a.meta.startedAt === b.meta.startedAt;
}

function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString();
}
