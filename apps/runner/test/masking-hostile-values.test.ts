/**
 * Issue 12 items 1, 3 and 13, run the way they were found (the real bin, every reporter):
 * - a 24 KiB secret (the crash repro: `head -c 18432 /dev/urandom | base64 -w0`) and a 1 MiB one
 *   beside a small one: no crash, no giant error, every report written, no value anywhere;
 * - a script granted the vault prints a value as hex (both cases): masked;
 * - secrets `a` and `the`: reports stay valid JSON and XML (parsed here), names and words such as
 *   `newman` are not cut up, the whole-token uses are masked, and the run warns by name.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { collection } from './helpers/collections.js';
import { runBin, type BinResult } from './helpers/spawn-bin.js';
import { useRunSetup } from './helpers/run-setup.js';

const BIG = randomBytes(18_432).toString('base64');
const HUGE = randomBytes(786_432).toString('base64');
const SMALL = 'sm4ll-value-9c';
const HEXED = 'hex-printed-value-77';

describe('hostile values: huge, hex-printed and very short', () => {
  const setup = useRunSetup({ locals: { big: BIG, huge: HUGE, sm: SMALL, hexme: HEXED, short_a: 'a', short_the: 'the' } });
  let result: BinResult;
  const reports: Record<string, string> = {};

  beforeAll(async () => {
    const file = join(setup.testVault.home, 'collection.json');
    await writeFile(
      file,
      JSON.stringify(
        collection([
          {
            name: 'send the big ones',
            request: {
              method: 'POST',
              url: `${setup.server.origin}/big`,
              header: [
                { key: 'X-Small', value: '{{vault:sm}}' },
                { key: 'X-A', value: '{{vault:short_a}}' },
                { key: 'X-The', value: '{{vault:short_the}}' },
              ],
              body: { mode: 'raw', raw: '{{vault:big}}|{{vault:huge}}|{{vault:sm}}' },
            },
            test: [
              'const hexed = await pm.vault.get("hexme");',
              'const hex = hexed.split("").map((c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");',
              'console.log("hex", hex, "HEX", hex.toUpperCase());',
              'console.log("the value of a is", pm.request.headers.get("X-A"));',
              'pm.test("the echo came back for a newman run", () => pm.expect(pm.response.json().body.length).to.be.above(1000));',
            ],
          },
        ]),
      ),
    );
    const exportFlags = ['json', 'junit', 'htmlextra'].flatMap((reporter) => [
      `--reporter-${reporter}-export`,
      join(setup.testVault.home, `report.${reporter}`),
    ]);
    result = await runBin(
      [file, '-r', 'cli,json,junit,htmlextra', '--allow-script-vault', '--verbose', ...exportFlags, '--reporter-htmlextra-logs'],
      {
        env: setup.testVault.env,
        cwd: setup.testVault.home,
      },
    );
    for (const reporter of ['json', 'junit', 'htmlextra'])
      reports[reporter] = await readFile(join(setup.testVault.home, `report.${reporter}`), 'utf8');
  }, 120_000);

  it('ran to the end: values sent, exit 0, no crash and no oversized error', () => {
    expect(setup.server.requests[0]?.body).toBe(`${BIG}|${HUGE}|${SMALL}`);
    expect(setup.server.requests[0]?.headers['x-the']).toBe('the');
    expect(result.stderr).not.toMatch(/Regular expression|SyntaxError|RangeError/);
    expect(result.stderr.length).toBeLessThan(4_000);
    expect(result.code).toBe(0);
  });

  const outputs: Array<[string, () => string]> = [
    ['stdout', () => result.stdout],
    ['stderr', () => result.stderr],
    ['json report', () => reports['json']!],
    ['junit report', () => reports['junit']!],
    ['htmlextra report', () => reports['htmlextra']!],
  ];

  it.each(outputs)('%s holds no long value, raw, base64 or hex', (_label, output) => {
    const text = output();
    for (const value of [BIG, HUGE, SMALL, HEXED]) {
      const bytes = Buffer.from(value);
      for (const form of [
        value,
        bytes.toString('base64'),
        bytes.toString('hex'),
        bytes.toString('hex').toUpperCase(),
        ...(value.length > 140 ? [value.slice(100, 140)] : []),
      ]) {
        expect(text.includes(form), `found a form of ${value.slice(0, 6)}…`).toBe(false);
      }
    }
  });

  it('masked the hex the script printed, in both cases', () => {
    expect(result.stdout).toContain("'hex', '********', 'HEX', '********'");
  });

  it('keeps every report well-formed: JSON and XML parse', () => {
    expect(() => JSON.parse(reports['json']!)).not.toThrow();
    expect(XMLValidator.validate(reports['junit']!)).toBe(true);
    expect(reports['htmlextra']!.trimStart()).toMatch(/^<!DOCTYPE html>/i);
    expect(reports['htmlextra']!).toContain('Newman Run Dashboard');
  });

  it('does not cut words and names with short secrets, and masks them where they stand alone', () => {
    const junit = reports['junit']!;
    expect(junit).toContain('<testsuites');
    expect(junit).toContain('<testcase');
    expect(result.stdout).toContain('newman');
    expect(result.stdout).not.toMatch(/newm\*|\*n\b/);
    expect(JSON.parse(reports['json']!).run.executions[0].assertions[0].assertion).toBe('******** echo came back for ******** newman run');
    expect(result.stdout).toContain("value of ******** is', '********'");
  });

  it('warns, by name only, that the short secrets are masked only as whole words', () => {
    expect(result.stderr).toMatch(/warning: 2 vault secrets are shorter than 6 characters \(short_a, short_the\)/);
  });
});
