/**
 * The flame chart on a long run: a million samples (syntheticProfile.ts, `longRunProfile`) built
 * by the real host view model and drawn by the shipped page in Chromium at 1400×900. Prints the
 * host's build time and payload size, the page's first chart paint, and frame times while
 * zooming (Ctrl+wheel) and panning (drag) across the run. Timings are printed, never asserted.
 *
 *   npm run build && node --import tsx test/e2e/webview-harness/chartBench.ts [--samples 1000000]
 */
import type { Page } from 'playwright-core';
import type { FilterState, SetProfileMessage } from '../../../extension/views/protocol';
import { buildProfileMessage } from '../../../extension/views/viewModel';
import { Checks, openFresh, outDir, runPageScript } from './harnessCommon';
import { longRunProfile } from './syntheticProfile';

const args = process.argv.slice(2);
const at = args.indexOf('--samples');
const SAMPLES = at >= 0 ? Number(args[at + 1]) : 1_000_000;
const checks = new Checks();

const t0 = Date.now();
const raw = longRunProfile(SAMPLES);
console.log(
  `profile: ${SAMPLES.toLocaleString('en')} samples, ${raw.stackParent.length} stacks in ${Date.now() - t0} ms`,
);
{
  const started = Date.now();
  const chart = buildProfileMessage(
    raw,
    { mode: 'wall', showAll: false, chart: true },
    { profileId: 'x', title: '' },
  );
  const withChart = Date.now() - started;
  const again = Date.now();
  buildProfileMessage(raw, { mode: 'wall', showAll: false }, { profileId: 'x', title: '' });
  console.log(
    `host: view model ${Date.now() - again} ms without the chart, ${withChart} ms with it ` +
      `(${chart.view.tree.parent.length.toLocaleString('en')} tree nodes)`,
  );
}
const base = buildProfileMessage(
  raw,
  { mode: 'wall', showAll: false },
  { profileId: 'long', title: 'Hotpath: service.py' },
);

function messageFor(filter: FilterState | undefined): SetProfileMessage {
  const started = Date.now();
  const message = buildProfileMessage(
    raw,
    filter ?? { mode: 'wall', showAll: false },
    { profileId: 'long', title: 'Hotpath: service.py' },
    base,
  );
  if (message.chart) {
    const runs = message.chart.lanes.reduce((n, l) => n + l.node.length, 0);
    console.log(
      `host: view model with the chart${filter?.range ? ' (a range)' : ''} in ${Date.now() - started} ms: ` +
        `${runs.toLocaleString('en')} runs, ${(JSON.stringify(message).length / 1e6).toFixed(1)} MB as JSON`,
    );
  }
  return message;
}

/** The chart's draw time (ms, the page's own measure) after each of `steps` steps. */
async function frames(page: Page, steps: number, step: (i: number) => Promise<void>): Promise<string> {
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    await step(i);
    times.push(
      await page.evaluate(
        () =>
          new Promise<number>((r) =>
            requestAnimationFrame(() =>
              requestAnimationFrame(() => r(Number(document.body.dataset.chartDrawMs))),
            ),
          ),
      ),
    );
  }
  times.sort((a, b) => a - b);
  return `draw median ${times[times.length >> 1].toFixed(1)} ms, worst ${times[times.length - 1].toFixed(1)} ms`;
}

runPageScript(
  outDir('chart-bench'),
  { width: 1400, height: 900 },
  messageFor,
  async (page, url) => {
    await openFresh(page, url, 120_000);
    await page.waitForFunction(() => document.body.classList.contains('has-profile'), undefined, {
      timeout: 120_000,
    });
    const started = Date.now();
    await page.click('.tab[data-view="chart"]');
    await page.waitForFunction(
      () => (document.querySelector('.chart-status') as HTMLElement).hidden,
      undefined,
      {
        timeout: 120_000,
      },
    );
    await page.evaluate(
      () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(undefined)))),
    );
    console.log(
      `page: flame chart shown ${Date.now() - started} ms after its tab was clicked (host build and transfer included)`,
    );
    const box = (await page.locator('.chart-canvas').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 100);
    await page.focus('.chart-canvas');
    console.log(
      `page: the whole run and half of it, 20 times: ${await frames(page, 20, (i) => page.keyboard.press(i % 2 ? '0' : '+'))}`,
    );
    await page.keyboard.press('0');
    await page.keyboard.down('Control');
    console.log(`page: zooming in 40 steps: ${await frames(page, 40, () => page.mouse.wheel(0, -60))}`);
    await page.keyboard.up('Control');
    await page.mouse.down();
    console.log(
      `page: panning in 40 steps: ${await frames(page, 40, (i) => page.mouse.move(box.x + box.width / 2 - (i + 1) * 15, box.y + 100))}`,
    );
    await page.mouse.up();
    await page.keyboard.press('0');
    await page.screenshot({ path: `${outDir('chart-bench')}/chart.png` });
    const label = (await page.locator('.chart-canvas').getAttribute('aria-label')) ?? '';
    checks.check(/Flame chart: /.test(label), `the chart drew (${label})`);
  },
  checks,
);
