/** Group `contract`: the provider object has the shape of contract v1. */
import type { FlagSpec } from '@vault/core';
import type { Harness } from '../harness.js';
import { check } from './assert.js';

const METHODS = ['parseLink', 'documentKey', 'summarize', 'authenticate', 'fetch', 'describe'] as const;

export function contractGroup(h: Harness): void {
  h.it('contract', 'declares contract version 1, an id, a display name and capabilities', async () => {
    const p = await h.provider();
    check(p.contractVersion === 1, `contractVersion must be 1, got ${String(p.contractVersion)}`);
    check(typeof p.id === 'string' && /^[a-z0-9][a-z0-9-]*$/.test(p.id), `id must be a short lowercase id such as "aws", got ${JSON.stringify(p.id)}`);
    check(typeof p.displayName === 'string' && p.displayName.length > 0, 'displayName must be a non-empty string');
    const caps = p.capabilities;
    for (const flag of ['versions', 'batch', 'adminManagedSetup'] as const) {
      check(typeof caps?.[flag] === 'boolean', `capabilities.${flag} must be a boolean`);
    }
    if (caps.maxBatchSize !== undefined) {
      check(Number.isSafeInteger(caps.maxBatchSize) && caps.maxBatchSize > 0, 'capabilities.maxBatchSize must be a positive whole number');
    }
  });

  h.it('contract', 'implements every required method', async () => {
    const p = (await h.provider()) as unknown as Record<string, unknown>;
    for (const method of METHODS) check(typeof p[method] === 'function', `${method} must be a function`);
    for (const optional of ['refresh', 'signOut', 'linkWarnings', 'setup', 'teardown']) {
      check(p[optional] === undefined || typeof p[optional] === 'function', `${optional} must be a function when present`);
    }
  });

  h.it('contract', 'admin-managed providers implement setup and teardown', async () => {
    const p = await h.provider();
    if (p.capabilities.adminManagedSetup) {
      check(typeof p.setup === 'function', 'capabilities.adminManagedSetup is true, so setup() is required');
      check(typeof p.teardown === 'function', 'capabilities.adminManagedSetup is true, so teardown() is required');
      check(Array.isArray(p.flags.setup), 'capabilities.adminManagedSetup is true, so flags.setup is required');
    } else {
      check(p.setup === undefined, 'setup() is only for admin-managed providers (capabilities.adminManagedSetup)');
    }
  });

  h.it('contract', 'describes its command-line flags', async () => {
    const p = await h.provider();
    check(Array.isArray(p.flags?.link) && p.flags.link.length > 0, 'flags.link must list at least one flag');
    check(Array.isArray(p.flags?.connect), 'flags.connect must be a list (it may be empty)');
    const all: Array<[string, FlagSpec]> = [
      ...p.flags.link.map((f): [string, FlagSpec] => ['link', f]),
      ...p.flags.connect.map((f): [string, FlagSpec] => ['connect', f]),
      ...(p.flags.setup ?? []).map((f): [string, FlagSpec] => ['setup', f]),
    ];
    for (const [kind, flag] of all) {
      check(typeof flag.name === 'string' && /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(flag.name), `flags.${kind}: "${String(flag.name)}" must be a kebab-case name without dashes in front`);
      check(['string', 'boolean', 'list'].includes(flag.type), `flags.${kind}.${flag.name}: type must be string, boolean or list`);
      check(typeof flag.description === 'string' && flag.description.length > 0, `flags.${kind}.${flag.name}: description is required`);
    }
    for (const kind of ['link', 'connect', 'setup'] as const) {
      const names = (p.flags[kind] ?? []).map((f) => f.name);
      check(new Set(names).size === names.length, `flags.${kind} has duplicate names`);
    }
  });
}
