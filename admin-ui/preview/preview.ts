/**
 * Demo preview bootstrap (plugin/build/preview.js): lets the admin page run outside WordPress,
 * talking to the demo sync service directly. Loaded before index.js by preview.html.
 *
 * - `window.bpwcAdmin` as the plugin would print it, with `previewToken`;
 * - `window.bpwcAdminApiMiddleware`, an apiFetch middleware that index.js installs instead of the
 *   nonce and REST-root middlewares. It is the whole transport: it maps `bpwc/v1/<x>` onto the
 *   service's `/api/v1/<x>`, adds `Authorization: Bearer <previewToken>` and fetches itself, so
 *   apiFetch's WordPress-only defaults (`_locale=user`, PUT/PATCH sent as POST with
 *   X-HTTP-Method-Override) never reach the service. Exceptions: `status` → GET /health plus
 *   GET /api/v1/flows; `logs/export` → /api/v1/logs/export.csv; `connection` → a read-only stub.
 *
 * No imports on purpose: this file is tiny and shares no module with index.js.
 */

interface PreviewConfig {
	/** Origin of the service; '' = the origin this page came from. */
	root?: string;
	previewToken?: string;
}

interface FetchOptions {
	path?: string;
	url?: string;
	method?: string;
	data?: unknown;
	body?: BodyInit | null;
	headers?: Record< string, string >;
	parse?: boolean;
	signal?: AbortSignal;
}

type Next = ( options: FetchOptions ) => Promise< unknown >;

const NAMESPACE = /^\/?bpwc\/v1\/?/;

/** Where a `bpwc/v1/...` path goes on the service: [ pathname, search ]. */
export function mapPath( path: string ): { pathname: string; search: string } {
	const [ rawPath = '', search = '' ] = path.split( '?', 2 );
	const endpoint = rawPath.replace( NAMESPACE, '' ).replace( /^\//, '' );
	// apiFetch's WordPress-only query argument; the service rejects unknown query keys.
	const params = new URLSearchParams( search );
	params.delete( '_locale' );
	params.delete( '_wpnonce' );
	const query = params.toString();
	const pathname =
		endpoint === 'logs/export'
			? '/api/v1/logs/export.csv'
			: `/api/v1/${ endpoint }`;
	return { pathname, search: query ? `?${ query }` : '' };
}

export function endpointOf( path: string ): string {
	return ( path.split( '?', 1 )[ 0 ] ?? '' )
		.replace( NAMESPACE, '' )
		.replace( /^\/|\/$/g, '' );
}

async function parseBody( response: Response ): Promise< unknown > {
	const text = await response.text();
	if ( text === '' ) {
		return null;
	}
	try {
		return JSON.parse( text );
	} catch {
		throw {
			code: 'invalid_json',
			message: 'The response is not a valid JSON response.',
		};
	}
}

export function createPreviewMiddleware( config: PreviewConfig ) {
	const origin = ( config.root ?? '' ).replace( /\/+$/, '' );
	const token = config.previewToken ?? '';

	async function send(
		pathname: string,
		search: string,
		options: FetchOptions
	): Promise< unknown > {
		const headers: Record< string, string > = {
			Accept: 'application/json, */*;q=0.1',
			...( options.headers ?? {} ),
		};
		delete headers[ 'X-WP-Nonce' ];
		delete headers[ 'X-HTTP-Method-Override' ];
		if ( token ) {
			headers.Authorization = `Bearer ${ token }`;
		}
		let body = options.body ?? undefined;
		if ( options.data !== undefined ) {
			body = JSON.stringify( options.data );
			headers[ 'Content-Type' ] = 'application/json';
		}
		let response: Response;
		try {
			response = await fetch( `${ origin }${ pathname }${ search }`, {
				method: ( options.method ?? 'GET' ).toUpperCase(),
				headers,
				body,
				signal: options.signal,
				credentials: 'same-origin',
			} );
		} catch ( error ) {
			if (
				error &&
				( error as { name?: string } ).name === 'AbortError'
			) {
				throw error;
			}
			throw {
				code: 'fetch_error',
				message: 'Could not reach the sync service.',
			};
		}
		if ( options.parse === false ) {
			if ( ! response.ok ) {
				throw response;
			}
			return response;
		}
		const parsed = await parseBody( response );
		if ( ! response.ok ) {
			throw (
				parsed ?? {
					code: `http_${ response.status }`,
					message: response.statusText || `HTTP ${ response.status }`,
				}
			);
		}
		return parsed;
	}

	async function status( options: FetchOptions ): Promise< unknown > {
		let health: unknown;
		try {
			health = await send( '/health', '', {
				...options,
				method: 'GET',
				data: undefined,
			} );
		} catch ( error ) {
			const message =
				( error as { message?: string; error?: { message?: string } } )
					?.error?.message ??
				( error as { message?: string } )?.message;
			return {
				service: null,
				reachable: false,
				message: message ?? 'The sync service cannot be reached.',
			};
		}
		try {
			// Proves the token too, as the plugin's status check does.
			await send( '/api/v1/flows', '', {
				...options,
				method: 'GET',
				data: undefined,
			} );
		} catch ( error ) {
			const message =
				( error as { error?: { message?: string } } )?.error?.message ??
				'The service rejected the API token.';
			return { service: health, reachable: true, message };
		}
		return { service: health, reachable: true };
	}

	return ( options: FetchOptions, next: Next ): Promise< unknown > => {
		const path = options.path;
		if ( typeof path !== 'string' || ! NAMESPACE.test( path ) ) {
			return next( options );
		}
		const endpoint = endpointOf( path );
		const method = ( options.method ?? 'GET' ).toUpperCase();
		if ( endpoint === 'status' ) {
			return status( options );
		}
		if ( endpoint === 'connection' ) {
			if ( method !== 'GET' ) {
				return Promise.reject( {
					code: 'bpwc_preview',
					message: 'Preview mode: the connection is read-only.',
					data: { status: 403 },
				} );
			}
			return Promise.resolve( {
				serviceUrl: origin || window.location.origin,
				hasToken: true,
				urlFromConstant: true,
				tokenFromConstant: true,
				readOnly: true,
				message:
					'Preview mode: the page talks to the demo service with its demo token. In WordPress you enter the service URL and token here.',
			} );
		}
		const { pathname, search } = mapPath( path );
		return send( pathname, search, options );
	};
}

function start() {
	const config = window.bpwcPreviewConfig;
	if ( ! config || typeof config !== 'object' ) {
		document.addEventListener( 'DOMContentLoaded', () => {
			const root = document.getElementById( 'bpwc-admin-root' );
			if ( root ) {
				root.textContent =
					'This preview needs the demo sync service: run `npm start` and open the /preview/ address it prints.';
			}
		} );
		return;
	}
	const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
	window.bpwcAdmin = {
		restNamespace: 'bpwc/v1',
		nonce: '',
		root: config.root ?? '',
		siteTimezone: timezone,
		dateFormat: 'F j, Y',
		timeFormat: 'g:i a',
		serviceConfigured: true,
		serviceUrlFromConstant: true,
		tokenFromConstant: true,
		previewToken: config.previewToken ?? '',
		preview: true,
	};
	window.bpwcAdminApiMiddleware = createPreviewMiddleware(
		config
	) as unknown as NonNullable< Window[ 'bpwcAdminApiMiddleware' ] >;
}

if ( typeof window !== 'undefined' ) {
	start();
}
