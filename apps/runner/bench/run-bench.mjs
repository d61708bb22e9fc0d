/**
 * Benchmark (not a test): the same 1,000-request collection, against a loopback server,
 *   A) through vaultlink's runner: 50 distinct {{vault:NAME}} references (25 local, 25
 *      linked through the in-memory provider), warm cache, newman + vaultSecrets scope,
 *      redirect guard, masking;
 *   B) through a plain postman-runtime Runner with the same values as plain variables.
 * Runs are interleaved (B, A, B, A, ...) after a warm-up of each; the medians are compared.
 * Target: A / B <= 1.05.
 *
 *   pnpm --filter @vault/runner bench            (BENCH_ROUNDS=7 to change the rounds)
 */
import { createServer } from 'node:http';
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openVault } from '@vault/core';
import { createMemoryProvider } from '@vault/core/testing';
import { run } from '../dist/index.js';

const REQUESTS = 1000;
const DISTINCT = 50;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const require = createRequire(import.meta.url);
const runtime = require('postman-runtime');
const sdk = require('postman-collection');

let served = 0;
const server = createServer((request, response) => {
  served++;
  request.resume();
  request.on('end', () => {
    response.setHeader('content-type', 'application/json');
    response.end('{"ok":true}');
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const home = await mkdtemp(join(tmpdir(), 'vaultlink-bench-'));
process.on('exit', () => rmSync(home, { recursive: true, force: true }));
const env = { ...process.env, VAULTLINK_HOME: home, VAULTLINK_PASSPHRASE: 'bench', VAULTLINK_KEYCHAIN: 'off', CI: '' };
const documents = {};
const values = [];
for (let index = 0; index < DISTINCT; index++) values.push(`bench-secret-${index}-${Math.random().toString(36).slice(2, 10)}`);
for (let index = DISTINCT / 2; index < DISTINCT; index++)
  documents[`bench/doc-${index % 5}`] = { ...(documents[`bench/doc-${index % 5}`] ?? {}), [`k${index}`]: values[index] };
const memory = createMemoryProvider({ documents });
const vault = await openVault({ env, create: true, kdf: { N: 1024 }, providers: [memory] });
await vault.connect(
  'memory',
  {},
  { interactive: false, env: {}, prompt: async () => '', openBrowser: async () => {}, info() {}, warn() {}, progress() {} },
);
for (let index = 0; index < DISTINCT; index++) {
  const name = `s${index}`;
  const options = { allowedDomains: index % 2 === 0 ? ['http://127.0.0.1'] : [] };
  if (index < DISTINCT / 2) await vault.setLocal(name, values[index], options);
  else await vault.link(name, 'memory', { path: `bench/doc-${index % 5}`, key: `k${index}` }, options);
}

function buildCollection(reference) {
  return {
    info: { name: 'bench', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
    item: Array.from({ length: REQUESTS }, (_unused, index) => ({
      name: `r${index}`,
      request: {
        method: 'POST',
        url: `${origin}/r/${index}?q=${reference(index % DISTINCT)}`,
        header: [{ key: 'X-Secret', value: reference((index + 7) % DISTINCT) }],
        body: { mode: 'raw', raw: `{"v":"${reference((index + 13) % DISTINCT)}"}` },
      },
    })),
  };
}
const vaultCollection = buildCollection((index) => `{{vault:s${index}}}`);
const plainCollection = buildCollection((index) => `{{s${index}}}`);
const plainEnvironment = { values: values.map((value, index) => ({ key: `s${index}`, value })) };

// Warm cache: every linked value is fetched once before timing.
await vault.resolveNames(values.map((_value, index) => `s${index}`));

const quiet = { warn() {}, info() {}, progress() {}, endProgress() {} };
async function timeVaultlink() {
  const before = served;
  const started = performance.now();
  // Like the CLI, the timed part does not read the (lazily masked) summary.
  const summary = await run({ collection: vaultCollection, vault, env, messages: quiet });
  const elapsed = performance.now() - started;
  if (served - before !== REQUESTS || summary.vaultlink.exitCode !== 0) throw new Error('vaultlink run did not complete cleanly');
  return elapsed;
}
function timePlainRuntime() {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    new runtime.Runner().run(
      new sdk.Collection(plainCollection),
      { environment: plainEnvironment, requester: { useWhatWGUrlParser: true } },
      (error, runInstance) => {
        if (error) return reject(error);
        let count = 0;
        runInstance.start({
          request: (requestError) => {
            if (requestError) reject(requestError);
            count++;
          },
          done: (doneError) => {
            if (doneError) return reject(doneError);
            if (count !== REQUESTS) return reject(new Error(`plain run sent ${count} requests`));
            resolve(performance.now() - started);
          },
        });
      },
    );
  });
}

// For attribution only: newman itself (no vault) on the plain collection. Required only after the
// first vaultlink run: the runner hands newman its own postman-runtime when it loads newman first
// (a newman loaded earlier keeps its 7.39.1, and the runner then refuses to run: UNSUPPORTED_ENGINE).
function timePlainNewman() {
  const newman = require('newman');
  const started = performance.now();
  return new Promise((resolve, reject) =>
    newman.run({ collection: plainCollection, environment: plainEnvironment }, (error) =>
      error ? reject(error) : resolve(performance.now() - started),
    ),
  );
}

await timePlainRuntime();
await timeVaultlink();
await timePlainNewman();
const plain = [];
const plainNewman = [];
const vaulted = [];
for (let round = 0; round < ROUNDS; round++) {
  plain.push(await timePlainRuntime());
  plainNewman.push(await timePlainNewman());
  vaulted.push(await timeVaultlink());
}
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const ratio = median(vaulted) / median(plain);
const fmt = (ms) => `${ms.toFixed(0)} ms`;
console.log(`requests per run:          ${REQUESTS} (${DISTINCT} distinct vault references, warm cache)`);
console.log(`plain postman-runtime:     median ${fmt(median(plain))}  [${plain.map(fmt).join(', ')}]`);
console.log(`plain newman (reference): median ${fmt(median(plainNewman))}  [${plainNewman.map(fmt).join(', ')}]`);
console.log(`vaultlink run (newman):    median ${fmt(median(vaulted))}  [${vaulted.map(fmt).join(', ')}]`);
console.log(`ratio vaultlink / plain:   ${ratio.toFixed(3)} (target <= 1.05)`);
server.close();
