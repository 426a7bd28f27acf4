/**
 * The process selector: every process of a profile of several, each under its parent, or all of
 * them merged (the default: their times add up, as in the editor). Hidden unless two or more
 * processes ran Python.
 */
import { clear, el } from './dom';
import { processOptionText, processesWithPython, processTreeOrder } from './processTree';
import type { ProcessSummary } from '../extension/views/protocol';

export class ProcessSelector {
  readonly element: HTMLSelectElement;

  constructor(onChange: (process: number | undefined) => void) {
    this.element = el('select', 'processes');
    this.element.setAttribute('aria-label', 'Process');
    this.element.title = 'Show one process, or all of them with their times added up';
    this.element.hidden = true;
    this.element.addEventListener('change', () => {
      const v = this.element.value;
      onChange(v === 'all' ? undefined : Number(v));
    });
  }

  setProcesses(all: readonly ProcessSummary[] | undefined): void {
    clear(this.element);
    const processes = processesWithPython(all ?? []);
    this.element.hidden = processes.length < 2;
    if (processes.length < 2) return;
    const merged = el('option', '', `All processes (${processes.filter((p) => p.samples > 0).length})`);
    merged.value = 'all';
    this.element.appendChild(merged);
    for (const node of processTreeOrder(processes)) {
      // Option text is set through textContent (el): argv comes from the profile.
      const option = el('option', '', processOptionText(node));
      option.value = String(node.process.index);
      // A shell or a process that was not CPython: nothing of its own to show.
      option.disabled = node.process.samples === 0;
      this.element.appendChild(option);
    }
  }

  setValue(process: number | undefined): void {
    if (this.element.hidden) return;
    this.element.value = process === undefined ? 'all' : String(process);
  }
}
