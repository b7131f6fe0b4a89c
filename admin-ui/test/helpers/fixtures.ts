import type {
	Flow,
	LogItem,
	Mappings,
	ReferenceData,
} from '../../src/store/types';

export function flow( overrides: Partial< Flow > = {} ): Flow {
	return {
		id: 'inventory',
		name: 'Inventory',
		direction: 'brightpearl_to_woocommerce',
		available: true,
		enabled: true,
		schedule: '*/5 * * * *',
		running: null,
		lastRun: {
			id: 3,
			status: 'partial',
			startedAt: '2026-01-05T10:00:00.000Z',
			finishedAt: '2026-01-05T10:00:04.000Z',
			counts: { seen: 12, synced: 9, failed: 3, unchanged: 0 },
			error: null,
		},
		nextRunAt: '2026-01-05T10:05:00.000Z',
		counts: { pending: 1, synced: 9, failed: 3 },
		...overrides,
	};
}

export const FLOWS: Flow[] = [
	flow(),
	flow( {
		id: 'product',
		name: 'Products',
		available: false,
		enabled: false,
		lastRun: null,
		nextRunAt: null,
		counts: {},
	} ),
	flow( {
		id: 'order',
		name: 'Orders',
		direction: 'woocommerce_to_brightpearl',
		available: false,
		lastRun: null,
		counts: {},
	} ),
];

export function logItem(
	id: number,
	overrides: Partial< LogItem > = {}
): LogItem {
	return {
		id,
		type: 'inventory',
		info: `Product ${ id }`,
		entityId: `SKU-${ id }`,
		brightpearlId: String( 1000 + id ),
		woocommerceId: String( 2000 + id ),
		status: 'synced',
		syncedAt: '2026-01-05T09:00:00.000Z',
		updatedAt: '2026-01-05T10:00:00.000Z',
		error: null,
		attempts: 1,
		...overrides,
	};
}

export const HOURLY = {
	type: 'inventory',
	buckets: Array.from( { length: 24 }, ( _, i ) => ( {
		hour: new Date( Date.UTC( 2026, 0, 5, i ) ).toISOString(),
		synced: i % 3,
		failed: i === 23 ? 2 : 0,
	} ) ),
};

export const MAPPINGS: Mappings = {
	inventoryWarehouseIds: [ 2 ],
	priceListId: 1,
	channelId: null,
	orderWarehouseId: 2,
	exportOrderStatuses: [ 'processing' ],
	orderStatusMap: {
		toBrightpearl: { processing: 4 },
		toWooCommerce: { '5': 'completed' },
	},
	paymentMethodMap: { bacs: 'BANK' },
	shippingMethodMap: {},
	defaultTaxCode: 'T20',
	nominalCodes: { sales: '4000', shipping: '4040' },
};

export const REFERENCE: ReferenceData = {
	brightpearl: {
		warehouses: [
			{ id: 2, name: 'Main warehouse' },
			{ id: 3, name: 'Overflow' },
		],
		priceLists: [ { id: 1, name: 'Retail' } ],
		channels: [ { id: 1, name: 'Web shop' } ],
		orderStatuses: [
			{ id: 4, name: 'Pending payment' },
			{ id: 5, name: 'Dispatched' },
		],
		shippingMethods: [ { id: 7, name: 'Courier' } ],
		paymentMethods: [ { code: 'BANK', name: 'Bank transfer' } ],
		taxCodes: [ { code: 'T20', rate: 20 } ],
	},
	woocommerce: {
		orderStatuses: [
			{ slug: 'processing', name: 'Processing' },
			{ slug: 'completed', name: 'Completed' },
			{ slug: 'refunded', name: 'Refunded' },
		],
		paymentGateways: [ { id: 'bacs', title: 'Direct bank transfer' } ],
		shippingMethods: [ { id: 'flat_rate', title: 'Flat rate' } ],
	},
};
