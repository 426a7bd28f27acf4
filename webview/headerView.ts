/**
 * The run's summary: command, interpreter, duration, samples, threads and exit. How well the
 * sampler kept up (ticks, their cost, late ticks, dropped samples) is for experts: it sits in a
 * "Sampling" details pop-over, flagged when something there needs attention.
 */
import { clear, el } from './dom';
import { formatCount, formatDuration, formatShare, formatTime, timeModeName } from './format';
import type { ProfileHeader } from '../extension/views/protocol';
import { describeDrops } from '../extension/model/dropReasons';

/** A share of late ticks above this is worth a warning. */
const LATE_WARNING = 0.01;

export function renderHeader(target: HTMLElement, h: ProfileHeader): void {
  clear(target);
  const title = el('h1', 'run-title', h.title);
  const command = el('code', 'run-command', h.argv.join(' '));
  command.title = h.cwd ? `in ${h.cwd}` : '';
  const facts = el('dl', 'run-facts');
  const fact = (into: HTMLElement, label: string, value: string, warn = false) => {
    const item = el('div', warn ? 'fact warn' : 'fact');
    item.append(el('dt', '', label), el('dd', '', value));
    into.appendChild(item);
  };
  fact(facts, 'Python', h.pythonVersion ? `${h.pythonVersion} · ${h.pythonPath}` : h.pythonPath);
  fact(facts, 'Duration', formatDuration(h.durationUs));
  fact(facts, 'Taken in', `${timeModeName(h.mode ?? 'wall')} time`);
  if (h.countedFromUs !== undefined)
    fact(facts, 'Counted', `from the Reset at ${formatTime(h.countedFromUs)}`);
  fact(facts, 'Samples', formatCount(h.stats.samples));
  fact(facts, 'Threads', String(h.threads.length));
  fact(
    facts,
    'Exit',
    exitText(h),
    h.recovered === true || h.exitSignal !== null || (h.exitCode !== null && h.exitCode !== 0),
  );
  facts.appendChild(samplingDetails(h, fact));
  target.append(title, command, facts);
}

/** The sampler's own statistics, behind a summary that says whether any of them is a warning. */
function samplingDetails(
  h: ProfileHeader,
  fact: (into: HTMLElement, label: string, value: string, warn?: boolean) => void,
): HTMLElement {
  const details = el('details', 'run-details');
  const summary = el('summary', 'fact');
  const body = el('dl', 'run-details-body');
  const lines: string[] = [];
  let warnings = 0;
  const stat = (label: string, value: string, warn = false) => {
    fact(body, label, value, warn);
    lines.push(`${label}: ${value}`);
    if (warn) warnings++;
  };
  stat('Ticks', `${formatCount(h.stats.ticks)} every ${formatTime(h.intervalUs)}`);
  stat('Tick cost', `${formatTime(h.stats.meanTickCostUs)} mean`);
  const late = h.stats.ticks > 0 ? h.stats.lateTicks / h.stats.ticks : 0;
  stat(
    'Late ticks',
    `${formatCount(h.stats.lateTicks)}${late > 0 ? ` (${formatShare(h.stats.lateTicks, h.stats.ticks)})` : ''}`,
    late > LATE_WARNING,
  );
  const why = describeDrops(h.stats.droppedByReason);
  stat('Dropped', formatCount(h.stats.droppedSamples) + (why ? ` (${why})` : ''), h.stats.droppedSamples > 0);
  if (h.stats.truncatedStacks > 0) stat('Truncated stacks', formatCount(h.stats.truncatedStacks), true);
  if (h.stats.returnedFramesCut) stat('Returned frames cut', formatCount(h.stats.returnedFramesCut), false);
  if (h.stats.normalPrioritySinceUs !== undefined) {
    // A multi-threaded program is sampled at nice 19, never taking a core its threads want.
    stat(
      'Sampler',
      `took a core from the program from ${formatTime(h.stats.normalPrioritySinceUs)} on: every core was busy`,
      true,
    );
  }
  summary.append(el('dt', '', 'Sampling'), el('dd', '', warnings > 0 ? `⚠ ${warnings} to check` : 'details'));
  if (warnings > 0) summary.classList.add('warn');
  summary.title = lines.join('\n');
  details.append(summary, body);
  return details;
}

function exitText(h: ProfileHeader): string {
  if (h.live) return 'running (live: the samples so far)';
  if (h.recovered) return 'unknown: recovered after VS Code stopped mid-run';
  if (h.exitSignal) return `killed by ${h.exitSignal}`;
  if (h.exitCode === null) return 'attached';
  return h.exitCode === 0 ? 'code 0' : `code ${h.exitCode}`;
}
