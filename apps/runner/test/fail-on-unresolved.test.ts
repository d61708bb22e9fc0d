/**
 * Unresolved references: reported by name and reason; with --fail-on-unresolved (the
 * default when CI=true) the run fails before a single request is sent; otherwise they go
 * out literally, as in Postman, after a warning.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Fix, VaultError } from '@vault/core';
import { runCommand } from '../src/index.js';
import { collection } from './helpers/collections.js';
import { captureStream } from './helpers/capture-stream.js';
import { startRecordingServer } from './helpers/recording-server.js';
import { useRunSetup } from './helpers/run-setup.js';

describe('unresolved references', () => {
  const setup = useRunSetup({
    documents: { 'team/denied': { versions: ['x'], deniedPrincipals: ['*'] } },
    locals: { present: 'present-value-11aa', switched_off: 'disabled-value-22bb' },
  });
  let file: string;

  beforeAll(async () => {
    await setup.testVault.vault.setEnabled('switched_off', false);
    await setup.testVault.vault.link('forbidden', 'memory', { path: 'team/denied' });
    file = join(setup.testVault.home, 'collection.json');
    await writeFile(
      file,
      JSON.stringify(
        collection([
          {
            name: 'mixed',
            request: {
              url: `${setup.server.origin}/mixed?a={{vault:present}}&b={{vault:nowhere}}`,
              header: [
                { key: 'X-Off', value: '{{vault:switched_off}}' },
                { key: 'X-Denied', value: '{{vault:forbidden}}' },
              ],
            },
          },
        ]),
      ),
    );
  });

  beforeEach(() => {
    setup.server.requests.length = 0;
  });

  const command = (args: string[], env: Record<string, string | undefined>, renderFix?: (fix: Fix) => string) => {
    const stderr = captureStream();
    const stdout = captureStream();
    return runCommand([file, '-r', 'json', '--reporter-json-export', join(setup.testVault.home, 'out.json'), ...args], {
      env,
      stderr,
      stdout,
      openVault: async () => setup.testVault.vault,
      ...(renderFix ? { renderFix } : {}),
    }).then((code) => ({ code, stderr: stderr.text() }));
  };

  it('--fail-on-unresolved: exit 1 before sending anything, each reference named with its reason', async () => {
    const { code, stderr } = await command(['--fail-on-unresolved'], { ...setup.testVault.env, CI: '' });
    expect(code).toBe(1);
    expect(setup.server.requests).toHaveLength(0);
    expect(stderr).toContain('3 vault references could not be resolved, so nothing was sent');
    expect(stderr).toMatch(/\{\{vault:nowhere\}\}: missing/);
    expect(stderr).toMatch(/\{\{vault:switched_off\}\}: disabled/);
    expect(stderr).toMatch(/\{\{vault:forbidden\}\}: denied/);
    expect(stderr).not.toContain('present-value-11aa');
  });

  it('names no command of its own: alone it describes the fix data, and a host renders it its way', async () => {
    const plain = await command(['--fail-on-unresolved'], { ...setup.testVault.env, CI: '' });
    expect(plain.stderr).toMatch(/\nFix: list \(fix each reference listed with its own fix, or run with --no-fail-on-unresolved/);
    expect(plain.stderr).toMatch(/\{\{vault:nowhere\}\}: missing: .* Fix: set nowhere/);
    expect(plain.stderr).not.toContain('vaultlink ');

    const rendered: Fix[] = [];
    const host = await command(['--fail-on-unresolved'], { ...setup.testVault.env, CI: '' }, (fix) => {
      rendered.push(fix);
      return `<${fix.action}>`;
    });
    expect(host.stderr).toContain('\nFix: <list>');
    expect(host.stderr).toMatch(/\{\{vault:nowhere\}\}: missing: .* Fix: <set>/);
    expect(rendered).toContainEqual(expect.objectContaining({ action: 'list' }));
  });

  it('is the default when CI=true', async () => {
    const { code } = await command([], { ...setup.testVault.env, CI: 'true' });
    expect(code).toBe(1);
    expect(setup.server.requests).toHaveLength(0);
  });

  it('--no-fail-on-unresolved in CI sends them literally with a warning', async () => {
    const { code, stderr } = await command(['--no-fail-on-unresolved'], { ...setup.testVault.env, CI: 'true' });
    expect(code).toBe(0);
    expect(stderr).toContain('warning: 3 vault references could not be resolved and stay literal');
    expect(setup.server.requests).toHaveLength(1);
    expect(setup.server.requests[0]?.url).toBe('/mixed?a=present-value-11aa&b={{vault:nowhere}}');
    expect(setup.server.requests[0]?.headers['x-off']).toBe('{{vault:switched_off}}');
    expect(setup.server.requests[0]?.headers['x-denied']).toBe('{{vault:forbidden}}');
  });

  it('outside CI the default is to warn and send literally', async () => {
    const { code, stderr } = await command([], { ...setup.testVault.env, CI: '' });
    expect(code).toBe(0);
    expect(stderr).toContain('stay literal');
    expect(setup.server.requests).toHaveLength(1);
  });

  it('--fail-on-unresolved: a request that would leave with a literal reference (not allowed for its host) is not sent, and the run fails with UNRESOLVED', async () => {
    const other = await startRecordingServer('127.0.0.2');
    try {
      await setup.testVault.vault.setLocal('only_here', 'only-here-value-33cc', { allowedDomains: ['http://127.0.0.1'] });
      const guarded = join(setup.testVault.home, 'guarded.json');
      await writeFile(
        guarded,
        JSON.stringify(
          collection([
            { name: 'allowed', request: { url: `${setup.server.origin}/allowed`, header: [{ key: 'X-K', value: '{{vault:only_here}}' }] } },
            {
              name: 'elsewhere',
              request: { method: 'POST', url: `${other.origin}/elsewhere`, body: { mode: 'raw', raw: 'k={{vault:only_here}}' } },
            },
            { name: 'after', request: `${setup.server.origin}/after` },
          ]),
        ),
      );
      const stderr = captureStream();
      const code = await runCommand(
        [guarded, '-r', 'json', '--reporter-json-export', join(setup.testVault.home, 'guarded-out.json'), '--fail-on-unresolved'],
        {
          env: { ...setup.testVault.env, CI: '' },
          stderr,
          stdout: captureStream(),
          openVault: async () => setup.testVault.vault,
        },
      );
      expect(code).toBe(1);
      expect(setup.server.requests.map((request) => request.url)).toEqual(['/allowed']);
      expect(other.requests).toHaveLength(0); // not sent at all, and the run stopped there
      expect(stderr.text()).toContain('[UNRESOLVED]');
      expect(stderr.text()).toMatch(
        /\{\{vault:only_here\}\} in the body of a request to 127\.0\.0\.2:\d+: it is not allowed for this host/,
      );
      expect(stderr.text()).not.toContain('only-here-value-33cc');
      // Alone, the runner says the fix data in plain words and names no command of a CLI.
      expect(stderr.text()).toMatch(/^Fix: list \(fix the names, links or allowed domains listed, or run with --no-fail-on-unresolved/m);
      expect(stderr.text()).not.toContain('vaultlink ');

      // A host gets the error itself (printError) with the fix as data, and prints it its way.
      const printed: VaultError[] = [];
      const hostStderr = captureStream();
      const again = await runCommand(
        [guarded, '-r', 'json', '--reporter-json-export', join(setup.testVault.home, 'guarded-out.json'), '--fail-on-unresolved'],
        {
          env: { ...setup.testVault.env, CI: '' },
          stderr: hostStderr,
          stdout: captureStream(),
          openVault: async () => setup.testVault.vault,
          printError: (error) => printed.push(error),
        },
      );
      expect(again).toBe(1);
      expect(printed.map((error) => [error.code, error.fix])).toEqual([
        ['UNRESOLVED', { action: 'list', hint: expect.stringContaining('allowed domains') }],
      ]);
      expect(hostStderr.text()).not.toContain('[UNRESOLVED]');
      expect(other.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });
});
