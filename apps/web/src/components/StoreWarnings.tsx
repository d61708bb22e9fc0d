/**
 * Store warnings the agent met (a rolled-back vault file, whichever client's request met it),
 * shown as the CLI prints them (`[CODE] message`) until the person dismisses them.
 */
import type { JSX } from 'preact';
import type { UiWarning } from '../api/types.js';

export function StoreWarnings({ warnings, onDismiss }: { warnings: UiWarning[]; onDismiss(): void }): JSX.Element | null {
  if (warnings.length === 0) return null;
  return (
    <div class="warning store-warnings" role="status" aria-label="Vault warnings">
      <ul>
        {warnings.map((warning) => (
          <li key={warning.seq}>
            <span class="code">[{warning.code}]</span> {warning.message}{' '}
            <span class="muted">({new Date(warning.at).toLocaleString()})</span>
          </li>
        ))}
      </ul>
      <button type="button" class="small" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
