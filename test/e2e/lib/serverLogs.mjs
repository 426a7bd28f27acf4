// The logs a code-server writes under its user data, the extension's output channel among them:
// what the benchmarks read the extension's own measurements from.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Every file under `dir`, recursively. */
function filesUnder(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out;
}

/** The text of every `.log` file under the server's user data. */
export function logTexts(userData) {
  return filesUnder(userData)
    .filter((file) => file.endsWith('.log'))
    .map((file) => readFileSync(file, 'utf8'));
}
