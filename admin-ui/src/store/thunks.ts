/**
 * Actions of the `bpwc/admin` store that talk to the API (thunks, as in Gutenberg's stores).
 * Every request goes through `call`, which normalises errors and keeps the "service unreachable"
 * flag up to date.
 */
import type { APIFetchOptions } from '@wordpress/api-fetch';
import { __, _n, sprintf } from '@wordpress/i18n';
import { store as noticesStore } from '@wordpress/notices';
import { path, request } from '../api/client';
import type { ApiError } from '../api/errors';
import { getPollInterval } from '../config';
import { flowLabel } from '../utils/labels';
import * as plain from './actions';
import type * as selectors from './selectors';
import type {
	Action,
	ConnectionSettings,
	ConnectionSystem,
	ConnectionTestResult,
	ConnectionUpdate,
	FlowPatch,
	HourlyStats,
	LogDetail,
	LogPage,
	LogQuery,
	Mappings,
	ReferenceData,
	RetryResult,
	RetrySelector,
	Run,
	ServiceStatus,
	State,
	SyncType,
} from './types';
import { delay, flowList, isFlow, logQueryKey } from './utils';

type CurriedSelectors = {
	[ K in keyof typeof selectors ]: ( typeof selectors )[ K ] extends (
		state: State,
		...args: infer P
	) => infer R
		? ( ...args: P ) => R
		: never;
};

/** What @wordpress/data passes to a thunk, typed for this store. */
export interface ThunkContext {
	dispatch: ( ( action: Action ) => void ) & {
		invalidateResolution: ( selectorName: string, args: unknown[] ) => void;
		invalidateResolutionForStoreSelector: ( selectorName: string ) => void;
	};
	select: CurriedSelectors;
	registry: {
		dispatch: ( store: typeof noticesStore ) => {
			createErrorNotice: (
				message: string,
				options?: Record< string, unknown >
			) => unknown;
			createSuccessNotice: (
				message: string,
				options?: Record< string, unknown >
			) => unknown;
			createWarningNotice: (
				message: string,
				options?: Record< string, unknown >
			) => unknown;
			removeNotice: ( id: string ) => unknown;
		};
	};
}
export type Thunk< R = void > = ( context: ThunkContext ) => Promise< R >;

export type Result = { ok: true } | { ok: false; error: ApiError };

interface CallOptions {
	/** Whether the request goes through the proxy to the service (a success proves it is reachable). */
	proxied?: boolean;
}

async function call< T >(
	{ dispatch, select }: ThunkContext,
	options: APIFetchOptions,
	{ proxied = true }: CallOptions = {}
): Promise< T > {
	try {
		const result = await request< T >( options );
		if ( proxied && select.isServiceUnreachable() ) {
			dispatch( plain.serviceReachable() );
		}
		return result;
	} catch ( e ) {
		const error = e as ApiError;
		if ( error.unreachable && proxied ) {
			dispatch( plain.serviceUnreachable( error.message ) );
		}
		throw error;
	}
}

function notices( context: ThunkContext ) {
	return context.registry.dispatch( noticesStore );
}

// ---------------------------------------------------------------------------------------------
// Flows

export const fetchFlows = (): Thunk => async ( context ) => {
	try {
		const body = await call< unknown >( context, {
			path: path( 'flows' ),
		} );
		context.dispatch( plain.receiveFlows( flowList( body ) ) );
	} catch ( e ) {
		context.dispatch( plain.receiveFlowsError( e as ApiError ) );
	}
};

export const fetchHourlyStats =
	( flowId: SyncType ): Thunk =>
	async ( context ) => {
		try {
			const body = await call< HourlyStats >( context, {
				path: path( 'stats/hourly', { type: flowId, hours: 24 } ),
			} );
			context.dispatch(
				plain.receiveHourly(
					flowId,
					Array.isArray( body?.buckets ) ? body.buckets : []
				)
			);
		} catch ( e ) {
			context.dispatch(
				plain.receiveHourlyError( flowId, e as ApiError )
			);
		}
	};

/** PATCH flows/{id} with `{ enabled }` and/or `{ schedule }`; a 400's message comes back in `error`. */
export const updateFlow =
	( flowId: SyncType, patch: FlowPatch ): Thunk< Result > =>
	async ( context ) => {
		context.dispatch( plain.flowUpdateStart( flowId ) );
		try {
			const body = await call< unknown >( context, {
				path: path( `flows/${ flowId }` ),
				method: 'PATCH',
				data: patch,
			} );
			if ( isFlow( body ) ) {
				context.dispatch( plain.receiveFlow( body ) );
			} else {
				await fetchFlows()( context );
			}
			context.dispatch( plain.flowUpdateFinish( flowId, null ) );
			const name = flowLabel( flowId );
			let message: string;
			if ( patch.schedule !== undefined ) {
				message = sprintf(
					/* translators: %s: flow name, e.g. Inventory */
					__( 'Schedule of the %s flow saved.', 'brightpearl-sync' ),
					name
				);
			} else if ( patch.enabled ) {
				message = sprintf(
					/* translators: %s: flow name, e.g. Inventory */
					__( '%s flow enabled.', 'brightpearl-sync' ),
					name
				);
			} else {
				message = sprintf(
					/* translators: %s: flow name, e.g. Inventory */
					__( '%s flow disabled.', 'brightpearl-sync' ),
					name
				);
			}
			notices( context ).createSuccessNotice( message, {
				type: 'snackbar',
				id: `bpwc-flow-${ flowId }`,
			} );
			return { ok: true };
		} catch ( e ) {
			const error = e as ApiError;
			context.dispatch( plain.flowUpdateFinish( flowId, error ) );
			if ( patch.schedule === undefined ) {
				notices( context ).createErrorNotice( error.message, {
					id: `bpwc-flow-${ flowId }`,
				} );
			}
			return { ok: false, error };
		}
	};

const polling = new Set< number >();

/**
 * Polls GET runs/{id} until the run ends, keeping its counts in the store, then refreshes the
 * flow, its chart and the sync log. Safe to call twice for one run (the second call returns).
 */
export const watchRun =
	( flowId: SyncType, runId: number ): Thunk< Run | null > =>
	async ( context ) => {
		if ( polling.has( runId ) ) {
			return null;
		}
		polling.add( runId );
		context.dispatch(
			plain.runUpdate( flowId, { runId, status: 'running' } )
		);
		let failures = 0;
		try {
			for (;;) {
				await delay( getPollInterval() );
				let run: Run;
				try {
					run = await call< Run >( context, {
						path: path( `runs/${ runId }` ),
					} );
					failures = 0;
				} catch ( e ) {
					// A blip is retried; three in a row and we stop watching (the run goes on).
					if ( ++failures < 3 ) {
						continue;
					}
					context.dispatch( plain.runClear( flowId ) );
					notices( context ).createErrorNotice(
						sprintf(
							/* translators: 1: flow name, 2: error message */
							__(
								'Lost track of the %1$s run: %2$s',
								'brightpearl-sync'
							),
							flowLabel( flowId ),
							( e as ApiError ).message
						),
						{ id: `bpwc-run-${ flowId }` }
					);
					return null;
				}
				context.dispatch(
					plain.runUpdate( flowId, {
						runId,
						status: run.status,
						counts: run.counts,
						error: run.error,
						startedAt: run.startedAt,
						finishedAt: run.finishedAt,
					} )
				);
				if ( run.status !== 'running' ) {
					await Promise.all( [
						fetchFlows()( context ),
						fetchHourlyStats( flowId )( context ),
					] );
					context.dispatch.invalidateResolutionForStoreSelector(
						'getLogsPage'
					);
					announceRunEnd( context, flowId, run );
					return run;
				}
			}
		} finally {
			polling.delete( runId );
		}
	};

function announceRunEnd( context: ThunkContext, flowId: SyncType, run: Run ) {
	const name = flowLabel( flowId );
	const counts = run.counts ?? {
		seen: 0,
		synced: 0,
		failed: 0,
		unchanged: 0,
	};
	const id = `bpwc-run-${ flowId }`;
	if ( run.status === 'failed' || run.status === 'aborted' ) {
		notices( context ).createErrorNotice(
			sprintf(
				/* translators: 1: flow name, 2: error message */
				__( 'The %1$s run failed: %2$s', 'brightpearl-sync' ),
				name,
				run.error ?? __( 'no reason given', 'brightpearl-sync' )
			),
			{ id }
		);
		return;
	}
	notices( context ).createSuccessNotice(
		sprintf(
			/* translators: 1: flow name, 2: items synced, 3: items unchanged, 4: items failed */
			__(
				'%1$s run finished: %2$d synced, %3$d unchanged, %4$d failed.',
				'brightpearl-sync'
			),
			name,
			counts.synced,
			counts.unchanged,
			counts.failed
		),
		{ type: 'snackbar', id }
	);
}

/** "Run now": POST flows/{id}/runs → { runId }, then watch the run to its end. */
export const runFlow =
	( flowId: SyncType ): Thunk< Run | null > =>
	async ( context ) => {
		context.dispatch( plain.runStarting( flowId ) );
		let runId: number;
		try {
			( { runId } = await call< { runId: number } >( context, {
				path: path( `flows/${ flowId }/runs` ),
				method: 'POST',
			} ) );
		} catch ( e ) {
			const error = e as ApiError;
			context.dispatch( plain.runClear( flowId ) );
			if ( error.code === 'flow_busy' ) {
				// Already running (on its schedule, or from another tab): follow that run instead.
				await fetchFlows()( context );
				const running = context.select.getFlow( flowId )?.running;
				if ( running ) {
					return watchRun( flowId, running )( context );
				}
			}
			notices( context ).createErrorNotice( error.message, {
				id: `bpwc-run-${ flowId }`,
			} );
			return null;
		}
		return watchRun( flowId, runId )( context );
	};

// ---------------------------------------------------------------------------------------------
// Sync log

export const fetchLogsPage =
	( query: LogQuery ): Thunk =>
	async ( context ) => {
		const key = logQueryKey( query );
		try {
			const page = await call< LogPage >( context, {
				path: path( 'logs', {
					type: query.type,
					status: query.status,
					search: query.search,
					from: query.from,
					to: query.to,
					limit: query.limit,
					cursor: query.cursor,
				} ),
			} );
			context.dispatch(
				plain.receiveLogs( key, {
					items: page.items ?? [],
					nextCursor: page.nextCursor ?? null,
					total: page.total ?? 0,
				} )
			);
		} catch ( e ) {
			context.dispatch( plain.receiveLogsError( key, e as ApiError ) );
		}
	};

export const fetchLogItem =
	( id: number ): Thunk =>
	async ( context ) => {
		try {
			const item = await call< LogDetail >( context, {
				path: path( `logs/${ id }` ),
			} );
			context.dispatch(
				plain.receiveLogItem( id, {
					...item,
					history: item.history ?? [],
				} )
			);
		} catch ( e ) {
			context.dispatch( plain.receiveLogItemError( id, e as ApiError ) );
		}
	};

/** Refetches every sync log page on screen (their resolvers run again). */
export const refreshLogs = (): Thunk => async ( context ) => {
	context.dispatch.invalidateResolutionForStoreSelector( 'getLogsPage' );
	context.dispatch.invalidateResolutionForStoreSelector( 'getLogItem' );
};

/** POST logs/retry with `{ ids }` or `{ type, status: 'failed' }`, then follows the runs it started. */
export const retryLogs =
	( selector: RetrySelector ): Thunk< RetryResult | null > =>
	async ( context ) => {
		let result: RetryResult;
		try {
			result = await call< RetryResult >( context, {
				path: path( 'logs/retry' ),
				method: 'POST',
				data: selector,
			} );
		} catch ( e ) {
			notices( context ).createErrorNotice( ( e as ApiError ).message, {
				id: 'bpwc-retry',
			} );
			return null;
		}
		notices( context ).createSuccessNotice(
			result.queued === 0
				? __(
						'Nothing to retry: there are no failed items.',
						'brightpearl-sync'
					)
				: sprintf(
						/* translators: %d: number of items */
						_n(
							'%d item queued for retry.',
							'%d items queued for retry.',
							result.queued,
							'brightpearl-sync'
						),
						result.queued
					),
			{ type: 'snackbar', id: 'bpwc-retry' }
		);
		await refreshLogs()( context );
		for ( const run of result.runs ?? [] ) {
			if ( run.runId ) {
				// Not awaited: the table refreshes again when the run ends.
				void watchRun( run.type, run.runId )( context );
			}
		}
		return result;
	};

// ---------------------------------------------------------------------------------------------
// Settings

export const fetchMappings = (): Thunk => async ( context ) => {
	try {
		context.dispatch(
			plain.receiveMappings(
				await call< Mappings >( context, {
					path: path( 'settings/mappings' ),
				} )
			)
		);
	} catch ( e ) {
		context.dispatch( plain.receiveMappingsError( e as ApiError ) );
	}
};

export const fetchReference = (): Thunk => async ( context ) => {
	try {
		context.dispatch(
			plain.receiveReference(
				await call< ReferenceData >( context, {
					path: path( 'settings/reference' ),
				} )
			)
		);
	} catch ( e ) {
		context.dispatch( plain.receiveReferenceError( e as ApiError ) );
	}
};

/** PUT settings/mappings; a 400 names the bad field and comes back in `error` (and `error.fields`). */
export const saveMappings =
	( mappings: Mappings ): Thunk< Result > =>
	async ( context ) => {
		try {
			const saved = await call< Mappings >( context, {
				path: path( 'settings/mappings' ),
				method: 'PUT',
				data: mappings,
			} );
			context.dispatch(
				plain.receiveMappings(
					saved &&
						typeof saved === 'object' &&
						'nominalCodes' in saved
						? saved
						: mappings
				)
			);
			notices( context ).createSuccessNotice(
				__( 'Mappings saved.', 'brightpearl-sync' ),
				{ type: 'snackbar', id: 'bpwc-mappings' }
			);
			return { ok: true };
		} catch ( e ) {
			return { ok: false, error: e as ApiError };
		}
	};

export const fetchConnection = (): Thunk => async ( context ) => {
	try {
		const connection = await call< ConnectionSettings >(
			context,
			{ path: path( 'connection' ) },
			{ proxied: false }
		);
		context.dispatch( plain.receiveConnection( connection ) );
	} catch ( e ) {
		context.dispatch( plain.receiveConnectionError( e as ApiError ) );
	}
};

export const saveConnection =
	( update: ConnectionUpdate ): Thunk< Result > =>
	async ( context ) => {
		try {
			const connection = await call< ConnectionSettings >(
				context,
				{ path: path( 'connection' ), method: 'PUT', data: update },
				{ proxied: false }
			);
			context.dispatch( plain.receiveConnection( connection ) );
			notices( context ).createSuccessNotice(
				__( 'Connection settings saved.', 'brightpearl-sync' ),
				{ type: 'snackbar', id: 'bpwc-connection' }
			);
			// A new URL or token: check the service again.
			await fetchServiceStatus()( context );
			return { ok: true };
		} catch ( e ) {
			return { ok: false, error: e as ApiError };
		}
	};

export const fetchServiceStatus =
	(): Thunk< ServiceStatus | null > => async ( context ) => {
		try {
			const status = await call< ServiceStatus >(
				context,
				{ path: path( 'status' ) },
				{ proxied: false }
			);
			context.dispatch( plain.receiveStatus( status ) );
			return status;
		} catch ( e ) {
			const error = e as ApiError;
			context.dispatch( plain.receiveStatusError( error ) );
			if ( error.unreachable ) {
				context.dispatch( plain.serviceUnreachable( error.message ) );
			}
			return null;
		}
	};

/** Test button: the service is GET status; Brightpearl and WooCommerce are POST connections/{system}/test. */
export const testConnection =
	( system: ConnectionSystem ): Thunk< ConnectionTestResult > =>
	async ( context ) => {
		context.dispatch( plain.connectionTestStart( system ) );
		let result: ConnectionTestResult;
		if ( system === 'service' ) {
			const started = Date.now();
			const status = await fetchServiceStatus()( context );
			const reachable = !! status?.reachable;
			let message: string;
			if ( reachable ) {
				message = status?.service?.version
					? sprintf(
							/* translators: %s: version number */
							__( 'Reachable, version %s.', 'brightpearl-sync' ),
							status.service.version
						)
					: __( 'Reachable.', 'brightpearl-sync' );
			} else {
				message =
					status?.message ??
					context.select.getServiceStatusError()?.message ??
					__(
						'The sync service cannot be reached.',
						'brightpearl-sync'
					);
			}
			result = {
				ok: reachable,
				message,
				latencyMs: Date.now() - started,
			};
		} else {
			try {
				result = await call< ConnectionTestResult >( context, {
					path: path( `connections/${ system }/test` ),
					method: 'POST',
				} );
			} catch ( e ) {
				result = {
					ok: false,
					message: ( e as ApiError ).message,
					latencyMs: 0,
				};
			}
		}
		context.dispatch( plain.connectionTestFinish( system, result ) );
		return result;
	};
