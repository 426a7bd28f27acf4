/**
 * Open Profile… and Export Profile…: profile files in and out. Loading goes
 * through the format's validating reader, so a corrupt or hostile file ends
 * in a message, never in the editor or the panel.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  EXPORT_FORMATS,
  EXPORT_SUFFIX,
  type ExportFormat,
  renderExport,
  usesViewOptions,
} from '../format/exportFormats';
import { exportViewOptions } from '../format/exportPaths';
import { loadProfile } from '../format/profileFile';
import type { RawProfile } from '../model/rawProfile';
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
    return await loadProfileFile(uri.fsPath);
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'HOTPATH_PROFILE_UNREADABLE';
    void vscode.window.showErrorMessage(
      `Hotpath: cannot open ${path.basename(uri.fsPath)}: ${(error as Error).message} [${code}]`,
    );
    return undefined;
  }
}

/** Reads and validates a profile file; throws with a `code` when it is not usable. */
export async function loadProfileFile(file: string): Promise<RawProfile> {
  const stat = await fs.stat(file);
  if (stat.size > MAX_PROFILE_BYTES) {
    throw Object.assign(
      new Error(`the file is ${Math.round(stat.size / 2 ** 20)} MB, more than Hotpath opens`),
      {
        code: 'HOTPATH_PROFILE_TOO_LARGE',
      },
    );
  }
  return loadProfile(await fs.readFile(file, 'utf8'));
}

interface ExportChoice extends vscode.QuickPickItem {
  format?: ExportFormat;
  hideLibrary?: boolean;
}

const FORMAT_LABELS: Record<ExportFormat, { label: string; description: string; reader: string }> = {
  speedscope: {
    label: 'Speedscope',
    description: '.speedscope.json',
    reader: 'speedscope.app and other flame graph viewers',
  },
  collapsed: {
    label: 'Collapsed stacks',
    description: '.collapsed.txt',
    reader: "Brendan Gregg's flamegraph.pl, inferno, and many other tools",
  },
  pprof: {
    label: 'pprof',
    description: '.pb.gz',
    reader: 'go tool pprof, Grafana Pyroscope, Parca and other continuous profilers',
  },
  cpuprofile: {
    label: 'Chrome CPU profile',
    description: '.cpuprofile',
    reader: "VS Code's own profile viewers (flame graph, table), Chrome DevTools, speedscope",
  },
  firefox: {
    label: 'Firefox Profiler',
    description: '.firefox.json',
    reader: 'profiler.firefox.com: a track per thread, running and waiting time',
  },
  html: {
    label: 'HTML report',
    description: '.html',
    reader: 'any web browser, offline: the panel and the profiled source painted per line, in one file',
  },
};

/** Every format twice: with every frame (the default: data for other tools), and as the editor shows it. */
function exportChoices(): ExportChoice[] {
  const formats = EXPORT_FORMATS;
  return [
    ...formats.map((format) => ({
      ...FORMAT_LABELS[format],
      detail: `Every sample, every frame — ${FORMAT_LABELS[format].reader}`,
      format,
      hideLibrary: false,
    })),
    { label: 'Library frames merged into their callers', kind: vscode.QuickPickItemKind.Separator },
    ...formats.filter(usesViewOptions).map((format) => ({
      ...FORMAT_LABELS[format],
      label: `${FORMAT_LABELS[format].label}, your code only`,
      detail: 'Every sample; standard-library and site-packages frames merged into the code that called them',
      format,
      hideLibrary: true,
    })),
  ];
}

/** What to export and where, when given with the command (keybindings, other extensions, tests). */
export interface ExportRequest {
  format: ExportFormat;
  hideLibrary: boolean;
  /** Absolute path of the file to write. */
  target: string;
}

export async function exportProfile(services: Services, request?: ExportRequest): Promise<void> {
  const shown = services.annotations.current;
  if (!shown) {
    void vscode.window.showInformationMessage(
      'Hotpath: there is no profile to export. Run or open one first.',
    );
    return;
  }
  const chosen = request ?? (await askExport(services, shown.source));
  if (!chosen) return;
  // The whole profile, whatever the panel's time mode, range or threads show: every sample.
  const options = exportViewOptions(chosen.hideLibrary);
  try {
    const distDir = vscode.Uri.joinPath(services.context.extensionUri, 'dist').fsPath;
    await fs.writeFile(chosen.target, await renderExport(chosen.format, shown.raw, options, { distDir }));
    void vscode.window.showInformationMessage(`Hotpath: exported to ${chosen.target}`);
  } catch (error) {
    void vscode.window.showErrorMessage(
      `Hotpath: export failed: ${(error as Error).message} [HOTPATH_EXPORT_FAILED]`,
    );
  }
}

async function askExport(
  services: Services,
  source: vscode.Uri | undefined,
): Promise<ExportRequest | undefined> {
  const choice = await vscode.window.showQuickPick(exportChoices(), {
    title: 'Hotpath: export the profile as',
  });
  const format = choice?.format;
  if (!format) return undefined;
  const suffix = EXPORT_SUFFIX[format];
  const stem = source ? path.basename(source.fsPath).replace(/\.hotpath\.json$/, '') : 'profile';
  const base = path.join(await services.storage.dialogDir(source), stem);
  const target = await vscode.window.showSaveDialog({
    title: 'Hotpath: export the profile',
    defaultUri: vscode.Uri.file(base + suffix),
  });
  if (!target) return undefined;
  return { format, hideLibrary: choice.hideLibrary === true, target: target.fsPath };
}
