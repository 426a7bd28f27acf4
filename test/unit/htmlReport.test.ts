import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  jsonForScriptElement,
  profiledFiles,
  readReportSources,
  renderHtmlReport,
} from '../../extension/format/htmlReport';
import {
  REPORT_PROFILE_ID,
  REPORT_SOURCES_ID,
  type ReportSources,
} from '../../extension/format/htmlReportData';
import { loadProfile, saveProfile } from '../../extension/format/profileFile';
import { buildProfile } from './helpers/profileBuilder';

const BREAKOUT = '</script><script>window.__pwned=1</script><!--';

function profileIn(cwd: string) {
  const profile = buildProfile({
    samples: [
      { stack: ['main@app.py:1', 'work@app.py:3'], repeat: 5 },
      { stack: ['main@app.py:1', 'big@big.py:2'], repeat: 4 },
      { stack: ['main@app.py:1', 'gone@/nowhere/gone.py:7'], repeat: 3 },
      { stack: ['<module>@<frozen runpy>:1', 'dir@pkg:1'], repeat: 2 },
      { stack: ['main@app.py:1', 'bin@binary.py:1'], repeat: 1 },
      { stack: [`${BREAKOUT}@/nowhere/${BREAKOUT}.py:1`], repeat: 1 },
    ],
  });
  profile.meta.cwd = cwd;
  profile.meta.argv = ['python', `${BREAKOUT}.py`];
  return profile;
}

function workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hotpath-report-unit-'));
  writeFileSync(path.join(dir, 'app.py'), 'def main():\n    work()\n    x = 1\n');
  writeFileSync(path.join(dir, 'big.py'), `${'# padding\n'.repeat(20)}`);
  writeFileSync(path.join(dir, 'binary.py'), 'abc\0def');
  mkdirSync(path.join(dir, 'pkg'));
  return dir;
}

const ASSETS = { script: 'document.title;', style: 'body{margin:0}' };

describe('HTML report', () => {
  it('lists the profiled files by self time and embeds those it can read within the limits', async () => {
    const dir = workspace();
    const profile = profileIn(dir);
    assert.deepEqual(profiledFiles(profile).slice(0, 3), ['app.py', 'big.py', '/nowhere/gone.py']);
    const sources = await readReportSources(profile, { maxFileBytes: 100, maxTotalBytes: 1000 });
    const byFile = new Map(sources.files.map((f) => [f.file, f]));
    assert.equal(byFile.get('app.py')?.text, 'def main():\n    work()\n    x = 1\n', 'relative to the cwd');
    assert.equal(byFile.get('big.py')?.missing, 'too-large');
    assert.equal(byFile.get('/nowhere/gone.py')?.missing, 'missing');
    assert.equal(byFile.get('<frozen runpy>')?.missing, 'not-a-file');
    assert.equal(byFile.get('pkg')?.missing, 'unreadable', 'a directory');
    assert.equal(byFile.get('binary.py')?.missing, 'unreadable', 'a NUL byte');
    assert.equal(sources.files.length, new Set(profile.frameFile).size, 'every profiled file is listed');

    const budget = await readReportSources(profile, { maxFileBytes: 1000, maxTotalBytes: 50 });
    const app = budget.files.find((f) => f.file === 'app.py');
    const big = budget.files.find((f) => f.file === 'big.py');
    assert.ok(app?.text, 'the hottest file is embedded first');
    assert.equal(big?.missing, 'over-budget');
  });

  it('escapes JSON for a script element so that it reads back the same', () => {
    const value = { s: `${BREAKOUT} & > \u2028\u2029 "q" 'a'` };
    const safe = jsonForScriptElement(JSON.stringify(value));
    assert.doesNotMatch(safe, /[<>&\u2028\u2029]/);
    assert.deepEqual(JSON.parse(safe), value);
  });

  it('writes one page: data blocks that parse back, a policy with the hashes of its own code, no markup from the profile', () => {
    const profile = profileIn('/nowhere');
    const sources: ReportSources = {
      writtenAt: 1,
      files: [{ file: `/nowhere/${BREAKOUT}.py`, text: `x = "${BREAKOUT}"\n` }],
    };
    const html = renderHtmlReport(profile, sources, ASSETS);
    const hash = (text: string) => createHash('sha256').update(text).digest('base64');
    assert.match(
      html,
      new RegExp(
        `<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; ` +
          `script-src &#39;sha256-${hash(ASSETS.script).replace(/[+/]/g, '\\$&')}&#39;; ` +
          `style-src &#39;sha256-${hash(ASSETS.style).replace(/[+/]/g, '\\$&')}&#39;; img-src data:; ` +
          `base-uri &#39;none&#39;; form-action &#39;none&#39;">`,
      ),
    );
    assert.equal(html.match(/<script/g)?.length, 3, 'two data blocks and the page script');
    assert.equal(html.match(/<\/script>/g)?.length, 3);
    assert.ok(!html.includes(BREAKOUT), 'the hostile string never appears as markup');
    assert.match(html, /<title>Hotpath: script&gt;&lt;!--.py<\/title>/, 'the script name, escaped');
    const block = (id: string) =>
      new RegExp(`<script type="application/json" id="${id}">([^<]*)</script>`).exec(html)?.[1] ?? '';
    assert.equal(
      saveProfile(loadProfile(block(REPORT_PROFILE_ID))),
      saveProfile(profile),
      'the profile, whole',
    );
    assert.deepEqual(JSON.parse(block(REPORT_SOURCES_ID)), sources);
  });

  it('refuses a page bundle that would end its own element', () => {
    const profile = profileIn('/nowhere');
    const sources: ReportSources = { writtenAt: 1, files: [] };
    assert.throws(
      () => renderHtmlReport(profile, sources, { script: 'x = "</script>"', style: '' }),
      /cannot be inlined/,
    );
    assert.throws(
      () => renderHtmlReport(profile, sources, { script: '', style: '</style>' }),
      /cannot be inlined/,
    );
  });
});
