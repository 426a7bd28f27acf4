/**
 * A small literal profile the export tests share: a main thread with a hot
 * function on two lines and a library call under it, a waiting worker thread
 * that also has a sample with no Python frames.
 */
import type { RawProfile } from '../../../extension/model/rawProfile';
import { buildProfile } from './profileBuilder';

export const SITE = '/venv/lib/python3.12/site-packages/pkg/mod.py';

export function twoThreadProfile(): RawProfile {
  return buildProfile({
    threads: [
      { name: 'MainThread', tid: 10 },
      { name: 'worker', tid: 11, isMain: false },
    ],
    firstLines: { 'work@app.py': 8 },
    samples: [
      { stack: ['main@app.py:1', 'work@app.py:9'], repeat: 2 },
      { stack: ['main@app.py:1', 'work@app.py:10'], repeat: 1 },
      { stack: ['main@app.py:2', `call@${SITE}:5`], repeat: 1 },
      { stack: ['main@app.py:1', 'work@app.py:9'], repeat: 1 },
      { stack: ['loop@w.py:3'], thread: 1, onCpu: false, repeat: 2 },
      { stack: [], thread: 1, repeat: 1 },
    ],
  });
}
