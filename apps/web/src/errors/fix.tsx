/**
 * The one place where an error's `fix` becomes something on screen. Today `VaultError.fix` is
 * the text the CLI prints (`vaultlink reauth aws`), shown as is. Provider contract v2 makes it
 * data, `{ action, provider, flags, text }`: then `reauth` and `connect` become a button that
 * opens that sign-in in the Integrations screen, and every other action shows its `text`, the
 * same words as the CLI. Switching is this file only.
 */
import type { JSX } from 'preact';

interface StructuredFix {
  action: string;
  provider?: string;
  text?: string;
}

function isStructured(fix: unknown): fix is StructuredFix {
  return typeof fix === 'object' && fix !== null && typeof (fix as { action?: unknown }).action === 'string';
}

export function FixView({ fix }: { fix: unknown }): JSX.Element | null {
  if (typeof fix === 'string' && fix !== '') {
    return (
      <p class="fix">
        <strong>Fix:</strong> <code>{fix}</code>
      </p>
    );
  }
  if (!isStructured(fix)) return null;
  const text = fix.text ? <code>{fix.text}</code> : null;
  if ((fix.action === 'reauth' || fix.action === 'connect') && fix.provider) {
    return (
      <p class="fix">
        <strong>Fix:</strong> <a class="button" href={`#/integrations/${encodeURIComponent(fix.provider)}/${fix.action}`}>{fix.action === 'reauth' ? `Re-Authenticate ${fix.provider}` : `Connect ${fix.provider}`}</a> {text}
      </p>
    );
  }
  return text ? (
    <p class="fix">
      <strong>Fix:</strong> {text}
    </p>
  ) : null;
}
