/**
 * Group `lazySdk`: loading the provider, parsing, keying and summarizing links imports no SDK;
 * the first read does. Runs in a fresh Node process per entry (ESM `.js`/`.mjs`, CommonJS
 * `.cjs`) that records every module resolved through the ESM loader and every CommonJS module
 * in require.cache. The read may fail (nothing needs to answer): it only has to load the SDK,
 * which proves the check can see it.
 */
import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import type { Harness } from '../harness.js';
import { check } from './assert.js';

interface ProbeReport {
  before: string[];
  after: string[];
  readOutcome: string;
}

export function lazySdkGroup(h: Harness): void {
  h.it('lazySdk', 'loads no SDK until the first read, and loads it then', async () => {
    const lazy = h.options.lazySdk;
    check(lazy, 'options.lazySdk is required ({ entries, sdkPackages, link, session }), or skip.lazySdk with the reason');
    check(lazy.sdkPackages.length > 0, 'options.lazySdk.sdkPackages must name the SDK packages that load lazily');
    for (const entry of lazy.entries) {
      const report = await probe(entry, lazy);
      check(
        report.before.length === 0,
        `${entry}: loading the provider and parsing a link loaded SDK modules: ${report.before.slice(0, 5).join(', ')}`,
      );
      check(
        report.after.length > 0,
        `${entry}: the first read (${report.readOutcome}) loaded none of ${lazy.sdkPackages.join(', ')}; the check cannot see the SDK, or the read never reached it`,
      );
    }
  });
}

function probe(entry: string, lazy: NonNullable<Harness['options']['lazySdk']>): Promise<ProbeReport> {
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
const sdk = ${JSON.stringify(lazy.sdkPackages)};
const loaded = () => [...new Set([...urls, ...Object.keys(require.cache)])].filter((u) => sdk.some((p) => u.includes('/node_modules/' + p + '/')));
const entry = ${JSON.stringify(entry)};
const mod = entry.endsWith('.cjs') ? require(entry) : await import(${JSON.stringify(pathToFileURL(entry).href)});
let provider = mod.default ?? mod.provider;
if (provider && typeof provider === 'object' && !('contractVersion' in provider) && ('default' in provider || 'provider' in provider)) provider = provider.default ?? provider.provider;
if (typeof provider === 'function') provider = await provider({ env: process.env });
const link = provider.parseLink(${JSON.stringify(lazy.link)});
provider.documentKey(link);
provider.summarize(link);
provider.linkWarnings?.(link);
await settle();
const before = loaded();
let readOutcome = 'ok';
try {
  await provider.readDocument(link, ${JSON.stringify(lazy.session)}, { signal: AbortSignal.timeout(15000), timeoutMs: 3000 });
} catch (error) {
  readOutcome = String(error?.code ?? error?.name ?? 'error');
}
await settle();
process.stdout.write(JSON.stringify({ before, after: loaded(), readOutcome }));
process.exit(0);
`;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      { env: { ...process.env, ...lazy.env }, timeout: 60_000, maxBuffer: 8 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`the lazy-SDK probe of ${entry} failed: ${stderr.split('\n').slice(-8).join('\n')}`));
        try {
          resolve(JSON.parse(stdout) as ProbeReport);
        } catch {
          reject(new Error(`the lazy-SDK probe of ${entry} printed no report: ${stderr.split('\n').slice(-8).join('\n')}`));
        }
      },
    );
  });
}
