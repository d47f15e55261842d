// ctest bench_smoke (label bench): proves the benchmark runs, in seconds —
// holds.mjs, fanout.mjs, soak.mjs and restart.mjs at tiny sizes against the built marquee-server
// on SQLite must exit 0 and print their ROW lines, and metrics-check.mjs
// must read /metrics as a scraper would while holds are made. Nothing is
// measured here; tests/bench/run.sh measures.
// Needs node 18.17+ (Debian 12 has 18.19) and `npm ci` in this folder (installer/setup.sh --tests
// does both); a machine without them fails this test rather than skipping.
//   MARQUEE_SERVER=build/server/marquee-server node tests/bench/smoke.mjs
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const steps = [
  {
    script: 'holds.mjs',
    args: ['--clients', '5', '--seconds', '1'],
    rows: [/^ROW\|holds 5 conns, 0 readers\|sqlite, breakfast-ii\|hold\+release pairs\/s \(holds granted\/s\)\|\d+ \(\d+\)$/m,
      /^ROW\|holds 5 conns, 0 readers\|sqlite, breakfast-ii\|hold p50\/p99 ms\|[\d.]+ \/ [\d.]+$/m],
  },
  {
    script: 'fanout.mjs',
    args: ['--subscribers', '20', '--holds', '5'],
    rows: [/^ROW\|fan-out 20 subs\|sqlite\|delivery p50\/p95\/p99\/max ms\|[\d. /]+$/m,
      /^ROW\|fan-out 20 subs\|sqlite\|deliveries \/ connect time\|100 of 100 \//m],
  },
  {
    script: 'soak.mjs',
    args: ['--subscribers', '20', '--minutes', '0.05', '--client-ping-seconds', '1'],
    rows: [/^ROW\|20 connections held 0\.05 min\|sqlite\|subscribers dropped\|0 of 20$/m,
      /^ROW\|20 connections held 0\.05 min\|sqlite\|changes each subscriber received\|(\d+)-\1 of \1$/m],
  },
  {
    script: 'restart.mjs',
    args: ['--holds', '200', '--restarts', '2'],
    rows: [/^FIG\|restart\.marquee\.sqlite\|[\d.]+$/m],
  },
  {
    script: 'metrics-check.mjs',
    args: ['--holds', '5'],
    rows: [/^ROW\|metrics check\|sqlite\|samples \/ metrics parsed\|\d+ \/ \d+$/m,
      /^ROW\|metrics check\|sqlite\|holds created \/ released \(counted\)\|5 \/ 5$/m],
  },
];

function fail(message) {
  console.error(`bench smoke: ${message}`);
  process.exit(1);
}

if (!process.env.MARQUEE_SERVER) fail('set MARQUEE_SERVER to the marquee-server executable');
for (const module of ['ws', 'undici']) {
  if (!fs.existsSync(path.join(here, 'node_modules', module, 'package.json'))) {
    fail(`${module} is missing: run "npm ci" in ${here} (installer/setup.sh --tests does)`);
  }
}

let failed = 0;
for (const { script, args, rows } of steps) {
  const started = Date.now();
  const run = spawnSync(process.execPath, [path.join(here, script), ...args], {
    encoding: 'utf8', timeout: 60_000, env: process.env,
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`== node ${script} ${args.join(' ')} (${seconds} s)\n${run.stdout}${run.stderr}`);
  const problems = [];
  if (run.error) problems.push(String(run.error));
  if (run.status !== 0) problems.push(`exit ${run.status ?? run.signal}`);
  for (const pattern of rows) if (!pattern.test(run.stdout)) problems.push(`no line like ${pattern}`);
  if (problems.length > 0) {
    ++failed;
    console.error(`FAIL ${script}: ${problems.join('; ')}`);
  } else {
    console.log(`ok ${script}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
