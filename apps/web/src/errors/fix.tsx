/**
 * The one place where an error's `fix` becomes something on screen: a button for the flows the
 * page starts itself (Re-Authenticate, Connect, Unlock), and the same words as the CLI's `Fix:`
 * line (and its `--json` `fix`), so a person can also type it. See fix-offer.ts for the rules.
 */
import type { JSX } from 'preact';
import type { Fix } from '../api/types.js';
import { go } from '../route.js';
import { fixOffer } from './fix-offer.js';

export function FixView({ fix }: { fix: Fix | string | undefined }): JSX.Element | null {
  if (fix === undefined || fix === '') return null;
  const { text, start } = fixOffer(fix);
  return (
    <p class="fix">
      <strong>Fix:</strong>{' '}
      {start && (
        <>
          <button type="button" class="primary small" onClick={() => go(start.route)}>
            {start.label}
          </button>{' '}
          <span class="muted">or run</span>{' '}
        </>
      )}
      <code>{text}</code>
    </p>
  );
}
