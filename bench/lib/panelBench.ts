/**
 * First paint of the panel with a 100,000-node call tree is measured by the
 * webview harness (test/e2e/webview-harness/harness.ts: the shipped page in
 * Chromium, fed by the real host-side view model). This runs it and reads
 * back, per theme, the host's view-model build time and the page's paint time.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { collectOutput } from './collectOutput';
import { REPO_DIR, scratchPath } from './paths';

export const PANEL_HARNESS = join(REPO_DIR, 'test', 'e2e', 'webview-harness', 'harness.ts');
const WEBVIEW_BUNDLE = join(REPO_DIR, 'dist', 'webview.js');
const TIMEOUT_MS = 600_000;

export interface PanelPaint {
  theme: string;
  /** Host side: building the view model message for the initial filter, ms. */
  hostBuildMs: number;
  /** Page side: from the profile message arriving to the first paint, ms. */
  paintMs: number;
}

export interface PanelBenchResult {
  command: string[];
  notMeasured?: string;
  paints: PanelPaint[];
  /** The harness's functional checks that failed (it prints FAIL lines). */
  failures: string[];
}

/** Reads the per-theme blocks of the harness output. */
export function parsePanelHarness(output: string): PanelPaint[] {
  const paints: PanelPaint[] = [];
  let theme = '';
  let hostBuildMs = NaN;
  for (const line of output.split('\n')) {
    const themeMatch = /^── (\w+) theme ──/.exec(line);
    if (themeMatch) {
      theme = themeMatch[1];
      hostBuildMs = NaN;
      continue;
    }
    const host = /^host: view model for .* nodes in (\d+) ms/.exec(line);
    if (host && theme && Number.isNaN(hostBuildMs)) hostBuildMs = Number(host[1]);
    const paint = /^page: first paint of the profile (\d+) ms after it arrived/.exec(line);
    if (paint && theme) paints.push({ theme, hostBuildMs, paintMs: Number(paint[1]) });
  }
  return paints;
}

export function runPanelBench(log: (line: string) => void): Promise<PanelBenchResult> {
  const command = [
    process.execPath,
    '--import',
    'tsx',
    'test/e2e/webview-harness/harness.ts',
    '--nodes',
    '100000',
  ];
  const missing = !existsSync(PANEL_HARNESS)
    ? 'test/e2e/webview-harness/harness.ts does not exist'
    : !existsSync(WEBVIEW_BUNDLE)
      ? 'dist/webview.js is not built (npm run build)'
      : undefined;
  if (missing) return Promise.resolve({ command, notMeasured: missing, paints: [], failures: [] });
  const argv = [...command, '--out', scratchPath('panel-screenshots')];
  return collectOutput(argv, REPO_DIR, TIMEOUT_MS).then(({ code, output, startError }) => {
    if (startError)
      return { command, notMeasured: `could not start: ${startError}`, paints: [], failures: [] };
    const paints = parsePanelHarness(output);
    const failures = output.split('\n').filter((l) => l.startsWith('FAIL'));
    for (const p of paints) {
      log(`  ${p.theme}: host view model ${p.hostBuildMs} ms, page first paint ${p.paintMs} ms`);
    }
    const tail = output.trim().split('\n').slice(-3).join(' / ');
    return {
      command,
      paints,
      failures,
      notMeasured: paints.length
        ? undefined
        : `the panel harness exited with code ${code} without a paint time: ${tail}`,
    };
  });
}
