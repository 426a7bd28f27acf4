/**
 * The report's source pane: one profiled file at a time, every line with its
 * total and self time under the current filter and a heat mark (the editor's
 * levels and colours), the line a node opens marked and scrolled to. A click
 * on a line asks the panel to highlight the nodes that ran it, as moving the
 * editor's cursor does in VS Code. Source text goes in through `el`
 * (textContent, bidi controls made visible): a profiled file is data too.
 */
import { HOT_SPOT_SELF_SHARE, heatLevel } from '../../extension/views/heatLevels';
import { MISSING_TEXT, type ReportSource, type ReportSources } from '../../extension/format/htmlReportData';
import type { LineStats } from '../../extension/model/types';
import { clear, el } from '../dom';
import { formatDuration, formatShare, NO_TIME } from '../format';

/** A file's line stats under the current filter, and the filter's total (the shares' denominator). */
export interface LineSource {
  totalUs: number;
  linesOf(file: string): Map<number, LineStats>;
}

export class SourceView {
  readonly element = el('aside', 'report-source');
  private readonly picker = el('select', 'report-file-picker');
  private readonly status = el('div', 'report-source-status');
  private readonly lines = el('div', 'report-source-lines');
  private readonly byFile = new Map<string, ReportSource>();
  private current: ReportSource | undefined;
  private currentLine = 0;
  private stats: LineSource | undefined;

  constructor(
    private readonly sources: ReportSources,
    private readonly onLine: (file: string, line: number) => void,
  ) {
    const bar = el('div', 'report-source-bar');
    const label = el('label', 'report-file-label', 'Source ');
    label.appendChild(this.picker);
    bar.append(label);
    this.picker.setAttribute('aria-label', 'Profiled file');
    sources.files.forEach((source, i) => {
      this.byFile.set(source.file, source);
      const option = el(
        'option',
        '',
        source.text === undefined ? `${source.file} (not embedded)` : source.file,
      );
      option.value = String(i);
      this.picker.appendChild(option);
    });
    this.picker.addEventListener('change', () => {
      const source = this.sources.files[Number(this.picker.value)];
      if (source) this.show(source.file, 0);
    });
    this.lines.tabIndex = 0;
    this.lines.setAttribute('role', 'list');
    this.lines.setAttribute('aria-label', 'Source lines with their time');
    this.lines.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('.src-line[data-line]');
      if (!row || !this.current) return;
      this.mark(Number(row.dataset.line));
      this.onLine(this.current.file, this.currentLine);
    });
    this.element.append(bar, this.status, this.lines);
    const first = sources.files.find((s) => s.text !== undefined) ?? sources.files[0];
    if (first) this.current = first;
  }

  /** New times (the filter changed): repaint the file shown. */
  setStats(stats: LineSource): void {
    this.stats = stats;
    if (this.current) this.render(this.currentLine);
  }

  /** Shows `file` with `line` marked and in view (0: from the top, nothing marked); `focus` moves the keyboard there. */
  show(file: string, line: number, focus = false): void {
    const source = this.byFile.get(file) ?? { file, missing: 'missing' as const };
    const index = this.sources.files.indexOf(source);
    if (index >= 0) this.picker.value = String(index);
    if (source !== this.current) {
      this.current = source;
      this.render(line);
    } else {
      this.mark(line);
    }
    this.element.dataset.file = file;
    this.reveal();
    if (focus) this.lines.focus({ preventScroll: true });
  }

  private render(line: number): void {
    const source = this.current;
    clear(this.lines);
    this.currentLine = 0;
    if (!source || !this.stats) return;
    if (source.text === undefined) {
      this.status.textContent = MISSING_TEXT[source.missing ?? 'missing'];
      this.status.classList.add('warn');
      this.element.dataset.line = String(line);
      return;
    }
    this.status.classList.remove('warn');
    const stats = this.stats.linesOf(source.file);
    const total = this.stats.totalUs;
    const texts = source.text.split(/\r\n|\r|\n/);
    if (texts.length > 0 && texts[texts.length - 1] === '') texts.pop();
    const fragment = document.createDocumentFragment();
    const head = el('div', 'src-line src-head');
    head.append(
      el('span', 'src-no', 'Line'),
      el('span', 'src-total', 'Total'),
      el('span', 'src-self', 'Self'),
    );
    fragment.appendChild(head);
    texts.forEach((text, i) => {
      const number = i + 1;
      const s = stats.get(number);
      const row = el('div', 'src-line');
      row.dataset.line = String(number);
      row.setAttribute('role', 'listitem');
      const totalCell = el('span', 'src-total', s ? formatDuration(s.totalUs) : '');
      const selfCell = el('span', 'src-self', s && s.selfUs > 0 ? formatDuration(s.selfUs) : '');
      if (s && s.totalUs > 0 && total > 0) {
        row.dataset.heat = String(heatLevel(s.totalUs / total));
        if (s.selfUs / total >= HOT_SPOT_SELF_SHARE) row.classList.add('hot');
        row.title = `total ${formatDuration(s.totalUs)} (${formatShare(s.totalUs, total)}) · self ${
          s.selfUs > 0 ? `${formatDuration(s.selfUs)} (${formatShare(s.selfUs, total)})` : NO_TIME
        }`;
      }
      row.append(el('span', 'src-no', String(number)), totalCell, selfCell, el('code', 'src-code', text));
      fragment.appendChild(row);
    });
    this.lines.appendChild(fragment);
    this.mark(line);
    const beyond = [...stats.keys()].filter((n) => n > texts.length).length;
    this.status.textContent =
      beyond > 0
        ? `${beyond} sampled line(s) are past the end of this file: it changed after it was profiled.`
        : '';
    this.status.classList.toggle('warn', beyond > 0);
  }

  private mark(line: number): void {
    this.lines.querySelector('.src-line.current')?.classList.remove('current');
    this.currentLine = line;
    this.element.dataset.line = String(line);
    if (line <= 0) return;
    this.lines.querySelector(`.src-line[data-line="${line}"]`)?.classList.add('current');
  }

  private reveal(): void {
    const row = this.lines.querySelector<HTMLElement>('.src-line.current');
    if (row) row.scrollIntoView({ block: 'center' });
    else this.lines.scrollTop = 0;
  }
}
