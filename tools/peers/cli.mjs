#!/usr/bin/env node
// `pnpm peers up [--peers=a,b] [--detach]` and `pnpm peers down`: the harness for people.
//   up        starts the peers, prints addresses, tokens and `export` lines, writes .peers/run/env.sh,
//             and stays in the foreground until Ctrl-C (then stops them).
//   up --detach  leaves them running in the background (pid file .peers/run/peers-up.pid).
//   down      stops detached peers (and any orphans of a killed run).
//   status    says which peers from .peers/run/env.json answer.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { installLifecycle } from './lib/lifecycle.mjs';
import { DETACHED_PID_FILE, ENV_JSON, ENV_SH, RUN_DIR, runStateDir } from './lib/paths.mjs';
import { parsePeerList } from './lib/peer-names.mjs';
import { readPidRecords, reapOrphans, release, stopRecordedGroup } from './lib/proc.mjs';
import { reusablePeers, startPeers } from './start.mjs';

const DETACHED_OWNER = 'detached';
const log = (line) => console.error(line);

const shellQuote = (v) => `'${String(v).replaceAll("'", `'\\''`)}'`;

function writeEnvFiles(env) {
  fs.mkdirSync(RUN_DIR, { recursive: true });
  const lines = Object.entries(env).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
  // Test credentials for throwaway local peers only; still keep the files private to the user.
  fs.writeFileSync(ENV_SH, `# written by pnpm peers up at ${new Date().toISOString()}\n${lines.join('\n')}\n`, { mode: 0o600 });
  fs.writeFileSync(ENV_JSON, JSON.stringify(env, null, 2), { mode: 0o600 });
  return lines;
}

function removeEnvFiles() {
  for (const f of [ENV_SH, ENV_JSON, DETACHED_PID_FILE]) fs.rmSync(f, { force: true });
}

function printUp(env, timings, lines) {
  const rows = [
    ['OpenBao', env.PEER_OPENBAO_ADDR, env.PEER_OPENBAO_ROOT_TOKEN && `root token ${env.PEER_OPENBAO_ROOT_TOKEN}`],
    ['moto (open)', env.PEER_MOTO_ENDPOINT, env.PEER_MOTO_ENDPOINT && `any keys, region ${env.PEER_MOTO_REGION}`],
    ['moto (auth)', env.PEER_MOTO_AUTH_ENDPOINT, env.PEER_MOTO_ADMIN_ACCESS_KEY_ID && `admin ${env.PEER_MOTO_ADMIN_ACCESS_KEY_ID}`],
    [
      'Lowkey Vault',
      env.PEER_LOWKEY_URL,
      env.PEER_LOWKEY_TOKEN_URL && `token/cert ${env.PEER_LOWKEY_TOKEN_URL}, 2nd vault ${env.PEER_LOWKEY_SECOND_URL}`,
    ],
  ].filter(([, addr]) => addr);
  console.log('\nTest peers are up:');
  for (const [name, addr, extra] of rows) console.log(`  ${name.padEnd(13)} ${addr}  ${extra ?? ''}`);
  console.log(
    `  start times: ${Object.entries(timings)
      .map(([p, ms]) => `${p} ${(ms / 1000).toFixed(1)} s`)
      .join(', ')}`,
  );
  console.log(`\nexport lines (also in ${ENV_SH}; \`source\` it, then e.g. \`pnpm test\` reuses these peers):\n`);
  console.log(lines.join('\n'));
}

async function up(values) {
  const peers = parsePeerList(values.peers);
  if (values.detach) {
    const running = fs.existsSync(ENV_JSON) ? JSON.parse(fs.readFileSync(ENV_JSON, 'utf8')) : null;
    if (running && (await reusablePeers(peers, running)).reusable) {
      log(`[peers] detached peers are already up (${ENV_SH}); run \`pnpm peers down\` first to restart them`);
      return 1;
    }
  }
  let stop = async () => {};
  let detaching = false;
  installLifecycle(async () => {
    if (detaching) return;
    log('\n[peers] stopping peers...');
    await stop();
    removeEnvFiles();
    process.exit(0);
  });
  const upResult = await startPeers(peers, { log, runId: values.detach ? DETACHED_OWNER : String(process.pid) });
  stop = upResult.stop;
  const lines = writeEnvFiles(upResult.env);
  printUp(upResult.env, upResult.timings, lines);
  if (values.detach) {
    detaching = true;
    for (const proc of upResult.procs) release(proc, DETACHED_OWNER);
    fs.writeFileSync(DETACHED_PID_FILE, `${upResult.procs.map((p) => p.pid).join('\n')}\n`);
    console.log(`\nDetached. Stop them with: pnpm peers down`);
    return 0;
  }
  console.log('\nPress Ctrl-C to stop the peers.');
  await new Promise(() => {}); // until a signal
}

async function down() {
  const records = readPidRecords().filter((r) => r.owner === DETACHED_OWNER);
  for (const r of records) {
    log(`[peers] stopping ${r.name} (pgid ${r.pgid})`);
    await stopRecordedGroup(r.pgid);
  }
  const orphans = await reapOrphans(log);
  removeEnvFiles();
  fs.rmSync(runStateDir(DETACHED_OWNER), { recursive: true, force: true });
  log(records.length + orphans ? '[peers] down' : '[peers] nothing was running');
  return 0;
}

async function status() {
  if (!fs.existsSync(ENV_JSON)) {
    console.log('no peers recorded (.peers/run/env.json missing); start them with: pnpm peers up');
    return 1;
  }
  const env = JSON.parse(fs.readFileSync(ENV_JSON, 'utf8'));
  const peers = parsePeerList(env.VAULTLINK_PEERS);
  const check = await reusablePeers(peers, env);
  console.log(check.reusable ? `up: ${peers.join(', ')}` : `not healthy: ${check.reason}`);
  return check.reusable ? 0 : 1;
}

const USAGE = 'usage: node tools/peers/cli.mjs up [--peers=openbao,moto,moto-auth,lowkey] [--detach] | down | status';

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { peers: { type: 'string' }, detach: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  const [command] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (command === 'up') return up(values);
  if (command === 'down') return down();
  if (command === 'status') return status();
  log(`unknown command '${command}'\n${USAGE}`);
  return 2;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    log(error?.message ?? String(error));
    process.exit(1);
  },
);
