/**
 * What the user reads when a profiled location cannot be opened. These are
 * explanations, not errors: frozen modules and generated code simply have no
 * file. vscode-free so the wording is unit-tested.
 */

/** Why a recorded location has nothing to open, in the user's terms. */
export function noSourceMessage(file: string): string {
  if (file.startsWith('<frozen')) {
    return `Hotpath: ${file} is a frozen module compiled into the interpreter; it has no source file to open.`;
  }
  if (file === '') return 'Hotpath: this frame has no file name recorded.';
  return `Hotpath: ${file} is generated code (exec, eval or a template) with no source file to open.`;
}

export function missingFileMessage(resolved: string, line: number): string {
  return `Hotpath: ${resolved} no longer exists (deleted or moved since the profile was recorded), so line ${line} cannot be shown.`;
}
