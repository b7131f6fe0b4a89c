/**
 * Resolvers of the `bpwc/admin` store: the first `select( store ).getX()` fetches X.
 */
import type { LogQuery, SyncType } from './types';
import {
	fetchConnection,
	fetchFlows,
	fetchHourlyStats,
	fetchLogItem,
	fetchLogsPage,
	fetchMappings,
	fetchReference,
	fetchServiceStatus,
	type ThunkContext,
} from './thunks';

export const getFlows = () => ( context: ThunkContext ) =>
	fetchFlows()( context );
export const getHourlyStats =
	( flowId: SyncType ) => ( context: ThunkContext ) =>
		fetchHourlyStats( flowId )( context );
export const getLogsPage = ( query: LogQuery ) => ( context: ThunkContext ) =>
	fetchLogsPage( query )( context );
export const getLogItem = ( id: number ) => ( context: ThunkContext ) =>
	fetchLogItem( id )( context );
export const getMappings = () => ( context: ThunkContext ) =>
	fetchMappings()( context );
export const getReference = () => ( context: ThunkContext ) =>
	fetchReference()( context );
export const getConnection = () => ( context: ThunkContext ) =>
	fetchConnection()( context );
export const getServiceStatus = () => ( context: ThunkContext ) =>
	fetchServiceStatus()( context ).then( () => undefined );
