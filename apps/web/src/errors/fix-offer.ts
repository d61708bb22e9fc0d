/**
 * What the page offers for an error's fix. Fixes are data (`{ action: 'reauth', provider: 'aws' }`):
 * the three the page can start itself (sign in again, connect, unlock) get a button that opens
 * that flow here, and every fix also shows the words the CLI prints after `Fix:` (the renderer is
 * the agent's `fix-text.ts`, the one owner of those rules, bundled into the page).
 */
import type { Fix } from '@vault/core';
import { renderFix } from '../../../agent/src/shared/fix-text.js';

export interface FixOffer {
  /** The CLI's words for the fix (`vaultlink reauth aws`), shown as is. */
  text: string;
  /** A flow the page starts itself: the button's label and the hash route it opens. */
  start?: { label: string; route: string };
}

/** `fix` may be free text (a refusal of the UI server, or a fix from an older agent). */
export function fixOffer(fix: Fix | string): FixOffer {
  if (typeof fix === 'string') return { text: fix };
  const text = renderFix(fix);
  switch (fix.action) {
    case 'reauth':
      return { text, start: { label: `Re-Authenticate ${fix.provider}`, route: integrationRoute(fix.provider, 'reauth') } };
    case 'connect':
      return { text, start: { label: `Connect ${fix.provider}`, route: integrationRoute(fix.provider, 'connect') } };
    case 'unlock':
      return { text, start: { label: 'Unlock the vault', route: '#/unlock' } };
    default:
      return { text };
  }
}

function integrationRoute(provider: string, action: 'reauth' | 'connect'): string {
  return `#/integrations/${encodeURIComponent(provider)}/${action}`;
}
