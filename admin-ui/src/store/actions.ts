/**
 * Plain action creators of the `bpwc/admin` store. The ones that talk to the API are thunks and
 * live in thunks.ts; both are exposed as the store's actions.
 */
import type {
	Action,
	ActiveRun,
	ApiError,
	ConnectionSettings,
	ConnectionSystem,
	ConnectionTestResult,
	Flow,
	HourlyBucket,
	LogDetail,
	LogPage,
	Mappings,
	ReferenceData,
	ServiceStatus,
	SyncType,
} from './types';

export const receiveFlows = ( flows: Flow[] ): Action => ( {
	type: 'RECEIVE_FLOWS',
	flows,
} );
export const receiveFlowsError = ( error: ApiError ): Action => ( {
	type: 'RECEIVE_FLOWS_ERROR',
	error,
} );
export const receiveFlow = ( flow: Flow ): Action => ( {
	type: 'RECEIVE_FLOW',
	flow,
} );

export const flowUpdateStart = ( flowId: SyncType ): Action => ( {
	type: 'FLOW_UPDATE_START',
	flowId,
} );
export const flowUpdateFinish = (
	flowId: SyncType,
	error: ApiError | null = null
): Action => ( {
	type: 'FLOW_UPDATE_FINISH',
	flowId,
	error,
} );

export const runStarting = ( flowId: SyncType ): Action => ( {
	type: 'RUN_STARTING',
	flowId,
} );
export const runUpdate = (
	flowId: SyncType,
	run: Partial< ActiveRun > & {
		runId: number | null;
		status: ActiveRun[ 'status' ];
	}
): Action => ( { type: 'RUN_UPDATE', flowId, run } );
export const runClear = ( flowId: SyncType ): Action => ( {
	type: 'RUN_CLEAR',
	flowId,
} );

export const receiveHourly = (
	flowId: SyncType,
	buckets: HourlyBucket[]
): Action => ( { type: 'RECEIVE_HOURLY', flowId, buckets } );
export const receiveHourlyError = (
	flowId: SyncType,
	error: ApiError
): Action => ( { type: 'RECEIVE_HOURLY_ERROR', flowId, error } );

export const receiveLogs = ( key: string, page: LogPage ): Action => ( {
	type: 'RECEIVE_LOGS',
	key,
	page,
} );
export const receiveLogsError = ( key: string, error: ApiError ): Action => ( {
	type: 'RECEIVE_LOGS_ERROR',
	key,
	error,
} );
export const receiveLogItem = ( id: number, item: LogDetail ): Action => ( {
	type: 'RECEIVE_LOG_ITEM',
	id,
	item,
} );
export const receiveLogItemError = (
	id: number,
	error: ApiError
): Action => ( { type: 'RECEIVE_LOG_ITEM_ERROR', id, error } );

export const receiveMappings = ( mappings: Mappings ): Action => ( {
	type: 'RECEIVE_MAPPINGS',
	mappings,
} );
export const receiveMappingsError = ( error: ApiError ): Action => ( {
	type: 'RECEIVE_MAPPINGS_ERROR',
	error,
} );
export const receiveReference = ( reference: ReferenceData ): Action => ( {
	type: 'RECEIVE_REFERENCE',
	reference,
} );
export const receiveReferenceError = ( error: ApiError ): Action => ( {
	type: 'RECEIVE_REFERENCE_ERROR',
	error,
} );
export const receiveConnection = (
	connection: ConnectionSettings
): Action => ( { type: 'RECEIVE_CONNECTION', connection } );
export const receiveConnectionError = ( error: ApiError ): Action => ( {
	type: 'RECEIVE_CONNECTION_ERROR',
	error,
} );
export const receiveStatus = ( status: ServiceStatus ): Action => ( {
	type: 'RECEIVE_STATUS',
	status,
} );
export const receiveStatusError = ( error: ApiError ): Action => ( {
	type: 'RECEIVE_STATUS_ERROR',
	error,
} );

export const connectionTestStart = ( system: ConnectionSystem ): Action => ( {
	type: 'CONNECTION_TEST_START',
	system,
} );
export const connectionTestFinish = (
	system: ConnectionSystem,
	result: ConnectionTestResult
): Action => ( {
	type: 'CONNECTION_TEST_FINISH',
	system,
	result,
} );

export const serviceUnreachable = ( message: string ): Action => ( {
	type: 'SERVICE_UNREACHABLE',
	message,
} );
export const serviceReachable = (): Action => ( { type: 'SERVICE_REACHABLE' } );
