/**
 * What the commands work with, created once in `activate` and passed to each
 * command module (no module-level singletons).
 */
import type * as vscode from 'vscode';
import type { AnnotationController } from '../editor/annotationController';
import type { RawProfile } from '../model/rawProfile';
import type { ProfilePanels } from '../panel/profilePanels';
import type { ProfileStorage } from '../run/profileStorage';
import type { RunController } from '../run/runController';
import type { RunStatusBar } from '../run/runProgress';

export interface Services {
  context: vscode.ExtensionContext;
  runs: RunController;
  annotations: AnnotationController;
  storage: ProfileStorage;
  panels: ProfilePanels;
  statusBar: RunStatusBar;
  log: vscode.LogOutputChannel;
}

/** Shows a profile everywhere: annotations in the editors and the panel. */
export function presentProfile(
  services: Services,
  profile: RawProfile,
  options: { source?: vscode.Uri; hashes?: ReadonlyMap<string, string>; label?: string },
): void {
  void services.annotations.show(profile, options.hashes ?? new Map(), options.source);
  services.panels.show(profile, { profileId: profileId(profile, options.source), label: options.label });
}

/** Panels are reused per profile: a saved file by its path, an unsaved run by its pid and start. */
export function profileId(profile: RawProfile, source: vscode.Uri | undefined): string {
  return source ? source.fsPath : `run:${profile.meta.pid}:${profile.meta.startedAt}`;
}
