/**
 * Reducer of the `bpwc/admin` store, one slice per concern (combined like Gutenberg's stores).
 */
import { combineReducers } from '@wordpress/data';
import type { Action, ActiveRun, Loaded, State } from './types';

const empty = < T >(): Loaded< T > => ( { value: null, error: null } );

export function flows(
	state: State[ 'flows' ] = empty(),
	action: Action
): State[ 'flows' ] {
	switch ( action.type ) {
		case 'RECEIVE_FLOWS':
			return { value: action.flows, error: null };
		case 'RECEIVE_FLOWS_ERROR':
			return { ...state, error: action.error };
		case 'RECEIVE_FLOW': {
			const list = state.value ?? [];
			const found = list.some( ( f ) => f.id === action.flow.id );
			return {
				value: found
					? list.map( ( f ) =>
							f.id === action.flow.id ? action.flow : f
						)
					: [ ...list, action.flow ],
				error: null,
			};
		}
	}
	return state;
}

export function flowUpdates(
	state: State[ 'flowUpdates' ] = {},
	action: Action
): State[ 'flowUpdates' ] {
	switch ( action.type ) {
		case 'FLOW_UPDATE_START':
			return {
				...state,
				[ action.flowId ]: { saving: true, error: null },
			};
		case 'FLOW_UPDATE_FINISH':
			return {
				...state,
				[ action.flowId ]: { saving: false, error: action.error },
			};
	}
	return state;
}

export function runs(
	state: State[ 'runs' ] = {},
	action: Action
): State[ 'runs' ] {
	switch ( action.type ) {
		case 'RUN_STARTING':
			return {
				...state,
				[ action.flowId ]: {
					runId: null,
					status: 'starting',
					counts: null,
					error: null,
					startedAt: null,
					finishedAt: null,
				},
			};
		case 'RUN_UPDATE': {
			const previous: ActiveRun = state[ action.flowId ] ?? {
				runId: null,
				status: 'starting',
				counts: null,
				error: null,
				startedAt: null,
				finishedAt: null,
			};
			return {
				...state,
				[ action.flowId ]: { ...previous, ...action.run },
			};
		}
		case 'RUN_CLEAR': {
			const next = { ...state };
			delete next[ action.flowId ];
			return next;
		}
	}
	return state;
}

export function hourly(
	state: State[ 'hourly' ] = {},
	action: Action
): State[ 'hourly' ] {
	switch ( action.type ) {
		case 'RECEIVE_HOURLY':
			return {
				...state,
				[ action.flowId ]: { value: action.buckets, error: null },
			};
		case 'RECEIVE_HOURLY_ERROR':
			return {
				...state,
				[ action.flowId ]: {
					value: state[ action.flowId ]?.value ?? null,
					error: action.error,
				},
			};
	}
	return state;
}

export function logs(
	state: State[ 'logs' ] = {},
	action: Action
): State[ 'logs' ] {
	switch ( action.type ) {
		case 'RECEIVE_LOGS':
			return {
				...state,
				[ action.key ]: { value: action.page, error: null },
			};
		case 'RECEIVE_LOGS_ERROR':
			return {
				...state,
				[ action.key ]: {
					value: state[ action.key ]?.value ?? null,
					error: action.error,
				},
			};
	}
	return state;
}

export function logItems(
	state: State[ 'logItems' ] = {},
	action: Action
): State[ 'logItems' ] {
	switch ( action.type ) {
		case 'RECEIVE_LOG_ITEM':
			return {
				...state,
				[ action.id ]: { value: action.item, error: null },
			};
		case 'RECEIVE_LOG_ITEM_ERROR':
			return {
				...state,
				[ action.id ]: {
					value: state[ action.id ]?.value ?? null,
					error: action.error,
				},
			};
	}
	return state;
}

export function mappings(
	state: State[ 'mappings' ] = empty(),
	action: Action
): State[ 'mappings' ] {
	switch ( action.type ) {
		case 'RECEIVE_MAPPINGS':
			return { value: action.mappings, error: null };
		case 'RECEIVE_MAPPINGS_ERROR':
			return { ...state, error: action.error };
	}
	return state;
}

export function reference(
	state: State[ 'reference' ] = empty(),
	action: Action
): State[ 'reference' ] {
	switch ( action.type ) {
		case 'RECEIVE_REFERENCE':
			return { value: action.reference, error: null };
		case 'RECEIVE_REFERENCE_ERROR':
			return { ...state, error: action.error };
	}
	return state;
}

export function connection(
	state: State[ 'connection' ] = empty(),
	action: Action
): State[ 'connection' ] {
	switch ( action.type ) {
		case 'RECEIVE_CONNECTION':
			return { value: action.connection, error: null };
		case 'RECEIVE_CONNECTION_ERROR':
			return { ...state, error: action.error };
	}
	return state;
}

export function status(
	state: State[ 'status' ] = empty(),
	action: Action
): State[ 'status' ] {
	switch ( action.type ) {
		case 'RECEIVE_STATUS':
			return { value: action.status, error: null };
		case 'RECEIVE_STATUS_ERROR':
			return { ...state, error: action.error };
	}
	return state;
}

export function connectionTests(
	state: State[ 'connectionTests' ] = {},
	action: Action
): State[ 'connectionTests' ] {
	switch ( action.type ) {
		case 'CONNECTION_TEST_START':
			return {
				...state,
				[ action.system ]: {
					testing: true,
					result: state[ action.system ]?.result ?? null,
				},
			};
		case 'CONNECTION_TEST_FINISH':
			return {
				...state,
				[ action.system ]: { testing: false, result: action.result },
			};
	}
	return state;
}

const REACHABLE: State[ 'service' ] = { unreachable: false, message: null };

export function service(
	state: State[ 'service' ] = REACHABLE,
	action: Action
): State[ 'service' ] {
	switch ( action.type ) {
		case 'SERVICE_UNREACHABLE':
			return state.unreachable && state.message === action.message
				? state
				: { unreachable: true, message: action.message };
		case 'SERVICE_REACHABLE':
			return state.unreachable ? REACHABLE : state;
		case 'RECEIVE_STATUS':
			if ( ! action.status.reachable ) {
				const message = action.status.message ?? '';
				return state.unreachable && state.message === message
					? state
					: { unreachable: true, message };
			}
			return state.unreachable ? REACHABLE : state;
	}
	return state;
}

export default combineReducers( {
	flows,
	flowUpdates,
	runs,
	hourly,
	logs,
	logItems,
	mappings,
	reference,
	connection,
	status,
	connectionTests,
	service,
} );
