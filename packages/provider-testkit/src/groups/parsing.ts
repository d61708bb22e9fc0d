/** Group `parsing`: parseLink validates input (every bad field named), summarize and documentKey behave. */
import { linkFlagsOf } from '@vault/core/provider';
import type { Harness } from '../harness.js';
import { codeOf } from '../harness.js';
import { check } from './assert.js';

export function parsingGroup(h: Harness): void {
  h.it('parsing', 'rejects every invalid fixture with INVALID_LINK naming the field and the expected form', async () => {
    const fixtures = await h.fixtures();
    check(fixtures.invalid.length > 0, 'fixtures.invalid must hold at least one malformed input');
    const p = await h.provider();
    for (const { fields, field } of fixtures.invalid) {
      const error = await h.caught(() => p.parseLink(fields));
      check(error, `parseLink(${JSON.stringify(fields)}) must throw INVALID_LINK, but it returned a link`);
      check(codeOf(error) === 'INVALID_LINK', `parseLink(${JSON.stringify(fields)}) must throw INVALID_LINK, got ${String(codeOf(error))}`);
      const issue = (error.issues ?? []).find((i) => i.field === field);
      check(
        issue,
        `INVALID_LINK for ${JSON.stringify(fields)} must have an issue for field "${field}"; issues name: ${JSON.stringify((error.issues ?? []).map((i) => i.field))}`,
      );
      check(typeof issue.expected === 'string' && issue.expected.length > 0, `the issue for "${field}" must say the expected form`);
      check(typeof issue.problem === 'string' && issue.problem.length > 0, `the issue for "${field}" must say what is wrong`);
      check(error.message.includes(field), `the INVALID_LINK message must name "${field}"`);
    }
  });

  h.it('parsing', 'rejects empty input with INVALID_LINK listing the required fields', async () => {
    const p = await h.provider();
    const error = await h.caught(() => p.parseLink({}));
    check(error && codeOf(error) === 'INVALID_LINK', 'parseLink({}) must throw INVALID_LINK');
    check((error.issues ?? []).length > 0, 'parseLink({}) must list at least one issue');
  });

  h.it('parsing', 'parses valid fixtures into JSON-serializable links that summarize', async () => {
    const fixtures = await h.fixtures();
    const p = await h.provider();
    const valid = [
      fixtures.latest.fields,
      fixtures.missing.fields,
      ...fixtures.sameDocument.map((f) => f.fields),
      ...fixtures.distinct.map((f) => f.fields),
    ];
    if (fixtures.pinned) valid.push(fixtures.pinned.fields, fixtures.pinned.latestOfSameSecret.fields);
    for (const fields of valid) {
      const link = p.parseLink(fields) as object;
      check(typeof link === 'object' && link !== null, `parseLink(${JSON.stringify(fields)}) must return an object`);
      check(
        JSON.stringify(JSON.parse(JSON.stringify(link))) === JSON.stringify(link),
        'links must survive a JSON round trip (they are stored as JSON)',
      );
      check(
        JSON.stringify(p.parseLink(JSON.parse(JSON.stringify(fields)))) === JSON.stringify(link),
        'parseLink must be pure: the same input gives the same link',
      );
      const summary = p.summarize(JSON.parse(JSON.stringify(link)));
      check(
        typeof summary.identifier === 'string' && summary.identifier.length > 0,
        'summarize(link).identifier must be a non-empty string',
      );
      check(typeof p.documentKey(link) === 'string' && p.documentKey(link).length > 0, 'documentKey(link) must be a non-empty string');
    }
    if (fixtures.pinned) {
      const summary = p.summarize(p.parseLink(fixtures.pinned.fields));
      check(summary.version !== undefined, 'summarize must show the pinned version of a pinned link');
    }
  });

  h.it('parsing', 'writes every valid link back as link flags that make the same link (link manifests, relink fixes)', async () => {
    const fixtures = await h.fixtures();
    const p = await h.provider();
    const valid = [fixtures.latest.fields, ...fixtures.sameDocument.map((f) => f.fields), ...fixtures.distinct.map((f) => f.fields)];
    if (fixtures.pinned) valid.push(fixtures.pinned.fields);
    for (const fields of valid) {
      const result = linkFlagsOf(p, p.parseLink(fields) as Record<string, unknown>);
      check(
        result.ok,
        `the link of ${JSON.stringify(fields)} cannot be written as link flags: ${result.ok ? '' : result.problem} (keep the flags' values in the link, or add linkFlags(link))`,
      );
    }
  });

  h.it('parsing', 'gives links into one document one documentKey, and distinct documents distinct keys', async () => {
    const fixtures = await h.fixtures();
    const p = await h.provider();
    check(fixtures.sameDocument.length >= 2, 'fixtures.sameDocument must hold at least two links into one document');
    check(fixtures.distinct.length >= 3, 'fixtures.distinct must hold at least three distinct secrets');
    const same = new Set(fixtures.sameDocument.map((f) => p.documentKey(p.parseLink(f.fields))));
    check(same.size === 1, `sameDocument links must share one documentKey, got ${same.size} keys`);
    const distinct = fixtures.distinct.map((f) => p.documentKey(p.parseLink(f.fields)));
    check(new Set(distinct).size === distinct.length, 'distinct fixtures must have distinct documentKeys');
    check(!distinct.includes([...same][0]!), 'distinct fixtures must not share the sameDocument documentKey');
  });
}
