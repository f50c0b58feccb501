import { PublishSummary } from './publish-market';

const table = (counts: Readonly<Record<string, number>>): string[] => {
  const names = Object.keys(counts).sort();
  const width = Math.max(0, ...names.map((name) => name.length));
  return names.map((name) => `  ${name.padEnd(width)}  ${String(counts[name]).padStart(9)}`);
};

/** The CLI's closing report: counts per topic and per type, and how long it took. */
export function formatSummary(summary: PublishSummary, destination: string): string {
  const seconds = summary.elapsedMs / 1_000;
  const perSecond = seconds > 0 ? Math.round(summary.published / seconds) : summary.published;
  const verb = summary.aborted ? 'stopped after publishing' : 'published';
  return [
    `${verb} ${summary.published} events to ${destination} in ${seconds.toFixed(1)} s (${perSecond} events/s)`,
    'by topic:',
    ...table(summary.byTopic),
    'by type:',
    ...table(summary.byType),
  ].join('\n');
}
