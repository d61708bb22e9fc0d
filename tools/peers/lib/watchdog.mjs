#!/usr/bin/env node
// Watchdog: a tiny detached process that outlives its owner by at most ~0.5 s. When the owner
// (with-peers / peers up) dies without cleaning up, e.g. SIGKILL or the OOM killer, it stops the
// peer groups recorded for that owner and SIGTERMs the owner's command. Usage: watchdog.mjs <ownerPid>
import { forgetRecord, isAlive, readPidRecords, removeStaleRunDirs, stopRecordedGroup } from './proc.mjs';

const owner = Number(process.argv[2]);
if (!Number.isInteger(owner) || owner <= 0) {
  console.error(`watchdog: bad owner pid '${process.argv[2]}'`);
  process.exit(2);
}

function terminate(pid) {
  try {
    process.kill(pid, 'SIGTERM');
  } catch (error) {
    // Already gone is the goal; anything else is worth a line in the (ignored) stderr.
    if (error.code !== 'ESRCH') console.error(`watchdog: cannot stop ${pid}: ${error.message}`);
  }
}

const timer = setInterval(async () => {
  if (isAlive(owner)) return;
  clearInterval(timer);
  const mine = readPidRecords().filter((r) => r.owner === owner);
  for (const r of mine.filter((r) => r.kind === 'command')) {
    terminate(r.pgid);
    forgetRecord(r.pgid);
  }
  await Promise.all(mine.filter((r) => r.kind !== 'command').map((r) => stopRecordedGroup(r.pgid, 2_000)));
  removeStaleRunDirs();
  process.exit(0);
}, 500);
