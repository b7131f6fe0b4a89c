import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { store as noticesStore } from '@wordpress/notices';
import SettingsTab from '../src/components/settings/SettingsTab';
import type { Mappings } from '../src/store/types';
import { fakeApi, HttpError, type Route } from './helpers/api';
import { MAPPINGS, REFERENCE } from './helpers/fixtures';
import { renderWithRegistry } from './helpers/render';

function routes(
	overrides: Record< string, Route > = {}
): Record< string, Route > {
	return {
		'GET status': () => ( {
			service: { status: 'ok', version: '0.1.0' },
			reachable: true,
		} ),
		'GET connection': () => ( {
			serviceUrl: 'http://127.0.0.1:8787',
			hasToken: true,
			urlFromConstant: false,
			tokenFromConstant: false,
		} ),
		'GET settings/mappings': () => MAPPINGS,
		'GET settings/reference': () => REFERENCE,
		...overrides,
	};
}

describe( 'Settings tab', () => {
	it( 'fills the mappings editor from settings/reference; "Refunded" is never a WooCommerce target', async () => {
		fakeApi( routes() );
		renderWithRegistry( <SettingsTab /> );
		expect(
			await screen.findByRole( 'checkbox', { name: 'Main warehouse' } )
		).toBeChecked();
		expect(
			screen.getByRole( 'checkbox', { name: 'Overflow' } )
		).not.toBeChecked();
		expect( screen.getByLabelText( 'Price list' ) ).toHaveValue( '1' );
		expect( screen.getByLabelText( 'Order warehouse' ) ).toHaveValue( '2' );
		expect( screen.getByLabelText( 'Default tax code' ) ).toHaveValue(
			'T20'
		);
		expect( screen.getByLabelText( 'Nominal code for sales' ) ).toHaveValue(
			'4000'
		);

		// WooCommerce → Brightpearl: one select per WooCommerce status, Refunded included as a source.
		const toBp = screen.getByRole( 'heading', {
			name: 'WooCommerce → Brightpearl',
		} ).parentElement as HTMLElement;
		expect( within( toBp ).getByLabelText( 'Processing' ) ).toHaveValue(
			'4'
		);
		expect(
			within( toBp ).getByLabelText( 'Refunded' )
		).toBeInTheDocument();
		// Brightpearl → WooCommerce: no select offers refunded.
		const toWc = screen.getByRole( 'heading', {
			name: 'Brightpearl → WooCommerce',
		} ).parentElement as HTMLElement;
		const dispatched = within( toWc ).getByLabelText( 'Dispatched' );
		expect( dispatched ).toHaveValue( 'completed' );
		for ( const select of within( toWc ).getAllByRole( 'combobox' ) ) {
			const values = Array.from(
				( select as HTMLSelectElement ).options
			).map( ( o ) => o.value );
			expect( values ).not.toContain( 'refunded' );
			expect( values ).toContain( 'processing' );
		}
		expect( screen.getByLabelText( 'Direct bank transfer' ) ).toHaveValue(
			'BANK'
		);
		expect( screen.getByLabelText( 'Flat rate' ) ).toHaveValue( '' );
	} );

	it( "saves the mappings with PUT and shows the server's 400 message naming the field", async () => {
		const user = userEvent.setup();
		const api = fakeApi(
			routes( {
				'PUT settings/mappings': ( req ) => {
					const body = req.data as Mappings;
					if ( ! /^\d{3,10}$/.test( body.nominalCodes.sales ) ) {
						throw new HttpError( {
							error: {
								code: 'invalid_request',
								message:
									'body.nominalCodes.sales: must be a nominal code such as 4000',
							},
						} );
					}
					return body;
				},
			} )
		);
		const { registry } = renderWithRegistry( <SettingsTab /> );
		const save = await screen.findByRole( 'button', {
			name: 'Save mappings',
		} );
		expect( save ).toHaveAttribute( 'aria-disabled', 'true' );

		await user.click(
			screen.getByRole( 'checkbox', { name: 'Overflow' } )
		);
		await user.selectOptions( screen.getByLabelText( 'Flat rate' ), '7' );
		const sales = screen.getByLabelText( 'Nominal code for sales' );
		await user.clear( sales );
		await user.type( sales, 'sales' );
		await user.click( save );

		// At the top of the form, and under the control it names.
		const notice = await screen.findByText(
			'The mappings were not saved:'
		);
		expect( notice.closest( '.components-notice' ) ).toHaveTextContent(
			'body.nominalCodes.sales: must be a nominal code such as 4000'
		);
		expect(
			screen.getByText( 'must be a nominal code such as 4000' )
		).toBeInTheDocument();
		expect( api.callsTo( 'PUT', 'settings/mappings' )[ 0 ]?.data ).toEqual(
			{
				...MAPPINGS,
				inventoryWarehouseIds: [ 2, 3 ],
				shippingMethodMap: { flat_rate: 7 },
				nominalCodes: { sales: 'sales', shipping: '4040' },
			}
		);

		await user.clear( sales );
		await user.type( sales, '4001' );
		await user.click( save );
		await waitFor( () =>
			expect(
				screen.queryByText( 'The mappings were not saved:' )
			).not.toBeInTheDocument()
		);
		expect( api.callsTo( 'PUT', 'settings/mappings' ) ).toHaveLength( 2 );
		expect( registry.select( noticesStore ).getNotices() ).toEqual( [
			expect.objectContaining( {
				content: 'Mappings saved.',
				type: 'snackbar',
			} ),
		] );
		await waitFor( () =>
			expect( save ).toHaveAttribute( 'aria-disabled', 'true' )
		);
	} );

	it( 'tests each connection and shows the result', async () => {
		const user = userEvent.setup();
		const api = fakeApi(
			routes( {
				'POST connections/brightpearl/test': () => ( {
					ok: true,
					message: 'Account demo, 3 warehouses',
					latencyMs: 41,
				} ),
				'POST connections/woocommerce/test': () => ( {
					ok: false,
					message: 'WooCommerce answered 401: invalid consumer key',
					latencyMs: 12,
				} ),
			} )
		);
		renderWithRegistry( <SettingsTab /> );
		const table = await screen.findByRole( 'table' );
		await waitFor( () =>
			expect(
				within( table ).getByText( 'Reachable, version 0.1.0.' )
			).toBeInTheDocument()
		);

		await user.click(
			within( table ).getByRole( 'button', {
				name: 'Test the Brightpearl connection',
			} )
		);
		expect(
			await within( table ).findByText( 'Account demo, 3 warehouses' )
		).toBeInTheDocument();
		await user.click(
			within( table ).getByRole( 'button', {
				name: 'Test the WooCommerce connection',
			} )
		);
		expect(
			await within( table ).findByText(
				'WooCommerce answered 401: invalid consumer key'
			)
		).toBeInTheDocument();
		expect( within( table ).getAllByText( 'Connected' ) ).toHaveLength( 2 );
		expect( within( table ).getAllByText( 'Not connected' ) ).toHaveLength(
			1
		);

		const statusCalls = api.callsTo( 'GET', 'status' ).length;
		await user.click(
			within( table ).getByRole( 'button', {
				name: 'Test the Sync service connection',
			} )
		);
		await waitFor( () =>
			expect( api.callsTo( 'GET', 'status' ).length ).toBe(
				statusCalls + 1
			)
		);
	} );

	it( 'never prefills the token, sends only what changed, and locks values set in wp-config.php', async () => {
		const user = userEvent.setup();
		const api = fakeApi(
			routes( {
				'PUT connection': () => ( {
					serviceUrl: 'http://127.0.0.1:8787',
					hasToken: true,
					urlFromConstant: false,
					tokenFromConstant: false,
				} ),
			} )
		);
		renderWithRegistry( <SettingsTab /> );
		const token = await screen.findByLabelText( 'API token' );
		expect( token ).toHaveAttribute( 'type', 'password' );
		expect( token ).toHaveValue( '' );
		await user.type( token, 'a-new-token-that-is-long-enough' );
		await user.click(
			screen.getByRole( 'button', { name: 'Save connection' } )
		);
		await waitFor( () =>
			expect( api.callsTo( 'PUT', 'connection' ) ).toHaveLength( 1 )
		);
		expect( api.callsTo( 'PUT', 'connection' )[ 0 ]?.data ).toEqual( {
			serviceUrl: 'http://127.0.0.1:8787',
			token: 'a-new-token-that-is-long-enough',
		} );
		await waitFor( () => expect( token ).toHaveValue( '' ) );
	} );

	it( 'disables the fields defined by constants, with a note', async () => {
		fakeApi(
			routes( {
				'GET connection': () => ( {
					serviceUrl: 'http://10.0.0.5:8787',
					hasToken: true,
					urlFromConstant: true,
					tokenFromConstant: true,
				} ),
			} )
		);
		renderWithRegistry( <SettingsTab /> );
		expect( await screen.findByLabelText( 'Service URL' ) ).toBeDisabled();
		expect( screen.getByLabelText( 'API token' ) ).toBeDisabled();
		expect(
			screen.getAllByText(
				'Set by a constant in wp-config.php. Change it there.'
			)
		).toHaveLength( 2 );
	} );
} );
