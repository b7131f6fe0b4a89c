import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import FlowsTab from '../src/components/flows/FlowsTab';
import type { Flow } from '../src/store/types';
import { fakeApi, HttpError } from './helpers/api';
import { flow, FLOWS, HOURLY } from './helpers/fixtures';
import { renderWithRegistry } from './helpers/render';

function card( name: RegExp ) {
	return screen.getByRole( 'region', { name } );
}

describe( 'Flows tab', () => {
	it( 'renders one card per flow with direction, counts, last and next run, and "Coming soon"', async () => {
		fakeApi( {
			'GET flows': () => ( { flows: FLOWS } ),
			'GET stats/hourly': () => HOURLY,
		} );
		renderWithRegistry( <FlowsTab /> );
		await screen.findByRole( 'heading', { name: /Inventory/ } );

		const inventory = card( /Inventory/ );
		expect(
			within( inventory ).getByText( 'Brightpearl → WooCommerce' )
		).toBeInTheDocument();
		expect(
			within( inventory ).getByRole( 'checkbox', { name: 'Enabled' } )
		).toBeChecked();
		expect( within( inventory ).getByLabelText( 'Schedule' ) ).toHaveValue(
			'*/5 * * * *'
		);
		expect(
			within( inventory ).getByText( 'Partly failed' )
		).toBeInTheDocument();
		// Last run finished 2026-01-05T10:00:04Z = 10:00 in London (winter).
		expect(
			within( inventory ).getByText( '2026-01-05 10:00' )
		).toBeInTheDocument();
		expect(
			within( inventory ).getByText(
				'12 seen · 9 synced · 0 unchanged · 3 failed'
			)
		).toBeInTheDocument();
		expect(
			within( inventory ).getByText( '2026-01-05 10:05' )
		).toBeInTheDocument();
		const counts = within( inventory ).getByRole( 'list', {
			name: 'Items by sync status',
		} );
		expect( counts ).toHaveTextContent( '1 Pending' );
		expect( counts ).toHaveTextContent( '9 Synced' );
		expect( counts ).toHaveTextContent( '3 Failed' );
		expect(
			within( inventory ).getByRole( 'button', { name: 'Run now' } )
		).toBeEnabled();
		// The chart: an image with the totals in its accessible name.
		expect(
			await within( inventory ).findByRole( 'img', {
				name: 'Last 24 hours: 24 synced, 2 failed.',
			} )
		).toBeInTheDocument();

		const products = card( /Products/ );
		expect(
			within( products ).getAllByText( /Coming soon/ ).length
		).toBeGreaterThan( 0 );
		expect(
			within( products ).getByRole( 'button', { name: 'Run now' } )
		).toHaveAttribute( 'aria-disabled', 'true' );
		expect(
			within( card( /Orders/ ) ).getByText( 'WooCommerce → Brightpearl' )
		).toBeInTheDocument();
	} );

	it( 'toggles a flow off with PATCH flows/{id} { enabled: false }', async () => {
		const user = userEvent.setup();
		let current: Flow = flow();
		const api = fakeApi( {
			'GET flows': () => ( { flows: [ current ] } ),
			'GET stats/hourly': () => HOURLY,
			'PATCH flows/inventory': ( req ) => {
				current = {
					...current,
					...( req.data as Partial< Flow > ),
					nextRunAt: null,
				};
				return current;
			},
		} );
		renderWithRegistry( <FlowsTab /> );
		const toggle = await screen.findByRole( 'checkbox', {
			name: 'Enabled',
		} );
		await user.click( toggle );
		await waitFor( () => expect( toggle ).not.toBeChecked() );
		expect( api.callsTo( 'PATCH', 'flows/inventory' ) ).toEqual( [
			expect.objectContaining( { data: { enabled: false } } ),
		] );
		expect(
			screen.getByText( 'Not scheduled: the flow is disabled' )
		).toBeInTheDocument();
	} );

	it( "saves a schedule and shows the server's 400 message when it is refused", async () => {
		const user = userEvent.setup();
		const api = fakeApi( {
			'GET flows': () => ( { flows: [ flow() ] } ),
			'GET stats/hourly': () => HOURLY,
			'PATCH flows/inventory': ( req ) => {
				const { schedule } = req.data as { schedule: string };
				if ( schedule.split( ' ' ).length !== 5 ) {
					throw new HttpError( {
						error: {
							code: 'invalid_request',
							message:
								'body.schedule: must be a five-field cron expression',
						},
					} );
				}
				return flow( { schedule } );
			},
		} );
		const { container } = renderWithRegistry( <FlowsTab /> );
		const input = await screen.findByLabelText( 'Schedule' );
		await user.clear( input );
		await user.type( input, '*/10 * * *' );
		await user.click(
			screen.getByRole( 'button', { name: 'Save schedule' } )
		);
		expect(
			await screen.findByText(
				'body.schedule: must be a five-field cron expression'
			)
		).toBeInTheDocument();

		await user.type( input, ' *' );
		await user.click(
			screen.getByRole( 'button', { name: 'Save schedule' } )
		);
		await waitFor( () =>
			expect(
				container.querySelector( '.bpwc-inline-notice' )
			).toBeNull()
		);
		expect(
			api.callsTo( 'PATCH', 'flows/inventory' ).map( ( c ) => c.data )
		).toEqual( [
			{ schedule: '*/10 * * *' },
			{ schedule: '*/10 * * * *' },
		] );
		expect( input ).toHaveValue( '*/10 * * * *' );
	} );

	it( 'Run now: POSTs, polls the run every interval with its counts until it ends, then refreshes the flow', async () => {
		const user = userEvent.setup();
		let flowsServed = 0;
		let polls = 0;
		const finished = flow( {
			lastRun: {
				id: 42,
				status: 'succeeded',
				startedAt: '2026-01-05T11:00:00.000Z',
				finishedAt: '2026-01-05T11:00:09.000Z',
				counts: { seen: 20, synced: 20, failed: 0, unchanged: 0 },
				error: null,
			},
			counts: { pending: 0, synced: 29, failed: 0 },
		} );
		const api = fakeApi( {
			'GET flows': () => ( {
				flows: [ flowsServed++ === 0 ? flow() : finished ],
			} ),
			'GET stats/hourly': () => HOURLY,
			'POST flows/inventory/runs': () => ( { runId: 42 } ),
			'GET runs/42': () => {
				polls++;
				const done = polls >= 3;
				return {
					id: 42,
					flowId: 'inventory',
					status: done ? 'succeeded' : 'running',
					startedAt: '2026-01-05T11:00:00.000Z',
					finishedAt: done ? '2026-01-05T11:00:09.000Z' : null,
					counts: {
						seen: polls * 10,
						synced: polls * 10 - ( done ? 10 : 0 ),
						failed: 0,
						unchanged: 0,
					},
					error: null,
				};
			},
		} );
		// Slow enough to see the progress between polls.
		window.bpwcAdmin = { ...window.bpwcAdmin, pollIntervalMs: 200 };
		renderWithRegistry( <FlowsTab /> );
		await user.click(
			await screen.findByRole( 'button', { name: 'Run now' } )
		);

		expect(
			await screen.findByRole( 'button', { name: 'Running…' } )
		).toHaveAttribute( 'aria-disabled', 'true' );
		expect(
			await screen.findByText( /Running: 10 seen/ )
		).toBeInTheDocument();
		expect(
			await screen.findByText( /Running: 20 seen/ )
		).toBeInTheDocument();
		// The run ends: the button is back and the refreshed flow shows the new last run.
		expect(
			await screen.findByRole( 'button', { name: 'Run now' } )
		).toBeEnabled();
		expect(
			await screen.findByText(
				'20 seen · 20 synced · 0 unchanged · 0 failed',
				{ selector: '.bpwc-facts__detail' }
			)
		).toBeInTheDocument();
		expect(
			screen.getByText( 'Succeeded', {
				selector: '.bpwc-facts .bpwc-badge',
			} )
		).toBeInTheDocument();

		expect( api.callsTo( 'POST', 'flows/inventory/runs' ) ).toHaveLength(
			1
		);
		expect( api.callsTo( 'GET', 'runs/42' ) ).toHaveLength( 3 );
		expect( api.callsTo( 'GET', 'flows' ).length ).toBeGreaterThanOrEqual(
			2
		);
		expect(
			api.callsTo( 'GET', 'stats/hourly' ).length
		).toBeGreaterThanOrEqual( 2 );
	} );

	it( 'follows a run that is already going when Run now answers 409 flow_busy', async () => {
		const user = userEvent.setup();
		let served = 0;
		const api = fakeApi( {
			'GET flows': () => ( {
				flows: [ flow( { running: served++ === 1 ? 77 : null } ) ],
			} ),
			'GET stats/hourly': () => HOURLY,
			'POST flows/inventory/runs': () => {
				throw new HttpError( {
					error: {
						code: 'flow_busy',
						message: 'inventory is already running',
					},
				} );
			},
			'GET runs/77': () => ( {
				id: 77,
				status: 'succeeded',
				startedAt: '2026-01-05T11:00:00.000Z',
				finishedAt: '2026-01-05T11:00:01.000Z',
				counts: { seen: 1, synced: 1, failed: 0, unchanged: 0 },
				error: null,
			} ),
		} );
		renderWithRegistry( <FlowsTab /> );
		await user.click(
			await screen.findByRole( 'button', { name: 'Run now' } )
		);
		await waitFor( () =>
			expect( api.callsTo( 'GET', 'runs/77' ).length ).toBeGreaterThan(
				0
			)
		);
		expect(
			await screen.findByRole( 'button', { name: 'Run now' } )
		).toBeEnabled();
	} );
} );
