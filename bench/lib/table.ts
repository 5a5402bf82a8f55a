import type { Machine } from './machine.js';
import type { Figure } from './types.js';

/** Prints the results table (plain text, one row per figure). */
export function printTable(report: { machine: Machine; seconds: number; options?: { quick: boolean }; scenarios: { title: string; figures: Figure[]; error?: string }[] }): void {
  const m = report.machine;
  console.log(`\nSwitchboard benchmarks — ${m.cores} cores (${m.cpuModel}), ${m.memoryGb} GB, Node ${m.node}, PostgreSQL ${m.postgres}, ${m.platform}`);
  console.log(`load average at start ${m.loadAtStart.join(' / ')}, at end ${(m.loadAtEnd ?? []).join(' / ')}; ${report.seconds} s${report.options?.quick ? '; QUICK run (short durations: not reference figures)' : ''}\n`);
  const header = ['figure', 'value', 'baseline (same run)', 'ratio', 'target', 'met'];
  const rows: string[][] = [];
  for (const s of report.scenarios) {
    rows.push([`[${s.title}]`, '', '', '', '', '']);
    if (s.error) rows.push([`  FAILED: ${s.error.split('\n')[0]}`, '', '', '', '', '']);
    for (const f of s.figures) {
      rows.push([
        `  ${f.name}`,
        `${f.value} ${f.unit}`,
        f.baseline ? `${f.baseline.value} ${f.unit} (${f.baseline.label})` : '',
        f.ratio !== undefined ? `${f.ratio}×` : '',
        f.target ?? '',
        f.met === null ? '' : f.met ? 'yes' : 'NO',
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ').trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
}
