import type { ApiError } from '../../api/errors';
import * as actions from '../actions';
import reducer, { flows, runs, service } from '../reducer';
import type { Flow, State } from '../types';

const error = ( message: string, unreachable = false ): ApiError => ( {
	code: 'x',
	message,
	unreachable,
	fields: {},
} );
const flow = ( id: Flow[ 'id' ], enabled = true ): Flow => ( {
	id,
	name: id,
	direction: 'brightpearl_to_woocommerce',
	available: true,
	enabled,
	schedule: '*/5 * * * *',
	running: null,
	lastRun: null,
	nextRunAt: null,
	counts: {},
} );

describe( 'reducer', () => {
	it( 'starts empty', () => {
		const state: State = reducer( undefined, { type: '@@INIT' } as never );
		expect( state.flows ).toEqual( { value: null, error: null } );
		expect( state.logs ).toEqual( {} );
		expect( state.service ).toEqual( {
			unreachable: false,
			message: null,
		} );
	} );

	it( 'keeps the last good flows when a refresh fails, and replaces one flow in place', () => {
		let state = flows(
			undefined,
			actions.receiveFlows( [ flow( 'inventory' ), flow( 'order' ) ] )
		);
		state = flows( state, actions.receiveFlowsError( error( 'down' ) ) );
		expect( state.value ).toHaveLength( 2 );
		expect( state.error?.message ).toBe( 'down' );
		state = flows( state, actions.receiveFlow( flow( 'order', false ) ) );
		expect( state.value?.map( ( f ) => [ f.id, f.enabled ] ) ).toEqual( [
			[ 'inventory', true ],
			[ 'order', false ],
		] );
		expect( state.error ).toBeNull();
	} );

	it( 'tracks a run from starting to its end, per flow', () => {
		let state = runs( undefined, actions.runStarting( 'inventory' ) );
		expect( state.inventory ).toMatchObject( {
			runId: null,
			status: 'starting',
		} );
		state = runs(
			state,
			actions.runUpdate( 'inventory', {
				runId: 9,
				status: 'running',
				counts: { seen: 3, synced: 3, failed: 0, unchanged: 0 },
			} )
		);
		state = runs(
			state,
			actions.runUpdate( 'inventory', { runId: 9, status: 'succeeded' } )
		);
		expect( state.inventory ).toMatchObject( {
			runId: 9,
			status: 'succeeded',
			counts: { seen: 3 },
		} );
		expect( state.order ).toBeUndefined();
		expect(
			runs( state, actions.runClear( 'inventory' ) ).inventory
		).toBeUndefined();
	} );

	it( 'keys log pages by query and keeps a page when its refresh fails', () => {
		let state = reducer(
			undefined,
			actions.receiveLogs( 'k1', {
				items: [],
				nextCursor: 'c',
				total: 3,
			} )
		);
		state = reducer(
			state,
			actions.receiveLogsError( 'k1', error( 'boom' ) )
		);
		expect( state.logs.k1 ).toEqual( {
			value: { items: [], nextCursor: 'c', total: 3 },
			error: error( 'boom' ),
		} );
	} );

	it( 'sets and clears "service unreachable", also from GET status', () => {
		let state = service(
			undefined,
			actions.serviceUnreachable( 'refused' )
		);
		expect( state ).toEqual( { unreachable: true, message: 'refused' } );
		expect(
			service( state, actions.serviceUnreachable( 'refused' ) )
		).toBe( state );
		state = service( state, actions.serviceReachable() );
		expect( state.unreachable ).toBe( false );
		state = service(
			state,
			actions.receiveStatus( {
				service: null,
				reachable: false,
				message: 'timeout',
			} )
		);
		expect( state ).toEqual( { unreachable: true, message: 'timeout' } );
		state = service(
			state,
			actions.receiveStatus( {
				service: { status: 'ok' },
				reachable: true,
			} )
		);
		expect( state.unreachable ).toBe( false );
	} );

	it( 'remembers the last connection test result while a new one runs', () => {
		let state = reducer(
			undefined,
			actions.connectionTestFinish( 'brightpearl', {
				ok: true,
				message: 'ok',
				latencyMs: 4,
			} )
		);
		state = reducer( state, actions.connectionTestStart( 'brightpearl' ) );
		expect( state.connectionTests.brightpearl ).toEqual( {
			testing: true,
			result: { ok: true, message: 'ok', latencyMs: 4 },
		} );
	} );
} );
