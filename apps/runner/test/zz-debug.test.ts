import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import { it } from 'vitest';
import { newmanRunModule } from '../src/engine/reporter-lookup.js';
it('dbg', () => {
  const r = createRequire(import.meta.url);
  r('newman');
  const rec = newmanRunModule(r);
  const pkg = dirname(r.resolve('newman/package.json'));
  rec.paths = rec.paths.filter((d) => d.startsWith(pkg + sep));
  const M = r('module');
  console.log(rec.paths, rec.id, rec.loaded, M.globalPaths, process.env.NODE_PATH);
  try { console.log(M._resolveFilename('newman-reporter-htmlextra', rec)); } catch (e) { console.log('ERR', String(e).slice(0, 100)); }
});
