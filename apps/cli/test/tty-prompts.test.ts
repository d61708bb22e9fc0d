/**
 * Prompts on a real terminal (tmux): `connect aws` asks for the access key ID, the secret access
 * key and the region while its spinner runs. The spinner must stop while a question is open, typed
 * answers to visible questions echo on the question's own line, the secret one never shows, and
 * no spinner text is glued to an answer. The AWS SDK's Node version warning must not show either.
 * STS is a closed loopback port, so the command ends with PROVIDER_UNAVAILABLE (exit 5).
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, createSandbox, uniqueValue, type Sandbox } from './helpers/sandbox.js';
import { openTerminal, type Terminal } from './helpers/tmux.js';

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 9));
    });
  });
}

describe('prompts on a terminal (tmux)', () => {
  let sandbox: Sandbox;
  let terminal: Terminal;
  const secret = uniqueValue('tty-secret-key');

  beforeAll(async () => {
    sandbox = await createSandbox();
    const env: Record<string, string> = {
      ...sandbox.env,
      AWS_ENDPOINT_URL: `http://127.0.0.1:${await closedPort()}`,
      AWS_CONFIG_FILE: '/nonexistent/config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    };
    for (const key of [
      'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
      'AWS_PROFILE',
      'AWS_REGION',
      'AWS_DEFAULT_REGION',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
    ])
      delete env[key];
    terminal = await openTerminal(sandbox.root, [process.execPath, CLI_BIN, 'connect', 'aws'], env, sandbox.cwd);
  });
  afterAll(async () => {
    await terminal?.close();
    await sandbox?.cleanup();
  });

  it('shows each question on its own line, echoes visible answers, hides the secret, glues no spinner text', async () => {
    let screen = await terminal.waitFor(/AWS access key ID: *$/m);
    expect(screen).not.toContain('Connecting to aws');
    await terminal.type('AKIAIOSFODNN7EXAMPLE');
    screen = await terminal.waitFor(/AWS secret access key: *$/m);
    expect(screen).toMatch(/^AWS access key ID: AKIAIOSFODNN7EXAMPLE$/m);
    await terminal.type(secret);
    screen = await terminal.waitFor(/AWS region \[us-east-1\]: *$/m);
    expect(screen).toMatch(/^AWS secret access key:\s*$/m);
    await terminal.type('eu-west-1');
    screen = await terminal.waitFor(/^\[exit \d+\]$/m, 120_000);
    expect(screen).toMatch(/^AWS region \[us-east-1\]: eu-west-1$/m);
    expect(screen).toContain('[exit 5]');
    expect(screen).toContain('PROVIDER_UNAVAILABLE');
    // No spinner frame or status text on a line with a question or an answer.
    for (const line of screen.split('\n').filter((l) => /AWS (access key ID|secret access key|region)/.test(l))) {
      expect(line).not.toMatch(/[\u2800-\u28ff]|Connecting to|Checking/);
    }
    expect(screen).not.toContain(secret);
    expect(screen).not.toContain('NodeVersionSupportWarning');
  });
});
