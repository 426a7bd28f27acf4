/**
 * Why the sampler left a thread's stack out of a sample: the names the native reader gives its
 * reasons (native/python/python_reader.h, `DropReason`) and what each means to a reader of the
 * profile. Each is a read that raced the program, or memory that went away while it was read.
 */
export const DROP_REASON_LABELS: Readonly<Record<string, string>> = {
  threadState: 'thread state unreadable',
  unreadable: 'frame memory unreadable',
  loop: 'frame chain looped',
  noCode: 'frame without code',
  owner: 'unknown frame owner',
  detachedGenerator: 'generator between steps',
  cutShort: 'frame chain cut short',
  freedFrame: 'frame freed',
  freedCode: 'code object freed',
  position: 'instruction outside its code',
  topMoved: 'stack top moved while read',
};

/** "frame chain cut short 3, frame chain looped 1": the reasons with a count, most first. */
export function describeDrops(byReason: Readonly<Record<string, number>> | undefined): string {
  if (!byReason) return '';
  return Object.entries(byReason)
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, count]) => `${DROP_REASON_LABELS[reason] ?? reason} ${count}`)
    .join(', ');
}
