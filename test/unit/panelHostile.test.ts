/**
 * The panel against hostile input, without a browser: the page's
 * Content-Security-Policy, the HTML shell with hostile inputs, and a profile
 * full of hostile strings going through the real file format and view model
 * unchanged (escaping belongs to the page's DOM calls, not to the data).
 * test/e2e/webview-harness/hostilePanel.ts renders the same profile in Chromium.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadProfile, saveProfile } from '../../extension/format/profileFile';
import { contentSecurityPolicy, panelHtml } from '../../extension/panel/panelHtml';
import { buildProfileMessage } from '../../extension/views/viewModel';
import {
  HOSTILE_FUNCTIONS,
  hostileProfile,
  IMG_ONERROR,
  SCRIPT_BREAKOUT,
} from '../e2e/webview-harness/hostileProfile';

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...values] = d.split(/\s+/);
        return [name, values] as [string, string[]];
      }),
  );
}

describe('panel Content-Security-Policy', () => {
  const csp = directives(contentSecurityPolicy(CSP_SOURCE, 'N0nce'));

  it("denies everything by default: default-src 'none'", () => {
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
  });

  it('runs scripts only by nonce: no host, no unsafe-inline, no unsafe-eval', () => {
    assert.deepEqual(csp.get('script-src'), ["'nonce-N0nce'"]);
    for (const [name, values] of csp) {
      for (const value of values) {
        assert.ok(!/unsafe-(inline|eval|hashes)|wasm-unsafe-eval/.test(value), `${name} allows ${value}`);
        assert.notEqual(value, '*', `${name} allows any origin`);
        assert.ok(
          !/^(https?|data|blob|filesystem):?$/.test(value) || name === 'img-src',
          `${name} allows ${value}`,
        );
      }
    }
  });

  it('allows no connections, frames, objects, workers or form targets beyond the default', () => {
    for (const name of ['connect-src', 'frame-src', 'child-src', 'object-src', 'worker-src', 'form-action']) {
      assert.equal(csp.has(name), false, `${name} is widened`);
    }
  });

  it('keeps a hostile nonce and resource URIs inside their attributes', () => {
    const html = panelHtml({
      cspSource: `${CSP_SOURCE} "><script>window.__pwned=1</script>`,
      scriptUri: `x" onerror="window.__pwned=1`,
      styleUri: `${SCRIPT_BREAKOUT}`,
      nonce: `n"><script>alert(1)</script>`,
    });
    assert.equal(html.match(/<script/g)?.length, 1, 'exactly one script element');
    assert.equal(/\sonerror="/.test(html), false, 'no event handler attribute');
    assert.ok(
      html.includes('src="x&quot; onerror=&quot;window.__pwned=1"'),
      'the URI stays one attribute value',
    );
    assert.equal(html.match(/<meta http-equiv="Content-Security-Policy"/g)?.length, 1);
  });
});

describe('hostile profile strings through the host', () => {
  it('is a valid profile: saved and loaded by the real format with every string intact', () => {
    const raw = hostileProfile();
    const loaded = loadProfile(saveProfile(raw));
    assert.deepEqual(loaded.strings, raw.strings);
    assert.deepEqual(loaded.threads, raw.threads);
    assert.deepEqual(loaded.meta.argv, raw.meta.argv);
  });

  it('reaches the page unescaped and complete (the page escapes by using textContent)', () => {
    const raw = loadProfile(saveProfile(hostileProfile()));
    const message = buildProfileMessage(
      raw,
      { mode: 'wall', showAll: true },
      { profileId: 'p', title: IMG_ONERROR },
    );
    // The page gets JSON over postMessage: compare what survives that trip.
    const sent = JSON.parse(JSON.stringify(message)) as typeof message;
    const strings = new Set(sent.view.strings);
    for (const fn of HOSTILE_FUNCTIONS) {
      assert.ok(
        strings.has(fn.name),
        `function name ${JSON.stringify(fn.name.slice(0, 40))} reaches the page`,
      );
      assert.ok(strings.has(fn.file), `file ${JSON.stringify(fn.file.slice(0, 40))} reaches the page`);
    }
    assert.equal(sent.header.title, IMG_ONERROR);
  });
});

describe('panel page source', () => {
  const dir = path.resolve(__dirname, '../../webview');
  const sources = readdirSync(dir)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => ({ name, text: readFileSync(path.join(dir, name), 'utf8') }));

  it('never parses strings as HTML or code', () => {
    const sinks =
      /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\s*\(|new Function\s*\(|createContextualFragment|DOMParser|srcdoc/;
    for (const { name, text } of sources) {
      const hit = text.match(sinks);
      assert.equal(hit, null, `webview/${name} uses ${hit?.[0]}`);
    }
  });

  it('sets no event-handler attributes, links or URLs from data', () => {
    const risky = /setAttribute\(\s*['"](on\w+|href|src|xlink:href|action|formaction)['"]|\.(href|src)\s*=/;
    for (const { name, text } of sources) {
      const hit = text.match(risky);
      assert.equal(hit, null, `webview/${name} sets ${hit?.[0]}`);
    }
  });
});
