import type { Command } from 'commander';
import type { SecretInfo } from '@vault/core';
import type { CliContext } from '../context.js';
import { asVaultError, errorJson, exitCodeOf } from '../errors.js';
import { renderFix } from '@vault/agent/fix-text';
import { formatDomains, formatMetadataValue, keyValues } from '../output.js';
import { connectedProviders, state } from './list.js';

interface ShowOptions {
  upstream: boolean;
}

/**
 * `show NAME`: what the vault knows about a secret and, for a connected link, the upstream
 * metadata from the provider's `describe` (never the value). An upstream failure does not
 * hide the local facts: it is reported on stderr (and under `upstreamError` in --json), and
 * the exit code still says what happened.
 */
export function registerShow(program: Command, ctx: CliContext): void {
  program
    .command('show')
    .description('show a secret: source, identifier, version, allowed domains, cache state, upstream metadata (never the value)')
    .argument('<name>', 'secret name')
    .option('--no-upstream', 'do not ask the external vault for metadata (no network)')
    .action(async (name: string, options: ShowOptions) => {
      const vault = await ctx.vault();
      const info = await vault.show(name);
      const connected = connectedProviders(await vault.integrations());
      let upstream: Record<string, unknown> | undefined;
      let upstreamError: Record<string, unknown> | undefined;
      let exitCode = 0;
      if (info.kind === 'linked' && options.upstream && info.provider && connected.has(info.provider)) {
        try {
          upstream = (await ctx.io.withProgress(`Reading metadata from ${info.provider}`, () => vault.describe(name))).upstream;
        } catch (error) {
          const vaultError = asVaultError(error);
          if (!vaultError) throw error;
          upstreamError = errorJson(vaultError);
          exitCode = exitCodeOf(vaultError);
          ctx.warn(
            `upstream metadata unavailable: [${vaultError.code}] ${vaultError.message}${vaultError.fix ? `\nFix: ${renderFix(vaultError.fix)}` : ''}`,
          );
        }
      }
      const currentState = state(info, connected);
      if (ctx.json) {
        ctx.outJson({ ...info, state: currentState, ...(upstream ? { upstream } : {}), ...(upstreamError ? { upstreamError } : {}) });
      } else {
        ctx.out(render(info, currentState, upstream));
      }
      if (exitCode) ctx.setExitCode(exitCode);
    });
}

function render(info: SecretInfo, currentState: string, upstream: Record<string, unknown> | undefined): string {
  const extra = Object.entries(info.extra ?? {}).map(([k, v]) => [k, v] as const);
  const text = keyValues([
    ['name', info.name],
    ['source', info.kind === 'local' ? 'local (stored encrypted in this vault)' : `linked to ${info.provider ?? '?'}`],
    ['identifier', info.identifier],
    ['version', info.kind === 'linked' ? (info.version ?? 'latest') : undefined],
    ...extra,
    ['allowed domains', formatDomains(info.allowedDomains)],
    ['state', currentState],
    [
      'last fetched',
      info.kind === 'linked'
        ? (info.lastFetchedAt ?? 'not since the cache started (it is in memory: in the agent, or in this command)')
        : undefined,
    ],
    ['cache expires', info.kind === 'linked' ? (info.cacheExpiresAt ?? '-') : undefined],
    ['created', info.createdAt],
    ['updated', info.updatedAt],
  ]);
  if (!upstream || Object.keys(upstream).length === 0) return text;
  return `${text}upstream:\n${keyValues(Object.entries(upstream).map(([k, v]) => [`  ${k}`, formatMetadataValue(v)] as const))}`;
}
