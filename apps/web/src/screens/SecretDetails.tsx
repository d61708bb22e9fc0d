/**
 * One secret's details: what the vault knows, and for a connected link the provider's
 * `describe` metadata (versions, dates, tags, state), never the value. "Retrieve" resolves
 * the secret through the agent (cache, sessions) to test it, and answers without the value;
 * the value stays masked until "Reveal".
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, secretPath } from '../api/client.js';
import type { SecretDetails, SecretInfo } from '../api/types.js';
import { useApiGet } from '../api/useApiGet.js';
import { useAction } from '../components/Busy.js';
import { Masked } from '../components/Masked.js';
import { ErrorView } from '../errors/ErrorView.js';
import { LinkDialog } from './LinkDialog.js';
import { secretState, stateLabel } from './state.js';

function Row({ label, children }: { label: string; children: JSX.Element | string | undefined | null }): JSX.Element | null {
  if (children === undefined || children === null || children === '') return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function metadataText(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function SecretDetailsScreen({ name }: { name: string }): JSX.Element {
  const { data: details, setData: setDetails, error, reload: load } = useApiGet<SecretDetails>(secretPath(name));
  const [retrieved, setRetrieved] = useState<{ characters: number } | undefined>(undefined);
  const [relink, setRelink] = useState(false);
  const retrieve = useAction();
  const reset = useAction();
  useEffect(() => setRetrieved(undefined), [name]);

  const onRetrieve = (): void =>
    void retrieve.run(async () => {
      const result = await api.post<{ characters: number; secret: SecretInfo }>(`${secretPath(name)}/retrieve`);
      setRetrieved({ characters: result.characters });
      setDetails((current) => (current ? { ...current, secret: result.secret } : current));
    });
  const onReset = (): void =>
    void reset.run(async () => {
      await api.post('/cache/reset', { name });
      setRetrieved(undefined);
      await load();
    });

  const secret = details?.secret;
  return (
    <section aria-labelledby="details-title">
      <p>
        <a href="#/secrets">← Vault secrets</a>
      </p>
      <h2 id="details-title">{name}</h2>
      <ErrorView error={error} />
      {secret && (
        <>
          <dl class="details">
            <Row label="Source">
              {secret.kind === 'local' ? 'local (stored encrypted in this vault)' : `linked to ${secret.provider ?? '?'}`}
            </Row>
            <Row label="Identifier">{secret.identifier}</Row>
            <Row label="Version">{secret.kind === 'linked' ? (secret.version ?? 'latest') : undefined}</Row>
            {Object.entries(secret.extra ?? {}).map(([key, value]) => (
              <Row key={key} label={key}>
                {value}
              </Row>
            ))}
            <Row label="Allowed domains">{secret.allowedDomains.length ? secret.allowedDomains.join(', ') : 'any'}</Row>
            <Row label="State">{stateLabel(secretState(secret, details.connected))}</Row>
            <Row label="Last fetched">
              {secret.kind === 'linked' ? (secret.lastFetchedAt ?? 'not since the agent started or the cache was reset') : undefined}
            </Row>
            <Row label="Cache expires">{secret.kind === 'linked' ? (secret.cacheExpiresAt ?? '-') : undefined}</Row>
            <Row label="Created">{secret.createdAt}</Row>
            <Row label="Updated">{secret.updatedAt}</Row>
          </dl>
          {details.upstream && Object.keys(details.upstream).length > 0 && (
            <>
              <h3>From {secret.provider}</h3>
              <dl class="details upstream">
                {Object.entries(details.upstream).map(([key, value]) => (
                  <Row key={key} label={key}>
                    {metadataText(value)}
                  </Row>
                ))}
              </dl>
            </>
          )}
          {details.upstreamError && (
            <>
              <h3>From {secret.provider}</h3>
              <ErrorView error={details.upstreamError} />
            </>
          )}
          <div class="actions">
            <button type="button" class="primary" onClick={onRetrieve} disabled={retrieve.busy}>
              Retrieve
            </button>
            {secret.kind === 'linked' && (
              <>
                <button type="button" onClick={onReset} disabled={reset.busy}>
                  Reset cache for {name}
                </button>
                <button type="button" onClick={() => setRelink(true)}>
                  Relink
                </button>
              </>
            )}
          </div>
          {retrieved && (
            <div class="retrieved" role="status">
              <span>Resolved: {retrieved.characters} characters, value </span>
              <Masked name={name} />
            </div>
          )}
          <ErrorView error={retrieve.error ?? reset.error} />
        </>
      )}
      {relink && secret && (
        <LinkDialog
          name={name}
          provider={secret.provider}
          onClose={() => setRelink(false)}
          onDone={() => {
            setRelink(false);
            setRetrieved(undefined);
            void load();
          }}
        />
      )}
    </section>
  );
}
