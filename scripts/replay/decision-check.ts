/**
 * What both replay modes report: how many decisions were recomputed, how many came out the
 * same, and the first few that did not, with where they differ. Bounded: a replay of millions
 * of decisions keeps counts, not every difference.
 */
export interface DecisionMismatch {
  readonly decisionId: string;
  readonly merchantId: string;
  readonly policyVersion: string;
  readonly shadow: boolean;
  /** JSON paths first, at most DIFFERENCES_PER_MISMATCH of them. */
  readonly differences: readonly string[];
}

export interface DecisionCheckReport {
  readonly checked: number;
  readonly matches: number;
  readonly mismatches: number;
  /** The first SAMPLE_LIMIT mismatches, in scan order. */
  readonly samples: readonly DecisionMismatch[];
}

export const MISMATCH_SAMPLE_LIMIT = 5;
export const DIFFERENCES_PER_MISMATCH = 5;

/** Accumulates a report as a scan goes, keeping only the first few mismatches. */
export class DecisionCheckTally {
  private checked = 0;
  private matches = 0;
  private mismatches = 0;
  private readonly samples: DecisionMismatch[] = [];

  record(outcome: Omit<DecisionMismatch, 'differences'> & { readonly differences: readonly string[] }): void {
    this.checked += 1;
    if (outcome.differences.length === 0) {
      this.matches += 1;
      return;
    }
    this.mismatches += 1;
    if (this.samples.length < MISMATCH_SAMPLE_LIMIT)
      this.samples.push({ ...outcome, differences: outcome.differences.slice(0, DIFFERENCES_PER_MISMATCH) });
  }

  report(): DecisionCheckReport {
    return {
      checked: this.checked,
      matches: this.matches,
      mismatches: this.mismatches,
      samples: [...this.samples],
    };
  }
}

export function formatDecisionCheck(title: string, report: DecisionCheckReport): string {
  const lines = [
    `${title}: ${report.checked} decisions checked, ${report.matches} match, ${report.mismatches} mismatch`,
  ];
  for (const sample of report.samples) {
    const kind = sample.shadow ? 'shadow' : 'live';
    lines.push(`  ✗ ${sample.decisionId} ${sample.merchantId} ${sample.policyVersion} (${kind})`);
    for (const difference of sample.differences) lines.push(`      ${difference}`);
  }
  if (report.mismatches > report.samples.length)
    lines.push(`  … and ${report.mismatches - report.samples.length} more`);
  return lines.join('\n');
}
