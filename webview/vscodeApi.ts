/**
 * The page's handle on VS Code, typed locally: the webview runtime injects
 * `acquireVsCodeApi`, which may be called exactly once per page.
 */
import type { HostToWebview, PanelState, WebviewToHost } from '../extension/views/protocol';

export interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): PanelState | undefined;
  setState(state: PanelState): void;
}

declare function acquireVsCodeApi(): {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
};

let api: VsCodeApi | undefined;

export function vscodeApi(): VsCodeApi {
  if (!api) {
    const raw = acquireVsCodeApi();
    api = {
      postMessage: (m) => raw.postMessage(m),
      getState: () => (raw.getState() as PanelState | undefined) ?? undefined,
      setState: (s) => raw.setState(s),
    };
  }
  return api;
}

export type { HostToWebview };
