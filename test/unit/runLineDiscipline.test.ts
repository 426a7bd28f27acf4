import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineDiscipline, toTerminalText } from '../../extension/run/lineDiscipline';

describe('LineDiscipline', () => {
  it('echoes typed text and sends it as a line on Enter', () => {
    const discipline = new LineDiscipline();
    const typed = discipline.input('abc');
    assert.equal(typed.echo, 'abc');
    assert.deepEqual(typed.send, []);
    const entered = discipline.input('\r');
    assert.equal(entered.echo, '\r\n');
    assert.deepEqual(entered.send, ['abc\n']);
  });

  it('handles Backspace by code point, and Ctrl-U', () => {
    const discipline = new LineDiscipline();
    discipline.input('né😀');
    assert.equal(discipline.input('\x7f').echo, '\b \b');
    assert.deepEqual(discipline.input('\r').send, ['né\n']);
    discipline.input('xyz');
    discipline.input('\x15');
    assert.deepEqual(discipline.input('ok\r').send, ['ok\n']);
    assert.equal(new LineDiscipline().input('\x7f').echo, '');
  });

  it('sends every line of pasted text and keeps the unfinished rest', () => {
    const discipline = new LineDiscipline();
    assert.deepEqual(discipline.input('one\r\ntwo\nthr').send, ['one\n', 'two\n']);
    assert.deepEqual(discipline.input('ee\r').send, ['three\n']);
  });

  it('reports Ctrl-C as an interrupt and drops the line', () => {
    const discipline = new LineDiscipline();
    discipline.input('half');
    const result = discipline.input('\x03');
    assert.equal(result.interrupt, true);
    assert.equal(result.echo, '^C\r\n');
    assert.deepEqual(discipline.input('\r').send, ['\n']);
  });

  it('Ctrl-D ends input on an empty line and flushes a partial one', () => {
    const discipline = new LineDiscipline();
    assert.equal(discipline.input('\x04').endOfInput, true);
    discipline.input('part');
    const flushed = discipline.input('\x04');
    assert.equal(flushed.endOfInput, false);
    assert.deepEqual(flushed.send, ['part']);
  });

  it('ignores arrow keys and other escape sequences', () => {
    const discipline = new LineDiscipline();
    const result = discipline.input('a\x1b[A\x1b[1;5Cb\x1bOP\r');
    assert.equal(result.echo, 'ab\r\n');
    assert.deepEqual(result.send, ['ab\n']);
  });
});

describe('toTerminalText', () => {
  it('turns LF and CRLF into CRLF', () => {
    assert.equal(toTerminalText('a\nb\r\nc'), 'a\r\nb\r\nc');
  });
});
