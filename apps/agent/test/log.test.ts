/** The agent log stays bounded however long the agent runs: two files of about 1 MiB at most. */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { fileLog } from '../dist/index.js';

const dir = mkdtempSync(join(tmpdir(), 'vaultlink-agent-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('rolls over to agent.log.1 before agent.log passes 1 MiB', () => {
  const path = join(dir, 'agent.log');
  const log = fileLog(path);
  for (let i = 0; i < 30_000; i++) log.event('connection-refused', { reason: 'not-json', round: i });
  expect(existsSync(`${path}.1`)).toBe(true);
  expect(statSync(path).size).toBeLessThanOrEqual(1024 * 1024);
  expect(statSync(`${path}.1`).size).toBeLessThanOrEqual(1024 * 1024);
  expect(statSync(path).mode & 0o777).toBe(0o600);
});
