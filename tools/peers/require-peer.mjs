// requirePeer(name): the env of a test peer, or a clear error saying how to get it.
// With VAULTLINK_SKIP_PEERS=1 it returns null and prints a loud skip line instead, so a suite can
// `describe.skipIf(!peer)`. A peer that is not running fails the test run.
import { OPTIONAL_PEER_FIELDS, PEER_ENV } from './lib/peer-names.mjs';

const DEFAULT_REGION = 'us-east-1';

const announced = new Set();

export function requirePeer(name, env = process.env) {
  const fields = PEER_ENV[name];
  if (!fields) throw new Error(`requirePeer: unknown peer '${name}'; known: ${Object.keys(PEER_ENV).join(', ')}`);
  if (env.VAULTLINK_SKIP_PEERS === '1') return skipLoudly(name, 'VAULTLINK_SKIP_PEERS=1 (no real server was used)');
  const missing = Object.entries(fields)
    .filter(([field, key]) => !OPTIONAL_PEER_FIELDS.has(field) && !env[key])
    .map(([, key]) => key);
  if (missing.length) {
    throw new Error(
      `test peer '${name}' is not available: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set` +
        (env.VAULTLINK_PEERS ? ` (VAULTLINK_PEERS=${env.VAULTLINK_PEERS})` : '') +
        `. Run the tests through the harness: \`pnpm test\` / \`pnpm test:integration\` from the repo root, or ` +
        `\`node tools/peers/with-peers.mjs <command>\` (e.g. node tools/peers/with-peers.mjs pnpm --filter <pkg> test:integration). ` +
        `To skip on purpose: VAULTLINK_SKIP_PEERS=1.`,
    );
  }
  const result = Object.fromEntries(Object.entries(fields).map(([field, key]) => [field, env[key]]));
  if ('region' in result && !result.region) result.region = DEFAULT_REGION;
  return result;
}

/** Prints the skip line once per peer, and returns the null a skipping suite gets. */
function skipLoudly(name, why) {
  if (!announced.has(name)) {
    announced.add(name);
    console.warn(`\n!!! SKIPPING integration tests that need '${name}': ${why} !!!\n`);
  }
  return null;
}

/** True when VAULTLINK_SKIP_PEERS=1, for `describe.skipIf(peersSkipped())`. */
export function peersSkipped(env = process.env) {
  return env.VAULTLINK_SKIP_PEERS === '1';
}
