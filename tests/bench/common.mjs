// Shared by the bench scripts: fresh databases (SQLite file or a throwaway
// PostgreSQL cluster, both on a real disk), the real marquee-server as a
// child process, percentiles, CPU shares and RSS from /proc, and the ROW and
// FIG lines run.sh collects.
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

/**
 * "FIG|key|number": one measured figure that report.mjs sets against its
 * reference and target (keys: report.mjs). Never written for a failed run.
 */
export function figure(key, value) {
  if (Number.isFinite(value)) process.stdout.write(`FIG|${key}|${value}\n`);
}

// statfs(2) f_type of file systems that live in memory: a flush there is free.
const RamFileSystems = new Map([[0x01021994, 'tmpfs'], [0x858458f6, 'ramfs']]);

/** "tmpfs" or "ramfs" when \a dir is in memory, else "" (a real disk). */
export function ramFileSystem(dir) {
  try { return RamFileSystems.get(Number(fs.statfsSync(dir).type)) ?? ''; } catch { return ''; }
}

/**
 * The folder for databases that must be on a real disk: MARQUEE_BENCH_DISK_DIR
 * or TMPDIR (os.tmpdir()); refuses a folder in memory, where fsync costs nothing.
 */
export function diskDir() {
  const dir = process.env.MARQUEE_BENCH_DISK_DIR || os.tmpdir();
  const ram = ramFileSystem(dir);
  if (ram) throw new Error(`${dir} is on ${ram}, not a disk: set MARQUEE_BENCH_DISK_DIR to a folder on a disk`);
  return dir;
}

/** Resident memory of process \a pid in KiB (VmRSS in /proc/PID/status), or NaN. */
export function rssKiB(pid) {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'latin1'));
    return match ? Number(match[1]) : NaN;
  } catch { return NaN; }
}

/** The soft limit on open files of this process (/proc/self/limits). */
export function openFileLimit() {
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(fs.readFileSync('/proc/self/limits', 'latin1'));
  return !match || match[1] === 'unlimited' ? Infinity : Number(match[1]);
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

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls \a done every \a everyMs until it holds (true) or \a timeoutMs pass (false). */
export async function waitFor(done, timeoutMs, everyMs = 1) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
  return true;
}

/** A port the kernel has free on 127.0.0.1 now. */
export function freePort() {
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
 * Fresh databases on one backend: SQLite files in a new temporary folder on
 * a disk (diskDir()), or in \a sqliteDir when given (e.g. /dev/shm, to see
 * what the flush costs); or a throwaway PostgreSQL cluster on a disk with
 * PostgreSQL's durable defaults (fsync, synchronous_commit, full_page_writes
 * on). The server's own SQLite settings apply (WAL, synchronous=FULL).
 */
export class BenchDatabases {
  constructor(backend, sqliteDir) {
    this.backend = backend;
    this.sqliteDir = sqliteDir;
    this.count = 0;
    this.postgresPort = 0;
    this.name = ''; // the last fresh() database (PostgreSQL) or file (SQLite)
  }

  async start() {
    // Also on an error or Ctrl-C: no cluster or folder is left behind.
    process.once('exit', () => this.stop());
    if (this.backend === 'sqlite') {
      this.dir = fs.mkdtempSync(path.join(this.sqliteDir || diskDir(), 'marquee-bench-'));
      return;
    }
    if (this.backend !== 'postgresql') throw new Error(`unknown backend ${this.backend} (sqlite or postgresql)`);
    const versions = fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql').sort() : [];
    this.bin = versions.map((v) => `/usr/lib/postgresql/${v}/bin`).reverse()
      .find((bin) => fs.existsSync(`${bin}/initdb`));
    if (!this.bin) throw new Error('PostgreSQL is not installed (installer/setup.sh --tests installs it)');
    this.dir = fs.mkdtempSync(path.join(diskDir(), 'marquee-bench-pg-'));
    if (isRoot) execFileSync('chown', ['postgres:postgres', this.dir]);
    const data = path.join(this.dir, 'data');
    runPostgresTool(`${this.bin}/initdb`, ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
    let lastError;
    for (let attempt = 0; attempt < 5 && !this.postgresPort; ++attempt) {
      const port = await freePort();
      try {
        runPostgresTool(`${this.bin}/pg_ctl`, ['-D', data, '-l', path.join(this.dir, 'log'), '-o',
          // fsync and synchronous_commit stay on (the defaults): no durability traded away.
          `-k ${this.dir} -p ${port} -c listen_addresses=127.0.0.1 -c max_connections=200`,
          '-w', 'start']);
        this.postgresPort = port;
      } catch (error) { lastError = error; }
    }
    if (!this.postgresPort) throw new Error(`pg_ctl start: ${lastError?.stderr ?? lastError}`);
  }

  /** The --db argument of a new, empty database. */
  fresh() {
    ++this.count;
    if (this.backend === 'sqlite') {
      this.name = path.join(this.dir, `bench-${this.count}.db`);
      return `sqlite:${this.name}`;
    }
    this.name = `marquee_bench_${this.count}`;
    execFileSync(`${this.bin}/createdb`, ['-h', '127.0.0.1', '-p', String(this.postgresPort), '-U', 'postgres', this.name]);
    return `postgresql://postgres@127.0.0.1:${this.postgresPort}/${this.name}`;
  }

  /** Runs \a statements with psql on the last fresh() PostgreSQL database; its output. */
  psql(statements) {
    return execFileSync(`${this.bin}/psql`, ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1',
      '-p', String(this.postgresPort), '-U', 'postgres', '-d', this.name, '-c', statements]).toString().trim();
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
 * the kernel picks, with \a extraArguments after those; resolves once it
 * printed its "Web page:" line.
 */
export function startServer(db, extraArguments = []) {
  const program = process.env.MARQUEE_SERVER;
  if (!program || !fs.existsSync(program)) throw new Error('set MARQUEE_SERVER to the marquee-server executable');
  const child = spawn(program, ['--db', db, '--listen', '127.0.0.1:0', '--demo', ...extraArguments],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  return reportedPort(child, 'marquee-server', /Web page: http:\/\/[^:/]+:(\d+)\//, 30_000);
}

/**
 * A child process that prints its port: resolves to {child, pid, port,
 * output} once \a pattern (its first group the port) appears on stdout or
 * stderr; rejects if it exits first or takes longer than \a timeoutMs.
 */
export function reportedPort(child, name, pattern, timeoutMs) {
  const server = { child, pid: child.pid, port: 0, output: '' };
  // Killed with us, unless it is gone already (one listener per live child).
  const killChild = () => child.kill('SIGKILL');
  process.once('exit', killChild);
  child.once('exit', () => process.removeListener('exit', killChild));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    const timer = setTimeout(() => reject(new Error(`${name} did not report its port:\n${server.output}`)), timeoutMs);
    const onData = (chunk) => {
      if (server.output.length < 100_000) server.output += chunk;
      const match = !server.port && pattern.exec(server.output);
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
      if (!server.port) reject(new Error(`${name} exited (${code}):\n${server.output}`));
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
