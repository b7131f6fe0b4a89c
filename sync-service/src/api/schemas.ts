/** Request schemas of the HTTP API: the one source of validation for its routes. */
import { z } from 'zod';
import { cronExpression } from '../config/schema';
import { SYNC_STATUSES, SYNC_TYPES } from '../domain/constants';

export const syncType = z.enum(SYNC_TYPES, { message: `must be one of ${SYNC_TYPES.join(', ')}` });
export const syncStatus = z.enum(SYNC_STATUSES, { message: `must be one of ${SYNC_STATUSES.join(', ')}` });

const positiveId = z.coerce.number({ message: 'must be a number' }).int('must be a whole number').positive('must be positive').max(Number.MAX_SAFE_INTEGER);

/** Rejects days that Date.parse would roll over, such as 2026-02-30. */
function isRealDay(day: string): boolean {
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

/** ISO 8601 date or date-time; a bare date means the start (from) or end (to) of that UTC day. */
const isoInstant = (edge: 'start' | 'end') =>
  z
    .string()
    .trim()
    .refine((s) => /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && !Number.isNaN(Date.parse(s)) && isRealDay(s.slice(0, 10)), {
      message: 'must be an ISO 8601 date or date-time, e.g. 2026-01-31 or 2026-01-31T09:00:00Z',
    })
    .transform((s) => {
      if (s.length === 10) return `${s}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`;
      // A date-time without a zone is taken as UTC, as every date in this API is.
      const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(s) ? s : `${s}Z`;
      return new Date(zoned).toISOString();
    });

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);

export const FlowParams = z.object({ id: syncType }).strict();
export const RunParams = z.object({ id: positiveId }).strict();
export const LogParams = z.object({ id: positiveId }).strict();

export const FlowPatchBody = z
  .object({ enabled: z.boolean({ message: 'must be true or false' }).optional(), schedule: cronExpression.optional() })
  .strict()
  .refine((b) => b.enabled !== undefined || b.schedule !== undefined, { message: 'send enabled and/or schedule' });

export const RunStartBody = z
  .object({
    entityIds: z.array(z.string().trim().min(1).max(64)).min(1).max(1000).optional(),
    /** Re-read everything changed since this instant (a resync), instead of from the flow's watermark. */
    since: isoInstant('start').optional(),
  })
  .strict()
  .optional();

export const SystemParams = z.object({ system: z.enum(['brightpearl', 'woocommerce'], { message: 'must be brightpearl or woocommerce' }) }).strict();

export const HourlyQuery = z
  .object({
    type: syncType,
    hours: z.preprocess(emptyToUndefined, z.coerce.number({ message: 'must be a number' }).int().min(1).max(168).default(24)),
  })
  .strict();

export const PruneBody = z
  .object({ olderThanDays: z.number({ message: 'must be a number of days' }).int('must be a whole number of days').min(1, 'must be at least 1 day').max(3650) })
  .strict();

const logFilters = {
  type: syncType,
  status: z.preprocess(emptyToUndefined, syncStatus.optional()),
  search: z.preprocess(emptyToUndefined, z.string().trim().min(1).max(200).optional()),
  from: z.preprocess(emptyToUndefined, isoInstant('start').optional()),
  to: z.preprocess(emptyToUndefined, isoInstant('end').optional()),
};
const fromBeforeTo = (q: { from?: string; to?: string }) => !q.from || !q.to || q.from <= q.to;

export const LogsQuery = z
  .object({
    ...logFilters,
    limit: z.preprocess(emptyToUndefined, z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1).max(500).default(50)),
    cursor: z.preprocess(emptyToUndefined, z.string().max(200).optional()),
  })
  .strict()
  .refine(fromBeforeTo, { message: 'from must not be after to', path: ['from'] });

export const LogsExportQuery = z.object(logFilters).strict().refine(fromBeforeTo, { message: 'from must not be after to', path: ['from'] });

export const RetryBody = z.union(
  [
    z.object({ ids: z.array(z.number().int().positive()).min(1, 'must list at least one id').max(1000, 'at most 1000 ids at once') }).strict(),
    z.object({ type: syncType, status: z.literal('failed', { message: 'only "failed" items can be retried in bulk' }) }).strict(),
  ],
  { message: 'send {"ids":[...]} or {"type":"...","status":"failed"}' },
);
