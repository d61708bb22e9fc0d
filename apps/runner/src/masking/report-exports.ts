/**
 * Reporters (json, junit, htmlextra, ...) do not write files themselves: they push
 * `{ path, content }` onto newman's `emitter.exports`, and newman writes the list once
 * the run is done. Masking each entry as it is pushed means no report file ever holds a
 * value, not even briefly. newman attaches reporters before it emits `start`, so the
 * list exists by then and nothing has been pushed yet.
 */
import type { NewmanEmitter } from '../engine/postman-modules.js';
import type { SecretMasker } from '@vault/core';

type ExportEntry = NonNullable<NewmanEmitter['exports']>[number];

export function maskReportExports(emitter: NewmanEmitter, masker: SecretMasker): void {
  emitter.once('start', () => {
    const list = emitter.exports;
    if (!list) return;
    for (let index = 0; index < list.length; index++) list[index] = maskEntry(list[index] as ExportEntry, masker);
    const push = list.push.bind(list);
    list.push = (...entries: ExportEntry[]) => push(...entries.map((entry) => maskEntry(entry, masker)));
  });
}

function maskEntry(entry: ExportEntry, masker: SecretMasker): ExportEntry {
  if (!entry || typeof entry !== 'object') return entry;
  return { ...entry, content: maskContent(entry.content, masker) };
}

/**
 * JSON text is masked value by value (escaped forms inside strings are covered, keys are
 * structure), XML and HTML (junit, htmlextra) part by part so names and entities stay intact:
 * every report stays well-formed.
 */
export function maskContent(content: unknown, masker: SecretMasker): unknown {
  if (Buffer.isBuffer(content)) return maskContent(content.toString('utf8'), masker);
  if (typeof content === 'string') {
    const trimmed = content.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        return JSON.stringify(masker.maskJson(JSON.parse(content)), null, 2);
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        // Not JSON after all (e.g. a template): masked as text below.
      }
    }
    return trimmed.startsWith('<') ? masker.maskMarkup(content) : masker.mask(content);
  }
  if (content !== null && typeof content === 'object') return masker.maskJson(JSON.parse(JSON.stringify(content)));
  return content;
}
