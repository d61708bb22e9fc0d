/**
 * The shapes of the UI API's answers that are the agent's own (the rest are core's types,
 * passed through). Types only: the page (apps/web) imports them from here, so the server
 * and the page cannot drift apart.
 */
import type { FlagSpec, ProviderCapabilities, VaultErrorJSON } from '@vault/core';
import type { AgentStatus, WireWarning } from '../shared/protocol.js';

export type OperationEvent =
  | { seq: number; type: 'info' | 'warn' | 'progress'; message: string }
  | { seq: number; type: 'prompt'; question: string; secret: boolean; default?: string }
  | { seq: number; type: 'openBrowser'; url: string };

/** A sign-in, setup or disconnect run from the page, as the page polls it. */
export interface OperationView {
  id: string;
  kind: string;
  provider: string;
  events: OperationEvent[];
  done: boolean;
  result?: unknown;
  error?: VaultErrorJSON;
}

export type FormFlag = FlagSpec & { /** Key of the value in ProviderFields. */ field: string };

export type CatalogEntry =
  | {
      id: string;
      installed: true;
      displayName: string;
      capabilities: ProviderCapabilities;
      /** `disconnect`: the setup flags (admin credentials), then the connect ones, as the CLI takes them. */
      flags: { link: FormFlag[]; connect: FormFlag[]; setup: FormFlag[]; disconnect: FormFlag[] };
      /** Admin-managed providers: whether this workspace's team config sets it up. */
      teamConfigured?: boolean;
    }
  | { id: string; installed: false; error: VaultErrorJSON };

/** A store warning the agent met (a rolled-back vault file), numbered so the page can tell new ones. */
export type UiWarning = WireWarning & { seq: number; at: string };

/** What `GET /api/state` answers: the agent's status and the store warnings it met lately. */
export type UiState = AgentStatus & { warnings: UiWarning[] };
