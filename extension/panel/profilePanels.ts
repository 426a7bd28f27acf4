/**
 * The profile panels of one extension activation: one panel per profile
 * (titled `Hotpath: <script>`, opened beside the editor), restored after a
 * window reload by a WebviewPanelSerializer, kept in step with the editor's
 * cursor, and the source of filter events the editor annotations follow.
 *
 * Usage from the extension:
 *   const panels = new ProfilePanels(context.extensionUri, { loadProfile, log });
 *   context.subscriptions.push(panels);
 *   panels.onDidChangeFilter((e) => annotations.show(e.profile, e.options));
 *   panels.show(raw, { profileId: savedPath ?? runId });
 */
import * as vscode from 'vscode';
import type { RawProfile } from '../model/rawProfile';
import type { ViewOptions } from '../model/types';
import { PANEL_VIEW_TYPE, ProfilePanel, webviewOptions, type PanelHooks } from './profilePanel';
import type { FilterState, PanelState } from './protocol';
import { ViewBuilder } from './viewBuilder';
import { scriptLabel, viewOptionsFor } from './viewModel';

/** Cursor moves are sent to the page at most this often. */
const HIGHLIGHT_DELAY_MS = 120;

/** The view worker as the extension ships it (dist/viewWorker.js). */
export function createViewBuilder(extensionUri: vscode.Uri): ViewBuilder {
  return new ViewBuilder({
    workerPath: vscode.Uri.joinPath(extensionUri, 'dist', 'viewWorker.js').fsPath,
  });
}

export interface ProfilePanelsOptions {
  /** Re-opens a profile by id after a window reload (a saved profile's path); undefined when gone. */
  loadProfile?: (profileId: string) => Promise<RawProfile | undefined>;
  log?: (message: string) => void;
  /** The view worker, when shared with the editor's annotations; else the panels start their own. */
  views?: ViewBuilder;
}

export interface PanelFilterEvent {
  profileId: string;
  profile: RawProfile;
  filter: FilterState;
  /** The same filter as model options (library/start-up frames follow "show all"). */
  options: ViewOptions;
}

export interface PanelSelectEvent {
  profileId: string;
  file: string;
  line: number;
  name: string;
}

export interface ShowPanelOptions {
  /** Identity of the profile: panels are reused per id; a saved file path lets reload restore it. */
  profileId: string;
  /** Overrides the title's script name (default: taken from the profiled command line). */
  label?: string;
}

export class ProfilePanels implements vscode.Disposable {
  private readonly panels = new Map<string, ProfilePanel>();
  private readonly filterEmitter = new vscode.EventEmitter<PanelFilterEvent>();
  private readonly selectEmitter = new vscode.EventEmitter<PanelSelectEvent>();
  private readonly disposables: vscode.Disposable[] = [];
  private highlightTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly hooks: PanelHooks;
  /** Builds every panel's views on one worker thread, off the extension host's. */
  private readonly builder: ViewBuilder;
  /** A builder shared with the editor is disposed by whoever made it. */
  private readonly ownsBuilder: boolean;

  /** Fires when a panel's filter (time range, threads, mode, show all) changes. */
  readonly onDidChangeFilter = this.filterEmitter.event;
  /** Fires when a node or function is selected in a panel. */
  readonly onDidSelect = this.selectEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly options: ProfilePanelsOptions = {},
  ) {
    const log = options.log ?? (() => undefined);
    this.builder = options.views ?? createViewBuilder(extensionUri);
    this.ownsBuilder = options.views === undefined;
    this.hooks = {
      onFilter: (panel, filter) => {
        const profile = panel.profile;
        if (!profile) return;
        this.filterEmitter.fire({
          profileId: panel.profileId,
          profile,
          filter,
          options: viewOptionsFor(filter),
        });
      },
      onSelect: (panel, location) => this.selectEmitter.fire({ profileId: panel.profileId, ...location }),
      onDispose: (panel) => {
        if (this.panels.get(panel.profileId) === panel) this.panels.delete(panel.profileId);
      },
      log,
    };
    this.disposables.push(
      this.filterEmitter,
      this.selectEmitter,
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: (panel, state) => this.restore(panel, state as PanelState | undefined),
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => this.scheduleHighlight(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((editor) => this.scheduleHighlight(editor)),
    );
  }

  /** Opens (or brings forward) the panel for a profile and shows it. */
  show(profile: RawProfile, options: ShowPanelOptions): ProfilePanel {
    const existing = this.panels.get(options.profileId);
    if (existing) {
      existing.setProfile(profile);
      existing.reveal();
      return existing;
    }
    const title = panelTitle(options.label ?? scriptLabel(profile.meta.argv));
    const webviewPanel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { ...webviewOptions(this.extensionUri), retainContextWhenHidden: false },
    );
    const panel = new ProfilePanel(
      webviewPanel,
      this.extensionUri,
      options.profileId,
      profile,
      this.hooks,
      this.builder,
    );
    this.panels.set(options.profileId, panel);
    return panel;
  }

  /** The panel showing this profile, if one is open. */
  get(profileId: string): ProfilePanel | undefined {
    return this.panels.get(profileId);
  }

  /** Changes a panel's filter from the host side; the page and the editor follow. */
  setFilter(profileId: string, filter: FilterState): void {
    this.panels.get(profileId)?.setFilter(filter);
  }

  private async restore(webviewPanel: vscode.WebviewPanel, state: PanelState | undefined): Promise<void> {
    const profileId = state?.profileId ?? '';
    const panel = new ProfilePanel(
      webviewPanel,
      this.extensionUri,
      profileId,
      undefined,
      this.hooks,
      this.builder,
    );
    if (!profileId) {
      webviewPanel.dispose();
      return;
    }
    this.panels.get(profileId)?.panel.dispose();
    this.panels.set(profileId, panel);
    const profile = await this.options.loadProfile?.(profileId).catch((error: Error) => {
      this.hooks.log(`panel: could not reload profile ${profileId}: ${error.message}`);
      return undefined;
    });
    if (profile) {
      panel.setProfile(profile);
    } else {
      // A run that was never saved cannot come back after a reload: say so instead of an empty panel.
      webviewPanel.dispose();
      void vscode.window.showInformationMessage(
        `Hotpath: the profile "${state?.title ?? profileId}" is no longer available after the reload. ` +
          'Open a saved profile with "Hotpath: Open Profile…".',
      );
    }
  }

  private scheduleHighlight(editor: vscode.TextEditor | undefined): void {
    if (this.panels.size === 0) return;
    clearTimeout(this.highlightTimer);
    this.highlightTimer = setTimeout(() => {
      const location =
        editor && editor.document.uri.scheme === 'file'
          ? { file: editor.document.uri.fsPath, line: editor.selection.active.line + 1 }
          : undefined;
      for (const panel of this.panels.values()) panel.setHighlight(location);
    }, HIGHLIGHT_DELAY_MS);
  }

  dispose(): void {
    clearTimeout(this.highlightTimer);
    for (const panel of [...this.panels.values()]) panel.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
    if (this.ownsBuilder) this.builder.dispose();
  }
}

export function panelTitle(script: string): string {
  return `Hotpath: ${script}`;
}

/** Convenience for callers that hold the manager: open the panel for a profile. */
export function showProfilePanel(
  panels: ProfilePanels,
  profile: RawProfile,
  options: ShowPanelOptions,
): ProfilePanel {
  return panels.show(profile, options);
}
