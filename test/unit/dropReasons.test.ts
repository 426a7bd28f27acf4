import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DROP_REASON_LABELS, describeDrops } from '../../extension/model/dropReasons';
import { renderTextTree } from '../../extension/format/textTree';
import { buildCallTree } from '../../extension/model/callTree';
import { createView } from '../../extension/model/processors';
import { buildProfile } from './helpers/profileBuilder';

describe('dropped samples by reason', () => {
  it('names every reason the native reader counts, most frequent first', () => {
    assert.equal(
      describeDrops({ loop: 1, cutShort: 3, freedCode: 0 }),
      `${DROP_REASON_LABELS.cutShort} 3, ${DROP_REASON_LABELS.loop} 1`,
    );
    assert.equal(describeDrops(undefined), '');
    assert.equal(describeDrops({}), '');
  });

  it('shows a reason it does not know by its name', () => {
    assert.equal(describeDrops({ newReason: 2 }), 'newReason 2');
  });

  it('the text report says why samples were dropped', () => {
    const profile = buildProfile({ samples: [{ stack: ['main@app.py:1'], repeat: 2 }] });
    profile.stats = { ...profile.stats, droppedSamples: 5, droppedByReason: { freedFrame: 5 } };
    const tree = buildCallTree(createView(profile));
    const text = renderTextTree(tree, { header: { meta: profile.meta, stats: profile.stats, mode: 'wall' } });
    assert.match(text, /Dropped 5 \(frame freed 5\)/);
  });
});
