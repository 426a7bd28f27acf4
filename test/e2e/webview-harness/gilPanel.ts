/**
 * The panel on a threaded program recorded in GIL mode: the shipped page in Chromium at
 * 1400×900, answered by the real host view model, fed profiles that went through the profile
 * file (saved and loaded again, format 3). The header says the run was taken in GIL time and the
 * page opens in it; the mode switch offers GIL and the timeline's legend its band; Hide GC takes
 * the `<GC>` rows out of the tree and Wall clock brings the sleeping thread's time back. A
 * profile from before the record (format 2) offers no GIL mode and no band.
 *
 *   npm run build && node --import tsx test/e2e/webview-harness/gilPanel.ts [--out DIR]
 *
 * Prints `ok`/`FAIL` per check; any failure sets the exit code. The ui e2e step runs it.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { loadProfile, saveProfile } from '../../../extension/format/profileFile';
import type { RawProfile } from '../../../extension/model/rawProfile';
import type { FilterState, SetProfileMessage } from '../../../extension/views/protocol';
import { buildProfileMessage, startingMode } from '../../../extension/views/viewModel';
import { buildProfile } from '../../unit/helpers/profileBuilder';
import { Checks, openFresh, outDir, runPageScript } from './harnessCommon';

const OUT = outDir('webview-gil');
const APP = '/work/app/convoy.py';
const checks = new Checks();
const check = (ok: boolean, what: string) => checks.check(ok, what);

/** Two threads taking turns at the GIL (one collecting garbage now and then), one asleep. */
function convoy(): RawProfile {
  const turns = [];
  for (let i = 0; i < 20; i++) {
    const first = i % 2 === 0;
    turns.push(
      { stack: [`spin@${APP}:10`], thread: 1, gil: first, repeat: 5 },
      {
        stack: [`churn@${APP}:20`, ...(i % 5 === 0 ? ['<GC>@<interpreter>:0'] : [])],
        thread: 2,
        gil: !first,
        repeat: 5,
      },
      { stack: [`nap@${APP}:30`], thread: 3, gil: false, onCpu: false, repeat: 5 },
    );
  }
  const profile = buildProfile({
    threads: [{ name: 'MainThread' }, { name: 'spinner' }, { name: 'churner' }, { name: 'sleeper' }],
    firstLines: { '<GC>@<interpreter>': 0 },
    samples: [{ stack: [`main@${APP}:40`], thread: 0, gil: false, onCpu: false, repeat: 100 }, ...turns],
  });
  return { ...profile, meta: { ...profile.meta, mode: 'gil' } };
}

const RAW = loadProfile(saveProfile(convoy()));
/** The same run as a format-2 file: no GIL record, no mode. */
const OLD = (() => {
  const file = JSON.parse(saveProfile(RAW));
  file.version = 2;
  return loadProfile(JSON.stringify(file));
})();

function messageFor(filter: FilterState | undefined, profile: string): SetProfileMessage {
  const raw = profile === 'old' ? OLD : RAW;
  // A first look opens in the mode the run was taken in, as the panel host does.
  const first: FilterState = { mode: startingMode(raw, 'wall'), showAll: true };
  return buildProfileMessage(raw, filter ?? first, { profileId: profile, title: 'Hotpath: convoy.py' });
}

async function treeRows(page: Page): Promise<string[]> {
  await page.locator('.tree-row').first().click();
  await page.keyboard.press('*');
  await page.waitForTimeout(100);
  return page.$$eval('.tree-row', (rs) => rs.map((r) => r.textContent ?? ''));
}

async function gilChecks(page: Page, url: string): Promise<void> {
  await openFresh(page, `${url}?profile=gil`);
  const taken = await page.locator('.fact', { hasText: 'Taken in' }).textContent();
  check(taken?.includes('GIL time') === true, `the header says the run was taken in GIL time: ${taken}`);
  const gil = page.locator('button.segment', { hasText: 'GIL' });
  check(await gil.isVisible(), 'the mode switch offers GIL');
  check((await gil.getAttribute('aria-checked')) === 'true', 'the page opens in GIL mode');
  const legend = page.locator('.timeline-legend span', { hasText: 'holds the GIL' });
  check(await legend.isVisible(), 'the legend names the GIL band');
  let rows = await treeRows(page);
  check(
    rows.some((r) => r.includes('spin')) &&
      rows.some((r) => r.includes('<GC>')) &&
      !rows.some((r) => r.includes('nap')),
    `GIL time: the holders and <GC>, not the sleeper: ${JSON.stringify(rows)}`,
  );
  await page.screenshot({ path: path.join(OUT, 'gil-1-mode.png') });

  await page.locator('label', { hasText: 'Hide GC' }).click();
  await page.waitForFunction(
    () => !Array.from(document.querySelectorAll('.tree-row')).some((r) => r.textContent?.includes('<GC>')),
  );
  rows = await treeRows(page);
  check(
    !rows.some((r) => r.includes('<GC>')) &&
      rows.some((r) => r.includes('churn')) &&
      !rows.some((r) => r.includes('library frame')),
    `Hide GC: no <GC> row (nor a "library frame" for it), churn keeps its time: ${JSON.stringify(rows)}`,
  );

  await page.locator('button.segment', { hasText: 'Wall clock' }).click();
  await page.waitForFunction(
    () => document.querySelector('button.segment[aria-checked="true"]')?.textContent === 'Wall clock',
  );
  rows = await treeRows(page);
  check(
    rows.some((r) => r.includes('nap')),
    `Wall clock brings the sleeper back: ${JSON.stringify(rows)}`,
  );

  await openFresh(page, `${url}?profile=old`);
  check(
    !(await page.locator('button.segment', { hasText: 'GIL' }).isVisible()),
    'a format-2 profile offers no GIL mode',
  );
  check(
    await page.locator('label', { hasText: 'Hide GC' }).isVisible(),
    'its <GC> frames can still be hidden',
  );
  check(!(await legend.isVisible()), 'nor a GIL band');
  const oldTaken = await page.locator('.fact', { hasText: 'Taken in' }).textContent();
  check(oldTaken?.includes('wall-clock time') === true, `it was taken in wall-clock time: ${oldTaken}`);
}

runPageScript(OUT, { width: 1400, height: 900 }, messageFor, (page, url) => gilChecks(page, url), checks);
