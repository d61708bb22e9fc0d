/**
 * Crash safety: concurrent writer processes are SIGKILLed at random moments (starting up, waiting
 * for the lock, mid-write, mid-rename). Afterwards the vault must open and hold every write that
 * a writer acknowledged, i.e. every update() that resolved before the kill.
 *
 * Each writer prints `ack NAME` only after update() resolved. Several vaults ("lanes") run side by
 * side with two concurrent writers each, because a writer killed inside the lock blocks its lane
 * until the lock turns stale; the lanes overlap those waits. Writers use the fast test KDF.
 *
 * Writers run the real store, bundled from src/store by tsup (see bundle.ts), in plain `node` child processes.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initFileStore, openFileStore } from '../../src/store/index.js';
import { buildStoreBundle, type StoreBundle } from './bundle.js';
import { localSecret, passphraseOptions, PASSPHRASE, tempHome } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const writerScript = join(here, 'fixtures', 'crash-writer.mjs');

const LANES = 8; // independent vault homes, so one lane's stale-lock wait does not idle the machine
const WRITERS_PER_LANE = 2; // concurrent writers on the same vault
const TARGET_KILLS = 210;
const LOCK_STALE_MS = 2000; // proper-lockfile's minimum: how long a dead writer's lock blocks the others
const MAX_PAUSE_BETWEEN_WRITES_MS = 20; // writers idle a little between writes, as a CLI would

interface LaneStats {
  home: string;
  acked: Set<string>;
}

interface Totals {
  kills: number;
  killsAfterFirstAck: number;
  /** Kills of a writer that held the lock at that moment (its owner token was in place). */
  killsHoldingLock: number;
  spawned: number;
  failures: string[];
  /** Updates that failed with VAULT_LOCKED (lock taken over from a stalled writer): not acknowledged. */
  refused: number;
  tempFileModes: number[];
}

let bundle: StoreBundle | undefined;
let bundlePath: string;

beforeAll(async () => {
  bundle = await buildStoreBundle('crash-store');
  bundlePath = bundle.path;
}, 60_000);

afterAll(async () => {
  await bundle?.remove();
});

const uniform = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));

/**
 * When to kill a writer. A quarter die at any moment of their start (node boot, import, open).
 * The rest die at a random moment after their first acknowledged write, so kills also hit writers
 * in full flow: between writes, waiting for the lock, inside it, between temp write and rename.
 * A writer stuck behind a dead writer's lock never acks; it is killed while waiting.
 */
function killPlan(): { afterSpawnMs?: number; afterFirstAckMs?: number; afterReadyMs?: number } {
  if (Math.random() < 0.25) return { afterSpawnMs: uniform(0, 1000) };
  return { afterFirstAckMs: uniform(0, 500), afterReadyMs: 2500 };
}

interface WriterExit {
  pid: number | undefined;
  code: number | null;
  signal: NodeJS.Signals | null;
  acks: number;
  stderr: string;
}

/** Runs one writer until it is killed (or dies by itself), recording its acknowledged writes in the lane. */
function runWriter(lane: LaneStats, writerId: string, totals: Totals): Promise<WriterExit> {
  return new Promise((resolveRun) => {
    const child = spawn(
      process.execPath,
      [writerScript, bundlePath, lane.home, writerId, String(LOCK_STALE_MS), String(MAX_PAUSE_BETWEEN_WRITES_MS)],
      {
        env: { ...process.env, VAULTLINK_PASSPHRASE: PASSPHRASE, VAULTLINK_KEYCHAIN: 'off' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    totals.spawned += 1;
    let pending = '';
    let acks = 0;
    let stderr = '';
    const plan = killPlan();
    const kill = () => child.kill('SIGKILL');
    let timer: NodeJS.Timeout | undefined;
    const killIn = (ms: number | undefined) => {
      if (ms === undefined) return;
      clearTimeout(timer);
      timer = setTimeout(kill, ms);
    };
    killIn(plan.afterSpawnMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? ''; // a torn last line is not an acknowledgement
      for (const line of lines) {
        if (line === 'ready') killIn(plan.afterReadyMs);
        if (line.startsWith('refused ')) totals.refused += 1;
        if (!line.startsWith('ack ')) continue;
        lane.acked.add(line.slice(4));
        if (acks === 0) killIn(plan.afterFirstAckMs);
        acks += 1;
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveRun({ pid: child.pid, code, signal, acks, stderr });
    });
  });
}

/** The lock holder's token starts with its pid; no file means nobody holds the lock. */
async function lockOwnerToken(home: string): Promise<string | undefined> {
  try {
    return await readFile(join(home, 'vault.enc.lock-owner'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function collectTempFileModes(home: string, totals: Totals): Promise<void> {
  for (const name of await readdir(home)) {
    if (!name.endsWith('.tmp')) continue;
    try {
      totals.tempFileModes.push((await stat(join(home, name))).mode & 0o777);
    } catch (error) {
      // A live writer may remove its own temp file (rename) between readdir and stat.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

describe('encrypted vault file: crash safety', () => {
  it(`keeps every acknowledged write across ${TARGET_KILLS}+ SIGKILLs of ${WRITERS_PER_LANE} concurrent writers per vault`, async () => {
    const started = Date.now();
    const lanes: LaneStats[] = [];
    for (let i = 0; i < LANES; i += 1) {
      const home = await tempHome();
      await initFileStore(passphraseOptions(home));
      lanes.push({ home, acked: new Set() });
    }
    const totals: Totals = {
      kills: 0,
      killsAfterFirstAck: 0,
      killsHoldingLock: 0,
      spawned: 0,
      failures: [],
      refused: 0,
      tempFileModes: [],
    };

    const slot = async (lane: LaneStats, laneIndex: number, slotIndex: number) => {
      for (let generation = 0; totals.kills < TARGET_KILLS && totals.failures.length === 0; generation += 1) {
        const writerId = `${laneIndex}${slotIndex}g${generation}`;
        const exit = await runWriter(lane, writerId, totals);
        if (exit.signal !== 'SIGKILL') {
          totals.failures.push(
            `writer ${writerId} exited by itself (code ${exit.code}, signal ${exit.signal}): ${exit.stderr.slice(0, 2000)}`,
          );
          break;
        }
        totals.kills += 1;
        if (exit.acks > 0) totals.killsAfterFirstAck += 1;
        // Read at once: a dead holder's token stays until the lock goes stale and someone takes over.
        if ((await lockOwnerToken(lane.home))?.startsWith(`${exit.pid}-`)) totals.killsHoldingLock += 1;
        await collectTempFileModes(lane.home, totals);
      }
    };
    await Promise.all(lanes.flatMap((lane, l) => Array.from({ length: WRITERS_PER_LANE }, (_, s) => slot(lane, l, s))));

    expect(totals.failures).toEqual([]);
    expect(totals.kills).toBeGreaterThanOrEqual(TARGET_KILLS);

    let ackedTotal = 0;
    for (const lane of lanes) {
      // A fresh open, as the next command after the crashes would do.
      const reopened = await openFileStore(passphraseOptions(lane.home, PASSPHRASE, { lockStaleMs: LOCK_STALE_MS }));
      const { secrets } = await reopened.read();
      const valueOf = (name: string) => {
        const secret = secrets[name]?.secret;
        return secret?.kind === 'local' ? secret.value : undefined;
      };
      const missing = [...lane.acked].filter((name) => valueOf(name) !== `value-of-${name}`);
      expect(missing).toEqual([]);
      ackedTotal += lane.acked.size;

      // The next writer takes over any lock a killed writer held, and sweeps its temp files.
      await reopened.update((data) => {
        data.secrets.AFTER_CRASHES = localSecret('AFTER_CRASHES', 'ok');
      });
      expect((await readdir(lane.home)).sort()).toEqual(['vault.enc']);
      expect((await stat(reopened.path)).mode & 0o777).toBe(0o600);
    }
    expect(totals.tempFileModes.every((mode) => mode === 0o600)).toBe(true);
    // The random kills did reach the interesting moments, not only process start-up.
    expect(ackedTotal).toBeGreaterThan(0);
    expect(totals.killsAfterFirstAck).toBeGreaterThan(0);
    expect(totals.killsHoldingLock).toBeGreaterThan(0);

    console.info(
      `crash-safety: ${totals.kills} SIGKILLs (${totals.killsAfterFirstAck} after the writer's first ack, ${totals.killsHoldingLock} while holding the lock), ` +
        `${totals.spawned} writers over ${LANES} vaults x ${WRITERS_PER_LANE} concurrent, ${ackedTotal} acknowledged writes all present, ` +
        `${totals.refused} updates refused with VAULT_LOCKED, ${totals.tempFileModes.length} leftover temp files seen (all 0600), ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }, 120_000);
});
