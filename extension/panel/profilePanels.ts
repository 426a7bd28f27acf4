/**
 * The profile panels of one extension activation: one panel per profiled
 * program (titled `Hotpath: <script>`; a re-run replaces its profile), opened
 * beside the editor without taking the keyboard from it, restored after a
 * window reload by a WebviewPanelSerializer, kept in step with the editor's
 * cursor, and the source of the events the editor annotations follow: the
 * panel brought to the front paints the editor, and its filter repaints it.
 *
 * Usage from the extension:
 *   const panels = new ProfilePanels(context.extensionUri, { loadProfile, log });
 *   context.subscriptions.push(panels);
 *   panels.onDidChangeFilter((e) => annotations.applyView(e.options));
 *   panels.onDidComeToFront((e) => annotations.show(e.profile, …));
 *   panels.show(raw, { profileId: savedPath ?? runId });
 */
import * as vscode from 'vscode';
import type { RawProfile } from '../model/rawProfile';
import type { ViewOptions } from '../model/types';
import { panelKey } from './panelKey';
import { PANEL_VIEW_TYPE, ProfilePanel, webviewOptions, type PanelHooks } from './profilePanel';
import { DEFAULT_FILTER, type FilterState, type PanelState } from '../views/protocol';
import { ViewBuilder } from '../views/viewBuilder';
import { scriptLabel, viewOptionsFor } from '../views/viewModel';

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

export interface PanelFrontEvent {
  profileId: string;
  profile: RawProfile;
  filter: FilterState;
  /** False while the panel shows the filter every profile starts with (the user's settings apply). */
  filtered: boolean;
}

export interface PanelSelectEvent {
  profileId: string;
  file: string;
  line: number;
  name: string;
}

export interface ShowPanelOptions {
  /** Identity of the profile: a saved file path lets a reload restore it. */
  profileId: string;
  /** Overrides the title's script name (default: taken from the profiled command line). */
  label?: string;
}

export class ProfilePanels implements vscode.Disposable {
  private readonly panels = new Map<string, ProfilePanel>();
  private readonly filterEmitter = new vscode.EventEmitter<PanelFilterEvent>();
  private readonly selectEmitter = new vscode.EventEmitter<PanelSelectEvent>();
  private readonly frontEmitter = new vscode.EventEmitter<PanelFrontEvent>();
  /** The profile the editor shows (see setPainted). */
  private painted: RawProfile | undefined;
  /** Panels that were visible at their last view-state change. */
  private readonly visible = new WeakSet<ProfilePanel>();
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
  /**
   * Fires when a panel comes to the front of its group or takes the focus,
   * and when a reload restored a visible panel: the editor shows its profile.
   */
  readonly onDidComeToFront = this.frontEmitter.event;

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
        if (this.panels.get(panel.key) === panel) this.panels.delete(panel.key);
      },
      log,
    };
    this.disposables.push(
      this.filterEmitter,
      this.selectEmitter,
      this.frontEmitter,
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: (panel, state) => this.restore(panel, state as PanelState | undefined),
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => this.scheduleHighlight(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((editor) => this.scheduleHighlight(editor)),
    );
  }

  /**
   * Shows a profile in its program's panel, opening one beside the editor if
   * there is none; the keyboard stays where it was.
   */
  show(profile: RawProfile, options: ShowPanelOptions): ProfilePanel {
    const key = panelKey(profile.meta, options.profileId);
    const title = panelTitle(options.label ?? scriptLabel(profile.meta.argv));
    const existing = this.panels.get(key);
    // The keyboard stays in the editor that was run; the page may try to take it as it loads.
    const editor = vscode.window.activeTextEditor;
    if (existing) {
      // A hidden panel's page loads again when revealed; a visible one keeps its page.
      if (!existing.panel.visible) existing.returnFocusOnLoad(editor);
      existing.setProfile(profile, options.profileId, title);
      existing.setPainting(profile === this.painted);
      existing.reveal();
      this.visible.add(existing);
      return existing;
    }
    const webviewPanel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      title,
      { viewColumn: this.column(), preserveFocus: true },
      { ...webviewOptions(this.extensionUri), retainContextWhenHidden: false },
    );
    const panel = this.adopt(webviewPanel, key, options.profileId, profile);
    panel.setPainting(profile === this.painted);
    panel.returnFocusOnLoad(editor);
    this.visible.add(panel);
    return panel;
  }

  /**
   * Shows newer samples of a running program in its panel if one is open (the
   * live view), keeping the panel's filter; never opens or reveals a panel.
   */
  update(profile: RawProfile, options: ShowPanelOptions): ProfilePanel | undefined {
    const panel = this.panels.get(panelKey(profile.meta, options.profileId));
    if (!panel) return undefined;
    const title = panelTitle(options.label ?? scriptLabel(profile.meta.argv));
    panel.setProfile(profile, options.profileId, title, true);
    panel.setPainting(profile === this.painted);
    return panel;
  }

  /** Every open panel. */
  all(): ProfilePanel[] {
    return [...this.panels.values()];
  }

  /** The panel showing this profile, if one is open. */
  get(profileId: string): ProfilePanel | undefined {
    return [...this.panels.values()].find((panel) => panel.profileId === profileId);
  }

  /** Changes a panel's filter from the host side; the page and the editor follow. */
  setFilter(profileId: string, filter: FilterState): void {
    this.get(profileId)?.setFilter(filter);
  }

  /** The panel showing `profile` colours its views by the change from `baseline`; the others stop. */
  setComparison(
    profile: RawProfile | undefined,
    baseline: { raw: RawProfile; label: string } | undefined,
  ): void {
    for (const panel of this.panels.values())
      panel.setBaseline(profile !== undefined && panel.profile === profile ? baseline : undefined);
  }

  /** Marks which panel's profile the editor shows (the others say so in their title). */
  setPainted(profile: RawProfile | undefined): void {
    this.painted = profile;
    for (const panel of this.panels.values()) panel.setPainting(panel.profile === profile);
  }

  /**
   * Where a new panel goes: beside the other panels when there are any, else
   * into an editor group other than the active one when there are two, else
   * a new group beside the editor; never over the editor being worked in, and
   * never a third column while two will do.
   */
  private column(): vscode.ViewColumn {
    // Not over the editor the user works in (the panel would hide it).
    const editing = vscode.window.activeTextEditor?.viewColumn;
    for (const panel of this.panels.values()) {
      const column = panel.panel.viewColumn;
      if (column !== undefined && column !== editing) return column;
    }
    const groups = vscode.window.tabGroups.all;
    const active = vscode.window.tabGroups.activeTabGroup;
    const other = groups.filter((group) => group !== active && group.viewColumn !== editing).pop();
    return other ? other.viewColumn : vscode.ViewColumn.Beside;
  }

  private adopt(
    webviewPanel: vscode.WebviewPanel,
    key: string,
    profileId: string,
    profile: RawProfile | undefined,
  ): ProfilePanel {
    const panel = new ProfilePanel(
      webviewPanel,
      this.extensionUri,
      key,
      profileId,
      profile,
      this.hooks,
      this.builder,
    );
    this.panels.set(key, panel);
    const viewState = webviewPanel.onDidChangeViewState(({ webviewPanel: changed }) => {
      const wasVisible = this.visible.has(panel);
      if (changed.visible) this.visible.add(panel);
      else this.visible.delete(panel);
      if (changed.visible && (!wasVisible || changed.active)) this.toFront(panel);
    });
    webviewPanel.onDidDispose(() => viewState.dispose());
    return panel;
  }

  private toFront(panel: ProfilePanel): void {
    const profile = panel.profile;
    if (!profile) return;
    const filter = panel.currentFilter;
    this.frontEmitter.fire({
      profileId: panel.profileId,
      profile,
      filter,
      filtered: JSON.stringify(filter) !== JSON.stringify(DEFAULT_FILTER),
    });
  }

  private async restore(webviewPanel: vscode.WebviewPanel, state: PanelState | undefined): Promise<void> {
    const profileId = state?.profileId ?? '';
    if (!profileId) {
      webviewPanel.dispose();
      return;
    }
    const profile = await this.options.loadProfile?.(profileId).catch((error: Error) => {
      this.hooks.log(`panel: could not reload profile ${profileId}: ${error.message}`);
      return undefined;
    });
    if (!profile) {
      // A run that was never saved cannot come back after a reload: say so instead of an empty panel.
      webviewPanel.dispose();
      void vscode.window.showInformationMessage(
        `Hotpath: the profile "${state?.title ?? profileId}" is no longer available after the reload. ` +
          'Open a saved profile with "Hotpath: Open Profile…".',
      );
      return;
    }
    const key = panelKey(profile.meta, profileId);
    // Two panels of one program (left by an older version): the one restored last stays.
    this.panels.get(key)?.panel.dispose();
    const panel = this.adopt(webviewPanel, key, profileId, undefined);
    // The restored page focuses itself as it loads: the editor the reload gave the keyboard keeps it.
    panel.returnFocusOnLoad('visible');
    panel.setProfile(profile);
    if (webviewPanel.visible) {
      this.visible.add(panel);
      // The reload brought the panel back: the editor's paint comes back with it.
      this.toFront(panel);
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
