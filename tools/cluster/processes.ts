/**
 * The processes of a multi-instance deployment on one machine's loopback ports: built apps
 * started as `npm start` starts them, and HAProxy (Debian's package) in front of them.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(__dirname, '../..');

export interface Instance {
  name: string;
  url: string;
  port: number;
  child: ChildProcess;
  /** The last lines it wrote, for the report when something fails. */
  log: string[];
  /** Resolves when the process has exited. */
  exited: Promise<void>;
}

/** Builds the API and the auth server with Nx (as `npm start` does). */
export function buildApps(): void {
  const b = spawnSync(
    'npx',
    [
      'nx',
      'run-many',
      '-t',
      'build',
      '-p',
      'api',
      'auth',
      '--output-style=static',
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: nxEnv() },
  );
  if (b.status !== 0) throw new Error('nx build of api and auth failed');
}

function nxEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NX_DAEMON: 'false',
    NX_TUI: 'false',
    NX_NO_CLOUD: 'true',
  };
}

/** Runs `npm run db -- <args>` against `env` and fails on a non-zero exit. */
export function dbCli(args: string[], env: Record<string, string>): string {
  const r = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/tsx/dist/cli.mjs'),
      '--tsconfig',
      'tools/tsconfig.json',
      'tools/db/cli.ts',
      ...args,
    ],
    { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' },
  );
  if (r.status !== 0)
    throw new Error(`db ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Starts one built app (`dist/apps/<app>/main.js`) with `env` and waits for its /health. */
export async function startApp(
  name: string,
  app: 'api' | 'auth',
  port: number,
  env: Record<string, string>,
): Promise<Instance> {
  const flags =
    app === 'api' ? ['--max-old-space-size=256'] : ['--optimize-for-size'];
  const child = spawn(
    process.execPath,
    [...flags, `dist/apps/${app}/main.js`],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        ...env,
        [app === 'api' ? 'API_PORT' : 'AUTH_PORT']: String(port),
      },
    },
  );
  const log: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n'))
      if (line.trim()) log.push(line);
    if (log.length > 200) log.splice(0, log.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  const instance = { name, url, port, child, log, exited };
  try {
    await waitForHealth(url, exited);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(
      `${name} did not become healthy: ${(err as Error).message}\n${log.join('\n')}`,
      { cause: err },
    );
  }
  return instance;
}

async function waitForHealth(
  url: string,
  exited: Promise<void>,
): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; i < 240; i++) {
    if (gone) throw new Error('the process exited');
    try {
      if ((await fetch(`${url}/health`)).status === 200) return;
    } catch {
      /* not listening yet */
    }
    await sleep(250);
  }
  throw new Error('no healthy answer within 60 s');
}

export async function stop(
  instance: Instance,
  signal: NodeJS.Signals = 'SIGTERM',
) {
  if (instance.child.exitCode !== null || instance.child.signalCode !== null)
    return;
  instance.child.kill(signal);
  await Promise.race([instance.exited, sleep(10_000)]);
  if (instance.child.exitCode === null && instance.child.signalCode === null) {
    instance.child.kill('SIGKILL');
    await instance.exited;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ProxyBackend {
  /** The frontend's port on 127.0.0.1. */
  port: number;
  servers: { name: string; port: number }[];
}

/**
 * HAProxy in front of each group: round robin, health checks of /health every 500 ms (a
 * server is out after two failures), connection failures retried on the other server. It
 * appends X-Forwarded-For, so the apps run with one trusted proxy hop, and names the server
 * that answered in X-Served-By (for the checks).
 */
export async function startHaproxy(
  dir: string,
  backends: Record<string, ProxyBackend>,
): Promise<Instance> {
  const haproxy = spawnSync('haproxy', ['-v'], { encoding: 'utf8' });
  if (haproxy.status !== 0)
    throw new Error(
      'haproxy is not installed (Debian: apt-get install haproxy)',
    );
  mkdirSync(dir, { recursive: true });
  const sections = Object.entries(backends).map(
    ([name, b]) => `
frontend ${name}_in
  bind 127.0.0.1:${b.port}
  option forwardfor
  default_backend ${name}

backend ${name}
  balance roundrobin
  option httpchk GET /health
  http-check expect status 200
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response
  http-response set-header X-Served-By %s
${b.servers.map((s) => `  server ${s.name} 127.0.0.1:${s.port} check inter 500 fall 2 rise 2`).join('\n')}
`,
  );
  const cfg = join(dir, 'haproxy.cfg');
  writeFileSync(
    cfg,
    `global
  maxconn 4096

defaults
  mode http
  timeout connect 2s
  timeout client 120s
  timeout server 120s
${sections.join('')}`,
  );
  const check = spawnSync('haproxy', ['-c', '-f', cfg], { encoding: 'utf8' });
  if (check.status !== 0)
    throw new Error(`haproxy configuration refused: ${check.stderr}`);
  const child = spawn('haproxy', ['-db', '-f', cfg], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  child.stderr?.on('data', (c: Buffer) => log.push(c.toString('utf8')));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const first = Object.values(backends)[0];
  const url = `http://127.0.0.1:${first.port}`;
  const instance = {
    name: 'haproxy',
    url,
    port: first.port,
    child,
    log,
    exited,
  };
  await waitForHealth(url, exited);
  return instance;
}

/** A MariaDB primary and replica of tools/scale/replication.sh, in a folder of their own. */
export interface ReplicationPair {
  primaryPort: number;
  replicaPort: number;
  /** Runs `replication.sh <args>` on this pair. */
  script(...args: string[]): string;
}

export function replicationPair(
  dir: string,
  primaryPort: number,
  replicaPort: number,
): ReplicationPair {
  const env = {
    ...process.env,
    REPLICATION_DIR: dir,
    REPLICATION_PRIMARY_PORT: String(primaryPort),
    REPLICATION_REPLICA_PORT: String(replicaPort),
  };
  return {
    primaryPort,
    replicaPort,
    script(...args: string[]) {
      const r = spawnSync(
        'bash',
        [join(root, 'tools/scale/replication.sh'), ...args],
        { cwd: root, env, encoding: 'utf8' },
      );
      if (r.status !== 0)
        throw new Error(
          `replication.sh ${args.join(' ')} failed: ${r.stderr || r.stdout}`,
        );
      return r.stdout;
    },
  };
}

/** Resident memory of a process (VmRSS, MiB), or null when it is gone. */
export function rssMiB(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}
