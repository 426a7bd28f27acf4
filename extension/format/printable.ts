/**
 * Profile strings come from the profiled program (file names, qualified
 * names, thread names) and may hold anything, including terminal escape
 * sequences. Text outputs pass them through here first.
 */

// C0 controls, DEL and C1 controls (ESC and CSI among them).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** The string with every control character written as `\xNN`, so it shows and cannot act. */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
