/**
 * Selectors of the `bpwc/admin` store. Those with a resolver of the same name fetch on first use.
 */
import type {
	ActiveRun,
	ApiError,
	ConnectionSettings,
	ConnectionSystem,
	ConnectionTestState,
	Flow,
	FlowUpdateState,
	HourlyBucket,
	LogDetail,
	LogPage,
	LogQuery,
	Mappings,
	ReferenceData,
	ServiceStatus,
	State,
	SyncType,
} from './types';
import { logQueryKey } from './utils';

export const getFlows = ( state: State ): Flow[] | null => state.flows.value;
export const getFlowsError = ( state: State ): ApiError | null =>
	state.flows.error;
export const getFlow = ( state: State, id: SyncType ): Flow | null =>
	state.flows.value?.find( ( f ) => f.id === id ) ?? null;
export const getFlowUpdate = (
	state: State,
	id: SyncType
): FlowUpdateState | null => state.flowUpdates[ id ] ?? null;
export const getActiveRun = ( state: State, id: SyncType ): ActiveRun | null =>
	state.runs[ id ] ?? null;
export const isFlowRunning = ( state: State, id: SyncType ): boolean => {
	const run = state.runs[ id ];
	return !! run && ( run.status === 'running' || run.status === 'starting' );
};

export const getHourlyStats = (
	state: State,
	id: SyncType
): HourlyBucket[] | null => state.hourly[ id ]?.value ?? null;
export const getHourlyStatsError = (
	state: State,
	id: SyncType
): ApiError | null => state.hourly[ id ]?.error ?? null;

export const getLogsPage = ( state: State, query: LogQuery ): LogPage | null =>
	state.logs[ logQueryKey( query ) ]?.value ?? null;
export const getLogsError = (
	state: State,
	query: LogQuery
): ApiError | null => state.logs[ logQueryKey( query ) ]?.error ?? null;
export const getLogItem = ( state: State, id: number ): LogDetail | null =>
	state.logItems[ id ]?.value ?? null;
export const getLogItemError = ( state: State, id: number ): ApiError | null =>
	state.logItems[ id ]?.error ?? null;

export const getMappings = ( state: State ): Mappings | null =>
	state.mappings.value;
export const getMappingsError = ( state: State ): ApiError | null =>
	state.mappings.error;
export const getReference = ( state: State ): ReferenceData | null =>
	state.reference.value;
export const getReferenceError = ( state: State ): ApiError | null =>
	state.reference.error;
export const getConnection = ( state: State ): ConnectionSettings | null =>
	state.connection.value;
export const getConnectionError = ( state: State ): ApiError | null =>
	state.connection.error;
export const getServiceStatus = ( state: State ): ServiceStatus | null =>
	state.status.value;
export const getServiceStatusError = ( state: State ): ApiError | null =>
	state.status.error;
export const getConnectionTest = (
	state: State,
	system: ConnectionSystem
): ConnectionTestState | null => state.connectionTests[ system ] ?? null;

export const isServiceUnreachable = ( state: State ): boolean =>
	state.service.unreachable;
export const getServiceUnreachableMessage = ( state: State ): string | null =>
	state.service.message;
