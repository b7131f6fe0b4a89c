/**
 * One sync log item: its ids, current error and attempt history with collapsible request and
 * response JSON. Modal traps focus while open and gives it back to the opener on close.
 */
import { Button, Modal, Notice, Spinner } from '@wordpress/components';
import { useDispatch, useSelect } from '@wordpress/data';
import { __, sprintf } from '@wordpress/i18n';
import { store } from '../../store';
import type { LogAttempt } from '../../store/types';
import { formatDateTime } from '../../utils/date';
import { outcomeLabel } from '../../utils/labels';
import StatusBadge from '../StatusBadge';
import { SyncStatusBadge } from '../SyncStatusBadge';

function Json( { label, value }: { label: string; value: unknown } ) {
	if ( value === null || value === undefined ) {
		return null;
	}
	return (
		<details className="bpwc-json">
			<summary>{ label }</summary>
			<pre>
				{ typeof value === 'string'
					? value
					: JSON.stringify( value, null, 2 ) }
			</pre>
		</details>
	);
}

function outcomeTone( outcome: string ) {
	if ( outcome === 'synced' || outcome === 'unchanged' ) {
		return 'success' as const;
	}
	if ( outcome === 'failed' ) {
		return 'error' as const;
	}
	return 'info' as const;
}

function History( { attempts }: { attempts: LogAttempt[] } ) {
	if ( attempts.length === 0 ) {
		return <p>{ __( 'No attempts recorded yet.', 'brightpearl-sync' ) }</p>;
	}
	return (
		<table className="widefat striped bpwc-history">
			<thead>
				<tr>
					<th scope="col">{ __( 'Time', 'brightpearl-sync' ) }</th>
					<th scope="col">{ __( 'Outcome', 'brightpearl-sync' ) }</th>
					<th scope="col">{ __( 'Message', 'brightpearl-sync' ) }</th>
				</tr>
			</thead>
			<tbody>
				{ attempts.map( ( attempt ) => (
					<tr key={ attempt.id }>
						<td>
							<time dateTime={ attempt.at }>
								{ formatDateTime( attempt.at ) }
							</time>
							{ attempt.runId !== null && (
								<span className="bpwc-facts__detail">
									{ sprintf(
										/* translators: %d: run id */
										__( 'Run #%d', 'brightpearl-sync' ),
										attempt.runId
									) }
								</span>
							) }
						</td>
						<td>
							<StatusBadge
								tone={ outcomeTone( attempt.outcome ) }
								label={ outcomeLabel( attempt.outcome ) }
							/>
						</td>
						<td>
							{ attempt.message ?? '—' }
							<Json
								label={ __( 'Request', 'brightpearl-sync' ) }
								value={ attempt.request }
							/>
							<Json
								label={ __( 'Response', 'brightpearl-sync' ) }
								value={ attempt.response }
							/>
						</td>
					</tr>
				) ) }
			</tbody>
		</table>
	);
}

interface Props {
	id: number;
	title: string;
	onClose: () => void;
}

export default function LogDetailsModal( { id, title, onClose }: Props ) {
	const { item, error } = useSelect(
		( select ) => ( {
			item: select( store ).getLogItem( id ),
			error: select( store ).getLogItemError( id ),
		} ),
		[ id ]
	);
	const { retryLogs } = useDispatch( store );

	return (
		<Modal
			title={ sprintf(
				/* translators: %s: product name or entity id */
				__( 'Sync details: %s', 'brightpearl-sync' ),
				item?.info || title
			) }
			onRequestClose={ onClose }
			size="large"
			className="bpwc-details-modal"
		>
			{ ! item && ! error && (
				<p className="bpwc-loading">
					<Spinner /> { __( 'Loading…', 'brightpearl-sync' ) }
				</p>
			) }
			{ ! item && error && (
				<Notice status="error" isDismissible={ false }>
					{ error.message }
				</Notice>
			) }
			{ item && (
				<>
					<dl className="bpwc-facts bpwc-facts--grid">
						<div>
							<dt>{ __( 'Sync Status', 'brightpearl-sync' ) }</dt>
							<dd>
								<SyncStatusBadge status={ item.status } />
							</dd>
						</div>
						<div>
							<dt>{ __( 'Entity', 'brightpearl-sync' ) }</dt>
							<dd>
								<code>{ item.entityId }</code>
							</dd>
						</div>
						<div>
							<dt>
								{ __( 'Brightpearl ID', 'brightpearl-sync' ) }
							</dt>
							<dd>{ item.brightpearlId ?? '—' }</dd>
						</div>
						<div>
							<dt>
								{ __( 'WooCommerce ID', 'brightpearl-sync' ) }
							</dt>
							<dd>{ item.woocommerceId ?? '—' }</dd>
						</div>
						<div>
							<dt>{ __( 'Synced At', 'brightpearl-sync' ) }</dt>
							<dd>{ formatDateTime( item.syncedAt ) }</dd>
						</div>
						<div>
							<dt>{ __( 'Updated At', 'brightpearl-sync' ) }</dt>
							<dd>{ formatDateTime( item.updatedAt ) }</dd>
						</div>
						<div>
							<dt>{ __( 'Attempts', 'brightpearl-sync' ) }</dt>
							<dd>{ item.attempts }</dd>
						</div>
					</dl>
					{ item.error && (
						<Notice
							status="error"
							isDismissible={ false }
							className="bpwc-inline-notice"
						>
							<strong>
								{ __( 'Last error:', 'brightpearl-sync' ) }
							</strong>{ ' ' }
							{ item.error }
						</Notice>
					) }
					<h3>{ __( 'Attempt history', 'brightpearl-sync' ) }</h3>
					<History attempts={ item.history } />
				</>
			) }
			<div className="bpwc-modal-actions">
				{ item?.status === 'failed' && (
					<Button
						variant="primary"
						onClick={ () => void retryLogs( { ids: [ item.id ] } ) }
					>
						{ __( 'Retry this item', 'brightpearl-sync' ) }
					</Button>
				) }
				<Button variant="tertiary" onClick={ onClose }>
					{ __( 'Close', 'brightpearl-sync' ) }
				</Button>
			</div>
		</Modal>
	);
}
