import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatCount,
  formatDuration,
  formatRatioChange,
  formatShare,
  formatTime,
  formatTimeChange,
} from '../../extension/model/displayFormat';
import { inlineLabel } from '../../extension/views/annotationModel';
import * as panel from '../../webview/format';

describe('display format (editor, panel and CLI alike)', () => {
  it('writes a measured time with three significant digits, never as zero', () => {
    assert.equal(formatDuration(0), '—');
    assert.equal(formatDuration(-3), '—');
    assert.equal(formatDuration(Number.NaN), '—');
    assert.equal(formatDuration(1), '< 1 ms');
    assert.equal(formatDuration(999), '< 1 ms');
    assert.equal(formatDuration(1_000), '1.00 ms');
    assert.equal(formatDuration(12_345), '12.3 ms');
    assert.equal(formatDuration(456_000), '456 ms');
    assert.equal(formatDuration(1_234_567), '1.23 s');
    assert.equal(formatDuration(12_340_000), '12.3 s');
  });

  it('writes a clock position to the microsecond', () => {
    assert.equal(formatTime(0), '0');
    assert.equal(formatTime(100), '100 µs');
    assert.equal(formatTime(850), '850 µs');
    assert.equal(formatTime(12_345), '12.3 ms');
  });

  it('switches to minutes at one minute and to hours at one hour, the same for both', () => {
    assert.equal(formatTime(59_940_000), '59.9 s');
    assert.equal(formatTime(59_960_000), '1 min 00 s');
    assert.equal(formatDuration(125_000_000), '2 min 05 s');
    assert.equal(formatDuration(725_000_000), '12 min 05 s');
    assert.equal(formatTime(3_599_000_000), '59 min 59 s');
    assert.equal(formatTime(3_720_000_000), '1 h 02 min');
  });

  it('never prints a rounded value with four digits or in the smaller unit', () => {
    assert.equal(formatTime(999.6), '1.00 ms');
    assert.equal(formatTime(999_600), '1.00 s');
    assert.equal(formatTime(9_996), '10.0 ms');
    assert.equal(formatTime(99_960), '100 ms');
    assert.equal(formatTime(999_400), '999 ms');
  });

  it('writes shares with one decimal, capped at 100%, tiny ones marked, none as —', () => {
    assert.equal(formatShare(0.345), '34.5%');
    assert.equal(formatShare(1), '100%');
    assert.equal(formatShare(0.99996), '100%');
    assert.equal(formatShare(0.0004), '<0.1%');
    assert.equal(formatShare(0), '—');
    assert.equal(formatCount(1234567), '1,234,567');
  });

  it('is what the editor and the panel print', () => {
    assert.equal(inlineLabel(1_230_000, 0.345), '1.23 s · 34.5%');
    assert.equal(panel.formatDuration(725_000_000), formatDuration(725_000_000));
    assert.equal(panel.formatTime(850), formatTime(850));
    assert.equal(panel.formatShare(341, 1000), '34.1%');
    assert.equal(panel.formatShare(5, 0), '—');
    assert.equal(panel.formatShare(0, 100), '—');
  });

  it('writes a change signed, with a real minus sign', () => {
    assert.equal(formatTimeChange(120_000), '+120 ms');
    assert.equal(formatTimeChange(-35_000), '\u221235.0 ms');
    assert.equal(formatTimeChange(400), '+< 1 ms');
    assert.equal(formatTimeChange(0), '±0');
    assert.equal(formatRatioChange(0.65), '\u221235%');
    assert.equal(formatRatioChange(1.35), '+35%');
    assert.equal(formatRatioChange(1.001), '±0%');
    assert.equal(formatRatioChange(3), '×3.0');
    assert.equal(formatRatioChange(12.4), '×12');
    assert.equal(formatRatioChange(undefined), 'new');
    assert.equal(formatRatioChange(0), 'gone');
  });
});
