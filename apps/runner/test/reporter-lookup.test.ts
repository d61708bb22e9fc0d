/**
 * newman loads `-r htmlextra` with a bare require from its own lib/run/index.js. In this
 * repository pnpm's hidden hoisting happens to put the reporter within newman's reach, so
 * the test takes that away first (newman sees only its own package directory, as with pnpm
 * hoisting off or a nested install) and checks the runner still hands newman the reporter
 * it bundles.
 */
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exposeReportersToNewman, newmanRunModule } from '../src/engine/reporter-lookup.js';

const runnerRequire = createRequire(import.meta.url);
runnerRequire('newman'); // newman's index loads lib/run, whose require loads reporters

const record = newmanRunModule(runnerRequire);
const originalPaths = [...record.paths];
const newmanPackage = dirname(runnerRequire.resolve('newman/package.json'));
/** What newman can see when nothing is hoisted next to it: only its own package directory. */
const isolatedPaths = originalPaths.filter((directory) => directory.startsWith(newmanPackage + sep));

afterEach(() => {
  record.paths = [...originalPaths];
});

describe('newman finds the reporters the runner bundles', () => {
  it('loads the bundled newman-reporter-htmlextra even when newman alone cannot see it', () => {
    record.paths = [...isolatedPaths];
    expect(() => record.require('newman-reporter-htmlextra')).toThrow(/Cannot find module 'newman-reporter-htmlextra'/);

    exposeReportersToNewman(runnerRequire);

    const loaded = record.require('newman-reporter-htmlextra') as unknown;
    expect(loaded).toBe(runnerRequire('newman-reporter-htmlextra'));
    expect(typeof loaded).toBe('function'); // newman calls `new Reporter(emitter, options, runOptions)`
  });

  it('keeps newman\'s own directories first and adds each directory once', () => {
    record.paths = [...isolatedPaths];
    exposeReportersToNewman(runnerRequire);
    const once = [...record.paths];
    exposeReportersToNewman(runnerRequire);

    expect(record.paths).toEqual(once);
    expect(record.paths.slice(0, isolatedPaths.length)).toEqual(isolatedPaths);
    expect(new Set(record.paths).size).toBe(record.paths.length);
  });
});
