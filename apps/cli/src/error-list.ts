/**
 * Long error lists are summarised on a terminal: 100k malformed or unresolved references must not
 * print 13 MB to stderr. The text shows the first entries and says how many more there are and
 * how to get them all; `--json` always carries the full list (`issues`, `details`).
 */

/** List entries printed before the summary line. */
export const MAX_LISTED_ENTRIES = 20;

const ENTRY = '  - ';

/** The message's lines with list entries (`  - …`) after the first `max` replaced by one summary line. */
export function capListedLines(lines: readonly string[], max = MAX_LISTED_ENTRIES): string[] {
  const kept: string[] = [];
  let entries = 0;
  let summaryAt = -1;
  for (const line of lines) {
    if (line.startsWith(ENTRY)) {
      entries += 1;
      if (entries > max) continue;
      summaryAt = kept.length + 1;
    }
    kept.push(line);
  }
  const hidden = entries - max;
  if (hidden > 0)
    kept.splice(summaryAt, 0, `  … and ${hidden.toLocaleString('en-US')} more (run the command again with --json for the full list)`);
  return kept;
}
