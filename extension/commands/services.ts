/**
 * What the commands work with, created once in `activate` and passed to each
 * command module (no module-level singletons), and the one way a finished
 * profile is shown.
 */
import * as vscode from 'vscode';
import type { AnnotationController } from '../editor/annotationController';
import type { RawProfile } from '../model/rawProfile';
import type { ViewOptions } from '../model/types';
import type { ProfilePanels } from '../panel/profilePanels';
import { DEFAULT_FILTER } from '../views/protocol';
import { scriptLabel, viewOptionsFor } from '../views/viewModel';
import type { ProfileStorage } from '../run/profileStorage';
import type { RunController } from '../run/runController';
import type { RunStatusBar } from '../run/runProgress';
import type { CurrentStacks } from '../stacks/currentStacks';

export interface Services {
  context: vscode.ExtensionContext;
  runs: RunController;
  annotations: AnnotationController;
  storage: ProfileStorage;
  panels: ProfilePanels;
  statusBar: RunStatusBar;
  log: vscode.LogOutputChannel;
  /** Show Current Stacks: the view and the marks on the code. */
  stacks: CurrentStacks;
}

export interface PresentOptions {
  /** Where the profile is saved (a reload restores its panel from there). */
  source?: vscode.Uri;
  /** Source hashes at profile time; by default those stored for `source`. */
  hashes?: ReadonlyMap<string, string>;
  /** The panel's and status bar's name for it (default: the script's file name). */
  label?: string;
}

/**
 * Shows a profile everywhere: paints it onto the code, shows it in its
 * program's panel (a re-run replaces the profile there) and names it in the
 * status bar. Every finished run, opened file and "show again" comes here.
 * Resolves once the editor is painted.
 */
export function presentProfile(
  services: Pick<Services, 'annotations' | 'panels' | 'statusBar' | 'storage'>,
  profile: RawProfile,
  options: PresentOptions,
): Promise<void> {
  const panel = services.panels.show(profile, {
    profileId: profileId(profile, options.source),
    label: options.label,
  });
  // The panel kept the time mode or "show all" the user chose there for an earlier run.
  const filter = panel.currentFilter;
  const filtered = filter.mode !== DEFAULT_FILTER.mode || filter.showAll !== DEFAULT_FILTER.showAll;
  return paintProfile(
    services,
    profile,
    options.source,
    filtered ? viewOptionsFor(filter) : undefined,
    options.hashes,
  );
}

/**
 * Paints a profile (through a panel's filter when given) and names it in the
 * status bar: what a panel brought to the front does, too.
 */
export function paintProfile(
  services: Pick<Services, 'annotations' | 'statusBar' | 'storage'>,
  profile: RawProfile,
  source: vscode.Uri | undefined,
  viewOptions?: ViewOptions,
  hashes?: ReadonlyMap<string, string>,
  /** False while a run owns the status bar. */
  nameInStatusBar = true,
): Promise<void> {
  const { annotations } = services;
  const known =
    hashes ??
    (source
      ? services.storage.hashesFor(source.fsPath)
      : annotations.current?.raw === profile
        ? annotations.current.hashes
        : new Map<string, string>());
  const painted = annotations.show(profile, known, source, viewOptions);
  // The samples so far of a run (Show Profile Panel while it runs): the status bar stays the run's.
  if (nameInStatusBar && !profile.meta.live)
    services.statusBar.finished(scriptLabel(profile.meta.argv), profile.meta);
  return painted;
}

/**
 * Shows the samples so far of a running program: paints them (through the
 * filter of its program's panel, when that panel is open and filtered) and
 * updates that panel if it is open, without opening or revealing one. The
 * status bar stays the run's.
 */
export function presentLiveProfile(
  services: Pick<Services, 'annotations' | 'panels'>,
  profile: RawProfile,
  label: string,
): Promise<void> {
  const panel = services.panels.update(profile, { profileId: profileId(profile, undefined), label });
  const filter = panel?.currentFilter ?? DEFAULT_FILTER;
  const filtered = JSON.stringify(filter) !== JSON.stringify(DEFAULT_FILTER);
  return services.annotations.show(
    profile,
    new Map(),
    undefined,
    filtered ? viewOptionsFor(filter) : undefined,
  );
}

/** A saved profile is known by its path (a reload re-opens it), an unsaved run by its pid and start. */
export function profileId(profile: RawProfile, source: vscode.Uri | undefined): string {
  return source ? source.fsPath : `run:${profile.meta.pid}:${profile.meta.startedAt}`;
}

/** The saved file a profile id names, if it is one. */
export function sourceOf(id: string): vscode.Uri | undefined {
  return id.startsWith('run:') ? undefined : vscode.Uri.file(id);
}
