// Profile test in the workbench: the "Profile test" CodeLens of examples/test_primes.py is
// clicked like a user would, pytest runs that test under the profiler, and the time shows on the
// test's line and on the hot line of primes.py, the code under test. Needs the workbench to run
// with an interpreter that has pytest (HOTPATH_E2E_PYTEST_PYTHON as hotpath.pythonPath).
import path from 'node:path';
import { lineOf, savedProfiles } from '../lib/workspaceFiles.mjs';

const EDITOR = '.editor-group-container.active .monaco-editor[data-uri]';

/** @param {{ page: import('playwright-core').Page, bench: import('../lib/workbench.mjs').Workbench,
 *           check: (name: string, fn: () => Promise<void>) => Promise<boolean>, workspaceDir: string }} session */
export async function runTestLensCheck({ page, bench, check, workspaceDir }) {
  await check('ui: the Profile test CodeLens runs that test and paints the code under test', async () => {
    const testFile = path.join(workspaceDir, 'test_primes.py');
    const decorator = lineOf(testFile, '@pytest.mark.parametrize');
    await bench.openFile('test_primes.py', 'def test_both_methods_agree');
    await bench.goToLine(decorator);
    // The lens of the parametrised test sits above its decorator, the first one in the file.
    const lens = page.locator(`${EDITOR} .codelens-decoration a`, { hasText: 'Profile test' }).first();
    await lens.waitFor({ timeout: 15_000 });
    await bench.screenshot('test-lenses');
    const before = savedProfiles(workspaceDir).length;
    await lens.click();
    const deadline = Date.now() + 60_000;
    while (savedProfiles(workspaceDir).length <= before) {
      if (Date.now() > deadline) throw new Error('clicking Profile test saved no profile');
      await page.waitForTimeout(100);
    }
    const assertion = 'assert primes_by_trial_division(limit) == primes_by_sieve(limit)';
    const inTest = await bench.waitForInlineTime(assertion);
    await bench.screenshot('test-annotated');
    if (!/%/.test(inTest)) throw new Error(`the test's line reads ${JSON.stringify(inTest)}`);
    const hot = 'if n % divisor == 0';
    await bench.openFile('primes.py', 'def is_prime');
    await bench.goToLine(lineOf(path.join(workspaceDir, 'primes.py'), hot));
    const inCode = await bench.waitForInlineTime(hot);
    await bench.screenshot('test-code-under-test-annotated');
    if (!/%/.test(inCode)) throw new Error(`the hot line of primes.py reads ${JSON.stringify(inCode)}`);
  });
}
