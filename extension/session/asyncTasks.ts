/**
 * Where asyncio's tasks can be recorded with each sample: CPython 3.14 and newer describe their
 * task lists to outside readers (`_Py_AsyncioModuleDebugOffsets`); older versions keep them
 * where only the program itself can find them.
 */

/** Whether CPython `version` ("3.14.0") lets the sampler record asyncio tasks. */
export function recordsAsyncTasks(version: string): boolean {
  const [major, minor] = version.split('.').map(Number);
  return major > 3 || (major === 3 && minor >= 14);
}

/** The one line said when tasks were asked for and `version` cannot give them; else undefined. */
export function asyncTasksUnavailable(version: string): string | undefined {
  if (!version || recordsAsyncTasks(version)) return undefined;
  return (
    `asyncio tasks need CPython 3.14 or newer (older versions do not describe them to profilers); ` +
    `this program runs Python ${version}: profiling its threads as usual.`
  );
}
