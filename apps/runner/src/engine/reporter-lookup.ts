/**
 * newman loads an external reporter with a bare `require('newman-reporter-NAME')` from its
 * own lib/run/index.js, so it only finds reporters that newman's own node_modules lookup
 * reaches. The runner's dependencies (newman-reporter-htmlextra) and reporters installed
 * next to the runner are not guaranteed to be there: pnpm's strict layout (with hoisting
 * off), nested npm installs and global installs keep them elsewhere. Appending the runner's
 * lookup directories to that module's `paths` (Node's documented search list for bare
 * requires) makes newman find them; its own directories still come first, so a reporter
 * installed next to newman wins, as in newman.
 */
import { createRequire } from 'node:module';

type RequireFn = ReturnType<typeof createRequire>;

/** The cached CommonJS module record of newman's run entry, whose `require` loads reporters. */
export function newmanRunModule(load: RequireFn): NodeJS.Module {
  const runEntry = createRequire(load.resolve('newman')).resolve('./lib/run');
  const record = load.cache[runEntry];
  // newman's index requires lib/run while it loads; absent means an unknown newman layout.
  if (!record) throw new Error(`newman's run module (${runEntry}) is not loaded; reporters cannot be located`);
  return record;
}

/** Lets newman's reporter `require` search where the runner's own `require` searches. Idempotent. */
export function exposeReportersToNewman(load: RequireFn): void {
  const record = newmanRunModule(load);
  const runnerPaths = load.resolve.paths('newman-reporter-htmlextra') ?? [];
  for (const directory of runnerPaths) {
    if (!record.paths.includes(directory)) record.paths.push(directory);
  }
}
