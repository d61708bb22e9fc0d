/**
 * The page's JSON API: thin routes over `AgentService.handle`, so the page is one more client
 * of the same vault, cache and sessions as the CLI. Values leave only through `reveal`,
 * which the person asks for; `retrieve` resolves a secret and answers without its value.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { VaultError, type FlagSpec, type IntegrationInfo, type SecretEntry, type SecretInfo } from '@vault/core';
import type { AgentService } from '../server/service.js';
import type { RequestContext } from '../shared/protocol.js';
import { disconnectSpecs, loadFormProvider, providerCatalog, type CatalogContext, type FormSpecs } from './catalog.js';
import { errorResponse } from './errors.js';
import { formToFields } from './form-fields.js';
import type { UiEnv } from './guards.js';
import type { Operations } from './operations.js';
import type { RecentWarnings } from './warnings.js';
import type { UiState } from './wire.js';

/** Where and with what environment page requests run: those of the latest `vaultlink ui`. */
export interface UiClient {
  ctx: RequestContext;
  env: Record<string, string | undefined>;
}

export interface ApiDeps {
  service: AgentService;
  operations: Operations;
  /** Store warnings the agent met (any client's request), shown by the page. */
  warnings: RecentWarnings;
  client(): UiClient;
}

const SIGN_IN_ACTIONS = ['connect', 'reauth', 'disconnect', 'setup'] as const;
type SignInAction = (typeof SIGN_IN_ACTIONS)[number];

export function apiRoutes(deps: ApiDeps): Hono<UiEnv> {
  const api = new Hono<UiEnv>();
  const { service } = deps;
  const call = <T>(c: Context, op: string, args: unknown[] = []): Promise<T> =>
    service.handle(op, args, { ctx: deps.client().ctx, signal: c.req.raw.signal }) as Promise<T>;

  api.use(
    '*',
    bodyLimit({
      maxSize: 1024 * 1024,
      onError: (c) => c.json({ error: { code: 'INVALID_INPUT', message: 'The request body is larger than 1 MiB.' } }, 413),
    }),
  );
  api.onError((error, c) => errorResponse(c, error));

  api.get('/session', (c) => c.json({ csrfToken: c.get('session').csrfToken }));
  api.get('/state', async (c) => c.json({ ...(await service.status()), warnings: deps.warnings.all() } satisfies UiState));
  api.post('/unlock', async (c) => {
    const { passphrase } = await body<{ passphrase?: unknown }>(c);
    if (typeof passphrase !== 'string' || passphrase === '') throw invalid('passphrase', 'is empty', 'the vault passphrase');
    return c.json(await service.handle('unlock', [{ passphrase, passphraseFrom: 'prompt' }], { signal: c.req.raw.signal }));
  });
  api.post('/lock', async (c) => c.json(await service.handle('lock', [], { signal: c.req.raw.signal })));

  api.get('/secrets', async (c) => {
    const [secrets, integrations] = await Promise.all([call<SecretInfo[]>(c, 'list'), call<IntegrationInfo[]>(c, 'integrations')]);
    return c.json({ secrets, connected: integrations.map((i) => i.provider) });
  });
  api.post('/secrets', async (c) => {
    const { name, value, allowedDomains } = await body<{ name?: unknown; value?: unknown; allowedDomains?: unknown }>(c);
    if (typeof name === 'string' && (await call<SecretEntry | null>(c, 'entry', [name])))
      throw invalid('name', `"${name}" already exists`, 'a name not used yet (edit the existing secret instead)');
    await call(c, 'setLocal', [name, value, domainsOption(allowedDomains)]);
    return c.json({ name });
  });
  api.get('/secrets/:name', async (c) => secretDetails(c, call));
  api.put('/secrets/:name/value', async (c) => {
    const { value } = await body<{ value?: unknown }>(c);
    await call(c, 'setLocal', [c.req.param('name'), value, undefined]);
    return c.json({ name: c.req.param('name') });
  });
  api.post('/secrets/:name/link', async (c) => {
    const { provider, fields, allowedDomains } = await body<{ provider?: unknown; fields?: unknown; allowedDomains?: unknown }>(c);
    if (typeof provider !== 'string' || provider === '')
      throw invalid('provider', 'is missing', 'a provider id such as hashicorp, aws or azure');
    const loaded = await loadFormProvider(provider, catalogContext(deps.client()));
    const given = formToFields(loaded.link, fields, deps.client().env);
    return c.json(await call(c, 'link', [c.req.param('name'), provider, given, domainsOption(allowedDomains)]));
  });
  api.put('/secrets/:name/domains', async (c) => {
    const { allowedDomains } = await body<{ allowedDomains?: unknown }>(c);
    await call(c, 'setAllowedDomains', [c.req.param('name'), domainsOption(allowedDomains).allowedDomains ?? []]);
    return c.json({ name: c.req.param('name') });
  });
  api.post('/secrets/:name/rename', async (c) => {
    const { to } = await body<{ to?: unknown }>(c);
    await call(c, 'rename', [c.req.param('name'), to]);
    return c.json({ name: to });
  });
  api.put('/secrets/:name/enabled', async (c) => {
    const { enabled } = await body<{ enabled?: unknown }>(c);
    if (typeof enabled !== 'boolean') throw invalid('enabled', 'is not true or false', 'true or false');
    await call(c, 'setEnabled', [c.req.param('name'), enabled]);
    return c.json({ name: c.req.param('name'), enabled });
  });
  api.delete('/secrets/:name', async (c) => {
    await call(c, 'remove', [c.req.param('name')]);
    return c.json({ removed: c.req.param('name') });
  });
  api.post('/secrets/:name/retrieve', async (c) => {
    const value = await call<string>(c, 'get', [c.req.param('name')]);
    const info = await call<SecretInfo>(c, 'show', [c.req.param('name')]);
    // Resolution is proved without sending the value: the page asks for it with `reveal`.
    return c.json({ resolved: true, characters: value.length, secret: info });
  });
  api.post('/secrets/:name/reveal', async (c) => {
    const name = c.req.param('name');
    const entry = await call<SecretEntry | null>(c, 'entry', [name]);
    if (!entry) throw new VaultError('NOT_FOUND', `No secret named "${name}".`, { fix: { action: 'list' } });
    const value = entry.secret.kind === 'local' ? entry.secret.value : await call<string>(c, 'get', [name]);
    return c.json({ name, value });
  });

  api.get('/providers', async (c) => {
    const client = deps.client();
    return c.json(await providerCatalog({ ...catalogContext(client), inUse: await providersInUse(c, call) }));
  });
  api.get('/integrations', async (c) => c.json(await call(c, 'integrations')));
  for (const action of SIGN_IN_ACTIONS) {
    api.post(`/integrations/:provider/${action}`, async (c) => {
      const provider = c.req.param('provider');
      const { fields } = await body<{ fields?: unknown }>(c);
      const client = deps.client();
      const loaded = await loadFormProvider(provider, catalogContext(client), action === 'disconnect');
      const given = formToFields(specsFor(loaded, action), fields, client.env);
      const started = deps.operations.start(action, provider, client.env, (io, signal) =>
        service.handle(action, [provider, given], { ctx: client.ctx, io, signal }),
      );
      return c.json(started, 202);
    });
  }
  api.get('/operations/:id', async (c) => {
    const operation = deps.operations.get(c.req.param('id'));
    if (!operation)
      throw new VaultError('NOT_FOUND', 'No such operation (finished ones are kept for 5 minutes).', { fix: 'start it again' });
    const after = Number(c.req.query('after') ?? 0) || 0;
    await operation.changes(after, c.req.raw.signal);
    return c.json(operation.view(after));
  });
  api.post('/operations/:id/answer', async (c) => {
    const operation = deps.operations.get(c.req.param('id'));
    const { seq, value } = await body<{ seq?: unknown; value?: unknown }>(c);
    if (!operation || typeof seq !== 'number' || !operation.answer(seq, typeof value === 'string' ? value : undefined)) {
      throw new VaultError('NOT_FOUND', 'That question is not waiting for an answer any more.', { fix: 'start the sign-in again' });
    }
    return c.json({ answered: seq });
  });
  api.post('/operations/:id/cancel', async (c) => {
    deps.operations.get(c.req.param('id'))?.cancel();
    return c.json({ cancelled: true });
  });

  api.put('/settings/expiry', async (c) => {
    const { minutes } = await body<{ minutes?: unknown }>(c);
    await call(c, 'setCacheExpiryMinutes', [minutes]);
    return c.json({ expiryMinutes: minutes });
  });
  api.put('/settings/idle-lock', async (c) => {
    const { minutes } = await body<{ minutes?: unknown }>(c);
    return c.json(await service.handle('setIdleLock', [minutes], { signal: c.req.raw.signal }));
  });
  api.post('/cache/reset', async (c) => {
    const { name } = await body<{ name?: unknown }>(c);
    await call(c, 'resetCache', typeof name === 'string' && name !== '' ? [name] : []);
    return c.json({ reset: typeof name === 'string' && name !== '' ? name : 'all' });
  });
  api.all('*', (c) => c.json({ error: { code: 'NOT_FOUND', message: `No API route ${c.req.method} ${c.req.path}.` } }, 404));
  return api;
}

type Call = <T>(c: Context, op: string, args?: unknown[]) => Promise<T>;

/** What `show` gives, plus the provider's `describe` metadata for a connected link (never the value). */
async function secretDetails(c: Context, call: Call): Promise<Response> {
  const name = c.req.param('name')!;
  const secret = await call<SecretInfo>(c, 'show', [name]);
  const connected = (await call<IntegrationInfo[]>(c, 'integrations')).map((i) => i.provider);
  if (secret.kind !== 'linked' || !secret.provider || !connected.includes(secret.provider)) return c.json({ secret, connected });
  try {
    const described = await call<SecretInfo & { upstream?: Record<string, unknown> }>(c, 'describe', [name]);
    return c.json({ secret, connected, upstream: described.upstream ?? {} });
  } catch (error) {
    const response = errorResponse(c, error);
    return c.json({ secret, connected, upstreamError: ((await response.json()) as { error: unknown }).error });
  }
}

async function providersInUse(c: Context, call: Call): Promise<string[]> {
  try {
    const [secrets, integrations] = await Promise.all([call<SecretInfo[]>(c, 'list'), call<IntegrationInfo[]>(c, 'integrations')]);
    return [...secrets.flatMap((s) => (s.provider ? [s.provider] : [])), ...integrations.map((i) => i.provider)];
  } catch {
    return []; // locked: the first-party and installed providers are still listed
  }
}

function specsFor(flags: FormSpecs, action: SignInAction): readonly FlagSpec[] {
  if (action === 'setup') return flags.setup;
  return action === 'disconnect' ? disconnectSpecs(flags) : flags.connect;
}

function catalogContext(client: UiClient): Omit<CatalogContext, 'inUse'> {
  return { env: client.env, ctx: client.ctx };
}

function domainsOption(value: unknown): { allowedDomains?: string[] } {
  if (value === undefined || value === null) return {};
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\n,]/) : undefined;
  if (!list || !list.every((d) => typeof d === 'string'))
    throw invalid('allowedDomains', 'is not a list of domains', 'domains such as api.example.com, *.example.com');
  return { allowedDomains: list.map((d) => d.trim()).filter(Boolean) };
}

function invalid(field: string, problem: string, expected: string): VaultError {
  return new VaultError('INVALID_INPUT', `Invalid ${field}.`, { issues: [{ field, problem, expected }] });
}

async function body<T extends object>(c: Context): Promise<Partial<T>> {
  if (!(c.req.header('content-type') ?? '').startsWith('application/json')) {
    throw new VaultError('INVALID_INPUT', 'The vault UI API takes JSON bodies.', {
      issues: [{ field: 'Content-Type', problem: 'is not application/json', expected: 'application/json' }],
    });
  }
  const parsed: unknown = await c.req.json().catch(() => {
    throw new VaultError('INVALID_INPUT', 'The request body is not JSON.', {
      issues: [{ field: 'body', problem: 'is not JSON', expected: 'a JSON object' }],
    });
  });
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Partial<T>) : {};
}
