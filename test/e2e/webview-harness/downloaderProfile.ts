/** A recorded-looking profile of examples/downloader.py for the panel-page scripts. */
import type { RawProfile } from '../../../extension/model/rawProfile';
import { buildProfile, type SampleSpec } from '../../unit/helpers/profileBuilder';

const THREADING = '/usr/lib/python3.12/threading.py';
export const DOWNLOADER_SCRIPT = 'downloader.py';
const SCRIPT = DOWNLOADER_SCRIPT;

/**
 * The shape of examples/downloader.py: the main thread waits in `join` while four
 * `downloader-N` threads sleep in `fetch` (waiting) and hash in `checksum` (on a CPU), the
 * fetches early in the run and the checksums late, each thread a different amount. The threads
 * start one after the other, the last-named first.
 */
export function downloaderProfile(): RawProfile {
  const worker = [`_bootstrap@${THREADING}:1030`, `run@${THREADING}:1010`];
  const samples: SampleSpec[] = [
    { stack: [`<module>@${SCRIPT}:60`, `main@${SCRIPT}:47`], repeat: 40, time: 0 },
    {
      stack: [`<module>@${SCRIPT}:60`, `main@${SCRIPT}:52`, `join@${THREADING}:1147`],
      onCpu: false,
      repeat: 900,
    },
    { stack: [`<module>@${SCRIPT}:60`, `main@${SCRIPT}:56`], repeat: 60 },
  ];
  for (let t = 1; t <= 4; t++) {
    samples.push(
      {
        stack: [...worker, `worker@${SCRIPT}:38`, `fetch@${SCRIPT}:20`],
        thread: t,
        onCpu: false,
        repeat: 150 + 60 * t,
        time: 40_000 + (4 - t) * 10_000,
      },
      { stack: [...worker, `worker@${SCRIPT}:36`], thread: t, repeat: 5 * t },
      { stack: [...worker, `worker@${SCRIPT}:39`, `checksum@${SCRIPT}:27`], thread: t, repeat: 120 + 40 * t },
    );
  }
  return buildProfile({
    samples,
    threads: [{ name: 'MainThread' }, ...[0, 1, 2, 3].map((k) => ({ name: `downloader-${k}` }))],
    firstLines: {
      [`<module>@${SCRIPT}`]: 1,
      [`main@${SCRIPT}`]: 42,
      [`worker@${SCRIPT}`]: 31,
      [`fetch@${SCRIPT}`]: 18,
      [`checksum@${SCRIPT}`]: 24,
    },
  });
}
