/** ViewPayloads for webview tests from nested literals, depth first like the host sends them. */
import { NodeFlag, type ViewPayload } from '../../../extension/views/protocol';

export interface Spec {
  name: string;
  file?: string;
  line?: number;
  total: number;
  lib?: boolean;
  firstLine?: number;
  self?: number;
  children?: Spec[];
}

/** A payload from a nested literal, depth first like the host sends it. */
export function payload(children: Spec[]): ViewPayload {
  const strings: string[] = [];
  const str = (s: string) => {
    const i = strings.indexOf(s);
    return i >= 0 ? i : strings.push(s) - 1;
  };
  const tree = {
    parent: [] as number[],
    name: [] as number[],
    file: [] as number[],
    line: [] as number[],
    firstLine: [] as number[],
    selfUs: [] as number[],
    totalUs: [] as number[],
    flags: [] as number[],
    hidden: [] as number[],
  };
  const total = children.reduce((a, c) => a + c.total, 0);
  const add = (s: Spec, parent: number) => {
    const id = tree.parent.length;
    tree.parent.push(parent);
    tree.name.push(str(s.name));
    tree.file.push(str(s.file ?? 'app.py'));
    tree.line.push(s.line ?? 0);
    tree.firstLine.push(s.firstLine ?? 1);
    tree.totalUs.push(s.total);
    tree.selfUs.push(s.self ?? s.total - (s.children ?? []).reduce((a, c) => a + c.total, 0));
    tree.flags.push(s.lib ? NodeFlag.library : 0);
    tree.hidden.push(0);
    for (const c of s.children ?? []) add(c, id);
  };
  add({ name: '', file: '', total, children }, -1);
  const functions = { name: [], file: [], firstLine: [], selfUs: [], totalUs: [], samples: [], flags: [] };
  return { strings, totalUs: total, tree, functions };
}

/**
 * root ─┬ main(90) ─┬ parse(60, def 10) ─ read(50, lib)
 *       │           └ render(25, def 38)
 *       └ atexit(10)
 */
export function sampleView(): ViewPayload {
  return payload([
    {
      name: 'main',
      line: 3,
      total: 90,
      children: [
        {
          name: 'parse',
          line: 12,
          firstLine: 10,
          total: 60,
          children: [{ name: 'read', file: '/usr/lib/python3.12/io.py', line: 7, total: 50, lib: true }],
        },
        { name: 'render', file: 'views/render.py', line: 40, firstLine: 38, total: 25 },
      ],
    },
    { name: 'atexit', total: 10 },
  ]);
}
