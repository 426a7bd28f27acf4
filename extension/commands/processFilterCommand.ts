/**
 * Hotpath: Show Process…: which process of the shown profile the editor paints and the panel
 * shows (every process, their times added up, is the default). With the profile's panel open, the
 * choice is the panel's filter, so the page's process selector and the editor stay in step.
 */
import * as vscode from 'vscode';
import { processesOf } from '../model/rawProfile';
import type { ViewOptions } from '../model/types';
import { processesWithPython, processOfPid, processSummaries } from '../views/processSummaries';
import { profileId, type Services } from './services';

/** `choice`: `{ pid }` shows that process, `{ all: true }` every process; nothing: the user picks. */
export async function showProcess(
  services: Pick<Services, 'annotations' | 'panels'>,
  choice: { pid: number } | { all: true } | undefined,
): Promise<void> {
  const shown = services.annotations.current;
  if (!shown) {
    void vscode.window.showInformationMessage(
      'Hotpath: no profile yet. Profile a file or open a saved profile.',
    );
    return;
  }
  const { raw } = shown;
  const processes = processesOf(raw);
  // The processes that ran Python and those they ran under, as the panel's selector lists them.
  const listed = processesWithPython(processSummaries(raw) ?? []);
  if (listed.length < 2) {
    void vscode.window.showInformationMessage(
      'Hotpath: this profile has one process; there is nothing to choose.',
    );
    return;
  }
  let process: number | undefined;
  if (choice && 'pid' in choice) {
    process = processOfPid(raw, choice.pid);
    if (process === undefined) {
      void vscode.window.showErrorMessage(
        `Hotpath: no process with pid ${choice.pid} in this profile. Run Hotpath: Show Process… to pick one of its processes.`,
      );
      return;
    }
  } else if (!choice) {
    const current = shown.options.process;
    const picked = await vscode.window.showQuickPick(
      [
        {
          label: 'All processes',
          description: 'their times added up',
          process: undefined as number | undefined,
        },
        ...listed.map((p) => ({
          label: p.label,
          description: [p.ending, p.samples > 0 ? '' : (p.note ?? 'no Python samples')]
            .filter(Boolean)
            .join(' · '),
          detail: processes[p.index].argv.join(' '),
          process: p.index as number | undefined,
        })),
      ].map((item) => ({ ...item, picked: item.process === current })),
      { title: 'Hotpath: Show Process', placeHolder: 'The process whose time the editor and the panel show' },
    );
    if (!picked) return;
    process = picked.process;
  }
  const panel = services.panels.get(profileId(raw, shown.source));
  if (panel) {
    // The panel's filter paints the editor: both change together.
    const { threads: _threads, process: _process, ...rest } = panel.currentFilter;
    panel.setFilter(process === undefined ? rest : { ...rest, process });
    return;
  }
  const { threads: _threads, process: _process, ...rest } = shown.options;
  const options: ViewOptions = process === undefined ? rest : { ...rest, process };
  await services.annotations.applyView(options);
}
