/**
 * The preview transport: bpwc/v1 paths onto the service's /api/v1 with the bearer token.
 */
import { createPreviewMiddleware, mapPath } from '../preview';

type Call = { url: string; init: RequestInit };

function fakeFetch(
	answer: ( url: string ) => { status: number; body: unknown }
) {
	const calls: Call[] = [];
	globalThis.fetch = jest.fn(
		async ( url: RequestInfo | URL, init?: RequestInit ) => {
			calls.push( { url: String( url ), init: init ?? {} } );
			const { status, body } = answer( String( url ) );
			return {
				ok: status >= 200 && status < 300,
				status,
				statusText: '',
				text: async () =>
					body === undefined
						? ''
						: typeof body === 'string'
							? body
							: JSON.stringify( body ),
			} as Response;
		}
	) as typeof fetch;
	return calls;
}

const next = jest.fn( async () => 'next' );

describe( 'preview middleware', () => {
	const middleware = createPreviewMiddleware( {
		root: 'http://127.0.0.1:9000/',
		previewToken: 'demo-token-123456789012345',
	} );

	it( 'maps paths and drops WordPress-only query arguments', () => {
		expect(
			mapPath( 'bpwc/v1/logs?type=order&_locale=user&limit=20' )
		).toEqual( {
			pathname: '/api/v1/logs',
			search: '?type=order&limit=20',
		} );
		expect(
			mapPath( '/bpwc/v1/logs/export?type=order&_locale=user' )
		).toEqual( {
			pathname: '/api/v1/logs/export.csv',
			search: '?type=order',
		} );
		expect( mapPath( 'bpwc/v1/flows/inventory/runs' ) ).toEqual( {
			pathname: '/api/v1/flows/inventory/runs',
			search: '',
		} );
	} );

	it( 'sends the real method with the bearer token, and no nonce', async () => {
		const calls = fakeFetch( () => ( {
			status: 200,
			body: { id: 'inventory' },
		} ) );
		const result = await middleware(
			{
				path: 'bpwc/v1/flows/inventory?_locale=user',
				method: 'PATCH',
				data: { enabled: false },
				headers: { 'X-WP-Nonce': 'n' },
			},
			next
		);
		expect( result ).toEqual( { id: 'inventory' } );
		expect( calls[ 0 ]?.url ).toBe(
			'http://127.0.0.1:9000/api/v1/flows/inventory'
		);
		expect( calls[ 0 ]?.init.method ).toBe( 'PATCH' );
		expect( calls[ 0 ]?.init.body ).toBe( '{"enabled":false}' );
		const headers = calls[ 0 ]?.init.headers as Record< string, string >;
		expect( headers.Authorization ).toBe(
			'Bearer demo-token-123456789012345'
		);
		expect( headers[ 'X-WP-Nonce' ] ).toBeUndefined();
		expect( next ).not.toHaveBeenCalled();
	} );

	it( "throws the service's error body", async () => {
		fakeFetch( () => ( {
			status: 409,
			body: { error: { code: 'flow_busy', message: 'busy' } },
		} ) );
		await expect(
			middleware(
				{ path: 'bpwc/v1/flows/inventory/runs', method: 'POST' },
				next
			)
		).rejects.toEqual( { error: { code: 'flow_busy', message: 'busy' } } );
	} );

	it( 'answers status from /health and /api/v1/flows', async () => {
		const calls = fakeFetch( ( url ) => ( {
			status: 200,
			body: url.endsWith( '/health' )
				? { status: 'ok', version: '0.1.0' }
				: { flows: [] },
		} ) );
		expect(
			await middleware( { path: 'bpwc/v1/status?_locale=user' }, next )
		).toEqual( {
			service: { status: 'ok', version: '0.1.0' },
			reachable: true,
		} );
		expect( calls.map( ( c ) => c.url ) ).toEqual( [
			'http://127.0.0.1:9000/health',
			'http://127.0.0.1:9000/api/v1/flows',
		] );

		globalThis.fetch = jest.fn( async () => {
			throw new TypeError( 'Failed to fetch' );
		} ) as typeof fetch;
		expect(
			await middleware( { path: 'bpwc/v1/status' }, next )
		).toMatchObject( { service: null, reachable: false } );
	} );

	it( 'stubs the connection as read-only', async () => {
		expect(
			await middleware( { path: 'bpwc/v1/connection' }, next )
		).toMatchObject( {
			readOnly: true,
			urlFromConstant: true,
			tokenFromConstant: true,
		} );
		await expect(
			middleware(
				{
					path: 'bpwc/v1/connection',
					method: 'PUT',
					data: { token: 'x' },
				},
				next
			)
		).rejects.toMatchObject( { code: 'bpwc_preview' } );
	} );

	it( 'returns the raw response for the CSV export', async () => {
		const calls = fakeFetch( () => ( {
			status: 200,
			body: 'id,type\r\n',
		} ) );
		const response = ( await middleware(
			{ path: 'bpwc/v1/logs/export?type=inventory', parse: false },
			next
		) ) as Response;
		expect( await response.text() ).toBe( 'id,type\r\n' );
		expect( calls[ 0 ]?.url ).toBe(
			'http://127.0.0.1:9000/api/v1/logs/export.csv?type=inventory'
		);
	} );

	it( 'lets other requests through', async () => {
		expect(
			await middleware( { url: 'https://example.org/other' }, next )
		).toBe( 'next' );
	} );
} );
