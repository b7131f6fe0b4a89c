/**
 * The `bpwc/admin` data store: flows, runs, sync log, settings and the service's reachability.
 * Split like Gutenberg's notices store: types, actions (+ thunks), reducer, selectors, resolvers.
 */
import { createReduxStore, register } from '@wordpress/data';
import * as actions from './actions';
import reducer from './reducer';
import * as resolvers from './resolvers';
import * as selectors from './selectors';
import * as thunks from './thunks';

export const STORE_NAME = 'bpwc/admin';

const storeActions = {
	...actions,
	fetchFlows: thunks.fetchFlows,
	fetchHourlyStats: thunks.fetchHourlyStats,
	updateFlow: thunks.updateFlow,
	runFlow: thunks.runFlow,
	watchRun: thunks.watchRun,
	fetchLogsPage: thunks.fetchLogsPage,
	fetchLogItem: thunks.fetchLogItem,
	refreshLogs: thunks.refreshLogs,
	retryLogs: thunks.retryLogs,
	fetchMappings: thunks.fetchMappings,
	fetchReference: thunks.fetchReference,
	saveMappings: thunks.saveMappings,
	fetchConnection: thunks.fetchConnection,
	saveConnection: thunks.saveConnection,
	fetchServiceStatus: thunks.fetchServiceStatus,
	testConnection: thunks.testConnection,
};

export const store = createReduxStore( STORE_NAME, {
	reducer,
	actions: storeActions,
	selectors,
	resolvers,
} );

register( store );

export * from './types';
export { logQueryKey } from './utils';
