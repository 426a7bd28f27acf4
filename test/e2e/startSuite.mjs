// `npm start` as a new user runs it: it must serve the example workspace in VS Code at the URL
// it prints, and Ctrl-C must take the server down with everything it started.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from './lib/codeServer.mjs';
import { ROOT } from './lib/workspace.mjs';

const START = path.join(ROOT, 'scripts', 'start.mjs');

async function answers(url) {
  try {
    return (await globalThis.fetch(url)).status;
  } catch {
    return 0;
  }
}

/**
 * @param {{ results: import('./lib/results.mjs').Results }} options
 */
export async function runStartSuite({ results }) {
  await results.run(
    'start: npm start serves the examples at the printed URL and stops on Ctrl-C',
    async () => {
      const port = await freePort();
      const child = spawn(process.execPath, [START, '--port', String(port), '--skip-build'], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
      try {
        const url = await new Promise((resolve, reject) => {
          const onData = (chunk) => {
            output += chunk;
            const match = /http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+/.exec(output);
            if (match && output.includes('Press Ctrl-C')) resolve(match[0]);
          };
          child.stdout.on('data', onData);
          child.stderr.on('data', onData);
          exited.then((code) =>
            reject(new Error(`npm start exited (${code}) before printing a URL:\n${output}`)),
          );
        });
        if (!url.startsWith(`http://127.0.0.1:${port}/`)) throw new Error(`printed ${url}, not port ${port}`);
        if (!url.includes(encodeURIComponent(path.join(ROOT, 'examples')))) {
          throw new Error(`the URL does not open examples/: ${url}`);
        }
        const status = await answers(url);
        if (status !== 200) throw new Error(`GET ${url} answered ${status}`);
      } finally {
        child.kill('SIGINT');
      }
      const code = await exited;
      if (code !== 0) throw new Error(`npm start exited with ${code} after Ctrl-C:\n${output}`);
      const after = await answers(`http://127.0.0.1:${port}/healthz`);
      if (after !== 0) throw new Error(`the server still answers (${after}) after Ctrl-C`);
    },
  );
}
