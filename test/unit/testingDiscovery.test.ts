import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logicalLines } from '../../extension/testing/pythonLines';
import { discoverTests, mentionsPytest } from '../../extension/testing/testDiscovery';

/** `path.join('::') @ lens line:def line (style)` for each test, 1-based lines. */
function summary(source: string): string[] {
  return discoverTests(source).map(
    (t) =>
      `${t.path.join('::')} @${t.line + 1}:${t.defLine + 1} ${t.kind} ${t.style}${t.parametrized ? ' param' : ''}`,
  );
}

test('logical lines join brackets, continuations and multi-line strings, and drop comments', () => {
  const source = [
    'x = (1,', //       1
    '     2)  # a comment', // 2
    'y = """one', //    3
    'def test_inside_string(): pass', // 4
    '"""', //           5
    '\tz = 1 + \\', //  6
    '    2', //         7
    "s = 'it''s' # def test_no()", // 8
    '', //              9
    '# def test_comment():', // 10
  ].join('\n');
  assert.deepEqual(logicalLines(source), [
    { line: 0, indent: 0, text: 'x = (1,      2)' },
    { line: 2, indent: 0, text: 'y = ""' },
    { line: 5, indent: 8, text: 'z = 1 +      2' },
    { line: 7, indent: 0, text: 's = """"' },
  ]);
});

test('pytest: module functions, Test classes and their methods, nested classes', () => {
  const source = `import pytest
from calc import add

def helper():
    def test_not_a_test():
        pass

def test_add():
    assert add(1, 2) == 3

class TestCalc:
    def setup_method(self):
        pass

    def test_small(self):
        pass

    class TestNested:
        def test_deep(self):
            pass

class Helper:
    def test_not_collected(self):
        pass

def not_a_test():
    pass
`;
  assert.deepEqual(summary(source), [
    'test_add @8:8 function pytest',
    'TestCalc @11:11 class pytest',
    'TestCalc::test_small @15:15 function pytest',
    'TestCalc::TestNested @18:18 class pytest',
    'TestCalc::TestNested::test_deep @19:19 function pytest',
  ]);
  assert.equal(mentionsPytest(source), true);
});

test('decorators, async and parametrised tests: the lens goes on the first decorator', () => {
  const source = `import pytest

@pytest.fixture
def numbers():
    return [1, 2]

@pytest.mark.slow
@pytest.mark.parametrize(
    "a, b",
    [(1, 2), (3, 4)],
)
def test_pairs(a, b, numbers):
    assert a < b

@pytest.mark.asyncio
async def test_async():
    pass

class TestWithDecorator:
    @pytest.mark.parametrize("n", range(3))
    async def test_method(self, n):
        pass
`;
  assert.deepEqual(summary(source), [
    'test_pairs @7:12 function pytest param',
    'test_async @15:16 function pytest',
    'TestWithDecorator @19:19 class pytest',
    'TestWithDecorator::test_method @20:21 function pytest param',
  ]);
});

test('unittest: TestCase subclasses whatever their name, subclasses of those, and nothing else', () => {
  const source = `import unittest
from unittest import IsolatedAsyncioTestCase

class ArithmeticCase(unittest.TestCase):
    def setUp(self):
        self.x = 1

    def test_add(self):
        self.assertEqual(self.x + 1, 2)

    def helper(self):
        pass

class MoreArithmetic(ArithmeticCase):
    def test_sub(self):
        pass

class AsyncCase(
    IsolatedAsyncioTestCase,
):
    async def test_wait(self):
        pass

class Mixin(object):
    def test_not_here(self):
        pass

if __name__ == "__main__":
    unittest.main()
`;
  assert.deepEqual(summary(source), [
    'ArithmeticCase @4:4 class unittest',
    'ArithmeticCase::test_add @8:8 function unittest',
    'MoreArithmetic @14:14 class unittest',
    'MoreArithmetic::test_sub @15:15 function unittest',
    'AsyncCase @18:18 class unittest',
    'AsyncCase::test_wait @21:21 function unittest',
  ]);
  assert.equal(mentionsPytest(source), false);
});

test('a class with no test, and tests inside functions or strings, are not offered', () => {
  const source = `class TestEmpty:
    x = 1

def make():
    class TestInner:
        def test_x(self):
            pass
    return TestInner

DOC = '''
def test_in_docstring():
    pass
'''
def test_real(): pass
`;
  assert.deepEqual(summary(source), ['test_real @14:14 function pytest']);
});

test('tabs, CRLF line ends and unicode names', () => {
  const source = 'class TestÜber:\r\n\tdef test_größe(self):\r\n\t\tpass\r\n';
  assert.deepEqual(summary(source), [
    'TestÜber @1:1 class pytest',
    'TestÜber::test_größe @2:2 function pytest',
  ]);
});
