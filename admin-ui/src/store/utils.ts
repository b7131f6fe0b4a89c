import type { Flow, LogQuery } from './types';

/** Stable cache key of a log query: same filters and cursor, same key, whatever the key order. */
export function logQueryKey( query: LogQuery ): string {
	const { type, status, search, from, to, limit, cursor } = query;
	return JSON.stringify( [
		type,
		status ?? '',
		search ?? '',
		from ?? '',
		to ?? '',
		limit,
		cursor ?? '',
	] );
}

/** GET flows answers `{ flows: [...] }` (the service) or a bare list; accept both. */
export function flowList( body: unknown ): Flow[] {
	if ( Array.isArray( body ) ) {
		return body as Flow[];
	}
	if (
		body &&
		typeof body === 'object' &&
		Array.isArray( ( body as { flows?: unknown } ).flows )
	) {
		return ( body as { flows: Flow[] } ).flows;
	}
	return [];
}

export function isFlow( body: unknown ): body is Flow {
	return (
		!! body &&
		typeof body === 'object' &&
		typeof ( body as Flow ).id === 'string' &&
		typeof ( body as Flow ).schedule === 'string'
	);
}

export const delay = ( ms: number ) =>
	new Promise< void >( ( resolve ) => setTimeout( resolve, ms ) );
