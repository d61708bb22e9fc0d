/**
 * What the agent's UI API answers (apps/agent/src/http). Core's types are reused where the
 * API passes them through; the rest mirrors the routes.
 */
import type { FieldIssue, FlagSpec, IntegrationInfo, ProviderCapabilities, SecretInfo } from '@vault/core';

export type { FieldIssue, IntegrationInfo, SecretInfo };

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

export type FormFlag = FlagSpec & { field: string };

export type CatalogEntry =
  | {
      id: string;
      installed: true;
      displayName: string;
      capabilities: ProviderCapabilities;
      flags: { link: FormFlag[]; connect: FormFlag[]; setup: FormFlag[] };
      teamConfigured?: boolean;
    }
  | { id: string; installed: false; error: ErrorJson };

export type InstalledProvider = Extract<CatalogEntry, { installed: true }>;

export interface AgentState {
  pid: number;
  version: string;
  home: string;
  locked: boolean;
  idleLockMinutes: number;
  locksAt?: string;
  upstreamReads: number;
  providers: Array<{ provider: string; organization: string; principal: string; expiresAt: string | null; expired: boolean; renewsAt?: string }>;
  cache: {
    expiryMinutes: number | null;
    maxEntries: number;
    entries: Array<{ provider: string; names: string[]; ageSeconds: number; expiresInSeconds: number }>;
  };
}

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

export type OperationEvent =
  | { seq: number; type: 'info' | 'warn' | 'progress'; message: string }
  | { seq: number; type: 'prompt'; question: string; secret: boolean; default?: string }
  | { seq: number; type: 'openBrowser'; url: string };

export interface OperationView {
  id: string;
  kind: string;
  provider: string;
  events: OperationEvent[];
  done: boolean;
  result?: unknown;
  error?: ErrorJson;
}
