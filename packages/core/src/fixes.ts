/**
 * What fixes an error, as data. Libraries and providers say *what* to do; each host renders
 * it: the CLI prints `vaultlink reauth aws`, a web UI shows a "Sign in again" button.
 * `manual` is free text for fixes outside vaultlink (an `az` command, "ask your admin ...").
 */

/** Flags a fix suggests: a string is shown as the value (placeholders in capitals, e.g. `KEY`), `true` is a bare switch. */
export type FixFlags = Record<string, string | true>;

export type Fix =
  /** Sign in to the provider again. */
  | { action: 'reauth'; provider: string; hint?: string }
  /** Connect the provider (there is no integration, or sign-in failed). */
  | { action: 'connect'; provider: string; flags?: FixFlags; hint?: string }
  /** Remove the integration and connect again (e.g. another tenant or organization). */
  | { action: 'reconnect'; provider: string; flags?: FixFlags; hint?: string }
  /** Remove the integration. */
  | { action: 'disconnect'; provider: string; flags?: FixFlags; hint?: string }
  /** An admin sets the provider up for the workspace (team config). */
  | { action: 'setup'; provider: string; hint?: string }
  /** Link the secret again with other flags. */
  | { action: 'relink'; provider: string; name?: string; flags?: FixFlags; hint?: string }
  /** Create the secret: set a value or link it. */
  | { action: 'set'; name: string; hint?: string }
  | { action: 'enable'; name: string; hint?: string }
  | { action: 'remove'; name: string; hint?: string }
  /** See the secrets (names, links). */
  | { action: 'list'; hint?: string }
  /** Install (or reinstall) an npm package, e.g. a provider. */
  | { action: 'install'; package: string; reinstall?: boolean; hint?: string }
  /** Try again, after `afterSeconds` when the upstream said so. */
  | { action: 'retry'; afterSeconds?: number; hint?: string }
  /** Unlock the vault held by a running agent (it is locked: idle timeout or `lock`). */
  | { action: 'unlock'; hint?: string }
  /** Start, stop or restart the local agent (`restart`: stop it, then start the installed version). */
  | { action: 'agent'; command: 'start' | 'stop' | 'restart' | 'status'; hint?: string }
  /** A bug in a package: report it to its authors. */
  | { action: 'report'; package?: string; hint?: string }
  /** Free text, for fixes outside vaultlink. */
  | { action: 'manual'; text: string };

export type FixAction = Fix['action'];

export const FIX_ACTIONS: readonly FixAction[] = [
  'reauth',
  'connect',
  'reconnect',
  'disconnect',
  'setup',
  'relink',
  'set',
  'enable',
  'remove',
  'list',
  'install',
  'retry',
  'unlock',
  'agent',
  'report',
  'manual',
];

/** True for a value shaped like a Fix (used when errors come back as JSON). */
export function isFix(value: unknown): value is Fix {
  if (typeof value !== 'object' || value === null) return false;
  const action = (value as { action?: unknown }).action;
  if (!(FIX_ACTIONS as readonly unknown[]).includes(action)) return false;
  if (action === 'manual') return typeof (value as { text?: unknown }).text === 'string';
  if (action === 'agent') return ['start', 'stop', 'restart', 'status'].includes((value as { command?: unknown }).command as string);
  return true;
}

/** A string fix is free text (`manual`); anything else must already be a Fix. */
export function fixFrom(fix: Fix | string | undefined): Fix | undefined {
  if (fix === undefined || fix === '') return undefined;
  return typeof fix === 'string' ? { action: 'manual', text: fix } : fix;
}
