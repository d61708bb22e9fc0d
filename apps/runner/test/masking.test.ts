/**
 * No resolved value in stdout, stderr or any report file (json, junit, htmlextra): URLs,
 * headers and bodies (--verbose), echoed responses, script console output (also when the
 * cli reporter wraps it), assertion names and messages, request error messages, and a
 * value a script created. Runs the real bin in a child process and greps every output for
 * every value in every form it could take (raw, percent-encoded as the runtime sends it,
 * JSON/JS-escaped, XML/HTML-escaped, base64, hex). A second run without --verbose leaves the
 * request and response in newman's summary unmasked, so its htmlextra page (which shows
 * them) is clean only because report exports are masked.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { collection } from './helpers/collections.js';
import { runBin, type BinResult } from './helpers/spawn-bin.js';
import { useRunSetup } from './helpers/run-setup.js';

const SPECIAL = 'p@ss w0rd<&>"q"';
const QUOTE = "it's-a-secret-42";
const LINKED = 'linked-mask-d34db33f';
const HOSTPART = 'hostpart-leak-c0de';
const SCRIPT_MADE = 'script-made-77aa11bb';
const VALUES = [SPECIAL, QUOTE, LINKED, HOSTPART, SCRIPT_MADE];
/** newman's reporter flags for everything htmlextra can add to the page: console logs, environment, globals. */
const HTMLEXTRA_SHOW_EVERYTHING = [
  '--reporter-htmlextra-logs',
  '--reporter-htmlextra-showEnvironmentData',
  '--reporter-htmlextra-showGlobalData',
];

/** What postman-runtime percent-encodes URLs with (its own copy): the forms values go on the wire in. */
const runtimeRequire = createRequire(createRequire(import.meta.url).resolve('postman-runtime'));
const urlEncoder = runtimeRequire('postman-url-encoder/encoder') as {
  encodePath(text: string): string;
  encodeQueryParam(param: string): string;
  encodeUserInfo(text: string): string;
};

function formsOf(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  // Handlebars' escaping (htmlextra's template): also ' ` and =.
  const handlebars = (text: string) => xml(text).replace(/'/g, '&#x27;').replace(/`/g, '&#x60;').replace(/=/g, '&#x3D;');
  const url = [
    encodeURIComponent(value),
    urlEncoder.encodeQueryParam(value),
    urlEncoder.encodePath(value),
    urlEncoder.encodeUserInfo(value),
  ];
  const texts = [value, json, ...url];
  return [
    ...new Set([
      ...texts,
      json.replace(/'/g, "\\'"),
      ...texts.flatMap((text) => [xml(text), xml(text).replace(/'/g, '&apos;'), handlebars(text)]),
      Buffer.from(value).toString('base64'),
      Buffer.from(value).toString('hex'),
      Buffer.from(value).toString('hex').toUpperCase(),
    ]),
  ];
}

/** JSON reports hold each response body as a serialized Buffer, { "type": "Buffer", "data": [bytes] }: decoded here, so a value in one is found too. */
function withBuffersDecoded(text: string): string {
  return text.replace(/"type":\s*"Buffer",\s*"data":\s*\[([\d,\s]*)\]/g, (_whole, bytes: string) =>
    Buffer.from(
      bytes
        .split(',')
        .filter((byte) => byte.trim() !== '')
        .map(Number),
    ).toString('utf8'),
  );
}

describe('masking every output', () => {
  const setup = useRunSetup({ documents: { 'team/token': LINKED }, locals: { special: SPECIAL, quote: QUOTE, hostpart: HOSTPART } });
  let result: BinResult;
  let jsonReport: string;
  let junitReport: string;
  let htmlReport: string;
  /** The same collection without --verbose, reporters htmlextra and json only. */
  let plain: BinResult;
  let plainHtmlReport: string;
  let plainJsonReport: string;

  beforeAll(async () => {
    await setup.testVault.vault.link('linked_tok', 'memory', { path: 'team/token' });
    const G = setup.server.origin;
    const file = join(setup.testVault.home, 'collection.json');
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
              auth: {
                type: 'basic',
                basic: [
                  { key: 'username', value: 'u' },
                  { key: 'password', value: '{{vault:linked_tok}}' },
                ],
              },
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
    const verbose = await runExporting(
      file,
      'cli,json,junit,htmlextra',
      { json: 'report.json', junit: 'report.xml', htmlextra: 'report.html' },
      ['--verbose'],
    );
    result = verbose.result;
    [jsonReport, junitReport, htmlReport] = [verbose.reports.json!, verbose.reports.junit!, verbose.reports.htmlextra!];
    const withoutVerbose = await runExporting(file, 'htmlextra,json', { htmlextra: 'plain.html', json: 'plain.json' });
    plain = withoutVerbose.result;
    [plainHtmlReport, plainJsonReport] = [withoutVerbose.reports.htmlextra!, withoutVerbose.reports.json!];
  }, 60_000);

  /**
   * Runs the bin on `file` with script vault access and every htmlextra section; each
   * reporter in `exports` writes to that file name in the vault home, read back afterwards.
   */
  async function runExporting(
    file: string,
    reporters: string,
    exports: Record<string, string>,
    flags: string[] = [],
  ): Promise<{ result: BinResult; reports: Record<string, string> }> {
    const exportFlags = Object.entries(exports).flatMap(([reporter, name]) => [
      `--reporter-${reporter}-export`,
      join(setup.testVault.home, name),
    ]);
    const result = await runBin([file, '-r', reporters, ...flags, '--allow-script-vault', ...exportFlags, ...HTMLEXTRA_SHOW_EVERYTHING], {
      env: setup.testVault.env,
      cwd: setup.testVault.home,
    });
    const reports: Record<string, string> = {};
    for (const [reporter, name] of Object.entries(exports)) reports[reporter] = await readFile(join(setup.testVault.home, name), 'utf8');
    return { result, reports };
  }

  it('really sent the values (so the outputs had them to leak)', () => {
    const echo = setup.server.requests.find((request) => request.url.startsWith('/echo'));
    expect(echo?.headers['x-special']).toBe(SPECIAL);
    expect(echo?.headers['x-linked']).toBe(LINKED);
    expect(echo?.body).toBe(`special=${SPECIAL}&linked=${LINKED}`);
    expect(result.code).toBe(1); // two failing assertions and a request error
    expect(plain.code).toBe(1);
    expect(setup.server.requests.filter((request) => request.url.startsWith('/echo'))).toHaveLength(2);
  });

  it.each([
    ['--verbose run', () => htmlReport],
    ['run without --verbose', () => plainHtmlReport],
  ])('htmlextra (bundled, found by newman) wrote a real HTML page of the %s', (_label, page) => {
    expect(page().trimStart()).toMatch(/^<!DOCTYPE html>/i);
    expect(page().trimEnd()).toMatch(/<\/html>$/i);
    expect(page()).toContain('Newman Run Dashboard');
    expect(page()).toContain('echo everything');
    expect(page()).toContain('request error quoting a value');
    expect(page()).toContain('X-Special'); // the request headers are on the page...
    expect(page()).toContain('********'); // ...with the values masked
  });

  it.each([
    ['stdout', () => result.stdout],
    ['stderr', () => result.stderr],
    ['json report', () => jsonReport],
    ['junit report', () => junitReport],
    ['htmlextra report', () => htmlReport],
    ['stdout without --verbose', () => plain.stdout],
    ['stderr without --verbose', () => plain.stderr],
    ['htmlextra report without --verbose', () => plainHtmlReport],
    ['json report without --verbose', () => plainJsonReport],
  ])('%s holds no value in any form, even across wrapped lines', (_label, output) => {
    // The cli reporter wraps long lines as "\n  │ ": a value split there must not escape.
    const texts = [output(), output().replace(/\n[ \t]*(?:│ ?)?/g, ''), withBuffersDecoded(output())];
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
