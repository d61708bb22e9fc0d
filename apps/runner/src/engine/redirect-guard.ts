/**
 * postman-runtime checks a secret's allowed domains against the request URL only. When
 * an allowed host answers with a redirect, postman-request follows it and carries custom
 * headers, the body (307/308) and a Referer with the old URL to the new host. This guard
 * runs on postman-request's `redirect` event, after it has rebuilt the request for the new
 * host (and dropped what it drops itself, like Authorization across origins) but before
 * anything is sent: if what would be sent still carries a domain-restricted vault value
 * and the new URL is outside that secret's allowed domains, the request is aborted with
 * an error naming the secret (never its value).
 */

/** The postman-request instance, as seen inside its `redirect` event. */
export interface RedirectingRequest {
  uri?: { href?: string };
  headers?: Record<string, unknown>;
  body?: unknown;
  formData?: unknown;
  _aborted?: boolean;
  abort(): void;
  emit(event: string, ...args: unknown[]): boolean;
}

/** Returns why the redirect must not be followed, or undefined to let it through. */
export type RedirectPolicy = (target: string, outgoing: string) => string | undefined;

const policies = new Set<RedirectPolicy>();

/** Active while a vault run is in progress; returns the function that removes it. */
export function registerRedirectPolicy(policy: RedirectPolicy): () => void {
  policies.add(policy);
  return () => {
    policies.delete(policy);
  };
}

/** The listener to bind on a new request, or undefined when no vault run is active. */
export function redirectListenerFor(): ((this: RedirectingRequest) => void) | undefined {
  return policies.size > 0 ? guardRedirect : undefined;
}

function guardRedirect(this: RedirectingRequest): void {
  // postman-request re-binds listeners on every hop; the first abort wins.
  if (this._aborted) return;
  const target = this.uri?.href ?? '';
  const outgoing = outgoingText(this, target);
  for (const policy of policies) {
    const reason = policy(target, outgoing);
    if (reason !== undefined) {
      this.abort();
      this.emit('error', new Error(reason));
      return;
    }
  }
}

/** Everything the redirected request would send, as text to search for values. */
function outgoingText(request: RedirectingRequest, target: string): string {
  const parts: string[] = [target];
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    parts.push(name, Array.isArray(value) ? value.map(String).join('\n') : String(value));
  }
  const body = request.body;
  if (typeof body === 'string') parts.push(body);
  else if (Buffer.isBuffer(body)) parts.push(body.toString('utf8'));
  else if (body instanceof Uint8Array) parts.push(Buffer.from(body).toString('utf8'));
  collectStrings(request.formData, parts, 0);
  return parts.join('\n');
}

function collectStrings(value: unknown, into: string[], depth: number): void {
  if (depth > 4 || value === null || value === undefined) return;
  if (typeof value === 'string') into.push(value);
  else if (Buffer.isBuffer(value)) into.push(value.toString('utf8'));
  else if (Array.isArray(value)) value.forEach((item) => collectStrings(item, into, depth + 1));
  else if (typeof value === 'object' && typeof (value as { pipe?: unknown }).pipe !== 'function') {
    for (const item of Object.values(value)) collectStrings(item, into, depth + 1);
  }
}
