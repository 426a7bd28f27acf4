// Workspace Trust in a real workbench: code-server with trust left on (every other step runs with
// --disable-workspace-trust) opens a fresh copy of the examples, which a new profile has never
// trusted, without the startup prompt. suite/trust.test.js then runs inside that extension host
// (HOTPATH_E2E_UNTRUSTED=1): Profile Current File and Attach run nothing, Open Profile works
// (annotations, code lenses, and the panel page, which is read here while the test waits).
// The refusals are VS Code notifications, which the extension API cannot read back, so they are
// read here from the notification list the test leaves open.
import { writeFileSync } from 'node:fs';
import { runExtensionHostSuite } from './extensionHostSuite.mjs';

const TRUST_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
};

/** The refusal each run command must show, by its text and error code. */
const REFUSALS = [
  { what: 'Profile Current File', text: 'profiling runs the program' },
  { what: 'Attach to Process', text: 'attaching reads another program' },
  { what: 'Show Current Stacks', text: "showing a process's stacks reads another program" },
];

/** The panel page: webviews are two iframes deep; narrow to ours by the extension id. */
function panelFrame(page) {
  return page
    .frameLocator('iframe.webview.ready[src*="extensionId=hotpath.hotpath"]')
    .frameLocator('iframe#active-frame');
}

/**
 * The test asks (a `panel-check <file>` line) whether the panel shows the profile it opened, and
 * waits for the answer in `file`: the page must be read while its extension host still runs.
 */
async function answerPanelCheck(page, file) {
  let answer;
  try {
    const panel = panelFrame(page);
    await panel.locator('body.has-profile').waitFor({ timeout: 20_000 });
    const rows = await panel.locator('.tree-row', { hasText: 'is_prime' }).count();
    answer = rows > 0 ? { ok: true } : { ok: false, message: 'the panel has a profile but no is_prime row' };
  } catch (error) {
    answer = { ok: false, message: `the panel page shows no profile: ${error.message.split('\n')[0]}` };
  }
  writeFileSync(file, JSON.stringify(answer));
}

/** @param {import('playwright-core').Page} page */
async function notificationTexts(page) {
  const list = page.locator('.notifications-center .notification-list-item-message');
  await list.first().waitFor({ timeout: 10_000 });
  return list.allTextContents();
}

/**
 * @param {{ vsix: string, artifacts: string, results: import('./lib/results.mjs').Results }} options
 */
export async function runTrustSuite({ vsix, artifacts, results }) {
  await runExtensionHostSuite({
    vsix,
    artifacts,
    results,
    name: 'trust',
    server: {
      workspaceTrust: true,
      settings: TRUST_SETTINGS,
      env: { HOTPATH_E2E_ONLY: 'trust', HOTPATH_E2E_UNTRUSTED: '1' },
    },
    onLine: (line, page) => {
      const asked = /^\s*panel-check (\/.+)$/.exec(line);
      if (asked) void answerPanelCheck(page, asked[1]);
    },
    afterSuite: async (page) => {
      for (const refusal of REFUSALS) {
        await results.run(`trust: ${refusal.what} says why it runs nothing (HOTPATH_UNTRUSTED)`, async () => {
          const texts = await notificationTexts(page);
          const shown = texts.find((text) => text.includes(refusal.text));
          if (!shown || !shown.includes('[HOTPATH_UNTRUSTED]')) {
            throw new Error(
              `no notification with "${refusal.text}" and [HOTPATH_UNTRUSTED]; shown: ${JSON.stringify(texts)}`,
            );
          }
          const item = page.locator('.notifications-center .notification-list-item', {
            hasText: refusal.text,
          });
          const button = item.first().locator('.monaco-button', { hasText: 'Manage Workspace Trust' });
          if ((await button.count()) === 0)
            throw new Error(`the "${refusal.what}" refusal offers no "Manage Workspace Trust" button`);
        });
      }
      await results.run('trust: the flame button stays in the editor title to explain itself', async () => {
        await page.keyboard.press('Escape');
        const button = page.locator('.editor-actions .action-label[aria-label^="Profile Current File"]');
        await button.first().waitFor({ timeout: 10_000 });
      });
    },
  });
}
