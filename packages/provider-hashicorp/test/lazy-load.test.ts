/**
 * Importing the built provider (ESM and CJS) loads no SDK: node-vault, axios and openid-client
 * are imported on the first network call only. A module resolve hook in a child process logs
 * every import of those packages; the fetch at the end is the positive control.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';

const run = promisify(execFile);
const dist = resolve(__dirname, '../dist');

const HOOK = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  if (/^(node-vault|axios|axios-retry|openid-client)$/.test(specifier)) appendFileSync(process.env.VL_LOG, specifier + '\\n');
  return next(specifier, context);
}`;
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOK)}`)});`;

const CHILD = `
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const entry = process.env.VL_ENTRY;
const mod = entry.endsWith('.cjs') ? createRequire(import.meta.url)(entry) : await import(entry);
const provider = mod.default ?? mod.hashicorpProvider;
const link = provider.parseLink({ engine: 'secret', path: 'app', key: 'k', kvVersion: '2' });
provider.summarize(link);
provider.documentKey(link);
appendFileSync(process.env.VL_LOG, '--- network ---\\n');
const session = { data: { token: 't', vaultAddr: 'http://127.0.0.1:9', method: 'token' } };
const [result] = await provider.fetch([link], session, { signal: AbortSignal.timeout(5000) });
console.log(result.ok ? 'OK' : result.error.code);
`;

describe.each(['index.js', 'index.cjs'])('dist/%s', (file) => {
  it('loads no SDK on import, and node-vault + axios on the first read', async () => {
    expect(existsSync(join(dist, file)), 'build the package first (pnpm --filter @vault/provider-hashicorp build)').toBe(true);
    const dir = await mkdtemp(join(tmpdir(), 'vl-lazy-'));
    const log = join(dir, 'imports.log');
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const { stdout } = await run(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, '--input-type=module', '-e', CHILD], {
      env: { ...process.env, VL_LOG: log, VL_ENTRY: join(dist, file) },
      timeout: 30_000,
    });
    expect(stdout.trim()).toBe('PROVIDER_UNAVAILABLE');
    const [beforeNetwork, afterNetwork] = (await readFile(log, 'utf8')).split('--- network ---\n');
    expect(beforeNetwork).toBe('');
    expect(afterNetwork).toContain('node-vault');
    expect(afterNetwork).toContain('axios');
    expect(afterNetwork).not.toContain('openid-client'); // only the OIDC sign-in needs it
  });
});
