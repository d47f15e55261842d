// run.sh's report: reads the ROW|… and FIG|… lines the benchmarks printed
// (file given as the argument) and prints two Markdown tables: each Marquee
// figure that has a target (issue #8) next to its reference measured in the
// same run, the ratio and the target; then every ROW line.
// Usage: node report.mjs ROWS_FILE
import fs from 'node:fs';

const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n');
const figures = new Map();
const rows = [];
for (const line of lines) {
  const parts = line.split('|');
  if (parts[0] === 'FIG' && parts.length === 3) figures.set(parts[1], Number(parts[2]));
  else if (parts[0] === 'ROW' && parts.length >= 5) rows.push(parts.slice(1));
}

const number = (value, digits = 0) => (value === undefined || !Number.isFinite(value)
  ? 'not measured'
  : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? (a / b).toFixed(2) : '—');
const verdict = (met) => (met === undefined ? '—' : met ? 'met' : 'not met');

const table = [];
/** \a second: [name, figure] of a second reference (PostgreSQL: pgbench -c 1), shown with its ratio. */
const add = (what, marquee, reference, referenceName, digits, target, met, second) => {
  let references = referenceName ? `${referenceName}: ${number(reference, digits)}` : '—';
  let ratios = ratio(marquee, reference);
  if (second) {
    references += `; ${second[0]}: ${number(second[1], digits)}`;
    ratios += `; ${ratio(marquee, second[1])}`;
  }
  table.push(`| ${what} | ${number(marquee, digits)} | ${references} | ${ratios} | ${target} | ${Number.isFinite(marquee) ? verdict(met(marquee, reference)) : '—'} |`);
};

// Throughput: 50 clients, hold + release of one seat (or one GA place).
// PostgreSQL has two references: pgbench with 50 connections, and with one
// (one transaction at a time, as one server's storage thread runs them).
const throughput = [
  ['sqlite', 'seated', 'SQLite on disk, synchronous=FULL', 'bare loop', 3000],
  ['sqlite', 'ga', 'SQLite on disk, synchronous=FULL', 'bare loop', 3000],
  ['postgresql', 'seated', 'PostgreSQL, fsync on', 'pgbench -c 50', 1500],
  ['postgresql', 'ga', 'PostgreSQL, fsync on', 'pgbench -c 50', 1500],
];
for (const [backend, kind, conditions, referenceName, goal] of throughput) {
  const single = figures.get(`pairs.reference_c1.${backend}.${kind}`);
  add(`hold+release pairs/s, 50 clients, ${kind === 'ga' ? 'GA (open-air, quantity 1)' : 'seated (breakfast-ii)'}, ${conditions}`,
    figures.get(`pairs.marquee.${backend}.${kind}`), figures.get(`pairs.reference.${backend}.${kind}`),
    referenceName, 0, `≥ ${number(goal)}`, (m) => m >= goal,
    backend === 'postgresql' ? ['-c 1', single] : undefined);
}

// Fan-out and idle memory, per subscriber count measured.
const counts = (prefix) => [...new Set([...figures.keys()]
  .filter((key) => key.startsWith(prefix))
  .map((key) => Number(key.split('.').pop())))].sort((a, b) => a - b);
for (const n of counts('fanout.last_p99.')) {
  for (const backend of ['sqlite', 'postgresql']) {
    const marquee = figures.get(`fanout.last_p99.marquee.${backend}.${n}`);
    const reference = figures.get(`fanout.last_p99.ws.${n}`);
    if (marquee === undefined && reference === undefined) continue;
    let target = '— (targets at 5,000 and 10,000)';
    let met = () => undefined;
    if (n === 5000) { target = '≤ 0.7 × bare ws'; met = (m, r) => (Number.isFinite(r) ? m <= 0.7 * r : undefined); }
    if (n === 10000) { target = '≤ 150 ms'; met = (m) => m <= 150; }
    add(`fan-out ${number(n)} subscribers: request sent → last subscriber, p99 ms (${backend})`,
      marquee, reference, 'bare ws', 1, target, met);
  }
}
for (const n of counts('rss.')) {
  for (const backend of ['sqlite', 'postgresql']) {
    const marquee = figures.get(`rss.marquee.${backend}.${n}`);
    const reference = figures.get(`rss.ws.${n}`);
    if (marquee === undefined && reference === undefined) continue;
    add(`server RSS growth per idle WebSocket KiB, ${number(n)} subscribers (${backend})`, marquee, reference,
      'bare ws', 1, n === 5000 ? '≤ 16 KiB' : '— (target at 5,000)', n === 5000 ? (m) => m <= 16 : () => undefined);
  }
}

// Three servers on one PostgreSQL (cluster.mjs): the other servers'
// subscribers against the holding server's own, and three servers' pairs/s
// against one server's in the same run.
add('3 servers on one PostgreSQL, 1,000 subscribers each: hold on one → subscribers of the others, p99 ms',
  figures.get('cluster.fanout.p99'), figures.get('cluster.fanout.same_p99'), "the holding server's own subscribers",
  1, '≤ 100 ms', (m) => m <= 100);
for (const kind of ['seated', 'ga']) {
  add(`hold+release pairs/s, 50 clients, ${kind === 'ga' ? 'GA (open-air, quantity 1)' : 'seated (breakfast-ii)'}, 3 servers on one PostgreSQL`,
    figures.get(`cluster.pairs.three.${kind}`), figures.get(`cluster.pairs.one.${kind}`), '1 server', 0,
    '≥ 1 server', (m, r) => (Number.isFinite(r) ? m >= r : undefined));
}

// Restart after kill -9 with 10,000 live holds (restart.mjs): spawn → the
// first availability answer showing every hold, worst of the restarts; no
// reference (the server's own start).
for (const backend of ['sqlite', 'postgresql']) {
  add(`restart after kill -9 with 10,000 holds: spawn → serving them, worst ms (${backend})`,
    figures.get(`restart.marquee.${backend}`), undefined, null, 0, '≤ 1,000 ms', (m) => m <= 1000);
}

// Connections held for minutes (soak.mjs): nothing may be lost, so the
// figures are counts with a target of 0 and no reference.
for (const n of counts('soak.dropped.')) {
  for (const backend of ['sqlite', 'postgresql']) {
    const minutes = figures.get(`soak.minutes.${backend}.${n}`);
    if (minutes === undefined) continue;
    const held = `${number(n)} connections held ${number(minutes, 1)} min (${backend})`;
    for (const [key, what] of [['dropped', 'subscribers dropped'], ['unanswered', 'pings not answered in 10 s'],
      ['missed', 'changes a subscriber missed']]) {
      add(`${held}: ${what}`, figures.get(`soak.${key}.${backend}.${n}`), undefined, null, 0, '0', (m) => m === 0);
    }
  }
}

console.log('| figure with a target | Marquee | reference (same run) | ratio Marquee / reference | target | verdict |');
console.log('|---|---|---|---|---|---|');
for (const line of table) console.log(line);
console.log();
console.log('| benchmark | conditions | metric | value |');
console.log('|---|---|---|---|');
for (const [bench, conditions, metric, ...value] of rows) console.log(`| ${bench} | ${conditions} | ${metric} | ${value.join('|')} |`);
