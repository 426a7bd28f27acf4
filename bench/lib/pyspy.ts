/**
 * What py-spy reports of a run: it prints "Samples: N Errors: M" (on stdout) when it stops.
 * Errors are ticks whose stack it could not read (a stack that changed while it
 * was read, or a read that failed), so N + M is the ticks it attempted.
 */
export interface PySpyRunStats {
  samples: number;
  errors: number;
}

export function parsePySpyStats(output: string): PySpyRunStats | undefined {
  const match = /Samples:\s*(\d+)\s+Errors:\s*(\d+)/.exec(output);
  if (!match) return undefined;
  return { samples: Number(match[1]), errors: Number(match[2]) };
}
