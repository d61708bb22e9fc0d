/**
 * What the agent's UI API answers (apps/agent/src/http). Its own shapes are imported from the
 * agent's `wire.ts` and `protocol.ts`, types only, and core's are passed through; the few here
 * are the route bodies. The only agent code the page bundles is the fix renderer
 * (`agent/src/shared/fix-text.ts`, see errors/fix.tsx).
 */
import type { FieldIssue, Fix, IntegrationInfo, SecretInfo } from '@vault/core';
import type { CatalogEntry } from '../../../agent/src/http/wire.js';

export type { FieldIssue, Fix, IntegrationInfo, SecretInfo };
export type { CatalogEntry, FormFlag, OperationEvent, OperationView, UiWarning } from '../../../agent/src/http/wire.js';
export type { UiState as AgentState } from '../../../agent/src/http/wire.js';

/**
 * A VaultError as JSON (`VaultError.toJSON()`: the fix is data), or one of the UI server's own
 * refusals (a lost session, a bad Host or Origin), which carry only a code and a message.
 */
export interface ErrorJson {
  code: string;
  message: string;
  fix?: Fix;
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
