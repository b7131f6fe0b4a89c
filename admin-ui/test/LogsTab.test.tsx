import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import LogsTab from '../src/components/logs/LogsTab';
import type { LogItem } from '../src/store/types';
import { fakeApi, type FakeRequest } from './helpers/api';
import { flow, logItem } from './helpers/fixtures';
import { renderWithRegistry } from './helpers/render';

/** 45 inventory items, 3 of them failed; keyset pages of `limit` with cursors "c<offset>". */
function inventory(): LogItem[] {
	return Array.from( { length: 45 }, ( _, i ) =>
		logItem(
			i + 1,
			[ 3, 8, 30 ].includes( i + 1 )
				? {
						status: 'failed',
						error: `SKU-${ i + 1 } is not in WooCommerce`,
						attempts: 2,
					}
				: {}
		)
	);
}

function page( items: LogItem[], req: FakeRequest ) {
	let rows = items.filter(
		( i ) => i.type === ( req.query.type ?? 'inventory' )
	);
	if ( req.query.status ) {
		rows = rows.filter( ( i ) => i.status === req.query.status );
	}
	if ( req.query.search ) {
		rows = rows.filter( ( i ) =>
			i.info.includes( req.query.search as string )
		);
	}
	const limit = Number( req.query.limit );
	const offset = req.query.cursor ? Number( req.query.cursor.slice( 1 ) ) : 0;
	const slice = rows.slice( offset, offset + limit );
	return {
		items: slice,
		nextCursor:
			offset + limit < rows.length ? `c${ offset + limit }` : null,
		total: rows.length,
	};
}

function rowOf( text: string ) {
	return screen.getByText( text ).closest( 'tr' ) as HTMLElement;
}

describe( 'Sync Logs tab', () => {
	it( 'lists the inventory log with badges and site-time dates, and switches the Log Type', async () => {
		const user = userEvent.setup();
		const items = inventory();
		const api = fakeApi( {
			'GET flows': () => ( { flows: [ flow() ] } ),
			'GET logs': ( req ) => page( items, req ),
		} );
		renderWithRegistry( <LogsTab /> );

		expect( await screen.findByText( 'Product 1' ) ).toBeInTheDocument();
		expect( api.callsTo( 'GET', 'logs' )[ 0 ]?.query ).toEqual( {
			type: 'inventory',
			limit: '20',
		} );
		expect( screen.getByText( '45 items' ) ).toBeInTheDocument();
		const failed = rowOf( 'Product 3' );
		// Status as text (with a screen-reader prefix), not colour alone.
		expect(
			within( failed ).getByText( 'Failed', { exact: false } )
		).toHaveTextContent( 'Sync status: Failed' );
		expect(
			within( failed ).getByText( 'SKU-3 is not in WooCommerce' )
		).toBeInTheDocument();
		expect(
			within( rowOf( 'Product 1' ) ).getAllByText( '2026-01-05 10:00' )
				.length
		).toBe( 1 );
		expect(
			within( rowOf( 'Product 1' ) ).getByText( '2026-01-05 09:00' )
		).toBeInTheDocument();

		await user.selectOptions(
			screen.getByLabelText( 'Log Type' ),
			'order'
		);
		expect(
			await screen.findByText(
				'No orders yet. Run the Orders flow or wait for its schedule.'
			)
		).toBeInTheDocument();
		expect( api.callsTo( 'GET', 'logs' ).at( -1 )?.query ).toEqual( {
			type: 'order',
			limit: '20',
		} );
	} );

	it( 'filters Failed, retries one row and retries all failed', async () => {
		const user = userEvent.setup();
		const items = inventory();
		const api = fakeApi( {
			'GET flows': () => ( { flows: [ flow() ] } ),
			'GET logs': ( req ) => page( items, req ),
			'POST logs/retry': ( req ) => {
				const body = req.data as { ids?: number[] };
				return {
					queued: body.ids ? body.ids.length : 3,
					runs: [ { type: 'inventory', runId: null, queued: false } ],
				};
			},
		} );
		renderWithRegistry( <LogsTab /> );
		await screen.findByText( 'Product 1' );

		await user.selectOptions(
			screen.getByLabelText( 'Sync Status' ),
			'failed'
		);
		await waitFor( () =>
			expect( screen.queryByText( 'Product 1' ) ).not.toBeInTheDocument()
		);
		expect( screen.getByText( 'Product 3' ) ).toBeInTheDocument();
		expect( screen.getByText( 'Product 30' ) ).toBeInTheDocument();
		expect( screen.getByText( '3 items' ) ).toBeInTheDocument();
		expect( api.callsTo( 'GET', 'logs' ).at( -1 )?.query ).toEqual( {
			type: 'inventory',
			status: 'failed',
			limit: '20',
		} );

		const before = api.callsTo( 'GET', 'logs' ).length;
		await user.click(
			within( rowOf( 'Product 8' ) ).getByRole( 'button', {
				name: 'Retry',
			} )
		);
		await waitFor( () =>
			expect( api.callsTo( 'POST', 'logs/retry' ) ).toHaveLength( 1 )
		);
		expect( api.callsTo( 'POST', 'logs/retry' )[ 0 ]?.data ).toEqual( {
			ids: [ 8 ],
		} );
		// The page is fetched again after the retry.
		await waitFor( () =>
			expect( api.callsTo( 'GET', 'logs' ).length ).toBeGreaterThan(
				before
			)
		);

		await user.click(
			screen.getByRole( 'button', { name: 'Retry all failed' } )
		);
		await waitFor( () =>
			expect( api.callsTo( 'POST', 'logs/retry' ) ).toHaveLength( 2 )
		);
		expect( api.callsTo( 'POST', 'logs/retry' )[ 1 ]?.data ).toEqual( {
			type: 'inventory',
			status: 'failed',
		} );
	} );

	it( 'offers Retry only on failed rows', async () => {
		const items = inventory();
		fakeApi( {
			'GET flows': () => ( { flows: [ flow() ] } ),
			'GET logs': ( req ) => page( items, req ),
		} );
		renderWithRegistry( <LogsTab /> );
		await screen.findByText( 'Product 1' );
		expect(
			within( rowOf( 'Product 1' ) ).queryByRole( 'button', {
				name: 'Retry',
			} )
		).not.toBeInTheDocument();
		expect(
			within( rowOf( 'Product 3' ) ).getByRole( 'button', {
				name: 'Retry',
			} )
		).toBeInTheDocument();
	} );

	it( 'pages with cursors: Next sends the next cursor, Previous goes back', async () => {
		const user = userEvent.setup();
		const items = inventory();
		const api = fakeApi( {
			'GET flows': () => ( { flows: [ flow() ] } ),
			'GET logs': ( req ) => page( items, req ),
		} );
		renderWithRegistry( <LogsTab /> );
		await screen.findByText( 'Product 1' );
		expect( screen.getByText( 'Page 1 of 3' ) ).toBeInTheDocument();
		expect(
			screen.getByRole( 'button', { name: 'Previous' } )
		).toHaveAttribute( 'aria-disabled', 'true' );

		await user.click( screen.getByRole( 'button', { name: 'Next' } ) );
		expect( await screen.findByText( 'Product 21' ) ).toBeInTheDocument();
		expect( screen.getByText( 'Page 2 of 3' ) ).toBeInTheDocument();
		expect( api.callsTo( 'GET', 'logs' ).at( -1 )?.query ).toEqual( {
			type: 'inventory',
			limit: '20',
			cursor: 'c20',
		} );

		await user.click( screen.getByRole( 'button', { name: 'Next' } ) );
		expect( await screen.findByText( 'Product 45' ) ).toBeInTheDocument();
		expect( screen.getByText( 'Page 3 of 3' ) ).toBeInTheDocument();
		expect(
			screen.getByRole( 'button', { name: 'Next' } )
		).toHaveAttribute( 'aria-disabled', 'true' );

		await user.click( screen.getByRole( 'button', { name: 'Previous' } ) );
		expect( await screen.findByText( 'Product 21' ) ).toBeInTheDocument();
		await user.click( screen.getByRole( 'button', { name: 'Previous' } ) );
		expect( await screen.findByText( 'Product 1' ) ).toBeInTheDocument();
		expect( screen.getByText( 'Page 1 of 3' ) ).toBeInTheDocument();

		// A new filter starts again from the first page.
		await user.click( screen.getByRole( 'button', { name: 'Next' } ) );
		await screen.findByText( 'Page 2 of 3' );
		await user.selectOptions(
			screen.getByLabelText( 'Sync Status' ),
			'failed'
		);
		expect( await screen.findByText( 'Page 1 of 1' ) ).toBeInTheDocument();
		expect( api.callsTo( 'GET', 'logs' ).at( -1 )?.query ).toEqual( {
			type: 'inventory',
			status: 'failed',
			limit: '20',
		} );
	} );

	it( "searches and filters by date range in the site's timezone, and exports that filter as CSV", async () => {
		const user = userEvent.setup();
		const items = inventory();
		const api = fakeApi( {
			'GET flows': () => ( { flows: [ flow() ] } ),
			'GET logs': ( req ) => page( items, req ),
		} );
		window.bpwcAdmin = {
			...window.bpwcAdmin,
			siteTimezone: 'Europe/Berlin',
		};
		renderWithRegistry( <LogsTab /> );
		await screen.findByText( 'Product 1' );

		await user.type( screen.getByRole( 'searchbox' ), 'Product 4' );
		await waitFor( () =>
			expect( api.callsTo( 'GET', 'logs' ).at( -1 )?.query.search ).toBe(
				'Product 4'
			)
		);
		expect( await screen.findByText( 'Product 45' ) ).toBeInTheDocument();

		await user.type(
			screen.getByLabelText( 'Updated from' ),
			'2026-01-05'
		);
		await waitFor( () =>
			expect( api.callsTo( 'GET', 'logs' ).at( -1 )?.query.from ).toBe(
				'2026-01-04T23:00:00.000Z'
			)
		);
		await user.type( screen.getByLabelText( 'Updated to' ), '2026-07-01' );
		// Berlin is UTC+2 in summer.
		await waitFor( () =>
			expect( api.callsTo( 'GET', 'logs' ).at( -1 )?.query.to ).toBe(
				'2026-07-01T21:59:59.999Z'
			)
		);

		const link = screen.getByRole( 'link', { name: 'Export CSV' } );
		const url = new URL( link.getAttribute( 'href' ) as string );
		expect( url.origin + url.pathname ).toBe(
			'https://shop.example/wp-json/bpwc/v1/logs/export'
		);
		expect( Object.fromEntries( url.searchParams ) ).toEqual( {
			type: 'inventory',
			search: 'Product 4',
			from: '2026-01-04T23:00:00.000Z',
			to: '2026-07-01T21:59:59.999Z',
			_wpnonce: 'n0nce',
		} );
	} );

	it( 'opens the details of a row in a modal with the error and attempt history', async () => {
		const user = userEvent.setup();
		const items = inventory();
		fakeApi( {
			'GET flows': () => ( { flows: [ flow() ] } ),
			'GET logs': ( req ) => page( items, req ),
			'GET logs/3': () => ( {
				...items[ 2 ],
				history: [
					{
						id: 11,
						runId: 5,
						at: '2026-01-05T10:00:00.000Z',
						outcome: 'failed',
						message: 'SKU-3 is not in WooCommerce',
						request: {
							method: 'GET',
							url: '/wp-json/wc/v3/products?sku=SKU-3',
						},
						response: { status: 200, body: [] },
					},
					{
						id: 10,
						runId: 4,
						at: '2026-01-05T09:00:00.000Z',
						outcome: 'queued',
						message: null,
						request: null,
						response: null,
					},
				],
			} ),
		} );
		renderWithRegistry( <LogsTab /> );
		await screen.findByText( 'Product 3' );
		const opener = within( rowOf( 'Product 3' ) ).getByRole( 'button', {
			name: 'View details',
		} );
		await user.click( opener );

		const dialog = await screen.findByRole( 'dialog', {
			name: 'Sync details: Product 3',
		} );
		expect( dialog ).toContainElement(
			document.activeElement as HTMLElement
		);
		expect(
			await within( dialog ).findByText( 'Attempt history' )
		).toBeInTheDocument();
		expect(
			within( dialog ).getByText( 'SKU-3 is not in WooCommerce', {
				selector:
					'.components-notice__content *, .components-notice__content',
			} )
		).toBeInTheDocument();
		const history = within( dialog ).getByRole( 'table' );
		expect( within( history ).getByText( 'Run #5' ) ).toBeInTheDocument();
		expect( within( history ).getByText( 'Queued' ) ).toBeInTheDocument();
		// Request and response are collapsed until asked for.
		const request = within( history ).getByText( 'Request' );
		expect( request.closest( 'details' ) ).not.toHaveAttribute( 'open' );
		await user.click( request );
		expect( request.closest( 'details' ) ).toHaveAttribute( 'open' );
		expect(
			within( history ).getByText( /wc\/v3\/products\?sku=SKU-3/ )
		).toBeVisible();

		await user.keyboard( '{Escape}' );
		await waitFor( () =>
			expect( screen.queryByRole( 'dialog' ) ).not.toBeInTheDocument()
		);
		// Focus goes back to the button that opened it.
		expect(
			within( rowOf( 'Product 3' ) ).getByRole( 'button', {
				name: 'View details',
			} )
		).toHaveFocus();
	} );
} );
