import { exportUrl, path } from '../client';

describe( 'path', () => {
	it( 'builds bpwc/v1 paths and leaves empty filters out', () => {
		expect(
			path( 'logs', {
				type: 'inventory',
				status: '',
				search: undefined,
				limit: 20,
				cursor: null,
			} )
		).toBe( 'bpwc/v1/logs?type=inventory&limit=20' );
		expect( path( '/flows/order/runs' ) ).toBe(
			'bpwc/v1/flows/order/runs'
		);
	} );
} );

describe( 'exportUrl', () => {
	it( 'is the REST route with the filters and the nonce as _wpnonce', () => {
		expect(
			exportUrl( { type: 'order', status: 'failed', search: '' } )
		).toBe(
			'https://shop.example/wp-json/bpwc/v1/logs/export?type=order&status=failed&_wpnonce=n0nce'
		);
	} );

	it( 'works with plain permalinks (?rest_route=)', () => {
		window.bpwcAdmin = {
			...window.bpwcAdmin,
			root: 'https://shop.example/index.php?rest_route=/',
		};
		const url = new URL( exportUrl( { type: 'inventory' } ) );
		expect( url.searchParams.get( 'rest_route' ) ).toBe(
			'/bpwc/v1/logs/export'
		);
		expect( url.searchParams.get( 'type' ) ).toBe( 'inventory' );
		expect( url.searchParams.get( '_wpnonce' ) ).toBe( 'n0nce' );
	} );
} );
