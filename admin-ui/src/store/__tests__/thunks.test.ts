/**
 * Actions and resolvers against a fake API at apiFetch's fetch boundary.
 */
import { store as noticesStore } from '@wordpress/notices';
import { fakeApi, HttpError } from '../../../test/helpers/api';
import { flow, HOURLY, MAPPINGS } from '../../../test/helpers/fixtures';
import { makeRegistry } from '../../../test/helpers/render';
import { store } from '..';

describe( 'resolvers', () => {
	it( 'getFlows fetches GET bpwc/v1/flows once, accepting { flows } or a list', async () => {
		const api = fakeApi( { 'GET flows': () => ( { flows: [ flow() ] } ) } );
		const registry = makeRegistry();
		const flows = await registry.resolveSelect( store ).getFlows();
		expect( flows?.map( ( f ) => f.id ) ).toEqual( [ 'inventory' ] );
		await registry.resolveSelect( store ).getFlows();
		expect( api.callsTo( 'GET', 'flows' ) ).toHaveLength( 1 );

		api.route( 'GET flows', () => [ flow( { id: 'order' } ) ] );
		await registry.dispatch( store ).fetchFlows();
		expect(
			registry
				.select( store )
				.getFlows()
				?.map( ( f ) => f.id )
		).toEqual( [ 'order' ] );
	} );

	it( 'getHourlyStats asks for 24 hours of one type', async () => {
		const api = fakeApi( { 'GET stats/hourly': () => HOURLY } );
		const registry = makeRegistry();
		const buckets = await registry
			.resolveSelect( store )
			.getHourlyStats( 'inventory' );
		expect( buckets ).toHaveLength( 24 );
		expect( api.calls[ 0 ]?.query ).toEqual( {
			type: 'inventory',
			hours: '24',
		} );
	} );

	it( 'getLogsPage sends the filters, leaves empty ones out, and stores the error of a failed page', async () => {
		const api = fakeApi( {
			'GET logs': () => ( { items: [], nextCursor: null, total: 0 } ),
		} );
		const registry = makeRegistry();
		await registry
			.resolveSelect( store )
			.getLogsPage( {
				type: 'order',
				status: 'failed',
				search: '',
				limit: 50,
				cursor: 'xyz',
			} );
		expect( api.calls[ 0 ]?.query ).toEqual( {
			type: 'order',
			status: 'failed',
			limit: '50',
			cursor: 'xyz',
		} );

		api.route( 'GET logs', () => {
			throw new HttpError( {
				error: {
					code: 'invalid_request',
					message: 'query.cursor: is not a cursor this API returned',
				},
			} );
		} );
		const query = { type: 'order' as const, limit: 50, cursor: 'bad' };
		await registry.resolveSelect( store ).getLogsPage( query );
		expect( registry.select( store ).getLogsError( query )?.message ).toBe(
			'query.cursor: is not a cursor this API returned'
		);
	} );

	it( 'getMappings and getReference read the settings', async () => {
		fakeApi( { 'GET settings/mappings': () => MAPPINGS } );
		const registry = makeRegistry();
		expect( await registry.resolveSelect( store ).getMappings() ).toEqual(
			MAPPINGS
		);
	} );

	it( 'a 503 bpwc_service_unreachable raises the unreachable flag, a later success clears it', async () => {
		const api = fakeApi( {
			'GET flows': () => {
				throw new HttpError( {
					code: 'bpwc_service_unreachable',
					message: 'Service down',
					data: { status: 503 },
				} );
			},
		} );
		const registry = makeRegistry();
		await registry.resolveSelect( store ).getFlows();
		expect( registry.select( store ).isServiceUnreachable() ).toBe( true );
		expect( registry.select( store ).getServiceUnreachableMessage() ).toBe(
			'Service down'
		);
		expect( registry.select( store ).getFlowsError()?.unreachable ).toBe(
			true
		);

		api.route( 'GET flows', () => ( { flows: [] } ) );
		await registry.dispatch( store ).fetchFlows();
		expect( registry.select( store ).isServiceUnreachable() ).toBe( false );
	} );
} );

describe( 'actions', () => {
	it( 'updateFlow PATCHes and stores the flow the server returns', async () => {
		const api = fakeApi( {
			'PATCH flows/inventory': () => flow( { enabled: false } ),
		} );
		const registry = makeRegistry();
		const result = await registry
			.dispatch( store )
			.updateFlow( 'inventory', { enabled: false } );
		expect( result ).toEqual( { ok: true } );
		expect( api.calls[ 0 ] ).toMatchObject( {
			method: 'PATCH',
			endpoint: 'flows/inventory',
			data: { enabled: false },
		} );
		expect( registry.select( store ).getFlow( 'inventory' )?.enabled ).toBe(
			false
		);
		expect( registry.select( store ).getFlowUpdate( 'inventory' ) ).toEqual(
			{ saving: false, error: null }
		);
	} );

	it( 'updateFlow returns the 400 for the form and keeps it in the store', async () => {
		fakeApi( {
			'PATCH flows/inventory': () => {
				throw new HttpError( {
					error: {
						code: 'invalid_request',
						message: 'body.schedule: bad cron',
					},
				} );
			},
		} );
		const registry = makeRegistry();
		const result = await registry
			.dispatch( store )
			.updateFlow( 'inventory', { schedule: 'x' } );
		expect( result ).toMatchObject( {
			ok: false,
			error: {
				code: 'invalid_request',
				message: 'body.schedule: bad cron',
				fields: { schedule: 'bad cron' },
			},
		} );
		expect(
			registry.select( store ).getFlowUpdate( 'inventory' )?.error
				?.message
		).toBe( 'body.schedule: bad cron' );
	} );

	it( 'runFlow starts a run and polls it until it ends, then refreshes flows and stats', async () => {
		let polls = 0;
		const api = fakeApi( {
			'POST flows/inventory/runs': () => ( { runId: 5 } ),
			'GET runs/5': () => ( {
				id: 5,
				status: ++polls < 3 ? 'running' : 'partial',
				startedAt: '2026-01-05T10:00:00Z',
				finishedAt: polls < 3 ? null : '2026-01-05T10:00:02Z',
				counts: {
					seen: polls,
					synced: polls,
					failed: polls === 3 ? 1 : 0,
					unchanged: 0,
				},
				error: null,
			} ),
			'GET flows': () => ( { flows: [ flow() ] } ),
			'GET stats/hourly': () => HOURLY,
		} );
		const registry = makeRegistry();
		const run = await registry.dispatch( store ).runFlow( 'inventory' );
		expect( run?.status ).toBe( 'partial' );
		expect( api.callsTo( 'GET', 'runs/5' ) ).toHaveLength( 3 );
		expect( api.callsTo( 'GET', 'flows' ) ).toHaveLength( 1 );
		expect( api.callsTo( 'GET', 'stats/hourly' ) ).toHaveLength( 1 );
		expect(
			registry.select( store ).getActiveRun( 'inventory' )
		).toMatchObject( {
			runId: 5,
			status: 'partial',
			counts: { failed: 1 },
		} );
		expect( registry.select( noticesStore ).getNotices() ).toEqual( [
			expect.objectContaining( {
				content:
					'Inventory run finished: 3 synced, 0 unchanged, 1 failed.',
				type: 'snackbar',
			} ),
		] );
	} );

	it( 'runFlow reports a refused start as an error notice', async () => {
		fakeApi( {
			'POST flows/product/runs': () => {
				throw new HttpError( {
					error: {
						code: 'flow_unavailable',
						message: 'The product flow is not available yet',
					},
				} );
			},
		} );
		const registry = makeRegistry();
		expect(
			await registry.dispatch( store ).runFlow( 'product' )
		).toBeNull();
		expect( registry.select( store ).isFlowRunning( 'product' ) ).toBe(
			false
		);
		expect( registry.select( noticesStore ).getNotices() ).toEqual( [
			expect.objectContaining( {
				content: 'The product flow is not available yet',
				status: 'error',
			} ),
		] );
	} );

	it( 'retryLogs posts the selector, says how many were queued and follows the runs', async () => {
		const api = fakeApi( {
			'POST logs/retry': () => ( {
				queued: 2,
				runs: [ { type: 'inventory', runId: 8, queued: true } ],
			} ),
			'GET runs/8': () => ( {
				id: 8,
				status: 'succeeded',
				startedAt: 'x',
				finishedAt: 'y',
				counts: null,
				error: null,
			} ),
			'GET flows': () => ( { flows: [ flow() ] } ),
			'GET stats/hourly': () => HOURLY,
		} );
		const registry = makeRegistry();
		const result = await registry
			.dispatch( store )
			.retryLogs( { type: 'inventory', status: 'failed' } );
		expect( result?.queued ).toBe( 2 );
		expect( api.calls[ 0 ] ).toMatchObject( {
			method: 'POST',
			endpoint: 'logs/retry',
			data: { type: 'inventory', status: 'failed' },
		} );
		expect(
			registry.select( noticesStore ).getNotices()[ 0 ]
		).toMatchObject( { content: '2 items queued for retry.' } );
		await new Promise( ( resolve ) => setTimeout( resolve, 50 ) );
		expect( api.callsTo( 'GET', 'runs/8' ) ).toHaveLength( 1 );
	} );

	it( 'saveMappings PUTs and returns the 400 with its field', async () => {
		fakeApi( {
			'PUT settings/mappings': () => {
				throw new HttpError( {
					error: {
						code: 'invalid_request',
						message:
							'body.orderStatusMap.toWooCommerce.5: cannot be "refunded"',
					},
				} );
			},
		} );
		const registry = makeRegistry();
		const result = await registry
			.dispatch( store )
			.saveMappings( MAPPINGS );
		expect( result ).toMatchObject( {
			ok: false,
			error: {
				fields: {
					'orderStatusMap.toWooCommerce.5': 'cannot be "refunded"',
				},
			},
		} );
	} );

	it( 'testConnection posts to connections/{system}/test; the service test is GET status', async () => {
		const api = fakeApi( {
			'POST connections/woocommerce/test': () => ( {
				ok: true,
				message: 'WooCommerce 9.4',
				latencyMs: 20,
			} ),
			'GET status': () => ( {
				service: null,
				reachable: false,
				message: 'ECONNREFUSED',
			} ),
		} );
		const registry = makeRegistry();
		expect(
			await registry.dispatch( store ).testConnection( 'woocommerce' )
		).toEqual( { ok: true, message: 'WooCommerce 9.4', latencyMs: 20 } );
		const service = await registry
			.dispatch( store )
			.testConnection( 'service' );
		expect( service ).toMatchObject( {
			ok: false,
			message: 'ECONNREFUSED',
		} );
		expect( registry.select( store ).isServiceUnreachable() ).toBe( true );
		expect(
			api.calls.map( ( c ) => `${ c.method } ${ c.endpoint }` )
		).toEqual( [ 'POST connections/woocommerce/test', 'GET status' ] );
	} );
} );
