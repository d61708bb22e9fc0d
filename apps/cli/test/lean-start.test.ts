/**
 * The CLI's start stays lean: `get` served by the agent loads neither commander nor the engine
 * nor any provider; no command loads newman unless it runs a collection, and none loads a
 * provider SDK unless it talks to that provider. Every module a process loads is recorded
 * (CommonJS cache and ES module resolutions) and checked.
 */
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from './helpers/leaks.js';
import { CLI_BIN, createSandbox, uniqueValue, type Sandbox } from './helpers/sandbox.js';

const PRELOAD = resolve(import.meta.dirname, 'fixtures', 'record-modules.cjs');
let sandbox: Sandbox;
const value = uniqueValue('lean');

/** Runs the CLI with the module recorder; returns what it printed and every module it loaded. */
async function modulesOf(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; modules: string[] }> {
  const log = join(sandbox.root, `modules-${Math.random().toString(36).slice(2)}.log`);
  const child = spawn(process.execPath, ['--require', PRELOAD, CLI_BIN, ...args], {
    cwd: sandbox.cwd,
    env: { ...sandbox.env, ...env, MODULES_LOG: log },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  const code = await new Promise<number | null>((r) => child.on('close', r));
  const modules = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
  await rm(log);
  return { code, stdout, modules };
}

const loaded = (modules: string[], pattern: RegExp): string[] => modules.filter((m) => pattern.test(m));
const ENGINE = /@vault\/core\/dist\/index|packages\/core\/dist\/index/;
const PROVIDER_SDKS = /@aws-sdk|@azure\/|node-vault|openid-client/;
const NEWMAN = /newman|postman-runtime/;

beforeAll(async () => {
  sandbox = await createSandbox({ documents: { 'lean/doc': { versions: [value] } } });
  ok(await sandbox.run(['set', 'local', '--stdin'], { input: value, env: { VAULTLINK_AGENT: 'off' } }));
  ok(await sandbox.run(['connect', 'memory'], { env: { VAULTLINK_AGENT: 'off' } }));
  ok(await sandbox.run(['link', 'linked', '--provider', 'memory', '--path', 'lean/doc'], { env: { VAULTLINK_AGENT: 'off' } }));
  ok(await sandbox.run(['agent', 'start'], { env: { VAULTLINK_AGENT: 'on' } }));
});
afterAll(async () => {
  await sandbox.run(['agent', 'stop']);
  await sandbox.cleanup();
});

describe('lean start', () => {
  it('`get` served by the agent loads no commander, no engine, no provider and no newman', async () => {
    for (const name of ['local', 'linked']) {
      const { code, stdout, modules } = await modulesOf(['get', name]);
      expect(code).toBe(0);
      expect(stdout).toBe(value);
      expect(loaded(modules, /agent\/dist\/connect/).length).toBeGreaterThan(0);
      expect(loaded(modules, /commander/)).toEqual([]);
      expect(loaded(modules, ENGINE)).toEqual([]);
      expect(loaded(modules, /provider-|providers\/memory/)).toEqual([]);
      expect(loaded(modules, NEWMAN)).toEqual([]);
    }
  });

  it('other commands load no newman and no provider SDK, with or without the agent', async () => {
    for (const env of [{ VAULTLINK_AGENT: 'on' }, { VAULTLINK_AGENT: 'off' }]) {
      for (const args of [['list'], ['show', 'linked', '--no-upstream'], ['resolve', '-']]) {
        const { code, modules } = await modulesOf(args, env);
        expect(code, `${args.join(' ')} ${env.VAULTLINK_AGENT}`).toBe(0);
        // The recorder sees the ES modules of the full CLI (so the absences below mean something).
        expect(loaded(modules, ENGINE).length).toBeGreaterThan(0);
        expect(loaded(modules, NEWMAN)).toEqual([]);
        expect(loaded(modules, PROVIDER_SDKS)).toEqual([]);
      }
    }
  });
});
