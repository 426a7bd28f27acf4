import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { contentSecurityPolicy, createNonce, panelHtml } from '../../extension/panel/panelHtml';

const inputs = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.css',
  nonce: 'abc123',
};

describe('panel HTML', () => {
  it('allows nothing by default and scripts only with the nonce', () => {
    const csp = contentSecurityPolicy(inputs.cspSource, 'n0');
    const directives = Object.fromEntries(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values];
      }),
    );
    assert.deepEqual(directives['default-src'], ["'none'"]);
    assert.deepEqual(directives['script-src'], ["'nonce-n0'"]);
    assert.deepEqual(directives['style-src'], [inputs.cspSource, "'nonce-n0'"]);
    assert.deepEqual(directives['img-src'], [inputs.cspSource, 'data:']);
    assert.deepEqual(directives['font-src'], [inputs.cspSource]);
    assert.ok(!csp.includes('unsafe'), 'no unsafe-inline or unsafe-eval');
  });

  it('loads the bundle and stylesheet with the nonce and inlines no script', () => {
    const html = panelHtml(inputs);
    assert.match(html, /<script nonce="abc123" src="[^"]+\/dist\/webview\.js"><\/script>/);
    assert.match(html, /<link rel="stylesheet" nonce="abc123" href="[^"]+\/dist\/webview\.css">/);
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.ok(html.includes("script-src 'nonce-abc123'"));
  });

  it('escapes attribute values', () => {
    const html = panelHtml({ ...inputs, scriptUri: 'x"><script>alert(1)</script>' });
    assert.equal(html.match(/<script/g)?.length, 1);
  });

  it('makes a fresh nonce each time', () => {
    const a = createNonce();
    assert.match(a, /^[A-Za-z0-9]{20,}$/);
    assert.notEqual(a, createNonce());
  });
});
