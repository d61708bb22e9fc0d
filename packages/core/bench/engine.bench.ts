/** Throughput of the engine's hot paths; numbers are for comparison between changes, not claims. */
import { bench, describe } from 'vitest';
import {
  createMaskStream,
  createMasker,
  createMemoryStore,
  findReferences,
  scanReferences,
  scanReferencesInBytes,
  Vault,
} from '../src/index.js';
import { createMemoryProvider } from '../src/testing.js';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';

const io = {
  interactive: false,
  env: {},
  prompt: async () => '',
  openBrowser: async () => {},
  info: () => {},
  warn: () => {},
  progress: () => {},
};
const documents = Object.fromEntries(
  Array.from({ length: 100 }, (_, i) => [`doc/${i}`, { a: `value-a-${i}-xxxxxxxx`, b: `value-b-${i}-yyyyyyyy` }]),
);
const names = Array.from({ length: 1000 }, (_, i) => `n${i}`);

async function vaultWithLinks(): Promise<Vault> {
  const vault = new Vault({ store: createMemoryStore(), providers: [createMemoryProvider({ documents })] });
  await vault.connect('memory', {}, io);
  for (let i = 0; i < names.length; i++) await vault.link(names[i]!, 'memory', { path: `doc/${i % 100}`, key: i % 2 ? 'a' : 'b' });
  return vault;
}

const warm = await vaultWithLinks();
await warm.resolveNames(names);

describe('resolveNames, 1,000 names over 100 documents', () => {
  bench('cold cache (fetch, batched)', async () => {
    warm.resetCache();
    await warm.resolveNames(names);
  });
  bench('warm cache', async () => {
    await warm.resolveNames(names);
  });
});

const values = Array.from({ length: 50 }, (_, i) => `secret-value-${i}-${'z'.repeat(i % 20)}`);
const corpus = Array.from(
  { length: 20_000 },
  (_, i) => `line ${i} ${i % 97 === 0 ? values[i % 50] : 'nothing to see'} {{vault:name-${i % 10}}}`,
).join('\n');

describe('redaction and parsing, ~1 MB of text', () => {
  const masker = createMasker(values);
  bench('createMasker(50 values).mask', () => {
    masker.mask(corpus);
  });
  bench('createMaskStream, 4 KiB chunks', async () => {
    const buffer = Buffer.from(corpus);
    const chunks = Array.from({ length: Math.ceil(buffer.length / 4096) }, (_, i) => buffer.subarray(i * 4096, (i + 1) * 4096));
    await text(Readable.from(chunks).pipe(createMaskStream(masker)));
  });
  bench('findReferences', () => {
    findReferences(corpus);
  });
});

// Issue 12 item 10: 100k lines of `{{vault:m1 ` took 42 s (50k: 9 s) with a quadratic scanner.
// Linear means the 100k case costs about 10x the 10k case; compare the two lines of this group.
describe('reference scanner, malformed input (10k vs 100k unclosed references)', () => {
  const small = '{{vault:m1 \n'.repeat(10_000);
  const large = '{{vault:m1 \n'.repeat(100_000);
  bench('scanReferences, 10k lines', () => {
    scanReferences(small);
  });
  bench('scanReferences, 100k lines', () => {
    scanReferences(large);
  });
  bench('scanReferencesInBytes, 100k lines', () => {
    scanReferencesInBytes(Buffer.from(large));
  });
});
