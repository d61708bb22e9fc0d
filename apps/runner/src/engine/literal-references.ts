/**
 * The last check before a request leaves: a `{{vault:NAME}}` still in its URL, an enabled
 * header, its body or its auth means the reference was not resolved for this request (missing,
 * not allowed for this host, a fetch that failed mid-run, or a runtime that never had the
 * scope). The runner then refuses to send it under --fail-on-unresolved, else warns.
 */
const LITERAL_REFERENCE = /\{\{vault:([^{}]+)\}\}/g;

export interface LiteralReference {
  name: string;
  /** Where it is: `URL`, `header X-Key`, `body`, `auth`. */
  part: string;
}

/** The postman-collection Request parts this reads (as postman-runtime hands it to the requester). */
export interface OutgoingRequest {
  url?: { toString(): string };
  headers?: { all?(): Array<{ key?: string; value?: unknown; disabled?: boolean }> };
  body?: { toJSON?(): unknown } | null;
  auth?: { toJSON?(): unknown } | null;
}

export function literalReferences(request: OutgoingRequest): LiteralReference[] {
  const found: LiteralReference[] = [];
  const scan = (text: string, part: string) => {
    if (!text.includes('{{vault:')) return;
    for (const match of text.matchAll(LITERAL_REFERENCE)) {
      const name = match[1] ?? '';
      if (!found.some((entry) => entry.name === name && entry.part === part)) found.push({ name, part });
    }
  };
  scan(String(request.url?.toString() ?? ''), 'URL');
  for (const header of request.headers?.all?.() ?? []) {
    if (!header.disabled) scan(`${header.key ?? ''}: ${String(header.value ?? '')}`, `header ${header.key ?? ''}`);
  }
  scan(JSON.stringify(enabledOnly(request.body?.toJSON?.() ?? null)) ?? '', 'body');
  scan(JSON.stringify(request.auth?.toJSON?.() ?? null) ?? '', 'auth');
  return found;
}

/** A body's JSON without its disabled form or urlencoded parameters (those are not sent). */
function enabledOnly(body: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  if (copy['disabled'] === true) return null;
  for (const mode of ['urlencoded', 'formdata']) {
    const params = copy[mode];
    if (Array.isArray(params)) copy[mode] = params.filter((param: { disabled?: boolean }) => !param?.disabled);
  }
  return copy;
}
