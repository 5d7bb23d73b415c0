import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (USER_HZ: 100 on every Linux this runs on). */
const HZ = 100;

/** CPU seconds (user + system) a process has used, or undefined when it is gone. */
function processSeconds(pid: number | 'self'): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: fields are counted after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / HZ;
  } catch {
    return undefined;
  }
}

/**
 * The PostgreSQL processes that work for this run: its own backends (their process title names the database)
 * and the server's shared background processes (WAL writer, checkpointer, …). Other databases' backends —
 * other engineers' tests on the same server — are left out; they show up as "other".
 */
function postgresPids(database: string | undefined): number[] {
  if (!database) return [];
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      // A backend's title is "postgres: 15/main: <user> <database> <client> <state>".
      const backend = /^postgres: [^:]+: (\S+) (\S+) (\S+\(\d+\)|\[local\])/.exec(title);
      if (!backend || backend[2] === database) pids.push(Number(entry));
    } catch {}
  }
  return pids;
}

/** Busy CPU seconds of the whole machine, from /proc/stat (everything but idle and iowait). */
function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return (total - (v[3] ?? 0) - (v[4] ?? 0)) / HZ;
}

type Snapshot = {
  at: number;
  steward: number;
  database: Map<number, number>;
  loadgen: number;
  machine: number;
};

export type CpuSplit = {
  wallSeconds: number;
  /** CPU seconds in each part during the measurement. */
  steward: number;
  database: number;
  loadGenerator: number;
  /** Everything else on the machine (other engineers' work, the kernel's idle housekeeping). */
  other: number;
};

export function cpuMeter(stewardPid: number, database: string | undefined) {
  const snap = (): Snapshot => {
    const db = new Map<number, number>();
    for (const pid of postgresPids(database)) {
      const s = processSeconds(pid);
      if (s !== undefined) db.set(pid, s);
    }
    return {
      at: performance.now(),
      steward: processSeconds(stewardPid) ?? 0,
      database: db,
      loadgen: processSeconds('self') ?? 0,
      machine: machineBusySeconds(),
    };
  };
  return {
    start(): () => CpuSplit {
      const before = snap();
      return () => {
        const after = snap();
        let database = 0;
        // A backend started during the measurement counts from zero; one that ended is lost (rare: pools keep them).
        for (const [pid, s] of after.database) database += s - (before.database.get(pid) ?? 0);
        const steward = after.steward - before.steward;
        const loadGenerator = after.loadgen - before.loadgen;
        const busy = after.machine - before.machine;
        return {
          wallSeconds: (after.at - before.at) / 1000,
          steward,
          database,
          loadGenerator,
          other: Math.max(0, busy - steward - database - loadGenerator),
        };
      };
    },
  };
}
