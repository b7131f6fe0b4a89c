/**
 * A fake REST API at apiFetch's fetch boundary (apiFetch.setFetchHandler): routes get the method,
 * the endpoint under bpwc/v1, the query and the JSON body; every call is recorded.
 */
import apiFetch from '@wordpress/api-fetch';

export interface FakeRequest {
	method: string;
	endpoint: string;
	query: Record< string, string >;
	data: unknown;
}

export type Route = ( request: FakeRequest ) => unknown;

export interface FakeApi {
	calls: FakeRequest[];
	callsTo: ( method: string, endpoint: string ) => FakeRequest[];
	/** Replace or add a route while a test runs. */
	route: ( key: string, handler: Route ) => void;
}

/** Thrown by a route: what apiFetch throws for an error response (its parsed JSON body). */
export class HttpError {
	constructor( readonly body: unknown ) {}
}

/** routes: { 'GET flows': () => …, 'PATCH flows/inventory': ( req ) => … }; a route may throw HttpError. */
export function fakeApi( routes: Record< string, Route > ): FakeApi {
	const table = new Map( Object.entries( routes ) );
	const calls: FakeRequest[] = [];
	apiFetch.setFetchHandler( async ( options ) => {
		const headers = ( options.headers ?? {} ) as Record< string, string >;
		const method = (
			headers[ 'X-HTTP-Method-Override' ] ??
			options.method ??
			'GET'
		).toUpperCase();
		const [ pathPart = '', search = '' ] = String(
			options.path ?? options.url ?? ''
		).split( '?' );
		const endpoint = pathPart.replace( /^\/?bpwc\/v1\//, '' );
		const query = Object.fromEntries( new URLSearchParams( search ) );
		delete query._locale;
		const request: FakeRequest = {
			method,
			endpoint,
			query,
			data: options.data,
		};
		calls.push( request );
		const handler = table.get( `${ method } ${ endpoint }` );
		if ( ! handler ) {
			throw {
				code: 'rest_no_route',
				message: `No route ${ method } ${ endpoint }`,
				data: { status: 404 },
			};
		}
		try {
			return await handler( request );
		} catch ( error ) {
			if ( error instanceof HttpError ) {
				throw error.body;
			}
			throw error;
		}
	} );
	return {
		calls,
		callsTo: ( method, endpoint ) =>
			calls.filter(
				( c ) => c.method === method && c.endpoint === endpoint
			),
		route: ( key, handler ) => {
			table.set( key, handler );
		},
	};
}
