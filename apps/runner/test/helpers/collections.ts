/** Builders for small Postman collection v2.1 documents used by the tests. */
const SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

export interface ItemSpec {
  name: string;
  request: Record<string, unknown> | string;
  prerequest?: string[];
  test?: string[];
  protocolProfileBehavior?: Record<string, unknown>;
}

export function collection(items: ItemSpec[], variables: Record<string, string> = {}, name = 'vaultlink test'): Record<string, unknown> {
  return {
    info: { name, schema: SCHEMA },
    variable: Object.entries(variables).map(([key, value]) => ({ key, value })),
    item: items.map(item),
  };
}

export function folder(name: string, items: ItemSpec[]): Record<string, unknown> {
  return { name, item: items.map(item) };
}

export function item(spec: ItemSpec): Record<string, unknown> {
  const event: unknown[] = [];
  if (spec.prerequest) event.push({ listen: 'prerequest', script: { type: 'text/javascript', exec: spec.prerequest } });
  if (spec.test) event.push({ listen: 'test', script: { type: 'text/javascript', exec: spec.test } });
  return {
    name: spec.name,
    request: spec.request,
    ...(event.length > 0 ? { event } : {}),
    ...(spec.protocolProfileBehavior ? { protocolProfileBehavior: spec.protocolProfileBehavior } : {}),
  };
}

export function environment(values: Record<string, string>, name = 'test env'): Record<string, unknown> {
  return {
    name,
    _postman_variable_scope: 'environment',
    values: Object.entries(values).map(([key, value]) => ({ key, value, enabled: true, type: 'default' })),
  };
}

/** Messages sink for run(): collects warnings and info lines. */
export function captureMessages(): { warnings: string[]; infos: string[]; messages: import('../../src/messages.js').RunMessages } {
  const warnings: string[] = [];
  const infos: string[] = [];
  return {
    warnings,
    infos,
    messages: {
      warn: (message) => warnings.push(message),
      info: (message) => infos.push(message),
      progress: () => undefined,
      endProgress: () => undefined,
    },
  };
}
