import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_FILTER, isHostToWebview, isWebviewToHost } from '../../extension/views/protocol';
import { sanitizeFilter, viewOptionsFor } from '../../extension/views/viewModel';

describe('panel protocol', () => {
  it('accepts only objects with a string type tag', () => {
    for (const guard of [isWebviewToHost, isHostToWebview]) {
      assert.equal(guard({ type: 'ready' }), true);
      assert.equal(guard({ type: 7 }), false);
      assert.equal(guard(null), false);
      assert.equal(guard('reveal'), false);
      assert.equal(guard(undefined), false);
    }
  });

  it('starts on wall-clock time with library frames collapsed', () => {
    assert.deepEqual(DEFAULT_FILTER, { mode: 'wall', showAll: false });
    assert.deepEqual(sanitizeFilter(DEFAULT_FILTER), DEFAULT_FILTER);
    const options = viewOptionsFor(DEFAULT_FILTER);
    assert.equal(options.hideLibrary, true);
    assert.equal(options.hideStartup, true);
    assert.equal(options.threads, undefined);
    assert.equal(options.range, undefined);
  });

  it('round-trips a filter through JSON, as postMessage and saved state do', () => {
    const filter = { mode: 'cpu' as const, showAll: true, threads: [1], range: { start: 10, end: 20 } };
    assert.deepEqual(sanitizeFilter(JSON.parse(JSON.stringify(filter))), filter);
  });
});
