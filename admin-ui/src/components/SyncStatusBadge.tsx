import { __ } from '@wordpress/i18n';
import type { RunStatus, SyncStatus } from '../store/types';
import { runStatusLabel, syncStatusLabel } from '../utils/labels';
import StatusBadge, { type BadgeTone } from './StatusBadge';

const SYNC_TONE: Record< SyncStatus, BadgeTone > = {
	pending: 'warning',
	synced: 'success',
	failed: 'error',
};
const RUN_TONE: Record< RunStatus | 'starting', BadgeTone > = {
	starting: 'info',
	running: 'info',
	succeeded: 'success',
	partial: 'warning',
	failed: 'error',
	aborted: 'error',
};

export function SyncStatusBadge( { status }: { status: SyncStatus } ) {
	return (
		<StatusBadge
			tone={ SYNC_TONE[ status ] ?? 'neutral' }
			label={ syncStatusLabel( status ) }
			context={ __( 'Sync status:', 'brightpearl-sync' ) }
		/>
	);
}

export function RunStatusBadge( {
	status,
}: {
	status: RunStatus | 'starting';
} ) {
	return (
		<StatusBadge
			tone={ RUN_TONE[ status ] ?? 'neutral' }
			label={ runStatusLabel( status ) }
			context={ __( 'Run status:', 'brightpearl-sync' ) }
		/>
	);
}
