/**
 * A small but valid RawProfile whose every string is hostile: markup that
 * would run script if it were ever parsed as HTML, `javascript:` URLs, path
 * traversal, control characters, a 10,000-character name and bidi overrides.
 * The panel must show each of them as plain text and post the exact file path
 * back when a node is revealed. Each payload sets `window.__pwned` (or opens a
 * dialog), so a check only has to look for that.
 */
import { rawProfileFromColumns, type RawProfile } from '../../../extension/model/rawProfile';

/** Markup that runs `window.__pwned = 1` when parsed as HTML. */
export const SCRIPT_BREAKOUT = '</script><script>window.__pwned=1</script>';
export const IMG_ONERROR = '<img src=x onerror="window.__pwned=1">';
export const SVG_ONLOAD = '<svg onload="window.__pwned=1;alert(1)"></svg>';
export const JAVASCRIPT_URL = 'javascript:window.__pwned=1;alert(1)//.py';
export const TRAVERSAL = '../../../../etc/passwd';
/**
 * Bell, backspace, an ANSI escape, CR/LF and DEL: must not break layout or the message. (NUL is
 * refused by the profile loader, so a valid profile cannot hold it.)
 */
export const CONTROL = 'ctl\u0007\u0008\u001b[31m\r\n\u007fname';
/** U+202E RIGHT-TO-LEFT OVERRIDE makes "txt.exe" look like "exe.txt". */
export const RTL = 'report\u202Etxt.exe';
export const LONG_NAME = `long_${'x'.repeat(10_000)}`;

export interface HostileFunction {
  name: string;
  file: string;
  line: number;
}

/** One function per payload, each in a file whose path is hostile too. */
export const HOSTILE_FUNCTIONS: readonly HostileFunction[] = [
  { name: SCRIPT_BREAKOUT, file: `/srv/app/${SCRIPT_BREAKOUT}.py`, line: 3 },
  { name: IMG_ONERROR, file: `/srv/app/${IMG_ONERROR}.py`, line: 5 },
  { name: SVG_ONLOAD, file: JAVASCRIPT_URL, line: 7 },
  { name: 'read_secrets', file: TRAVERSAL, line: 11 },
  { name: CONTROL, file: `/srv/app/${CONTROL}.py`, line: 13 },
  { name: RTL, file: `/srv/app/${RTL}.py`, line: 17 },
  { name: LONG_NAME, file: `/srv/app/${'deep/'.repeat(500)}module.py`, line: 19 },
];

/**
 * `<module>` calling each hostile function, and each of those calling the next
 * one, so the payloads show up at several depths (rows, breadcrumbs, tooltips).
 */
export function hostileProfile(): RawProfile {
  const strings: string[] = [];
  const intern = (s: string) => {
    const found = strings.indexOf(s);
    return found >= 0 ? found : strings.push(s) - 1;
  };
  const frameFile: number[] = [];
  const frameName: number[] = [];
  const frameLine: number[] = [];
  const frameFirstLine: number[] = [];
  const frame = (name: string, file: string, line: number) => {
    frameName.push(intern(name));
    frameFile.push(intern(file));
    frameLine.push(line + 1);
    frameFirstLine.push(line);
    return frameLine.length - 1;
  };

  const stackParent: number[] = [-1];
  const stackFrame: number[] = [frame('<module>', `/srv/app/${SCRIPT_BREAKOUT}main.py`, 1)];
  const leaves: number[] = [];
  HOSTILE_FUNCTIONS.forEach((fn, i) => {
    // A direct child of <module> …
    stackParent.push(0);
    stackFrame.push(frame(fn.name, fn.file, fn.line));
    leaves.push(stackParent.length - 1);
    // … that calls the next hostile function.
    const next = HOSTILE_FUNCTIONS[(i + 1) % HOSTILE_FUNCTIONS.length];
    stackParent.push(stackParent.length - 1);
    stackFrame.push(frame(next.name, next.file, next.line));
    leaves.push(stackParent.length - 1);
  });

  // Earlier functions get more samples, so the first payload is the top row.
  const sampleStack: number[] = [];
  leaves.forEach((stack, i) => {
    for (let k = 0; k < (leaves.length - i) * 3; k++) sampleStack.push(stack);
  });
  const intervalUs = 1000;
  const n = sampleStack.length;
  const sampleTime = Float64Array.from({ length: n }, (_, i) => i * intervalUs);
  const columns = { frameFile, frameName, frameLine, frameFirstLine, stackParent, stackFrame };
  const samples = {
    sampleTime,
    sampleThread: Array.from({ length: n }, (_, i) => i % 2),
    sampleStack,
    sampleOnCpu: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0 : 1)),
  };
  return rawProfileFromColumns(
    { ...columns, ...samples },
    {
      strings,
      threads: [
        { tid: 100, ident: '1', name: IMG_ONERROR, isMain: true },
        { tid: 101, ident: '2', name: `${RTL}${CONTROL}`, isMain: false },
      ],
      meta: {
        startedAt: Date.UTC(2026, 0, 15, 10, 30),
        durationUs: sampleTime[n - 1],
        intervalUs,
        pid: 100,
        argv: ['/usr/bin/python3', `/srv/app/${SCRIPT_BREAKOUT}main.py`, IMG_ONERROR, JAVASCRIPT_URL],
        pythonPath: `/usr/bin/${SVG_ONLOAD}`,
        pythonVersion: `3.12.1${IMG_ONERROR}`,
        exitCode: 0,
        exitSignal: null,
        cwd: `/srv/${TRAVERSAL}`,
      },
      stats: {
        ticks: n,
        samples: n,
        lateTicks: 0,
        droppedSamples: 0,
        meanTickCostUs: 10,
        maxDepth: 3,
        truncatedStacks: 0,
      },
    },
  );
}
