/**
 * Errors on the client side. @vault/core is imported only when an error has to be built, so a
 * command that the agent answers without trouble never loads the engine (lean start).
 */
import type { ErrorCode, Fix, VaultError } from '@vault/core';
import type { GuardProblem } from '../shared/socket-guard.js';
import { coreErrors } from '../shared/wire-errors.js';

/** No agent answers on the socket (none was started, or a crashed one left its socket). */
export class AgentNotRunning extends Error {
  constructor(
    readonly socket: string,
    readonly reason: 'no-socket' | 'stale',
  ) {
    super(reason === 'stale' ? `nothing answers on ${socket} (a stopped agent left it)` : `no agent socket at ${socket}`);
    this.name = 'AgentNotRunning';
  }
}

/** The socket or its directory could be reached or replaced by another user: never used. */
export class AgentInsecure extends Error {
  constructor(readonly problems: GuardProblem[]) {
    super(problems.map((p) => `${p.path} ${p.problem}`).join('; '));
    this.name = 'AgentInsecure';
  }
}

export async function vaultError(
  code: ErrorCode,
  message: string,
  options: { fix: Fix | string; details?: Record<string, unknown>; cause?: unknown },
): Promise<VaultError> {
  const { VaultError } = await coreErrors();
  return new VaultError(code, message, options);
}

/** AGENT_UNAVAILABLE for a request the agent did not finish. */
export function agentGone(op: string, why: string): Promise<VaultError> {
  return vaultError(
    'AGENT_UNAVAILABLE',
    `The vaultlink agent ${why} before it answered \`${op}\`; the request may or may not have been carried out.`,
    {
      fix: {
        action: 'retry',
        hint: 'the command starts or finds the agent; `vaultlink agent status` shows it, and VAULTLINK_AGENT=off runs without it',
      },
      details: { op },
    },
  );
}

/** The error a client reports for AgentNotRunning / AgentInsecure and other failures to connect. */
export async function connectError(error: unknown, socket: string): Promise<VaultError> {
  if (error instanceof AgentInsecure) {
    const [first] = error.problems;
    return vaultError('AGENT_UNAVAILABLE', `Refusing to use the vaultlink agent socket: ${error.message}.`, {
      fix: first?.fix ?? { action: 'agent', command: 'restart' },
      details: { socket, reason: 'insecure', problems: error.problems },
    });
  }
  if (error instanceof AgentNotRunning) {
    return vaultError('AGENT_UNAVAILABLE', `No vaultlink agent is running for this vault (${error.message}).`, {
      fix: { action: 'agent', command: 'start', hint: 'or VAULTLINK_AGENT=off to run without it' },
      details: { socket, reason: 'not-running' },
    });
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return vaultError(
    'AGENT_UNAVAILABLE',
    `Cannot reach the vaultlink agent at ${socket} (${code ?? (error instanceof Error ? error.message : String(error))}).`,
    {
      fix: { action: 'agent', command: 'restart', hint: 'VAULTLINK_AGENT=off runs without the agent' },
      details: { socket, reason: 'connect', ...(code ? { errno: code } : {}) },
    },
  );
}

export function incompatible(theirs: unknown, ours: number): Promise<VaultError> {
  return vaultError(
    'AGENT_INCOMPATIBLE',
    `The running vaultlink agent speaks protocol version ${String(theirs)}, and this vaultlink speaks version ${ours} (one of them was upgraded).`,
    {
      fix: { action: 'agent', command: 'restart', hint: 'so the agent of this version starts' },
      details: { agentProtocol: theirs, clientProtocol: ours },
    },
  );
}
