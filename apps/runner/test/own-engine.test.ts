/**
 * Issue 11 item 1, fail closed: the runner runs newman on its own postman-runtime 7.56.1 (the
 * workspace has no overrides either: newman's own dependency is 7.39.1 here too), and refuses to
 * start with UNSUPPORTED_ENGINE when the runtime in use cannot carry a vault scope.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isVaultError } from '@vault/core';
import { assertVaultCapable, engineCapabilities } from '../src/engine/own-engine.js';

const load = createRequire(import.meta.url);
const RUNNER_DIR = fileURLToPath(new URL('..', import.meta.url));

function node(source: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', source], { cwd: RUNNER_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', () => resolve(out));
  });
}

describe('the engine the runner drives', () => {
  it('newman depends on its own postman-runtime 7.39.1 in this workspace too (no overrides)', () => {
    const newman = createRequire(load.resolve('newman'));
    expect((newman('postman-runtime/package.json') as { version: string }).version).toBe('7.39.1');
  });

  it("the runner's own runtime can carry a vault scope", () => {
    expect(engineCapabilities(load)).toEqual({ runtimeVersion: '7.56.1', hasRequestCommand: true, hasVaultScope: true });
  });

  it('a runtime without a vault scope is UNSUPPORTED_ENGINE, naming its version', () => {
    try {
      assertVaultCapable({ runtimeVersion: '7.39.1', hasRequestCommand: true, hasVaultScope: false });
      expect.unreachable();
    } catch (error) {
      expect(isVaultError(error, 'UNSUPPORTED_ENGINE')).toBe(true);
      expect((error as Error).message).toContain('postman-runtime 7.39.1 has no vault secrets scope (prepareVaultVariableScope)');
      // The fix is data for the host to say: reinstall the runner, or load it before newman.
      expect((error as { fix?: unknown }).fix).toMatchObject({
        action: 'install',
        package: '@vault/runner',
        reinstall: true,
        hint: expect.stringContaining('load @vault/runner first'),
      });
    }
  });

  it('a program that loaded newman first gets UNSUPPORTED_ENGINE from run(), before anything is sent', async () => {
    const out = await node(
      'require("newman"); const { run } = require("./dist/index.cjs"); ' +
        'run({ collection: { info: { name: "x", schema: "https://schema.getpostman.com/json/collection/v2.1.0/collection.json" }, item: [{ name: "r", request: "http://127.0.0.1:9/never" }] } })' +
        '.then(() => console.log("ran"), (e) => console.log(e.code));',
    );
    expect(out.trim()).toBe('UNSUPPORTED_ENGINE');
  });
});
