import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { missingFileMessage, noSourceMessage } from '../../extension/panel/sourceMessages';

describe('panel: locations without a source file', () => {
  it('explains frozen modules, generated code and unnamed frames', () => {
    assert.match(noSourceMessage('<frozen runpy>'), /<frozen runpy> is a frozen module .* no source file/);
    assert.match(noSourceMessage('<string>'), /<string> is generated code/);
    assert.match(noSourceMessage(''), /no file name recorded/);
  });

  it('says a deleted file is gone rather than failing', () => {
    const text = missingFileMessage('/proj/old.py', 12);
    assert.match(text, /\/proj\/old\.py no longer exists/);
    assert.match(text, /line 12/);
  });
});
