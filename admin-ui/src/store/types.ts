/**
 * Types of the `bpwc/admin` store: what the REST API returns and the store's state and actions.
 */
import type { ApiError } from '../api/errors';

export type { ApiError };

export const SYNC_TYPES = [
	'inventory',
	'product',
	'order',
	'refund',
	'shipment',
] as const;
export type SyncType = ( typeof SYNC_TYPES )[ number ];
export type Direction =
	'brightpearl_to_woocommerce' | 'woocommerce_to_brightpearl';
export type RunStatus =
	'running' | 'succeeded' | 'partial' | 'failed' | 'aborted';
export type SyncStatus = 'pending' | 'synced' | 'failed';
export type ConnectionSystem = 'service' | 'brightpearl' | 'woocommerce';

export interface RunCounts {
	seen: number;
	synced: number;
	failed: number;
	unchanged: number;
}

export interface Run {
	id: number;
	flowId?: SyncType;
	trigger?: string;
	status: RunStatus;
	startedAt: string;
	finishedAt: string | null;
	counts: RunCounts | null;
	error: string | null;
}

export interface Flow {
	id: SyncType;
	name: string;
	direction: Direction;
	/** false: the flow is not implemented yet ("Coming soon"). */
	available: boolean;
	enabled: boolean;
	schedule: string;
	/** Id of the run in progress, if any. */
	running: number | null;
	lastRun: Run | null;
	nextRunAt: string | null;
	counts: Partial< Record< SyncStatus, number > >;
}

export interface FlowPatch {
	enabled?: boolean;
	schedule?: string;
}

export interface HourlyBucket {
	/** Start of the hour, ISO 8601. */
	hour: string;
	synced: number;
	failed: number;
}

export interface HourlyStats {
	type: SyncType;
	buckets: HourlyBucket[];
}

export interface LogItem {
	id: number;
	type: SyncType;
	info: string;
	entityId: string;
	brightpearlId: string | null;
	woocommerceId: string | null;
	status: SyncStatus;
	syncedAt: string;
	updatedAt: string;
	error: string | null;
	attempts: number;
}

export interface LogAttempt {
	id: number;
	runId: number | null;
	at: string;
	outcome: string;
	message: string | null;
	request: unknown;
	response: unknown;
}

export interface LogDetail extends LogItem {
	history: LogAttempt[];
}

export interface LogFilters {
	type: SyncType;
	status?: SyncStatus;
	search?: string;
	/** ISO 8601 instants (inclusive bounds on Updated At). */
	from?: string;
	to?: string;
}

export interface LogQuery extends LogFilters {
	limit: number;
	cursor?: string | null;
}

export interface LogPage {
	items: LogItem[];
	nextCursor: string | null;
	total: number;
}

export type RetrySelector =
	{ ids: number[] } | { type: SyncType; status: 'failed' };

export interface RetryResult {
	queued: number;
	runs: {
		type: SyncType;
		runId: number | null;
		queued?: boolean;
		error?: string;
	}[];
}

export interface Mappings {
	inventoryWarehouseIds: number[];
	priceListId: number | null;
	channelId: number | null;
	orderWarehouseId: number | null;
	exportOrderStatuses: string[];
	orderStatusMap: {
		/** WooCommerce status slug → Brightpearl order status id. */
		toBrightpearl: Record< string, number >;
		/** Brightpearl order status id (as a string) → WooCommerce status slug. */
		toWooCommerce: Record< string, string >;
	};
	/** WooCommerce gateway id → Brightpearl payment method code. */
	paymentMethodMap: Record< string, string >;
	/** WooCommerce shipping method id → Brightpearl shipping method id. */
	shippingMethodMap: Record< string, number >;
	defaultTaxCode: string;
	nominalCodes: { sales: string; shipping: string };
}

export interface IdName {
	id: number;
	name: string;
}

export interface ReferenceData {
	brightpearl: {
		warehouses: IdName[];
		priceLists: IdName[];
		channels: IdName[];
		orderStatuses: IdName[];
		shippingMethods: IdName[];
		paymentMethods: { code: string; name: string }[];
		taxCodes: { code: string; rate: number | null }[];
	};
	woocommerce: {
		orderStatuses: { slug: string; name: string }[];
		paymentGateways: { id: string; title: string }[];
		shippingMethods: { id: string; title: string }[];
	};
	errors?: { brightpearl?: string; woocommerce?: string };
}

/**
 * GET bpwc/v1/status (always a 200). `reachable`: the service is up and accepts the token
 * (`message` says why not). `service`: the plugin's view of it (`url`, `configured`, `reachable`
 * over the network) merged with the service's /health answer (`status`, `version`, …); null in
 * the demo preview when /health does not answer. `flows`: a summary per flow, or null.
 */
export interface ServiceStatus {
	service: {
		status?: string;
		version?: string;
		uptimeSeconds?: number;
		database?: string;
		url?: string;
		configured?: boolean;
		reachable?: boolean;
		code?: string;
		message?: string;
		[ key: string ]: unknown;
	} | null;
	reachable: boolean;
	message?: string;
	flows?: Array< Record< string, unknown > > | null;
	flowsError?: { code: string; message: string; status?: number };
}

export interface ConnectionTestResult {
	ok: boolean;
	message: string;
	latencyMs: number;
}

export interface ConnectionSettings {
	serviceUrl: string;
	hasToken: boolean;
	urlFromConstant: boolean;
	tokenFromConstant: boolean;
	/** Demo preview: the connection cannot be changed here. */
	readOnly?: boolean;
	message?: string;
}

export interface ConnectionUpdate {
	serviceUrl?: string;
	token?: string;
}

/** A value loaded from the API: the last good value and the last error. */
export interface Loaded< T > {
	value: T | null;
	error: ApiError | null;
}

/** A run started from this page (or found running) and polled until it ends. */
export interface ActiveRun {
	runId: number | null;
	status: RunStatus | 'starting';
	counts: RunCounts | null;
	error: string | null;
	startedAt: string | null;
	finishedAt: string | null;
}

export interface FlowUpdateState {
	saving: boolean;
	error: ApiError | null;
}

export interface ConnectionTestState {
	testing: boolean;
	result: ConnectionTestResult | null;
}

export interface State {
	flows: Loaded< Flow[] >;
	flowUpdates: Partial< Record< SyncType, FlowUpdateState > >;
	runs: Partial< Record< SyncType, ActiveRun > >;
	hourly: Partial< Record< SyncType, Loaded< HourlyBucket[] > > >;
	/** Keyed by logQueryKey(query). */
	logs: Record< string, Loaded< LogPage > >;
	logItems: Record< number, Loaded< LogDetail > >;
	mappings: Loaded< Mappings >;
	reference: Loaded< ReferenceData >;
	connection: Loaded< ConnectionSettings >;
	status: Loaded< ServiceStatus >;
	connectionTests: Partial< Record< ConnectionSystem, ConnectionTestState > >;
	service: { unreachable: boolean; message: string | null };
}

export type Action =
	| { type: 'RECEIVE_FLOWS'; flows: Flow[] }
	| { type: 'RECEIVE_FLOWS_ERROR'; error: ApiError }
	| { type: 'RECEIVE_FLOW'; flow: Flow }
	| { type: 'FLOW_UPDATE_START'; flowId: SyncType }
	| { type: 'FLOW_UPDATE_FINISH'; flowId: SyncType; error: ApiError | null }
	| { type: 'RUN_STARTING'; flowId: SyncType }
	| {
			type: 'RUN_UPDATE';
			flowId: SyncType;
			run: Partial< ActiveRun > & {
				runId: number | null;
				status: ActiveRun[ 'status' ];
			};
	  }
	| { type: 'RUN_CLEAR'; flowId: SyncType }
	| { type: 'RECEIVE_HOURLY'; flowId: SyncType; buckets: HourlyBucket[] }
	| { type: 'RECEIVE_HOURLY_ERROR'; flowId: SyncType; error: ApiError }
	| { type: 'RECEIVE_LOGS'; key: string; page: LogPage }
	| { type: 'RECEIVE_LOGS_ERROR'; key: string; error: ApiError }
	| { type: 'RECEIVE_LOG_ITEM'; id: number; item: LogDetail }
	| { type: 'RECEIVE_LOG_ITEM_ERROR'; id: number; error: ApiError }
	| { type: 'RECEIVE_MAPPINGS'; mappings: Mappings }
	| { type: 'RECEIVE_MAPPINGS_ERROR'; error: ApiError }
	| { type: 'RECEIVE_REFERENCE'; reference: ReferenceData }
	| { type: 'RECEIVE_REFERENCE_ERROR'; error: ApiError }
	| { type: 'RECEIVE_CONNECTION'; connection: ConnectionSettings }
	| { type: 'RECEIVE_CONNECTION_ERROR'; error: ApiError }
	| { type: 'RECEIVE_STATUS'; status: ServiceStatus }
	| { type: 'RECEIVE_STATUS_ERROR'; error: ApiError }
	| { type: 'CONNECTION_TEST_START'; system: ConnectionSystem }
	| {
			type: 'CONNECTION_TEST_FINISH';
			system: ConnectionSystem;
			result: ConnectionTestResult;
	  }
	| { type: 'SERVICE_UNREACHABLE'; message: string }
	| { type: 'SERVICE_REACHABLE' };
