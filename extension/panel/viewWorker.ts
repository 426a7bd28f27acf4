/**
 * Worker thread entry (bundled as dist/viewWorker.js): builds panel views so
 * that a big profile (0.3–1.3 s for a million samples) never blocks the
 * extension host. Keeps each profile it was sent until told to forget it, so
 * a filter change costs one small message each way plus the build.
 */
import { parentPort } from 'node:worker_threads';
import type { RawProfile } from '../model/rawProfile';
import { buildProfileMessage, buildViewPart } from './viewModel';
import type { FromViewWorker, ToViewWorker } from './viewWorkerProtocol';

const profiles = new Map<string, RawProfile>();

function reply(message: FromViewWorker): void {
  parentPort?.postMessage(message);
}

parentPort?.on('message', (message: ToViewWorker) => {
  if (message.kind === 'forget') {
    profiles.delete(message.key);
    return;
  }
  if (message.raw) profiles.set(message.key, message.raw);
  const raw = profiles.get(message.key);
  if (!raw) {
    reply({ kind: 'missing', requestId: message.requestId });
    return;
  }
  try {
    const built = message.whole
      ? buildProfileMessage(raw, message.filter, message.ids)
      : buildViewPart(raw, message.filter, message.ids);
    reply({ kind: 'built', requestId: message.requestId, message: built });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    reply({ kind: 'failed', requestId: message.requestId, error: e.message, stack: e.stack });
  }
});
