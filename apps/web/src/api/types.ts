/**
 * What the agent's UI API answers (apps/agent/src/http). Its own shapes are imported from the
 * agent's `wire.ts` and `protocol.ts`, types only (nothing of the agent is bundled into the
 * page), and core's are passed through; the few here are the route bodies.
 */
import type { FieldIssue, IntegrationInfo, SecretInfo } from '@vault/core';
import type { CatalogEntry } from '../../../agent/src/http/wire.js';

export type { FieldIssue, IntegrationInfo, SecretInfo };
export type { CatalogEntry, FormFlag, OperationEvent, OperationView } from '../../../agent/src/http/wire.js';
export type { AgentStatus as AgentState } from '../../../agent/src/shared/protocol.js';

/** A VaultError as JSON (`VaultError.toJSON()`), or one of the UI server's own refusals. */
export interface ErrorJson {
  code: string;
  message: string;
  /** Today the CLI's fix text; see errors/fix.tsx for the structured form to come. */
  fix?: unknown;
  issues?: FieldIssue[];
  provider?: string;
  details?: Record<string, unknown>;
}

export type InstalledProvider = Extract<CatalogEntry, { installed: true }>;

export interface SecretList {
  secrets: SecretInfo[];
  connected: string[];
}

export interface SecretDetails {
  secret: SecretInfo;
  connected: string[];
  upstream?: Record<string, unknown>;
  upstreamError?: ErrorJson;
}
