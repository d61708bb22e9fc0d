/**
 * Store warnings for the page: every one the agent meets (a rolled-back vault file, whichever
 * client's request met it) is kept, numbered, so the page shows it until the person dismisses
 * it. The newest few are enough: each says what happened to the one vault file.
 */
import type { StoreWarning } from '@vault/core';
import { wireWarning } from '../shared/protocol.js';
import type { UiWarning } from './wire.js';

const KEEP = 20;

export class RecentWarnings {
  private readonly list: UiWarning[] = [];
  private seq = 0;

  add(warning: StoreWarning): void {
    this.list.push({ ...wireWarning(warning), seq: ++this.seq, at: new Date().toISOString() });
    if (this.list.length > KEEP) this.list.shift();
  }

  all(): UiWarning[] {
    return [...this.list];
  }
}
