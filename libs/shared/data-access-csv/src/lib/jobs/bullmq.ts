import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DelayedError, Job, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import type { ImportJobView } from '@oneroster/contracts';
import { CsvImportService } from '../import';
import {
  CsvImportQueueFull,
  DEFAULT_MAX_ACTIVE_IMPORTS_PER_SCHOOL,
  failView,
  queuedView,
  runCsvImport,
  type CsvImportJobInput,
  type CsvImportJobsOptions,
} from '../jobs';
import type { CsvImportReservation, CsvImportRunner } from './runner';

/** The BullMQ queue's name (its keys are `<prefix>:csv-imports:*`). */
export const CSV_IMPORT_QUEUE_NAME = 'csv-imports';

export interface BullMqCsvImportRunnerOptions extends CsvImportJobsOptions {
  redisUrl: string;
  /** Prefix of every Redis key (CSV_IMPORT_QUEUE_PREFIX); one per platform sharing a Redis. */
  prefix: string;
  /**
   * The folder every instance reads queued uploads from (CSV_UPLOAD_DIR): a job may run on
   * another instance than the one that received its zip.
   */
  uploadDir: string;
  /** Run a worker in this instance (default true); without one it only queues and reads. */
  worker?: boolean;
  /** Jobs (of different schools) this instance's worker runs at once (default 2). */
  concurrency?: number;
  /**
   * How long a job's lock and its school's lock last without renewal (default 30 s): a
   * worker that dies mid-job lets go of both after this, and the job is taken up again by
   * another worker (`maxStalledCount` times, default 1) or ends failed.
   */
  lockDurationMs?: number;
  /** How often each worker looks for jobs whose worker died (default 30 s). */
  stalledIntervalMs?: number;
  maxStalledCount?: number;
  /** How long a job whose school is busy waits before it looks again (default 1 s). */
  busyRetryMs?: number;
  /** How long a reserved place lasts if its upload never ends (default 1 hour). */
  reservationTtlMs?: number;
  /** How often `settled` looks at a job's state (default 100 ms). */
  pollMs?: number;
  /** Told of Redis and worker errors (they are retried; nothing is thrown from here). */
  onError?: (message: string) => void;
}

interface JobData {
  schoolId: string;
  mode: 'apply' | 'validate';
  actorAccountId?: string;
  /** The upload's file name in `uploadDir`. */
  zip: string;
  /** The view as it was queued. */
  view: ImportJobView;
}

/**
 * How long a new job waits out of the workers' reach until it is admitted (see `start`);
 * an instance that dies in between leaves a job that ends as never admitted.
 */
const NOT_YET = 60_000;

/**
 * Takes a place for a job or a reservation, atomically across instances.
 * KEYS: active (zset of the school's queued and running jobs), slots (zset of reservations,
 * scored by expiry), jobs (zset of every kept job, scored by start order), seq (counter).
 * ARGV: now, max, kind ('slot' | 'job'), member, slot to take ('' for none).
 * Returns 1 (admitted) or 0 (the school is full).
 */
const ADMIT = `
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
local held = ARGV[5] ~= '' and redis.call('ZREM', KEYS[2], ARGV[5]) == 1
if not held and redis.call('ZCARD', KEYS[1]) + redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then
  return 0
end
if ARGV[3] == 'slot' then
  redis.call('ZADD', KEYS[2], ARGV[6], ARGV[4])
else
  local seq = redis.call('INCR', KEYS[4])
  redis.call('ZADD', KEYS[1], seq, ARGV[4])
  redis.call('ZADD', KEYS[3], seq, ARGV[4])
end
return 1
`;

/** KEYS: lock. ARGV: owner, ms. Renews the lock if it is still the owner's. */
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

/** KEYS: lock. ARGV: owner. Lets go of the lock if it is still the owner's. */
const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/**
 * CSV import jobs on a BullMQ queue in Redis, for several instances of the auth server.
 * Rules it keeps:
 * - jobs, their progress and their reports live in Redis (the job's data, progress and
 *   return value): a restart forgets nothing, and every instance sees every job;
 * - the uploaded zip is moved into `uploadDir` (a folder every instance reads) under the
 *   job's id, and deleted when the job ends (or is found dead);
 * - any instance's worker may run any job; a school's jobs run one at a time, in start
 *   order, across instances: a job runs only when it is the oldest of its school's
 *   queued jobs and its worker holds the school's lock in Redis (SET NX with expiry,
 *   renewed while the job runs); otherwise it waits (delayed) and looks again. BullMQ's
 *   open-source edition has no per-group concurrency, hence the lock;
 * - the per-school cap counts queued and running jobs and reservations in Redis, checked
 *   and taken by one script, so two instances cannot both take the last place;
 *   reservations expire, so an instance that dies mid-upload does not keep a place;
 * - a worker that dies mid-job stops renewing the job's lock: BullMQ's stalled check (in
 *   every worker) puts the job back to run again, or fails it past `maxStalledCount`; a
 *   failed job's view says so, never `running` forever. The import's transaction was
 *   rolled back with the dead worker's connection.
 */
export class BullMqCsvImportRunner implements CsvImportRunner {
  /** Commands (the queue's and ours): they fail after a few retries while Redis is away. */
  private readonly connection: Redis;
  /** The worker's: BullMQ requires its commands to wait for Redis. */
  private readonly workerConnection?: Redis;
  private readonly queue: Queue<JobData, ImportJobView>;
  private readonly worker?: Worker<JobData, ImportJobView>;
  private readonly service: CsvImportService;
  private readonly started = new Set<string>();
  private readonly slotIds = new WeakMap<CsvImportReservation, string>();
  private readonly o: Required<
    Omit<
      BullMqCsvImportRunnerOptions,
      'onUpdate' | 'maxInflatedBytes' | 'workDir' | 'onError'
    >
  > &
    Pick<
      BullMqCsvImportRunnerOptions,
      'onUpdate' | 'maxInflatedBytes' | 'onError'
    > & {
      workDir: string;
    };

  constructor(dataSource: DataSource, options: BullMqCsvImportRunnerOptions) {
    this.o = {
      worker: true,
      concurrency: 2,
      lockDurationMs: 30_000,
      stalledIntervalMs: 30_000,
      maxStalledCount: 1,
      busyRetryMs: 1000,
      reservationTtlMs: 3600_000,
      pollMs: 100,
      keep: 20,
      maxIssues: 200,
      maxActivePerSchool: DEFAULT_MAX_ACTIVE_IMPORTS_PER_SCHOOL,
      ...options,
      workDir: options.workDir ?? tmpdir(),
    };
    this.o.keep = Math.max(1, this.o.keep);
    this.o.maxActivePerSchool = Math.max(1, this.o.maxActivePerSchool);
    this.service = new CsvImportService(dataSource);
    // A portal request fails soon rather than hanging while Redis is away.
    this.connection = new Redis(options.redisUrl, { maxRetriesPerRequest: 2 });
    this.queue = new Queue(CSV_IMPORT_QUEUE_NAME, {
      connection: this.connection,
      prefix: options.prefix,
    });
    if (this.o.worker) {
      this.workerConnection = new Redis(options.redisUrl, {
        maxRetriesPerRequest: null,
      });
      this.worker = new Worker(
        CSV_IMPORT_QUEUE_NAME,
        (job, token) => this.process(job, token),
        {
          connection: this.workerConnection,
          prefix: options.prefix,
          concurrency: this.o.concurrency,
          lockDuration: this.o.lockDurationMs,
          stalledInterval: this.o.stalledIntervalMs,
          maxStalledCount: this.o.maxStalledCount,
        },
      );
    }
    // Connection errors are retried by ioredis; told, they are not unhandled 'error' events.
    const told = (what: string) => (e: Error) =>
      this.o.onError?.(`CSV import ${what}: ${e.message}`);
    this.worker?.on('error', told('worker'));
    this.queue.on('error', told('queue'));
    this.connection.on('error', told('Redis connection'));
    this.workerConnection?.on('error', told('worker Redis connection'));
  }

  private key(schoolId: string, name: string): string {
    return `${this.o.prefix}:${CSV_IMPORT_QUEUE_NAME}-schools:${schoolId}:${name}`;
  }

  private admitKeys(schoolId: string): string[] {
    return [
      this.key(schoolId, 'active'),
      this.key(schoolId, 'slots'),
      this.key(schoolId, 'jobs'),
      `${this.o.prefix}:${CSV_IMPORT_QUEUE_NAME}-schools:seq`,
    ];
  }

  private async admit(
    schoolId: string,
    kind: 'slot' | 'job',
    member: string,
    slot = '',
  ): Promise<boolean> {
    await this.sweep(schoolId);
    const now = Date.now();
    const ok = await this.connection.eval(
      ADMIT,
      4,
      ...this.admitKeys(schoolId),
      now,
      this.o.maxActivePerSchool,
      kind,
      member,
      slot,
      now + this.o.reservationTtlMs,
    );
    return ok === 1;
  }

  async reserve(schoolId: string): Promise<CsvImportReservation> {
    const id = randomUUID();
    if (!(await this.admit(schoolId, 'slot', id)))
      throw new CsvImportQueueFull(schoolId, this.o.maxActivePerSchool);
    let released = false;
    const reservation: CsvImportReservation = {
      schoolId,
      release: async () => {
        if (released) return;
        released = true;
        // Should Redis be away, the place expires on its own (`reservationTtlMs`).
        await this.connection
          .zrem(this.key(schoolId, 'slots'), id)
          .catch(() => undefined);
      },
    };
    this.slotIds.set(reservation, id);
    return reservation;
  }

  async start(
    input: CsvImportJobInput,
    slot?: CsvImportReservation,
  ): Promise<ImportJobView> {
    const id = randomUUID();
    const zip = `${id}.zip`;
    const view = queuedView(id, input);
    const data: JobData = {
      schoolId: input.schoolId,
      mode: input.mode,
      actorAccountId: input.actorAccountId,
      zip,
      view,
    };
    // Added out of reach of the workers first, so that a job in the school's list always
    // exists in the queue; promoted once admitted, removed if the school is full.
    const job = await this.queue.add('import', data, {
      jobId: id,
      delay: NOT_YET,
      removeOnComplete: false,
      removeOnFail: false,
    });
    const slotId =
      slot && slot.schoolId === input.schoolId
        ? (this.slotIds.get(slot) ?? '')
        : '';
    if (!(await this.admit(input.schoolId, 'job', id, slotId))) {
      await job.remove();
      throw new CsvImportQueueFull(input.schoolId, this.o.maxActivePerSchool);
    }
    try {
      // Whole rosters: readable by this server's user only.
      mkdirSync(this.o.uploadDir, { recursive: true, mode: 0o700 });
      moveFile(input.zipPath, join(this.o.uploadDir, zip));
      await job.promote();
    } catch (e) {
      await this.connection.zrem(this.key(input.schoolId, 'active'), id);
      await this.connection.zrem(this.key(input.schoolId, 'jobs'), id);
      await job.remove().catch(() => undefined);
      throw e;
    }
    this.started.add(id);
    return structuredClone(view);
  }

  async get(jobId: string): Promise<ImportJobView | undefined> {
    const job = await Job.fromId<JobData, ImportJobView>(this.queue, jobId);
    return job ? this.viewOf(job) : undefined;
  }

  async list(schoolId: string): Promise<ImportJobView[]> {
    const ids = await this.connection.zrevrange(
      this.key(schoolId, 'jobs'),
      0,
      -1,
    );
    const views = await Promise.all(ids.map((id) => this.get(id)));
    return views.filter((v): v is ImportJobView => v !== undefined);
  }

  async settled(jobId: string): Promise<ImportJobView | undefined> {
    for (;;) {
      const job = await Job.fromId<JobData, ImportJobView>(this.queue, jobId);
      if (!job) return undefined;
      const state = await job.getState();
      if (state === 'completed' || state === 'failed') return this.viewOf(job);
      await new Promise((r) => setTimeout(r, this.o.pollMs));
    }
  }

  async idle(): Promise<void> {
    await Promise.all([...this.started].map((id) => this.settled(id)));
  }

  async close(): Promise<void> {
    // Redis away: nothing to hand back gracefully (a running job's lock lapses and the
    // stalled check of another worker takes it up); waiting would hang the shutdown.
    const reachable =
      this.connection.status === 'ready' &&
      (this.workerConnection?.status ?? 'ready') === 'ready';
    if (!reachable) {
      this.workerConnection?.disconnect();
      this.connection.disconnect();
    }
    await this.worker?.close(!reachable);
    await this.queue.close();
    if (reachable) {
      await this.workerConnection?.quit().catch(() => undefined);
      await this.connection.quit().catch(() => undefined);
    }
  }

  /** The job's view as every instance sees it: its report once it ended, else its progress. */
  private async viewOf(
    job: Job<JobData, ImportJobView>,
  ): Promise<ImportJobView> {
    if (job.returnvalue && typeof job.returnvalue === 'object')
      return job.returnvalue;
    const progress = job.progress;
    const view: ImportJobView =
      progress && typeof progress === 'object' && 'id' in progress
        ? (progress as unknown as ImportJobView)
        : structuredClone(job.data.view);
    if (view.finishedAt === null && (await job.getState()) === 'failed')
      failView(
        view,
        `the import stopped unexpectedly and was rolled back: ${job.failedReason || 'its worker stopped'}`,
      );
    return view;
  }

  /** Drops from the school's queued jobs those that ended or vanished (a dead worker's). */
  private async sweep(schoolId: string): Promise<void> {
    const active = this.key(schoolId, 'active');
    for (const id of await this.connection.zrange(active, 0, -1)) {
      const job = await Job.fromId<JobData, ImportJobView>(this.queue, id);
      const state = job ? await job.getState() : 'unknown';
      if (state === 'completed' || state === 'failed' || state === 'unknown') {
        if (job) rmSync(join(this.o.uploadDir, job.data.zip), { force: true });
        await this.connection.zrem(active, id);
      }
    }
  }

  /** Forgets the school's oldest ended jobs beyond `keep` (never `current`, still ending). */
  private async prune(schoolId: string, current: string): Promise<void> {
    const all = await this.connection.zrange(this.key(schoolId, 'jobs'), 0, -1);
    const active = new Set(
      await this.connection.zrange(this.key(schoolId, 'active'), 0, -1),
    );
    const ended = all.filter((id) => !active.has(id));
    for (const id of ended.slice(0, Math.max(0, ended.length - this.o.keep))) {
      if (id === current) continue;
      try {
        await this.queue.remove(id);
      } catch {
        // Still locked by its worker: the next prune takes it.
        continue;
      }
      await this.connection.zrem(this.key(schoolId, 'jobs'), id);
    }
  }

  private async process(
    job: Job<JobData, ImportJobView>,
    token?: string,
  ): Promise<ImportJobView> {
    const { schoolId } = job.data;
    const id = job.id as string;
    const lock = this.key(schoolId, 'lock');
    const admitted = await this.connection.zscore(
      this.key(schoolId, 'jobs'),
      id,
    );
    if (admitted === null) {
      // Its instance stopped before the school took it: nothing to run, nothing listed.
      rmSync(join(this.o.uploadDir, basename(job.data.zip)), { force: true });
      const view = structuredClone(job.data.view);
      failView(view, 'the upload was not queued: its server stopped');
      return view;
    }
    await this.sweep(schoolId);
    const [head] = await this.connection.zrange(
      this.key(schoolId, 'active'),
      0,
      0,
    );
    const mine =
      head === id &&
      (await this.connection.set(
        lock,
        id,
        'PX',
        this.o.lockDurationMs,
        'NX',
      )) === 'OK';
    if (!mine) {
      // Not this job's turn: an older job of the school is queued or running somewhere.
      await job.moveToDelayed(Date.now() + this.o.busyRetryMs, token);
      throw new DelayedError();
    }
    const renew = setInterval(
      () =>
        void this.connection
          .eval(RENEW, 1, lock, id, this.o.lockDurationMs)
          .catch(() => undefined),
      Math.max(100, Math.floor(this.o.lockDurationMs / 3)),
    );
    const view = structuredClone(job.data.view);
    let writes = Promise.resolve();
    let lastWrite = 0;
    let lastStatus = view.status;
    try {
      await runCsvImport(
        this.service,
        {
          schoolId,
          mode: job.data.mode,
          zipPath: join(this.o.uploadDir, basename(job.data.zip)),
        },
        view,
        {
          workDir: this.o.workDir,
          maxIssues: this.o.maxIssues,
          maxInflatedBytes: this.o.maxInflatedBytes,
        },
        () => {
          try {
            this.o.onUpdate?.(structuredClone(view));
          } catch {
            // An observer's failure is not the import's.
          }
          // Progress goes to Redis at most every 250 ms, and at once when the status changes.
          const now = Date.now();
          if (view.status === lastStatus && now - lastWrite < 250) return;
          lastStatus = view.status;
          lastWrite = now;
          const snapshot = structuredClone(view);
          writes = writes
            .then(() => job.updateProgress(snapshot as unknown as object))
            .catch(() => undefined);
        },
      );
      await writes;
    } finally {
      clearInterval(renew);
      // Should Redis be away, the sweep drops the ended job and the lock expires.
      await this.connection
        .zrem(this.key(schoolId, 'active'), id)
        .catch(() => undefined);
      await this.connection.eval(UNLOCK, 1, lock, id).catch(() => undefined);
      await this.prune(schoolId, id).catch(() => undefined);
    }
    return view;
  }
}

/** Moves an upload into the shared folder (copying across file systems). */
function moveFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // A missing upload fails its job as a bad archive, like the in-process runner.
    if (code === 'ENOENT') return;
    if (code !== 'EXDEV') throw e;
    copyFileSync(from, to);
    rmSync(from, { force: true });
  }
}
