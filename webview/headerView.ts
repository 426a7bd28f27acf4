/** The run's summary: command, interpreter, duration, samples and sampler health. */
import { clear, el } from './dom';
import { formatCount, formatDuration, formatShare } from './format';
import type { ProfileHeader } from '../extension/panel/protocol';

export function renderHeader(target: HTMLElement, h: ProfileHeader): void {
  clear(target);
  const title = el('h1', 'run-title', h.title);
  const command = el('code', 'run-command', h.argv.join(' '));
  command.title = h.cwd ? `in ${h.cwd}` : '';
  const facts = el('dl', 'run-facts');
  const fact = (label: string, value: string, warn = false) => {
    const item = el('div', warn ? 'fact warn' : 'fact');
    item.append(el('dt', '', label), el('dd', '', value));
    facts.appendChild(item);
  };
  fact('Python', h.pythonVersion ? `${h.pythonVersion} · ${h.pythonPath}` : h.pythonPath);
  fact('Duration', formatDuration(h.durationUs));
  fact(
    'Samples',
    `${formatCount(h.stats.samples)} (${formatCount(h.stats.ticks)} ticks every ${formatDuration(h.intervalUs)})`,
  );
  fact('Threads', String(h.threads.length));
  fact('Tick cost', `${formatDuration(h.stats.meanTickCostUs)} mean`);
  const late = h.stats.ticks > 0 ? h.stats.lateTicks / h.stats.ticks : 0;
  fact(
    'Late ticks',
    `${formatCount(h.stats.lateTicks)}${late > 0 ? ` (${formatShare(h.stats.lateTicks, h.stats.ticks)})` : ''}`,
    late > 0.01,
  );
  fact('Dropped', formatCount(h.stats.droppedSamples), h.stats.droppedSamples > 0);
  if (h.stats.truncatedStacks > 0) fact('Truncated stacks', formatCount(h.stats.truncatedStacks), true);
  if (h.stats.normalPrioritySinceUs !== undefined) {
    // A multi-threaded program is sampled at nice 19, never taking a core its threads want.
    fact(
      'Sampler',
      `took a core from the program from ${formatDuration(h.stats.normalPrioritySinceUs)} on: every core was busy`,
      true,
    );
  }
  fact(
    'Exit',
    exitText(h),
    h.recovered === true || h.exitSignal !== null || (h.exitCode !== null && h.exitCode !== 0),
  );
  target.append(title, command, facts);
}

function exitText(h: ProfileHeader): string {
  if (h.recovered) return 'unknown: recovered after VS Code stopped mid-run';
  if (h.exitSignal) return `killed by ${h.exitSignal}`;
  if (h.exitCode === null) return 'attached';
  return h.exitCode === 0 ? 'code 0' : `code ${h.exitCode}`;
}
