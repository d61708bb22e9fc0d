/**
 * Plays the browser for a Vault/OpenBao OIDC sign-in: runs the CLI with --no-browser, reads the
 * authorization URL from its own stderr line, asks Vault's authorize endpoint (which answers
 * JSON {code, state} to a member's token) and delivers the code to the loopback redirect.
 */
import { spawn } from 'node:child_process';
import { CLI_BIN, type RunResult, type Sandbox } from './sandbox.js';

export function runWithBrowser(
  sandbox: Sandbox,
  args: string[],
  options: { memberToken: string; env: Record<string, string> },
): Promise<RunResult & { redirectStatus?: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd: sandbox.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let redirectStatus: number | undefined;
    let browser: Promise<void> | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const line = stderr.split('\n').find((l) => /^https?:\/\/\S+\/authorize\?\S+$/.test(l.trim()));
      if (line && !browser) {
        browser = (async () => {
          const url = new URL(line.trim());
          const authorize = await fetch(`${url.origin}${url.pathname.replace(/^\/ui\/vault\//, '/v1/')}${url.search}`, {
            headers: { 'X-Vault-Token': options.memberToken },
          });
          const body = (await authorize.json()) as { code: string; state: string };
          const redirect = new URL(url.searchParams.get('redirect_uri')!);
          redirect.searchParams.set('code', body.code);
          redirect.searchParams.set('state', body.state);
          redirectStatus = (await fetch(redirect)).status;
        })().catch((error: unknown) => {
          stderr += `\n[test browser failed: ${String(error)}]`;
        });
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      void Promise.resolve(browser).then(() => {
        const result = { args, code: code ?? -1, stdout, stderr, redirectStatus };
        sandbox.transcript.push(result);
        resolve(result);
      }, reject);
    });
  });
}
