// Without the Lowkey jar the harness fails (it never skips): the message names the shared jar path
// and VAULTLINK_LOWKEY_JAR. Runs install.mjs in a child with an empty shared dir and peers home, and
// a Maven that answers the way Maven Central does for this artifact here (not found).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const INSTALL = path.resolve(__dirname, '..', 'install.mjs');
const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vl-peers-jar-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function install(env: Record<string, string>) {
  const shared = tempDir();
  const home = tempDir();
  const mvn = path.join(home, 'fake-mvn');
  fs.writeFileSync(
    mvn,
    '#!/bin/sh\n[ "$1" = "-v" ] && { echo "Apache Maven 3.8.7"; exit 0; }\necho "[ERROR] Could not find artifact com.github.nagyesta.lowkey-vault:lowkey-vault-app:jar:7.1.13"\nexit 1\n',
    { mode: 0o755 },
  );
  const { VAULTLINK_LOWKEY_JAR: _ignored, ...inherited } = process.env;
  return spawnSync(process.execPath, [INSTALL, 'lowkey'], {
    encoding: 'utf8',
    env: { ...inherited, CI: 'true', VAULTLINK_SHARED_DIR: shared, VAULTLINK_PEERS_HOME: home, VAULTLINK_MVN: mvn, ...env },
  });
}

describe('a missing Lowkey jar', () => {
  it('fails the install, naming the shared jar path and VAULTLINK_LOWKEY_JAR', () => {
    const r = install({});
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Lowkey Vault jar is missing/);
    expect(r.stderr).toMatch(/shared\/?.*jars\/lowkey-vault-app-7\.1\.13\.jar|jars\/lowkey-vault-app-7\.1\.13\.jar/);
    expect(r.stderr).toContain('VAULTLINK_LOWKEY_JAR');
    expect(r.stderr).not.toMatch(/SKIPP/i);
  });

  it('names the jar as well when Maven is missing too', () => {
    const r = install({ VAULTLINK_MVN: '/nonexistent/mvn' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('lowkey-vault-app-7.1.13.jar');
    expect(r.stderr).toContain('VAULTLINK_LOWKEY_JAR');
  });

  it('fails when VAULTLINK_LOWKEY_JAR names a file that does not exist', () => {
    const r = install({ VAULTLINK_LOWKEY_JAR: '/nonexistent/lowkey.jar' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('VAULTLINK_LOWKEY_JAR points at /nonexistent/lowkey.jar');
  });
});
