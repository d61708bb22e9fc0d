import type { SecretMasker } from '@vault/core';
import type { NewmanSummary } from '../engine/postman-modules.js';

/**
 * newman's summary as its json reporter writes it, masked. Masking a large run's summary
 * costs time, and the CLI never reads it, so each part is masked on first access (the
 * properties are enumerable getters: spreading or JSON.stringify see plain data).
 */
export function withMaskedSummary<Summary extends { vaultlink: unknown }>(
  summary: NewmanSummary,
  masker: SecretMasker,
  report: Summary['vaultlink'],
): Summary {
  const result = { vaultlink: report } as Summary;
  for (const key of Object.keys(summary)) {
    if (key === 'exports') continue;
    let masked: unknown;
    let done = false;
    Object.defineProperty(result, key, {
      enumerable: true,
      configurable: true,
      get: () => {
        if (!done) {
          const json = JSON.stringify(summary[key]);
          masked = json === undefined ? undefined : masker.maskJson(JSON.parse(json));
          done = true;
        }
        return masked;
      },
    });
  }
  return result;
}
