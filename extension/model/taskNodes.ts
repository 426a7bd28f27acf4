/**
 * An asyncio task's node in a stack (recorded with `--async`): a frame named `task NAME` in the
 * task coroutine's file, line 0, at the coroutine's first line. No Python function has a space in
 * its qualified name, so the name alone tells a task node from a function.
 */
export const TASK_NODE_PREFIX = 'task ';

export function isTaskNode(name: string): boolean {
  return name.startsWith(TASK_NODE_PREFIX);
}
