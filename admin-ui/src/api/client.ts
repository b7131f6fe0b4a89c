/**
 * The page's only door to the network: @wordpress/api-fetch with the WordPress nonce and REST
 * root middlewares (or, in the demo preview, the preview transport), and paths under bpwc/v1.
 */
import apiFetch, { type APIFetchOptions } from '@wordpress/api-fetch';
import { addQueryArgs } from '@wordpress/url';
import { getConfig, type AdminConfig } from '../config';
import { normalizeError } from './errors';

let installed = false;

/** Installs the middlewares once, from `window.bpwcAdmin` (and the preview's transport, if any). */
export function setupApiFetch( config: AdminConfig = getConfig() ): void {
	if ( installed ) {
		return;
	}
	installed = true;
	if ( typeof window !== 'undefined' && window.bpwcAdminApiMiddleware ) {
		// Demo preview: the service directly, with its bearer token and no nonce.
		apiFetch.use( window.bpwcAdminApiMiddleware );
		return;
	}
	apiFetch.use( apiFetch.createNonceMiddleware( config.nonce ) );
	apiFetch.use( apiFetch.createRootURLMiddleware( config.root ) );
}

export type Query = Record< string, string | number | null | undefined >;

/** `bpwc/v1/<endpoint>?<query>` with empty values left out. */
export function path( endpoint: string, query: Query = {} ): string {
	const ns = getConfig().restNamespace.replace( /^\/|\/$/g, '' );
	const args: Record< string, string | number > = {};
	for ( const [ key, value ] of Object.entries( query ) ) {
		if ( value !== undefined && value !== null && value !== '' ) {
			args[ key ] = value;
		}
	}
	return addQueryArgs( `${ ns }/${ endpoint.replace( /^\//, '' ) }`, args );
}

/** apiFetch with every failure normalised to an ApiError. */
export async function request< T >( options: APIFetchOptions ): Promise< T > {
	try {
		return await apiFetch< T >( options as APIFetchOptions< true > );
	} catch ( error ) {
		throw normalizeError( error );
	}
}

/**
 * URL of the CSV export for WordPress: the REST route with the nonce as `_wpnonce`, so a plain
 * link (`<a download>`) can fetch it with the admin's cookies.
 */
export function exportUrl( query: Query ): string {
	const config = getConfig();
	const url = config.root + path( 'logs/export' );
	return addQueryArgs( url, {
		...Object.fromEntries(
			Object.entries( query ).filter(
				( [ , v ] ) => v !== undefined && v !== null && v !== ''
			)
		),
		_wpnonce: config.nonce,
	} );
}

/** Preview: the export needs the bearer token, so fetch it and save the blob. */
export async function downloadExport(
	query: Query,
	filename: string
): Promise< void > {
	let response: Response;
	try {
		response = await apiFetch< Response, false >( {
			path: path( 'logs/export', query ),
			parse: false,
		} );
	} catch ( error ) {
		if ( error instanceof Response ) {
			let body: unknown = null;
			try {
				body = await error.json();
			} catch {
				body = {
					code: 'http_' + error.status,
					message: error.statusText,
				};
			}
			throw normalizeError( body );
		}
		throw normalizeError( error );
	}
	const blob = await response.blob();
	const href = URL.createObjectURL( blob );
	const link = document.createElement( 'a' );
	link.href = href;
	link.download = filename;
	document.body.appendChild( link );
	link.click();
	link.remove();
	setTimeout( () => URL.revokeObjectURL( href ), 10_000 );
}
