import * as actions from '../actions';
import reducer from '../reducer';
import * as selectors from '../selectors';
import type { LogQuery } from '../types';
import { logQueryKey } from '../utils';

describe( 'selectors', () => {
	const query: LogQuery = {
		type: 'inventory',
		status: 'failed',
		limit: 20,
		cursor: null,
	};

	it( 'find a log page by its query, whatever the key order or empty values', () => {
		const state = reducer(
			undefined,
			actions.receiveLogs( logQueryKey( query ), {
				items: [],
				nextCursor: null,
				total: 0,
			} )
		);
		expect(
			selectors.getLogsPage( state, {
				cursor: null,
				limit: 20,
				status: 'failed',
				type: 'inventory',
				search: '',
			} )
		).toEqual( {
			items: [],
			nextCursor: null,
			total: 0,
		} );
		expect(
			selectors.getLogsPage( state, { ...query, status: 'synced' } )
		).toBeNull();
		expect( logQueryKey( { ...query, cursor: 'abc' } ) ).not.toBe(
			logQueryKey( query )
		);
	} );

	it( 'report a flow as running while starting or running only', () => {
		let state = reducer( undefined, actions.runStarting( 'order' ) );
		expect( selectors.isFlowRunning( state, 'order' ) ).toBe( true );
		state = reducer(
			state,
			actions.runUpdate( 'order', { runId: 1, status: 'running' } )
		);
		expect( selectors.isFlowRunning( state, 'order' ) ).toBe( true );
		state = reducer(
			state,
			actions.runUpdate( 'order', { runId: 1, status: 'partial' } )
		);
		expect( selectors.isFlowRunning( state, 'order' ) ).toBe( false );
		expect( selectors.getActiveRun( state, 'order' )?.status ).toBe(
			'partial'
		);
		expect( selectors.isFlowRunning( state, 'refund' ) ).toBe( false );
	} );

	it( 'return null for what was never loaded', () => {
		const state = reducer( undefined, { type: '@@INIT' } as never );
		expect( selectors.getFlows( state ) ).toBeNull();
		expect( selectors.getFlow( state, 'inventory' ) ).toBeNull();
		expect( selectors.getHourlyStats( state, 'inventory' ) ).toBeNull();
		expect( selectors.getMappings( state ) ).toBeNull();
		expect( selectors.getConnectionTest( state, 'service' ) ).toBeNull();
		expect( selectors.isServiceUnreachable( state ) ).toBe( false );
	} );
} );
