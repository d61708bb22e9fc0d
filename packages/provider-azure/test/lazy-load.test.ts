/**
 * Importing the provider and using its offline parts (parse, warnings, summaries) must not load
 * any Azure SDK; the first network path must. Checked on the built ESM and CJS entries in a
 * fresh Node process, where a resolve hook / require.cache shows what was loaded.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const session = {
  provider: 'azure', organization: 't', principal: 'p', expiresAt: null, createdAt: new Date().toISOString(),
  data: { method: 'client-secret', scope: 'https://vault.azure.net/.default', tenantId: 't', clientId: '11111111-2222-3333-4444-555555555555', clientSecret: 'x' },
};

const offlineThenOnline = (load: string) => `
  const azure = ${load};
  const provider = azure.createAzureProvider({ maxRetries: 0 });
  const link = provider.parseLink({ id: 'https://127.0.0.1:9/secrets/lazy' });
  provider.linkWarnings(link); provider.summarize(link); provider.documentKey(link);
  const before = loaded();
  // A refused loopback connection: the SDK must load to attempt it.
  const [result] = await provider.fetch([link], ${JSON.stringify(session)}, { signal: new AbortController().signal });
  await new Promise((r) => setTimeout(r, 50));
  console.log(JSON.stringify({ before, after: loaded(), code: result.ok ? 'ok' : result.error.code }));
`;

function run(args: string[]): { before: string[]; after: string[]; code: string } {
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', timeout: 30_000 });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

/** Runs `load` in a fresh ESM process whose resolve hook reports every module URL. */
function runWithHook(load: string) {
  const hook = `let port; export async function initialize(data) { port = data.port; }
    export async function resolve(specifier, context, next) { const r = await next(specifier, context); port.postMessage(r.url); return r; }`;
  const script = `
    import { register, createRequire } from 'node:module';
    import { MessageChannel } from 'node:worker_threads';
    const require = createRequire(import.meta.url);
    const { port1, port2 } = new MessageChannel();
    const urls = [];
    port1.on('message', (url) => urls.push(url));
    port1.unref();
    register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}), { data: { port: port2 }, transferList: [port2] });
    const settle = () => new Promise((r) => setTimeout(r, 50));
    // require() is not hooked on Node 20, so also look at require.cache.
    const loaded = () => [...urls, ...Object.keys(require.cache)].filter((u) => u.includes('/@azure')).map((u) => u.split('node_modules/').pop());
    await settle();
    ${offlineThenOnline(load).replace('const before = loaded();', 'await settle(); const before = loaded();')}
  `;
  return run(['--input-type=module', '-e', script]);
}

describe.skipIf(!existsSync(`${dist}index.js`))('lazy SDK loading (built package)', () => {
  it.each([
    ['ESM', `await import(${JSON.stringify(pathToFileURL(`${dist}index.js`).href)})`],
    ['CommonJS', `require(${JSON.stringify(`${dist}index.cjs`)})`],
  ])('%s: no @azure module loads until a fetch needs the network', (_format, load) => {
    const { before, after, code } = runWithHook(load);
    expect(before).toEqual([]);
    expect(after.some((m) => m.startsWith('@azure/keyvault-secrets'))).toBe(true);
    expect(after.some((m) => m.startsWith('@azure/identity'))).toBe(true);
    expect(code).toBe('PROVIDER_UNAVAILABLE');
  });
});
