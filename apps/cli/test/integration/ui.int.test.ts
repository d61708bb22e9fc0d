/**
 * `vaultlink ui` end to end: Debian's Chromium (playwright-core) drives the page the agent
 * serves, against the real peers. Open through the one-time URL (a wrong or missing token
 * gets 401); add a local secret and see it masked; set up HashiCorp with the seed's admin
 * form, sign in with OIDC in a new tab, link OpenBao and moto secrets through the generated
 * forms (parseLink errors next to their fields, a third-party provider's form, relinking) and
 * Retrieve them; the details show metadata and no value; expiry and cache reset counted in
 * OpenBao's audit log; disconnect leaves the secret unresolved, and its error shows the CLI's
 * code and fix text with a Connect button that starts the sign-in; lock and unlock; a form from
 * another local origin is refused; a rolled-back vault file is shown as a warning; nothing loads
 * from elsewhere; no value in the served page, the agent log, or browser storage. Screenshots of
 * each screen go to test/.artifacts/ui/.
 */
import { copyFile, readFile, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requirePeer } from '../../../../tools/peers/require-peer.mjs';
import { countAuditRequests, openBaoSeeder } from '../../../../tools/peers/seed/openbao.mjs';
import { motoSeeder } from '../../../../tools/peers/seed/moto.mjs';
import { launchChromium, screenshot } from '../helpers/chromium.js';
import { expectNoLeaks, ok } from '../helpers/leaks.js';
import { createSandbox, uniqueSuffix, uniqueValue, type Sandbox } from '../helpers/sandbox.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const bao = requirePeer('openbao');
const moto = requirePeer('moto');
if (!bao || !moto) throw new Error('VAULTLINK_SKIP_PEERS=1: this file needs the OpenBao and moto peers');
const seeder = openBaoSeeder(bao);
const aws = motoSeeder(moto);

const suffix = uniqueSuffix('ui');
const secretPath = `ui-${suffix}/app`;
const values = {
  local: uniqueValue('ui-local'),
  bao: uniqueValue('ui-bao'),
  moto: uniqueValue('ui-moto'),
  edited: uniqueValue('ui-edited'),
};
const reads = (): number => countAuditRequests(bao.auditLog!, { path: `secret/data/${secretPath}`, operation: 'read' });

let sandbox: Sandbox;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let origin: string;
let memberToken: string;
let motoArn: string;
const requested: string[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** `vaultlink ui --no-browser`: the one-time URL it prints on stderr. */
async function uiUrl(): Promise<string> {
  const result = ok(await sandbox.run(['ui', '--no-browser']));
  const url = /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+$/m.exec(result.stderr)?.[0];
  expect(url, result.stderr).toBeDefined();
  return url!;
}

const shot = (name: string): Promise<string> => screenshot(page, 'ui', name);
const row = (name: string) => page.locator(`tr[data-secret="${name}"]`);
const card = (provider: string) => page.locator(`article[data-provider="${provider}"]`);

async function openScreen(name: 'Vault secrets' | 'Integrations' | 'Settings'): Promise<void> {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 2, name: name === 'Vault secrets' ? 'Vault secrets' : name }).waitFor();
}

async function openDetails(name: string): Promise<void> {
  await openScreen('Vault secrets');
  await row(name).getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 2, name }).waitFor();
}

async function retrieve(name: string): Promise<void> {
  await openDetails(name);
  await page.getByRole('button', { name: 'Retrieve' }).click();
  await page.getByText(/^Resolved: \d+ characters/).waitFor();
}

/**
 * Opens the details of `name` (its metadata comes from upstream: OpenBao's describe reads the
 * document) and then presses Retrieve `times` times: the upstream reads those presses made.
 */
async function readsOfRetrieves(name: string, times: number): Promise<number> {
  await openDetails(name);
  await page.getByRole('heading', { name: 'From hashicorp' }).waitFor();
  const before = reads();
  for (let i = 0; i < times; i++) {
    const answered = page.waitForResponse((r) => r.url().endsWith(`/api/secrets/${name}/retrieve`) && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Retrieve' }).click();
    expect((await answered).status()).toBe(200);
  }
  return reads() - before;
}

/** Plays the person at OpenBao's sign-in page: the member's token approves, the redirect goes to the agent. */
async function approveOidcInBrowser(): Promise<void> {
  await context.route(`${bao!.addr}/ui/vault/**`, async (route) => {
    const url = new URL(route.request().url());
    const authorize = await fetch(`${url.origin}${url.pathname.replace(/^\/ui\/vault\//, '/v1/')}${url.search}`, {
      headers: { 'X-Vault-Token': memberToken },
    });
    const body = (await authorize.json()) as { code: string; state: string };
    const redirect = new URL(url.searchParams.get('redirect_uri')!);
    redirect.searchParams.set('code', body.code);
    redirect.searchParams.set('state', body.state);
    await route.fulfill({ status: 302, headers: { Location: redirect.href } });
  });
}

beforeAll(async () => {
  sandbox = await createSandbox();
  for (const key of Object.keys(sandbox.env)) if (/^(VAULT_|AWS_|AZURE_)/.test(key)) delete sandbox.env[key];
  Object.assign(sandbox.env, {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
  });
  await seeder.kvPut('secret', secretPath, { token: values.bao });
  await seeder.enableUserpass();
  await seeder.createUser(`ui-member-${suffix}`, 'member-password-not-a-value');
  memberToken = (await seeder.login(`ui-member-${suffix}`, 'member-password-not-a-value')).token;
  motoArn = (await aws.createSecret(`ui-db-${suffix}`, values.moto)).arn;
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  // Offline: anything that is not on this machine is refused, and every request is recorded.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/, (route) => route.abort());
  context.on('request', (request) => requested.push(request.url()));
  context.setDefaultTimeout(15_000);
  page = await context.newPage();
}, 180_000);

afterEach(async (test) => {
  // A failed step leaves a picture of the screen it failed on.
  if (test.task.result?.state !== 'fail') return;
  await shot(`failed-${test.task.name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}`).catch(() => undefined);
  // Close what the failed step left open, so the next steps start from a screen.
  while (await page.locator('dialog[open]').count()) await page.keyboard.press('Escape');
});

afterAll(async () => {
  await browser?.close();
  await sandbox?.run(['agent', 'stop']);
  await sandbox?.cleanup();
  aws.destroy();
});

describe('vaultlink ui in Chromium, against OpenBao and moto', () => {
  it('opens through the one-time URL; a wrong, missing or spent token gets 401', async () => {
    const url = await uiUrl();
    origin = new URL(url).origin;
    expect((await page.goto(`${origin}/?token=${uniqueValue('wrong')}`))!.status()).toBe(401);
    expect((await page.goto(`${origin}/`))!.status()).toBe(401);
    expect((await page.goto(`${origin}/api/secrets`))!.status()).toBe(401);
    const opened = await page.goto(url);
    expect(opened!.status()).toBe(200);
    expect(new URL(page.url()).search).toBe(''); // the token left the address bar
    await page.getByRole('heading', { name: 'Vault secrets' }).waitFor();
    const other = await browser.newContext();
    expect((await (await other.newPage()).goto(url))!.status()).toBe(401);
    await other.close();
  });

  it('adds a local secret with the keyboard and shows it masked; Reveal shows it on purpose', async () => {
    await page.getByRole('button', { name: 'Add secret' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Add secret' }).waitFor();
    await page.keyboard.type('local_key'); // the name field has the focus
    await page.keyboard.press('Tab');
    await page.keyboard.type(values.local);
    await page.getByLabel('Allowed domains').fill('api.example.com');
    await page.getByLabel('Value').press('Enter'); // submits the form
    await row('local_key').waitFor();
    await expect.poll(() => row('local_key').getByLabel('value of local_key, hidden').textContent()).toBe('••••••••');
    expect(await page.content()).not.toContain(values.local);
    await shot('secrets');
    await row('local_key').getByRole('button', { name: 'Reveal the value of local_key' }).click();
    await expect.poll(() => page.getByTestId('revealed-local_key').textContent()).toBe(values.local);
    await row('local_key').getByRole('button', { name: 'Hide the value of local_key' }).click();
    expect(await page.content()).not.toContain(values.local);
  });

  it('edits, renames, disables, enables and deletes (after a confirmation); edits allowed domains; search and filter', async () => {
    const dialog = page.getByRole('dialog');
    await row('local_key').getByRole('button', { name: 'Edit allowed domains of local_key' }).click();
    await dialog.getByLabel('Allowed domains').fill('api.example.com\n*.example.org');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => row('local_key').locator('td').nth(1).textContent()).toContain('*.example.org');
    await row('local_key').getByRole('button', { name: 'Edit the value of local_key' }).click();
    await dialog.getByLabel('New value').fill(values.edited);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(ok(await sandbox.run(['get', 'local_key'])).stdout).toBe(values.edited);
    await row('local_key').getByRole('button', { name: 'Rename local_key' }).click();
    await dialog.getByLabel('New name').fill('local_key2');
    await dialog.getByRole('button', { name: 'Rename', exact: true }).click();
    await row('local_key2').waitFor();
    await row('local_key2').getByRole('button', { name: 'Disable local_key2' }).click();
    await expect.poll(() => row('local_key2').getByText('Disabled').count()).toBe(1);
    await page.getByLabel('Show').selectOption('disabled');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await page.getByLabel('Show').selectOption('all');
    await row('local_key2').getByRole('button', { name: 'Enable local_key2' }).click();
    await expect.poll(() => row('local_key2').getByText('Enabled').count()).toBe(1);
    await page.getByLabel('Search').fill('nomatch');
    await page.getByText('No secret matches.').waitFor();
    await page.getByLabel('Search').fill('');
    await row('local_key2').getByRole('button', { name: 'Delete local_key2' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete local_key2?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    await row('local_key2').getByRole('button', { name: 'Delete local_key2' }).click();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await row('local_key2').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Add secret' }).click();
    await dialog.getByLabel('Name').fill('local_key');
    await dialog.getByLabel('Value').fill(values.local);
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await row('local_key').waitFor();
  });

  it('sets up HashiCorp with the admin form, signs in with OIDC in a new tab, and the screen updates', async () => {
    const redirect = `http://localhost:${await freePort()}/oidc/callback`;
    await openScreen('Integrations');
    await card('hashicorp').getByRole('button', { name: 'Set Up Integration' }).click();
    const setup = page.getByRole('dialog', { name: 'Set up HashiCorp Vault integration' });
    // The seed's fields, first.
    for (const label of ['OIDC provider URL', 'JWT path', 'Client ID', 'Role', 'Namespace'])
      await setup.getByLabel(label, { exact: true }).waitFor();
    await setup.getByLabel('Vault address').fill(bao.addr);
    await setup.getByLabel('Admin token').fill(bao.rootToken);
    await setup.getByLabel('Bootstrap').check();
    await setup.getByLabel('OIDC name').fill(`ui-${suffix}`);
    await setup.getByLabel('JWT path', { exact: true }).fill(`ui-jwt-${suffix}`);
    await setup.getByLabel('Policy name').fill(`ui-p-${suffix}`);
    await setup.getByLabel('Redirect URI').fill(redirect);
    await shot('hashicorp-setup');
    await setup.getByRole('button', { name: 'Set Up HashiCorp Vault' }).click();
    await setup.waitFor({ state: 'detached', timeout: 60_000 });
    await expect.poll(() => card('hashicorp').getByText('Not connected').count()).toBe(1);

    await approveOidcInBrowser();
    await card('hashicorp').getByRole('button', { name: 'Connect', exact: true }).click();
    const connect = page.getByRole('dialog', { name: 'Connect HashiCorp Vault' });
    await connect.getByLabel('Method').selectOption('oidc');
    await connect.getByLabel('Login timeout').fill('60');
    const signInTab = context.waitForEvent('page', { timeout: 30_000 });
    await connect.getByRole('button', { name: 'Connect', exact: true }).click();
    const tab = await signInTab;
    await tab.waitForLoadState();
    expect(tab.url()).toMatch(/^http:\/\/localhost:\d+\/oidc\/callback\?/);
    await connect.waitFor({ state: 'detached', timeout: 60_000 });
    await expect.poll(() => card('hashicorp').getByText('Connected', { exact: true }).count()).toBe(1);
    expect(await card('hashicorp').textContent()).toMatch(/Session expires\d{4}-/);
    await tab.close();
  });

  it('connects AWS (moto) through the generated form', async () => {
    await card('aws').getByRole('button', { name: 'Connect', exact: true }).click();
    const connect = page.getByRole('dialog', { name: 'Connect AWS Secrets Manager' });
    await connect.getByLabel('Access key ID').fill('AKIAVAULTLINKUITEST1');
    await connect.getByLabel('Secret access key').fill('testing');
    await connect.getByLabel('Region').fill(moto.region);
    await connect.getByRole('button', { name: 'Connect', exact: true }).click();
    await connect.waitFor({ state: 'detached', timeout: 60_000 });
    await expect.poll(() => card('aws').getByText('Connected', { exact: true }).count()).toBe(1);
    await shot('integrations');
  });

  it('links OpenBao and moto secrets through the generated forms, with parseLink errors next to their fields', async () => {
    await openScreen('Vault secrets');
    await page.getByRole('button', { name: 'Link vault secret' }).click();
    const dialog = page.getByRole('dialog', { name: 'Link vault secret' });
    await dialog.getByLabel('Name').fill('moto_db');
    await dialog.getByLabel('External vault').selectOption('aws');
    await dialog.getByLabel('ARN', { exact: true }).fill('arn:aws:secretsmanager:us-east-1:12345:secret:db');
    await dialog.getByRole('button', { name: 'Use' }).click();
    const arnError = dialog.locator('#link-aws-arn-error');
    await arnError.waitFor();
    expect(await arnError.textContent()).toContain('12-digit account ID');
    expect(await dialog.getByLabel('ARN', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await shot('link-error');
    await dialog.getByLabel('ARN', { exact: true }).fill(motoArn);
    await dialog.getByRole('button', { name: 'Use' }).click();
    await dialog.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Link vault secret' }).click();
    await dialog.getByLabel('Name').fill('bao_api');
    await dialog.getByLabel('External vault').selectOption('hashicorp');
    await dialog.getByLabel('Engine').fill('secret');
    await dialog.getByLabel('Path').fill(secretPath);
    await dialog.getByRole('button', { name: 'Use' }).click();
    await dialog.locator('#link-hashicorp-key-error').waitFor();
    await dialog.getByLabel('Key', { exact: true }).fill('token');
    await dialog.getByLabel('Allowed domains').fill('api.example.com');
    await dialog.getByRole('button', { name: 'Use' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row('bao_api').waitFor();
    expect(await row('bao_api').textContent()).toContain(`secret/${secretPath}#token`);
    expect(await row('moto_db').textContent()).toContain(motoArn);
    await shot('secrets-linked');
  });

  it('a third-party provider gets a working form with no UI change, and relinking replaces a link', async () => {
    await page.getByRole('button', { name: 'Link vault secret' }).click();
    const dialog = page.getByRole('dialog', { name: 'Link vault secret' });
    await dialog.getByLabel('Name').fill('fx');
    await dialog.getByLabel('External vault').selectOption('fixture');
    expect(await dialog.getByLabel('Mode').evaluate((e) => e.tagName)).toBe('SELECT');
    expect(await dialog.getByLabel('Strict').getAttribute('type')).toBe('checkbox');
    expect(await dialog.getByLabel('Tag').evaluate((e) => e.tagName)).toBe('TEXTAREA');
    await dialog.getByRole('button', { name: 'Use' }).click();
    expect(await dialog.locator('#link-fixture-item-error').textContent()).toContain('is missing');
    await dialog.getByLabel('Item').fill('first-item');
    await dialog.getByLabel('Mode').selectOption('upper');
    await dialog.getByLabel('Strict').check();
    await dialog.getByLabel('Tag').fill('a\nb');
    await dialog.getByRole('button', { name: 'Use' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await row('fx').textContent()).toContain('first-item');
    await row('fx').getByRole('button', { name: 'Relink fx' }).click();
    const relink = page.getByRole('dialog', { name: 'Link secret: fx' });
    expect(await relink.getByLabel('External vault').inputValue()).toBe('fixture');
    await relink.getByLabel('Item').fill('second-item');
    await relink.getByLabel('Strict').check();
    await relink.getByRole('button', { name: 'Use' }).click();
    await relink.waitFor({ state: 'detached' });
    await expect.poll(() => row('fx').textContent()).toContain('second-item');
    const shown = JSON.parse(ok(await sandbox.run(['show', 'fx', '--json', '--no-upstream'])).stdout) as {
      identifier: string;
      extra: Record<string, string>;
    };
    expect(shown).toMatchObject({ identifier: 'second-item', extra: { mode: 'plain', strict: 'true' } });
  });

  it('details show the metadata and no value; Retrieve resolves both links and keeps the value masked until revealed', async () => {
    await openDetails('bao_api');
    await page.getByText('From hashicorp').waitFor();
    const details = await page.locator('section').textContent();
    expect(details).toContain('linked to hashicorp');
    expect(details).toMatch(/From hashicorp/);
    expect(details).toMatch(/created_time|createdTime|version/i);
    expect(await page.content()).not.toContain(values.bao);
    await shot('details');
    await page.getByRole('button', { name: 'Retrieve' }).click();
    await page.getByText(`Resolved: ${values.bao.length} characters`).waitFor();
    expect(await page.content()).not.toContain(values.bao);
    await shot('details-retrieved');
    await page.getByRole('button', { name: 'Reveal the value of bao_api' }).click();
    await expect.poll(() => page.getByTestId('revealed-bao_api').textContent()).toBe(values.bao);
    await page.getByRole('button', { name: 'Hide the value of bao_api' }).click();

    await retrieve('moto_db');
    await page.getByText(`Resolved: ${values.moto.length} characters`).waitFor();
    expect(await page.content()).not.toContain(values.moto);
    await page.getByRole('button', { name: 'Reveal the value of moto_db' }).click();
    await expect.poll(() => page.getByTestId('revealed-moto_db').textContent()).toBe(values.moto);
    await page.getByRole('button', { name: 'Hide the value of moto_db' }).click();
  });

  it("expiry and cache reset from Settings, counted in OpenBao's audit log", async () => {
    const settings = async (): Promise<void> => openScreen('Settings');
    await settings();
    await page.getByLabel('Secret expiry duration (in minutes)').fill('60');
    await page.getByRole('button', { name: 'Save expiry' }).click();
    await page.getByText('Values are cached for 60 minutes.').waitFor();
    await page.getByRole('button', { name: 'Manually Reset Cache' }).click();
    await page.getByText('Dropped every cached value.').waitFor();
    expect(await readsOfRetrieves('bao_api', 3)).toBe(1);

    await settings();
    await expect.poll(() => page.locator('table.cache').textContent()).toContain('bao_api');
    await shot('settings');
    await page.getByRole('button', { name: 'Manually Reset Cache' }).click();
    await page.getByText('Dropped every cached value.').waitFor();
    expect(await readsOfRetrieves('bao_api', 2)).toBe(1);

    await settings();
    await page.getByLabel('Reset one secret').selectOption('bao_api');
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await page.getByText('Dropped the cached value of bao_api.').waitFor();
    expect(await readsOfRetrieves('bao_api', 2)).toBe(1);

    await settings();
    await page.getByLabel('Secret expiry duration (in minutes)').fill('0');
    await page.getByRole('button', { name: 'Save expiry' }).click();
    await page.getByText('Caching is off').waitFor();
    expect(await readsOfRetrieves('bao_api', 3)).toBe(3);
    await settings();
    await page.getByLabel('Secret expiry duration (in minutes)').fill('60');
    await page.getByRole('button', { name: 'Save expiry' }).click();
    await page.getByText('Values are cached for 60 minutes.').waitFor();
    expect(JSON.parse(ok(await sandbox.run(['config', 'get', '--json'])).stdout)).toEqual({ expiry: 60 });
  });

  it('the idle-lock time is changed for the running agent', async () => {
    await openScreen('Settings');
    await page.getByLabel('Lock the agent after (idle minutes)').fill('25');
    await page.getByRole('button', { name: 'Save idle lock' }).click();
    await page.getByText('The agent locks after 25 idle minutes.').waitFor();
    const status = JSON.parse(ok(await sandbox.run(['agent', 'status', '--json'])).stdout) as { idleLockMinutes: number };
    expect(status.idleLockMinutes).toBe(25);
  });

  it('disconnect asks for confirmation, says references become unresolved, and then the secret shows as unresolved (disconnected)', async () => {
    await openScreen('Integrations');
    await card('hashicorp').getByRole('button', { name: 'Disconnect', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Disconnect HashiCorp Vault?' });
    expect(await dialog.textContent()).toContain('references to them become unresolved (disconnected)');
    await dialog.getByLabel('Admin token').fill(bao.rootToken);
    await shot('disconnect');
    await dialog.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await dialog.waitFor({ state: 'detached', timeout: 60_000 });
    await expect.poll(() => card('hashicorp').getByText('Not set up').count()).toBe(1);
    await openScreen('Vault secrets');
    await expect.poll(() => row('bao_api').textContent()).toContain('Unresolved (disconnected)');
    await page.getByLabel('Show').selectOption('disconnected');
    // bao_api, and fx: its fixture provider was never connected.
    await expect
      .poll(() => page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-secret'))))
      .toEqual(['bao_api', 'fx']);
    await shot('secrets-disconnected');
    await page.getByLabel('Show').selectOption('all');
  });

  it("an error shows the code and fix text of the CLI's --json output, and its Connect button starts the sign-in here", async () => {
    await openDetails('bao_api');
    await page.getByRole('button', { name: 'Retrieve' }).click();
    const error = page.getByRole('alert');
    await expect.poll(() => error.textContent()).toContain('[UNRESOLVED]');
    const cli = await sandbox.run(['--json', 'get', 'bao_api']);
    const cliError = (
      JSON.parse(cli.stderr.trim().split('\n').pop()!) as { error: { code: string; message: string; fix: string; fixAction: unknown } }
    ).error;
    expect(cliError).toMatchObject({
      code: 'UNRESOLVED',
      fix: 'vaultlink connect hashicorp',
      fixAction: { action: 'connect', provider: 'hashicorp' },
    });
    const shown = await error.textContent();
    expect(shown).toContain(`[${cliError.code}] ${cliError.message.split('\n')[0]}`);
    expect(shown).toContain(`Fix: Connect hashicorp or run ${cliError.fix}`);
    await shot('details-fix');
    await error.getByRole('button', { name: 'Connect hashicorp' }).click();
    const connect = page.getByRole('dialog', { name: 'Connect HashiCorp Vault' });
    await connect.waitFor();
    expect(new URL(page.url()).hash).toBe('#/integrations/hashicorp/connect');
    await page.getByRole('heading', { level: 2, name: 'Integrations' }).waitFor();
    await connect.getByRole('button', { name: 'Cancel' }).click();
    await connect.waitFor({ state: 'detached' });
    expect(new URL(page.url()).hash).toBe('#/integrations');
  });

  it('a form posted from another local origin is refused, although the browser sends the cookie', async () => {
    const target = `${origin}/api/secrets`;
    const attacker: Server = createHttpServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(
        `<form id="f" method="POST" action="${target}"><input name="name" value="planted"><input name="value" value="x"></form><script>document.getElementById('f').submit()</script>`,
      );
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    const attackerPage = await context.newPage();
    const refused = attackerPage.waitForResponse((response) => response.url() === target);
    await attackerPage.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
    const response = await refused;
    expect(response.status()).toBe(403);
    expect(response.request().headers()['cookie'] ?? (await response.request().allHeaders())['cookie']).toContain('vaultlink_ui_');
    await attackerPage.close();
    await new Promise((resolve) => attacker.close(resolve));
    expect(ok(await sandbox.run(['list', '--json'])).stdout).not.toContain('planted');
  });

  it('Lock now shows the unlock screen; a wrong passphrase is told to be typed again; the passphrase unlocks for every client', async () => {
    await openScreen('Vault secrets');
    await page.getByRole('button', { name: 'Lock now' }).click();
    await page.getByRole('heading', { name: 'The vault is locked' }).waitFor();
    expect((JSON.parse(ok(await sandbox.run(['agent', 'status', '--json'])).stdout) as { locked: boolean }).locked).toBe(true);
    await shot('locked');
    await page.getByLabel('Vault passphrase').fill('not-the-passphrase');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('[BAD_PASSPHRASE]');
    // The passphrase was typed here: the fix says to type it again, not to check an environment variable.
    const refused = (await page.getByRole('alert').textContent()) ?? '';
    expect(refused).toContain('type the vault passphrase again');
    expect(refused).not.toContain('VAULTLINK_PASSPHRASE');
    expect(refused).not.toContain('not-the-passphrase');
    await page.getByLabel('Vault passphrase').fill(sandbox.passphrase);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await row('local_key').waitFor();
    expect(
      (
        JSON.parse(ok(await sandbox.run(['agent', 'status', '--json'], { env: { VAULTLINK_PASSPHRASE: undefined } })).stdout) as {
          locked: boolean;
        }
      ).locked,
    ).toBe(false);
  });

  it('a rolled-back vault file is shown in the page with its code and generations, until dismissed', async () => {
    await openScreen('Vault secrets');
    const vaultFile = join(sandbox.home, 'vault.enc');
    const backup = join(sandbox.root, 'vault.enc.backup');
    await copyFile(vaultFile, backup);
    ok(await sandbox.run(['set', 'rollback_probe', '--stdin'], { input: uniqueValue('probe') }));
    ok(await sandbox.run(['set', 'rollback_probe', '--stdin'], { input: uniqueValue('probe') }));
    await copyFile(backup, vaultFile); // someone puts an older copy back
    // The next request the agent serves (the page's state poll, every 5 s) meets it.
    const banner = page.getByRole('status', { name: 'Vault warnings' });
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/\[VAULT_ROLLBACK\] .*older copy/);
    const logged = (await readFile(join(sandbox.home, 'agent', 'agent.log'), 'utf8'))
      .split('\n')
      .filter((line) => line.includes('store-warning code=VAULT_ROLLBACK'));
    expect(logged).toHaveLength(1);
    const [, generation, expected] = /generation=(\d+) expected=(\d+)/.exec(logged[0]!)!;
    expect(await banner.textContent()).toContain(`its generation is ${generation}, but generation ${expected} was already written`);
    // The older copy is what is served, to the page and to commands.
    await openScreen('Settings');
    await openScreen('Vault secrets');
    await row('local_key').waitFor();
    expect(await row('rollback_probe').count()).toBe(0);
    expect(ok(await sandbox.run(['list', '--json'])).stdout).not.toContain('rollback_probe');
    await shot('rollback-warning');
    await banner.getByRole('button', { name: 'Dismiss' }).click();
    await banner.waitFor({ state: 'detached' });
    await rm(backup);
  });

  it('loaded nothing from elsewhere; no value in the served page, the agent log or browser storage', async () => {
    const elsewhere = requested.filter((url) => !/^http:\/\/(127\.0\.0\.1|localhost):\d+\//.test(url));
    expect(elsewhere).toEqual([]);
    const secrets = [values.local, values.bao, values.moto, values.edited, sandbox.passphrase, bao.rootToken, memberToken];
    const html = await (await page.request.get(`${origin}/`)).text();
    const served = [html];
    for (const [, path] of html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g))
      served.push(await (await page.request.get(`${origin}${path}`)).text());
    expect(served.length).toBeGreaterThanOrEqual(3);
    // Runs in the page (the test's own tsconfig has no DOM types).
    const storage = await page.evaluate('JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } })');
    expect(storage).toBe('{"local":{},"session":{}}');
    const cookies = await context.cookies();
    expect(cookies.map((c) => c.name)).toEqual([expect.stringMatching(/^vaultlink_ui_\d+$/)]);
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    const log = await readFile(join(sandbox.home, 'agent', 'agent.log'), 'utf8');
    expect(log).toContain('ui-started');
    for (const secret of secrets) {
      for (const text of served) expect(text.includes(secret), 'the served page holds a secret').toBe(false);
      expect(JSON.stringify(cookies).includes(secret), 'a cookie holds a secret').toBe(false);
      expect(log.includes(secret), 'the agent log holds a secret').toBe(false);
      expect((await page.content()).includes(secret), 'the page shows a secret nobody revealed').toBe(false);
    }
    await expectNoLeaks(
      sandbox,
      secrets.filter((s) => s !== values.edited && s !== values.local),
    );
  });
});
