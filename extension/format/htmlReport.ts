/**
 * The standalone HTML report: one file holding the panel page (the same
 * webview bundle, built with an in-page host as dist/report.js and
 * dist/report.css), the profile as `.hotpath.json` and the profiled source
 * files, for people who do not use VS Code. It opens from `file://` with no
 * network: everything is inline, and a Content-Security-Policy allows only the
 * page's own script and stylesheet (by hash) — nothing remote, no eval.
 *
 * Profile data never reaches the markup: the profile and the sources sit in
 * `<script type="application/json">` blocks (never run) with every `<`, `>`
 * and `&` escaped, and the page writes what it reads with `textContent`.
 * vscode-free: the CLI and "Export Profile…" both call `buildHtmlReport`.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { resolveProfilePath } from '../model/sourceFiles';
import { buildLineTable } from '../model/lineTable';
import { createView } from '../model/processors';
import type { RawProfile } from '../model/rawProfile';
import { scriptLabel } from '../views/viewModel';
import {
  REPORT_LIMITS,
  REPORT_PROFILE_ID,
  REPORT_SOURCES_ID,
  type ReportSource,
  type ReportSources,
} from './htmlReportData';
import { saveProfile } from './profileFile';

/** The report page's bundle, as `npm run build` writes it into dist/. */
export interface ReportAssets {
  script: string;
  style: string;
}

export async function readReportAssets(distDir: string): Promise<ReportAssets> {
  try {
    const [script, style] = await Promise.all([
      fs.readFile(path.join(distDir, 'report.js'), 'utf8'),
      fs.readFile(path.join(distDir, 'report.css'), 'utf8'),
    ]);
    return { script, style };
  } catch (error) {
    throw Object.assign(
      new Error(
        `the HTML report's page is missing from ${distDir} (${(error as Error).message}); ` +
          'reinstall Hotpath, or run `npm run build` in a source checkout',
      ),
      { code: 'HOTPATH_REPORT_PAGE_MISSING' },
    );
  }
}

/** Every file the profile's frames name, the ones with the most self time first. */
export function profiledFiles(profile: RawProfile): string[] {
  const view = createView(profile, { mode: 'wall', hideLibrary: false, hideStartup: false });
  const selfUs = new Map<string, number>();
  for (const f of profile.frameFile) selfUs.set(profile.strings[f], 0);
  for (const [file, lines] of buildLineTable(view).files) {
    let sum = 0;
    for (const stats of lines.values()) sum += stats.selfUs;
    selfUs.set(file, sum);
  }
  return [...selfUs.keys()].sort((a, b) => selfUs.get(b)! - selfUs.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Reads the profiled files that exist, within REPORT_LIMITS, and says why each other one is not
 * there. A relative path is taken from the profiled program's working directory.
 */
export async function readReportSources(profile: RawProfile, limits = REPORT_LIMITS): Promise<ReportSources> {
  const files: ReportSource[] = [];
  let total = 0;
  for (const file of profiledFiles(profile)) {
    const full = resolveProfilePath(file, profile.meta.cwd);
    if (full === undefined) {
      files.push({ file, missing: 'not-a-file' });
      continue;
    }
    let size: number;
    try {
      const stat = await fs.stat(full);
      if (!stat.isFile()) {
        files.push({ file, missing: 'unreadable' });
        continue;
      }
      size = stat.size;
    } catch (error) {
      const code = (error as { code?: string }).code;
      files.push({ file, missing: code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'unreadable' });
      continue;
    }
    if (size > limits.maxFileBytes) {
      files.push({ file, missing: 'too-large' });
      continue;
    }
    if (total + size > limits.maxTotalBytes) {
      files.push({ file, missing: 'over-budget' });
      continue;
    }
    try {
      const text = await fs.readFile(full, 'utf8');
      // A NUL byte means a binary file that happens to carry a .py name: not worth painting.
      if (text.includes('\0')) {
        files.push({ file, missing: 'unreadable' });
        continue;
      }
      total += size;
      files.push({ file, text });
    } catch {
      files.push({ file, missing: 'unreadable' });
    }
  }
  return { writtenAt: Date.now(), files };
}

/**
 * JSON made safe inside a `<script type="application/json">` element: the HTML parser ends that
 * element at `</script` and treats `<!--` specially, so no `<` may appear; `>` and `&` are escaped
 * too so the text holds no markup at all, and U+2028/U+2029 so it is also a valid JS string. Each
 * is a JSON string escape (they can only occur inside strings), so JSON.parse reads the same value.
 */
export function jsonForScriptElement(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * The page's inline code must not be able to end its own element early; esbuild's output never
 * holds these, and a bundle that did would be cut short by the parser, so refuse it.
 */
function checkInline(text: string, tag: 'script' | 'style'): string {
  if (new RegExp(`</${tag}|<!--`, 'i').test(text))
    throw Object.assign(
      new Error(`the report page's ${tag} cannot be inlined: it contains </${tag} or <!--`),
      {
        code: 'HOTPATH_REPORT_PAGE_INVALID',
      },
    );
  return text;
}

/** The policy: the page's own script and stylesheet by hash; no network, no eval, no plugins, no forms. */
export function reportContentSecurityPolicy(assets: ReportAssets): string {
  return [
    "default-src 'none'",
    `script-src ${sha256(assets.script)}`,
    `style-src ${sha256(assets.style)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function renderHtmlReport(profile: RawProfile, sources: ReportSources, assets: ReportAssets): string {
  const script = checkInline(assets.script, 'script');
  const style = checkInline(assets.style, 'style');
  const title = `Hotpath: ${scriptLabel(profile.meta.argv)}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(reportContentSecurityPolicy(assets))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="generator" content="Hotpath">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body class="hotpath-report">
<div id="app"></div>
<script type="application/json" id="${REPORT_PROFILE_ID}">${jsonForScriptElement(saveProfile(profile))}</script>
<script type="application/json" id="${REPORT_SOURCES_ID}">${jsonForScriptElement(JSON.stringify(sources))}</script>
<script>${script}</script>
</body>
</html>
`;
}

/** The whole report of `profile`: the page from `distDir`, the sources from disk. */
export async function buildHtmlReport(profile: RawProfile, distDir: string): Promise<string> {
  const [assets, sources] = await Promise.all([readReportAssets(distDir), readReportSources(profile)]);
  return renderHtmlReport(profile, sources, assets);
}
