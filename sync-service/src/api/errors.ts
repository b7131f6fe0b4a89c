import type { z } from 'zod';

/** An error the API answers as `{"error":{"code","message"}}` with its status. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Validates with zod; a failure is a 400 naming each bad field (`query.limit: ...`). */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where: 'query' | 'body' | 'params'): z.infer<S> {
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const message = result.error.issues
    .slice(0, 5)
    .map((i) => {
      const path = i.path.length ? `${where}.${i.path.map(String).join('.')}` : where;
      if (i.code === 'unrecognized_keys') return `${where}: unknown field(s) ${i.keys.join(', ')}`;
      return `${path}: ${i.message}`;
    })
    .join('; ');
  throw new ApiError(400, 'invalid_request', message);
}
