#!/usr/bin/env node
// Placeholder until the peers harness lands: runs the command as is.
import { spawnSync } from 'node:child_process';
const [cmd, ...args] = process.argv.slice(2);
const r = spawnSync(cmd, args, { stdio: 'inherit', shell: false });
process.exit(r.status ?? 1);
