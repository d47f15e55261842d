// Shared by fanout.mjs and holds.mjs: fresh databases (SQLite file or a
// throwaway PostgreSQL cluster), the real marquee-server as a child process,
// percentiles, CPU shares from /proc and the ROW lines run.sh collects.
// No protocol code here: HTTP is undici, WebSocket is ws (package.json).
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'undici';

/** Nanoseconds on CLOCK_MONOTONIC (the same clock in every worker thread). */
export const nowNs = () => process.hrtime.bigint();
export const nsToMs = (ns) => Number(ns) / 1e6;

/** Latency samples in nanoseconds (Number), percentiles in ms, nearest rank. */
export class Samples {
  constructor() { this.ns = []; this.sorted = false; }
  add(ns) { this.ns.push(Number(ns)); this.sorted = false; }
  get count() { return this.ns.length; }
  percentileMs(p) {
    if (this.ns.length === 0) return 0;
    if (!this.sorted) { this.ns.sort((a, b) => a - b); this.sorted = true; }
    const rank = Math.max(1, Math.ceil((p / 100) * this.ns.length));
    return this.ns[Math.min(rank, this.ns.length) - 1] / 1e6;
  }
  summary(withP95 = true) {
    const f = (p) => this.percentileMs(p).toFixed(2);
    return `p50 ${f(50)}${withP95 ? ` / p95 ${f(95)}` : ''} / p99 ${f(99)} / max ${f(100)} ms (n=${this.count})`;
  }
}

/** "ROW|bench|backend|what|value" for run.sh's table. */
export function row(bench, backend, what, value) {
  process.stdout.write(`ROW|${bench}|${backend}|${what}|${value}\n`);
}

/** Parses --name value / --name=value options against \a defaults. */
export function parseArgs(defaults) {
  const options = { ...defaults };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; ++i) {
    let [key, value] = argv[i].replace(/^--/, '').split(/=(.*)/s);
    if (!(key in defaults)) {
      console.error(`unknown option --${key}; known: ${Object.keys(defaults).map((k) => `--${k}`).join(' ')}`);
      process.exit(2);
    }
    if (value === undefined) value = argv[++i];
    options[key] = value;
  }
  return options;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

const isRoot = process.getuid?.() === 0;

/** As tests/support/PostgresCluster: runs as postgres when we are root. */
function runPostgresTool(program, args) {
  const [cmd, full] = isRoot ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
  execFileSync(cmd, full, { stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Fresh databases on one backend: SQLite files in a new temporary folder
 * (in \a sqliteDir, e.g. /dev/shm, or TMPDIR), or a throwaway PostgreSQL
 * cluster with fsync=off, as tests/support/PostgresCluster.cpp makes it.
 */
export class BenchDatabases {
  constructor(backend, sqliteDir) {
    this.backend = backend;
    this.sqliteDir = sqliteDir || os.tmpdir();
    this.count = 0;
    this.postgresPort = 0;
  }

  async start() {
    // Also on an error or Ctrl-C: no cluster or folder is left behind.
    process.once('exit', () => this.stop());
    if (this.backend === 'sqlite') {
      this.dir = fs.mkdtempSync(path.join(this.sqliteDir, 'marquee-bench-'));
      return;
    }
    if (this.backend !== 'postgresql') throw new Error(`unknown backend ${this.backend} (sqlite or postgresql)`);
    const versions = fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql').sort() : [];
    this.bin = versions.map((v) => `/usr/lib/postgresql/${v}/bin`).reverse()
      .find((bin) => fs.existsSync(`${bin}/initdb`));
    if (!this.bin) throw new Error('PostgreSQL is not installed (installer/setup.sh --tests installs it)');
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'marquee-bench-pg-'));
    if (isRoot) execFileSync('chown', ['postgres:postgres', this.dir]);
    const data = path.join(this.dir, 'data');
    runPostgresTool(`${this.bin}/initdb`, ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
    let lastError;
    for (let attempt = 0; attempt < 5 && !this.postgresPort; ++attempt) {
      const port = await freePort();
      try {
        runPostgresTool(`${this.bin}/pg_ctl`, ['-D', data, '-l', path.join(this.dir, 'log'), '-o',
          `-k ${this.dir} -p ${port} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
          '-w', 'start']);
        this.postgresPort = port;
      } catch (error) { lastError = error; }
    }
    if (!this.postgresPort) throw new Error(`pg_ctl start: ${lastError?.stderr ?? lastError}`);
  }

  /** The --db argument of a new, empty database. */
  fresh() {
    ++this.count;
    if (this.backend === 'sqlite') return `sqlite:${path.join(this.dir, `bench-${this.count}.db`)}`;
    const name = `marquee_bench_${this.count}`;
    execFileSync(`${this.bin}/createdb`, ['-h', '127.0.0.1', '-p', String(this.postgresPort), '-U', 'postgres', name]);
    return `postgresql://postgres@127.0.0.1:${this.postgresPort}/${name}`;
  }

  stop() {
    if (this.postgresPort) {
      try {
        runPostgresTool(`${this.bin}/pg_ctl`, ['-D', path.join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
      } catch { /* already gone */ }
      this.postgresPort = 0;
    }
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}

/**
 * The real marquee-server (MARQUEE_SERVER) on \a db with --demo, on a port
 * the kernel picks; resolves once it printed its "Web page:" line.
 */
export function startServer(db) {
  const program = process.env.MARQUEE_SERVER;
  if (!program || !fs.existsSync(program)) throw new Error('set MARQUEE_SERVER to the marquee-server executable');
  const child = spawn(program, ['--db', db, '--listen', '127.0.0.1:0', '--demo'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const server = { child, pid: child.pid, port: 0, output: '' };
  process.once('exit', () => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    const timer = setTimeout(() => reject(new Error(`marquee-server did not report its port:\n${server.output}`)), 30_000);
    const onData = (chunk) => {
      if (server.output.length < 100_000) server.output += chunk;
      const match = !server.port && /Web page: http:\/\/[^:/]+:(\d+)\//.exec(server.output);
      if (match) {
        server.port = Number(match[1]);
        clearTimeout(timer);
        resolve(server);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!server.port) reject(new Error(`marquee-server exited (${code}):\n${server.output}`));
    });
  });
}

export function stopServer(server) {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve();
    const kill = setTimeout(() => server.child.kill('SIGKILL'), 5_000);
    server.child.once('exit', () => { clearTimeout(kill); resolve(); });
    server.child.kill('SIGTERM');
  });
}

/** One keep-alive HTTP/1.1 connection (undici), one request in flight. */
export function connection(port) {
  return new Client(`http://127.0.0.1:${port}`, { pipelining: 1, keepAliveTimeout: 600_000 });
}

/**
 * One request on \a client: {status, body (string), sentNs, latencyNs};
 * status 0 when the connection failed.
 */
export async function exchange(client, method, path, { token, body } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const sentNs = nowNs();
  try {
    const answer = await client.request({ method, path, headers, body });
    const text = await answer.body.text();
    return { status: answer.statusCode, body: text, sentNs, latencyNs: nowNs() - sentNs };
  } catch (error) {
    return { status: 0, body: String(error), sentNs, latencyNs: nowNs() - sentNs };
  }
}

/** Seat labels that are "available" in the breakfast-ii snapshot. */
export async function availableSeats(client) {
  const answer = await exchange(client, 'GET', '/api/v1/events/breakfast-ii/availability');
  const seats = JSON.parse(answer.body).seats ?? {};
  return Object.keys(seats).filter((seat) => seats[seat] === 'available');
}

/** A new cart: {cart, token}, or null. */
export async function newCart(client) {
  const answer = await exchange(client, 'POST', '/api/v1/carts');
  if (answer.status !== 201) return null;
  const { cart, token } = JSON.parse(answer.body);
  return { cart, token };
}

// --- CPU shares -----------------------------------------------------------

const ticks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** {name, cpuSeconds, ppid} from a /proc/.../stat file, or null. */
function readStat(file) {
  let text;
  try { text = fs.readFileSync(file, 'latin1'); } catch { return null; }
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < 0) return null;
  const fields = text.slice(close + 2).split(' ');
  return { name: text.slice(open + 1, close), ppid: Number(fields[1]), cpuSeconds: (Number(fields[11]) + Number(fields[12])) / ticks };
}

/**
 * CPU seconds per thread name of \a pid (its main thread is "socket"), plus
 * "postgres" for the cluster on \a postgresPort: the postmaster and its children.
 */
export function threadCpuSeconds(pid, postgresPort = 0) {
  const byName = new Map();
  const add = (name, seconds) => byName.set(name, (byName.get(name) ?? 0) + seconds);
  let tasks = [];
  try { tasks = fs.readdirSync(`/proc/${pid}/task`); } catch { /* gone */ }
  for (const task of tasks) {
    const stat = readStat(`/proc/${pid}/task/${task}/stat`);
    if (stat) add(task === String(pid) ? 'socket' : stat.name, stat.cpuSeconds);
  }
  if (postgresPort > 0) {
    const portArgument = `\0-p\0${postgresPort}\0`;
    const postgres = [];
    let postmaster = 0;
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = readStat(`/proc/${entry}/stat`);
      if (!stat || stat.name !== 'postgres') continue;
      postgres.push([Number(entry), stat]);
      try {
        if (`\0${fs.readFileSync(`/proc/${entry}/cmdline`, 'latin1')}`.includes(portArgument)) postmaster = Number(entry);
      } catch { /* gone */ }
    }
    for (const [other, stat] of postgres) {
      if (postmaster && (other === postmaster || stat.ppid === postmaster)) add('postgres', stat.cpuSeconds);
    }
  }
  return byName;
}

/** "socket 45%, storage 4%" from two threadCpuSeconds() readings. */
export function cpuShare(before, after, wallSeconds) {
  const parts = [];
  for (const name of [...after.keys()].sort()) {
    const share = ((after.get(name) - (before.get(name) ?? 0)) / wallSeconds) * 100;
    if (share >= 1) parts.push(`${name} ${share.toFixed(0)}%`);
  }
  return parts.join(', ');
}

/** CPU seconds this process (all its threads) used so far. */
export function ownCpuSeconds() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}
