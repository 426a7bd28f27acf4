/**
 * The panel's HTML shell: a strict Content-Security-Policy with a per-load
 * nonce, the bundled stylesheet and script, and an empty #app the script
 * fills. No profile data is ever written here — it arrives by postMessage.
 * vscode-free so the policy is unit-tested.
 */
import { randomBytes } from 'node:crypto';

export interface PanelHtmlInputs {
  /** webview.cspSource */
  cspSource: string;
  /** webview.asWebviewUri(...) of dist/webview.js and dist/webview.css, as strings. */
  scriptUri: string;
  styleUri: string;
  /** Defaults to a fresh random nonce. */
  nonce?: string;
}

export function createNonce(): string {
  return randomBytes(18).toString('base64').replace(/[+/=]/g, '');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function panelHtml(inputs: PanelHtmlInputs): string {
  const nonce = inputs.nonce ?? createNonce();
  const attr = escapeAttribute;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(inputs.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${attr(nonce)}" href="${attr(inputs.styleUri)}">
<title>Hotpath profile</title>
</head>
<body>
<div id="app"></div>
<script nonce="${attr(nonce)}" src="${attr(inputs.scriptUri)}"></script>
</body>
</html>`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
