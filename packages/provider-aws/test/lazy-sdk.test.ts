/**
 * The AWS SDK is loaded only when a call needs the network: not by core, not by another
 * provider, not by importing or parsing with this one. Each scenario runs in a fresh Node
 * process that records every module it resolves (ESM hooks) and every CommonJS module it loads.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const packageDir = fileURLToPath(new URL('../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vaultlink-aws-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const AWS_SDK = /[\\/]@aws-sdk[\\/]|[\\/]@smithy[\\/]|[\\/]@aws-crypto[\\/]/;

interface Report {
  esm: string[];
  cjs: string[];
  [key: string]: unknown;
}

async function probe(scenario: string): Promise<Report> {
  const log = join(dir, `${scenario}.log`);
  const { stdout } = await run(process.execPath, ['--import', join(fixtures, 'record-loads.mjs'), join(fixtures, 'load-probe.mjs'), scenario], {
    cwd: packageDir,
    env: { PATH: process.env.PATH, LOAD_PROBE_LOG: log, AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  return JSON.parse(stdout) as Report;
}

const sdkModules = (report: Report) => [...report.esm, ...report.cjs].filter((m) => AWS_SDK.test(m));

describe('lazy AWS SDK', () => {
  it('core and another provider (memory, through core\'s loader) never load the AWS SDK', async () => {
    const report = await probe('core-memory');
    expect(report.memoryResolved).toBe(true);
    expect(report.esm.some((m) => m.includes('/packages/core/dist/'))).toBe(true);
    expect(sdkModules(report)).toEqual([]);
  }, 30_000);

  it('loading this provider and parsing, keying and summarizing links loads no SDK', async () => {
    const report = await probe('aws-offline');
    expect(report.esm.some((m) => m.includes('/packages/provider-aws/dist/'))).toBe(true);
    expect(report.summary).toMatchObject({ identifier: expect.stringContaining(':secret:db-abcdef') });
    expect(sdkModules(report)).toEqual([]);
  }, 30_000);

  it('loads the SDK once a fetch needs the network (so the probe does see it)', async () => {
    const report = await probe('aws-fetch');
    expect(report.fetchCode).toBe('PROVIDER_UNAVAILABLE');
    expect(sdkModules(report).some((m) => m.includes('client-secrets-manager'))).toBe(true);
  }, 30_000);
});
