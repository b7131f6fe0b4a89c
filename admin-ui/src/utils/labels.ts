/**
 * User-facing names of types, directions and statuses. Every string is a literal `__()` call so
 * the translation tools find it.
 */
import { __ } from '@wordpress/i18n';
import type {
	Direction,
	RunStatus,
	SyncStatus,
	SyncType,
} from '../store/types';

export function flowLabel( type: SyncType ): string {
	switch ( type ) {
		case 'inventory':
			return __( 'Inventory', 'brightpearl-sync' );
		case 'product':
			return __( 'Products', 'brightpearl-sync' );
		case 'order':
			return __( 'Orders', 'brightpearl-sync' );
		case 'refund':
			return __( 'Refunds', 'brightpearl-sync' );
		case 'shipment':
			return __( 'Shipments', 'brightpearl-sync' );
	}
	return type;
}

/** Options of the Log Type control. */
export function logTypeLabel( type: SyncType ): string {
	switch ( type ) {
		case 'inventory':
			return __( 'Inventory', 'brightpearl-sync' );
		case 'product':
			return __( 'Product', 'brightpearl-sync' );
		case 'order':
			return __( 'Order', 'brightpearl-sync' );
		case 'refund':
			return __( 'Refund', 'brightpearl-sync' );
		case 'shipment':
			return __( 'Shipment', 'brightpearl-sync' );
	}
	return type;
}

/** What the empty sync log of a type says to do. */
export function emptyLogMessage( type: SyncType ): string {
	switch ( type ) {
		case 'inventory':
			return __(
				'No inventory items yet. Run the Inventory flow or wait for its schedule.',
				'brightpearl-sync'
			);
		case 'product':
			return __(
				'No products yet. Run the Products flow or wait for its schedule.',
				'brightpearl-sync'
			);
		case 'order':
			return __(
				'No orders yet. Run the Orders flow or wait for its schedule.',
				'brightpearl-sync'
			);
		case 'refund':
			return __(
				'No refunds yet. Run the Refunds flow or wait for its schedule.',
				'brightpearl-sync'
			);
		case 'shipment':
			return __(
				'No shipments yet. Run the Shipments flow or wait for its schedule.',
				'brightpearl-sync'
			);
	}
	return '';
}

export function directionLabel( direction: Direction ): string {
	return direction === 'woocommerce_to_brightpearl'
		? __( 'WooCommerce → Brightpearl', 'brightpearl-sync' )
		: __( 'Brightpearl → WooCommerce', 'brightpearl-sync' );
}

export function syncStatusLabel( status: SyncStatus ): string {
	switch ( status ) {
		case 'pending':
			return __( 'Pending', 'brightpearl-sync' );
		case 'synced':
			return __( 'Synced', 'brightpearl-sync' );
		case 'failed':
			return __( 'Failed', 'brightpearl-sync' );
	}
	return status;
}

export function runStatusLabel( status: RunStatus | 'starting' ): string {
	switch ( status ) {
		case 'starting':
			return __( 'Starting', 'brightpearl-sync' );
		case 'running':
			return __( 'Running', 'brightpearl-sync' );
		case 'succeeded':
			return __( 'Succeeded', 'brightpearl-sync' );
		case 'partial':
			return __( 'Partly failed', 'brightpearl-sync' );
		case 'failed':
			return __( 'Failed', 'brightpearl-sync' );
		case 'aborted':
			return __( 'Aborted', 'brightpearl-sync' );
	}
	return status;
}

export function outcomeLabel( outcome: string ): string {
	switch ( outcome ) {
		case 'synced':
			return __( 'Synced', 'brightpearl-sync' );
		case 'failed':
			return __( 'Failed', 'brightpearl-sync' );
		case 'unchanged':
			return __( 'Unchanged', 'brightpearl-sync' );
		case 'retry':
			return __( 'Retry', 'brightpearl-sync' );
		case 'queued':
			return __( 'Queued', 'brightpearl-sync' );
	}
	return outcome;
}
