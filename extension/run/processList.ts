/**
 * The Python processes the user may attach to, read from /proc: the ones
 * whose executable or command looks like a Python interpreter, owned by the
 * current user (the sampler could not read anyone else's anyway). No `vscode`
 * import.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface PythonProcess {
  pid: number;
  /** The command line, arguments joined by spaces. */
  command: string;
  /** The executable, when readable. */
  executable: string;
}

const PYTHON_NAME = /^python(\d+(\.\d+)?)?$/;

export function looksLikePython(executable: string, argv0: string): boolean {
  return PYTHON_NAME.test(path.basename(executable)) || PYTHON_NAME.test(path.basename(argv0));
}

export async function listPythonProcesses(
  procDir = '/proc',
  uid = process.getuid?.() ?? -1,
): Promise<PythonProcess[]> {
  const entries = await fs.readdir(procDir);
  const found = await Promise.all(
    entries
      .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
      .map(async (name): Promise<PythonProcess | undefined> => {
        const dir = path.join(procDir, name);
        try {
          if (uid > 0 && (await fs.stat(dir)).uid !== uid) return undefined;
          const argv = (await fs.readFile(path.join(dir, 'cmdline'), 'utf8')).split('\0').filter(Boolean);
          if (argv.length === 0) return undefined; // kernel thread or zombie
          const executable = await fs.readlink(path.join(dir, 'exe')).catch(() => '');
          if (!looksLikePython(executable, argv[0])) return undefined;
          return { pid: Number(name), command: argv.join(' '), executable };
        } catch {
          return undefined; // exited while we looked
        }
      }),
  );
  return found.filter((p): p is PythonProcess => p !== undefined).sort((a, b) => a.pid - b.pid);
}
