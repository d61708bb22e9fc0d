/**
 * Reporters (json, junit, htmlextra, ...) do not write files themselves: they push
 * `{ path, content }` onto newman's `emitter.exports`, and newman writes the list once
 * the run is done. Masking each entry as it is pushed means no report file ever holds a
 * value, not even briefly. newman attaches reporters before it emits `start`, so the
 * list exists by then and nothing has been pushed yet.
 */
import { join } from 'node:path';
import type { NewmanEmitter } from '../engine/postman-modules.js';
import type { SecretMasker } from '@vault/core';

type ExportEntry = NonNullable<NewmanEmitter['exports']>[number];

export interface ExportGuard {
  /** Why this export must not be written (core's outputPathProblem), or undefined. */
  problem(entry: ExportEntry): string | undefined;
  /** Called for each export left out; the run then fails. */
  refused(entry: ExportEntry, problem: string): void;
}

/**
 * Masks every report before newman writes it, and leaves out any whose file would land inside
 * VAULTLINK_HOME or over a vault file (newman would replace the vault with the report).
 */
export function maskReportExports(emitter: NewmanEmitter, masker: SecretMasker, guard: ExportGuard): void {
  emitter.once('start', () => {
    const list = emitter.exports;
    if (!list) return;
    const safe = (entry: ExportEntry): boolean => {
      const problem = entry && typeof entry === 'object' ? guard.problem(entry) : undefined;
      if (problem !== undefined) guard.refused(entry, problem);
      return problem === undefined;
    };
    const kept = list.filter(safe).map((entry) => maskEntry(entry, masker));
    list.splice(0, list.length, ...kept);
    const push = list.push.bind(list);
    list.push = (...entries: ExportEntry[]) => push(...entries.filter(safe).map((entry) => maskEntry(entry, masker)));
  });
}

/** The file newman will write for an export entry: its path, or newman/<default> in the current directory. */
export function exportTarget(entry: ExportEntry): string | undefined {
  if (typeof entry.path === 'string' && entry.path !== '') return entry.path;
  return typeof entry.default === 'string' ? join('newman', entry.default) : undefined;
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
