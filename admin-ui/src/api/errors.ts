/**
 * One error shape for everything a request can fail with:
 * - WordPress REST errors: `{ code, message, data: { status } }` (e.g. 503 bpwc_service_unreachable);
 * - the sync service's errors, passed through by the proxy: `{ error: { code, message } }`;
 * - apiFetch's own: `{ code: 'fetch_error' | 'invalid_json' | 'offline_error', message }`;
 * - thrown Error objects and anything else.
 */
import { __ } from '@wordpress/i18n';

export interface ApiError {
	code: string;
	message: string;
	/** HTTP status when known. */
	status?: number;
	/** The service cannot be reached (the page keeps working and says so at the top). */
	unreachable: boolean;
	/** `body.nominalCodes.sales` → message, parsed from a 400's message ("body.x: must be …; body.y: …"). */
	fields: Record< string, string >;
}

const UNREACHABLE_CODES = new Set( [
	'bpwc_service_unreachable',
	'fetch_error',
	'offline_error',
] );

type Loose = Record< string, unknown >;
const isObject = ( value: unknown ): value is Loose =>
	typeof value === 'object' && value !== null;
const str = ( value: unknown ): string | undefined =>
	typeof value === 'string' && value.trim() ? value : undefined;
const num = ( value: unknown ): number | undefined =>
	typeof value === 'number' && Number.isFinite( value ) ? value : undefined;

/** `body.a.b: must be …; query.c: …` → { 'a.b': 'must be …', c: '…' }. */
export function parseFieldErrors( message: string ): Record< string, string > {
	const fields: Record< string, string > = {};
	for ( const part of message.split( /;\s+/ ) ) {
		const match = /^(?:body|query|params)\.([\w.\-]+):\s*(.+)$/.exec(
			part.trim()
		);
		if ( match && match[ 1 ] && match[ 2 ] ) {
			fields[ match[ 1 ] ] = match[ 2 ];
		}
	}
	return fields;
}

export function normalizeError( error: unknown ): ApiError {
	if ( isApiError( error ) ) {
		return error;
	}
	let code = 'unknown_error';
	let message: string | undefined;
	let status: number | undefined;

	if ( error instanceof Error ) {
		message = str( error.message );
		code = error.name === 'AbortError' ? 'aborted' : 'unknown_error';
	} else if ( typeof error === 'string' ) {
		message = str( error );
	} else if ( isObject( error ) ) {
		const data = isObject( error.data ) ? error.data : undefined;
		// The service's envelope, directly or nested by the proxy in `data`.
		const nested = isObject( error.error )
			? error.error
			: isObject( data?.error )
				? ( data?.error as Loose )
				: undefined;
		status =
			num( data?.status ) ??
			num( error.status ) ??
			num( error.statusCode );
		if ( nested ) {
			code = str( nested.code ) ?? str( error.code ) ?? code;
			message = str( nested.message ) ?? str( error.message );
		} else {
			code = str( error.code ) ?? code;
			message = str( error.message );
		}
	}

	const unreachable =
		UNREACHABLE_CODES.has( code ) ||
		( status === 503 && code.startsWith( 'bpwc_' ) );
	if ( ! message ) {
		message = unreachable
			? __( 'The sync service cannot be reached.', 'brightpearl-sync' )
			: __(
					'Something went wrong. Please try again.',
					'brightpearl-sync'
				);
	}
	return {
		code,
		message,
		status,
		unreachable,
		fields:
			status === 400 || code === 'invalid_request'
				? parseFieldErrors( message )
				: {},
	};
}

export function isApiError( value: unknown ): value is ApiError {
	return (
		isObject( value ) &&
		typeof value.code === 'string' &&
		typeof value.message === 'string' &&
		typeof value.unreachable === 'boolean' &&
		isObject( value.fields )
	);
}
