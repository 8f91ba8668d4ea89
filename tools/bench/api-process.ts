/**
 * The compiled API as the benchmarks run it: built with Nx, started as `npm start` starts it
 * (the same Node flags), against a database that already holds its data, with tokens from a
 * local test issuer. Also the /proc readings the benchmarks report.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../..');

/** The Node flags `npm start` gives the API (API_HEAP_MB, default 256). */
export const API_NODE_FLAGS = ['--max-old-space-size=256'];

export function buildApi(): void {
  const b = spawnSync('npx', ['nx', 'build', 'api', '--output-style=static'], {
    cwd: root,
    stdio: 'ignore',
  });
  if (b.status !== 0) throw new Error('nx build api failed');
}

export interface StartedApi {
  child: ChildProcess;
  pid: number;
  url: string;
}

/**
 * Starts `dist/apps/api/main.js` on 127.0.0.1:`port` and waits until it answers. The
 * per-client rate limit is off: a benchmark's one client sends every request.
 */
export async function startApi(options: {
  port: number;
  databaseUrl: string;
  publicUrl: string;
  issuer: { issuer: string; jwksUrl: string };
  nodeFlags?: string[];
  env?: Record<string, string>;
}): Promise<StartedApi> {
  const child = spawn(
    process.execPath,
    [...(options.nodeFlags ?? API_NODE_FLAGS), 'dist/apps/api/main.js'],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        DATABASE_URL: options.databaseUrl,
        API_PORT: String(options.port),
        API_PUBLIC_URL: options.publicUrl,
        API_AUDIENCE: options.publicUrl,
        AUTH_ISSUER: options.issuer.issuer,
        AUTH_JWKS_URL: options.issuer.jwksUrl,
        MIGRATE_ON_START: 'false',
        SEED_DEMO_DATA: 'false',
        API_RATE_LIMIT: '0',
        ...options.env,
      },
    },
  );
  if (child.pid === undefined) throw new Error('the API did not start');
  const url = `http://127.0.0.1:${options.port}`;
  try {
    await waitFor(`${url}/health`);
  } catch (err) {
    child.kill('SIGTERM');
    throw err;
  }
  return { child, pid: child.pid, url };
}

/** Resolves once `url` answers below 500 (60 s at most). */
export async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up`);
}

/** CPU seconds (user + system) a process has used, from /proc. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 a second).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident memory of a process now and at its peak (VmHWM), in MB. */
export function memoryMb(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) =>
    Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}
