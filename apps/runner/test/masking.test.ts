/**
 * No resolved value in stdout, stderr or any report file: URLs, headers and bodies
 * (--verbose), echoed responses, script console output (also when the cli reporter wraps
 * it), assertion names and messages, request error messages, and a value a script
 * created. Runs the real bin in a child process and greps every output for every value
 * in every form it could take (raw, percent-encoded, JSON/JS-escaped, XML-escaped, base64).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collection } from './helpers/collections.js';
import { startRecordingServer, type RecordingServer } from './helpers/recording-server.js';
import { runBin, type BinResult } from './helpers/spawn-bin.js';
import { createTestVault, type TestVault } from './helpers/test-vault.js';

const SPECIAL = 'p@ss w0rd<&>"q"';
const QUOTE = "it's-a-secret-42";
const LINKED = 'linked-mask-d34db33f';
const HOSTPART = 'hostpart-leak-c0de';
const SCRIPT_MADE = 'script-made-77aa11bb';
const VALUES = [SPECIAL, QUOTE, LINKED, HOSTPART, SCRIPT_MADE];

function formsOf(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return [...new Set([value, encodeURIComponent(value), json, json.replace(/'/g, "\\'"), xml(value), xml(value).replace(/'/g, '&apos;'), Buffer.from(value).toString('base64')])];
}

describe('masking every output', () => {
  let server: RecordingServer;
  let testVault: TestVault;
  let result: BinResult;
  let jsonReport: string;
  let junitReport: string;

  beforeAll(async () => {
    server = await startRecordingServer('127.0.0.1');
    testVault = await createTestVault({ 'team/token': LINKED });
    await testVault.vault.setLocal('special', SPECIAL);
    await testVault.vault.setLocal('quote', QUOTE);
    await testVault.vault.setLocal('hostpart', HOSTPART);
    await testVault.vault.link('linked_tok', 'memory', { path: 'team/token' });
    const G = server.origin;
    const file = join(testVault.home, 'collection.json');
    await writeFile(
      file,
      JSON.stringify(
        collection([
          {
            name: 'echo everything',
            request: {
              method: 'POST',
              url: `${G}/echo?t={{vault:linked_tok}}&s={{vault:special}}`,
              header: [
                { key: 'X-Special', value: '{{vault:special}}' },
                { key: 'X-Quote', value: '{{vault:quote}}' },
                { key: 'X-Linked', value: '{{vault:linked_tok}}' },
              ],
              body: { mode: 'raw', raw: 'special={{vault:special}}&linked={{vault:linked_tok}}' },
              auth: { type: 'basic', basic: [{ key: 'username', value: 'u' }, { key: 'password', value: '{{vault:linked_tok}}' }] },
            },
            prerequest: [
              `await pm.vault.set("from_script", "${SCRIPT_MADE}");`,
              'const made = await pm.vault.get("from_script");',
              'console.log("made", made);',
              'console.log("x".repeat(37) + made + "y".repeat(40));',
              'console.log({ nested: { linked: await pm.vault.get("linked_tok") } });',
            ],
            test: [
              'const echoed = pm.response.json();',
              'console.log("echoed body", echoed.body);',
              'pm.test("linked is " + echoed.headers["x-linked"], () => pm.expect(echoed.headers["x-linked"]).to.be.a("string"));',
              'pm.test("quote matches", () => pm.expect(echoed.headers["x-quote"]).to.eql("nope"));',
              'pm.test("special matches", () => pm.expect(echoed.headers["x-special"]).to.eql("nope"));',
            ],
          },
          { name: 'request error quoting a value', request: 'http://{{vault:hostpart}}.invalid/' },
        ]),
      ),
    );
    result = await runBin(
      [
        file,
        '-r',
        'cli,json,junit',
        '--verbose',
        '--allow-script-vault',
        '--reporter-json-export',
        join(testVault.home, 'report.json'),
        '--reporter-junit-export',
        join(testVault.home, 'report.xml'),
      ],
      { env: testVault.env, cwd: testVault.home },
    );
    jsonReport = await readFile(join(testVault.home, 'report.json'), 'utf8');
    junitReport = await readFile(join(testVault.home, 'report.xml'), 'utf8');
  }, 60_000);

  afterAll(async () => {
    await server.close();
    await testVault.cleanup();
  });

  it('really sent the values (so the outputs had them to leak)', () => {
    const echo = server.requests.find((request) => request.url.startsWith('/echo'));
    expect(echo?.headers['x-special']).toBe(SPECIAL);
    expect(echo?.headers['x-linked']).toBe(LINKED);
    expect(echo?.body).toBe(`special=${SPECIAL}&linked=${LINKED}`);
    expect(result.code).toBe(1); // two failing assertions and a request error
  });

  it.each([
    ['stdout', () => result.stdout],
    ['stderr', () => result.stderr],
    ['json report', () => jsonReport],
    ['junit report', () => junitReport],
  ])('%s holds no value in any form, even across wrapped lines', (_label, output) => {
    // The cli reporter wraps long lines as "\n  │ ": a value split there must not escape.
    const texts = [output(), output().replace(/\n[ \t]*(?:│ ?)?/g, '')];
    for (const text of texts) {
      for (const value of VALUES) {
        for (const form of formsOf(value)) expect(text.includes(form), `found a form of ${value.slice(0, 6)}…`).toBe(false);
      }
      expect(text).not.toContain(Buffer.from(`u:${LINKED}`).toString('base64')); // the Basic auth header
    }
  });

  it('replaced the values with the fixed mask where they were', () => {
    expect(result.stdout).toContain('********');
    expect(jsonReport).toContain('********');
    expect(junitReport).toContain('********');
    expect(result.stdout).toContain('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx********yyyy');
    expect(result.stdout).toMatch(/hostpart|ENOTFOUND|getaddrinfo/);
    expect(junitReport).toContain('linked is ********');
  });
});
