/**
 * `links export [NAMES…]` and `links sync [NAMES…]`: a committed, value-free link manifest
 * (`.vaultlink/links.json`) that a team shares. Core builds and validates the data; this file
 * only renders it. Nothing here ever prints or writes a value.
 */
import type { Command } from 'commander';
import {
  applyLinkSync,
  exportLinks,
  linkManifestPath,
  planLinkSync,
  readLinkManifest,
  writeLinkManifest,
  type LinkFlags,
  type SyncItem,
} from '@vault/core';
import type { CliContext } from '../context.js';
import { table } from '../output.js';

interface ExportOptions {
  file?: string;
}

interface SyncOptions {
  file?: string;
  dryRun?: boolean;
  force?: boolean;
}

const SYNC_MARK: Record<SyncItem['status'], string> = { added: '+', changed: '~', unchanged: '=', kept: '!' };

export function registerLinks(program: Command, ctx: CliContext): void {
  const links = program
    .command('links')
    .description(
      'share link definitions through a committed manifest (.vaultlink/links.json): names, providers, link flags, allowed domains; never values',
    );
  links
    .command('export')
    .description("write the vault's links (all, or NAMES) into the manifest, merged with what it holds; local values are never exported")
    .argument('[names...]', 'linked secrets to export (default: every linked secret)')
    .option('--file <path>', 'manifest file (default: .vaultlink/links.json here or in a parent directory, else a new one here)')
    .action(async (names: string[], options: ExportOptions) => {
      const vault = await ctx.vault();
      const { path, exists } = await linkManifestPath(options.file ? { file: options.file } : {});
      const existing = exists ? await readLinkManifest(path) : undefined;
      const result = await exportLinks(vault, existing, names);
      await writeLinkManifest(path, result.manifest);
      if (ctx.json) {
        ctx.outJson({ file: path, changes: result.changes, skipped: result.skipped });
        return;
      }
      const count = (change: string) => result.changes.filter((c) => c.change === change).length;
      ctx.done(
        `Wrote ${path}: ${count('added')} added, ${count('changed')} changed, ${count('unchanged')} unchanged (${Object.keys(result.manifest.links).length} links in the file).`,
      );
      for (const { name, reason } of result.skipped) ctx.info(`Left out "${name}": ${reason}.`);
      ctx.info('Commit it with links.schema.json beside it; it holds no values and no sessions.');
    });
  links
    .command('sync')
    .alias('import')
    .description('create or update links in your vault from the manifest; local values are kept unless --force')
    .argument('[names...]', 'only these names from the manifest')
    .option('--file <path>', 'manifest file (default: .vaultlink/links.json here or in a parent directory)')
    .option('--dry-run', 'show what would change, change nothing')
    .option('--force', "replace local values with the manifest's links")
    .action(async (names: string[], options: SyncOptions) => {
      const { path } = await linkManifestPath(options.file ? { file: options.file } : {});
      const manifest = await readLinkManifest(path);
      const vault = await ctx.vault();
      const plan = await planLinkSync(vault, manifest, path, { force: options.force === true, names });
      if (!options.dryRun) await applyLinkSync(vault, plan);
      if (ctx.json) {
        ctx.outJson({ file: path, dryRun: options.dryRun === true, items: plan.map(({ link: _link, ...item }) => item) });
        return;
      }
      ctx.out(renderPlan(plan));
      const count = (status: SyncItem['status']) => plan.filter((i) => i.status === status).length;
      const summary = `${count('added')} added, ${count('changed')} changed, ${count('unchanged')} unchanged, ${count('kept')} kept`;
      if (options.dryRun) ctx.info(`Dry run of ${path}: ${summary}. Nothing was changed; run without --dry-run to apply.`);
      else ctx.done(`Synced ${path}: ${summary}.`);
      for (const item of plan.filter((i) => i.status === 'kept')) ctx.warn(`"${item.name}" was left alone: ${item.reason ?? 'kept'}.`);
    });
}

/** One row per name: `+` added, `~` changed (with each difference), `=` unchanged, `!` kept. */
function renderPlan(plan: readonly SyncItem[]): string {
  if (plan.length === 0) return '';
  return table(
    ['', 'NAME', 'PROVIDER', 'LINK', 'CHANGES'],
    plan.map((item) => [SYNC_MARK[item.status], item.name, item.provider, flagsText(item.link), changesText(item)]),
  );
}

function flagsText(flags: LinkFlags): string {
  return Object.entries(flags)
    .map(([name, value]) => (value === true ? `--${name}` : `--${name} ${Array.isArray(value) ? value.join(',') : value}`))
    .join(' ');
}

function changesText(item: SyncItem): string {
  if (item.status === 'added') return 'new link';
  if (item.status === 'unchanged') return '-';
  return item.differences.map((d) => `${d.field}: ${d.from ?? '(none)'} → ${d.to ?? '(none)'}`).join('; ');
}
