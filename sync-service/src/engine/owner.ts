import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** Identifies the process holding a flow lock: host, pid and a per-engine nonce. */
export function makeOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * True only when we can prove the owner is gone: same host, another pid, and no such process.
 * Anything else (another host, this very process) waits for the lock to expire.
 */
export function isOwnerDead(owner: string): boolean {
  const [host, pidText] = owner.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
