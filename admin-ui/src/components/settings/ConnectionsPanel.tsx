/**
 * Status of the three connections (the service, Brightpearl, WooCommerce) with a Test button each.
 */
import {
	Button,
	Card,
	CardBody,
	CardHeader,
	VisuallyHidden,
} from '@wordpress/components';
import { useDispatch, useSelect } from '@wordpress/data';
import { __, sprintf } from '@wordpress/i18n';
import { store } from '../../store';
import type { ConnectionSystem, ConnectionTestState } from '../../store/types';
import StatusBadge from '../StatusBadge';

interface RowProps {
	system: ConnectionSystem;
	name: string;
	test: ConnectionTestState | null;
	/** What is known before any test (the service's status). */
	initial?: { ok: boolean; message: string } | null;
}

function ConnectionRow( { system, name, test, initial }: RowProps ) {
	const { testConnection } = useDispatch( store );
	const result = test?.result ?? initial ?? null;
	return (
		<tr>
			<th scope="row">{ name }</th>
			<td>
				{ result ? (
					<StatusBadge
						tone={ result.ok ? 'success' : 'error' }
						label={
							result.ok
								? __( 'Connected', 'brightpearl-sync' )
								: __( 'Not connected', 'brightpearl-sync' )
						}
					/>
				) : (
					<StatusBadge
						tone="neutral"
						label={ __( 'Not tested', 'brightpearl-sync' ) }
					/>
				) }
			</td>
			<td className="bpwc-connections__message" aria-live="polite">
				{ result?.message }
				{ test?.result && test.result.latencyMs > 0 && (
					<span className="bpwc-facts__detail">
						{ sprintf(
							/* translators: %d: milliseconds */
							__( '%d ms', 'brightpearl-sync' ),
							test.result.latencyMs
						) }
					</span>
				) }
			</td>
			<td className="bpwc-connections__action">
				<Button
					variant="secondary"
					size="compact"
					isBusy={ !! test?.testing }
					disabled={ !! test?.testing }
					accessibleWhenDisabled
					onClick={ () => void testConnection( system ) }
					label={ sprintf(
						/* translators: %s: system name */
						__( 'Test the %s connection', 'brightpearl-sync' ),
						name
					) }
					showTooltip={ false }
				>
					{ __( 'Test', 'brightpearl-sync' ) }
				</Button>
			</td>
		</tr>
	);
}

export default function ConnectionsPanel() {
	const {
		status,
		statusError,
		serviceTest,
		brightpearlTest,
		woocommerceTest,
	} = useSelect(
		( select ) => ( {
			status: select( store ).getServiceStatus(),
			statusError: select( store ).getServiceStatusError(),
			serviceTest: select( store ).getConnectionTest( 'service' ),
			brightpearlTest: select( store ).getConnectionTest( 'brightpearl' ),
			woocommerceTest: select( store ).getConnectionTest( 'woocommerce' ),
		} ),
		[]
	);

	let serviceInitial: { ok: boolean; message: string } | null = null;
	if ( status ) {
		serviceInitial = status.reachable
			? {
					ok: true,
					message: status.service?.version
						? sprintf(
								/* translators: %s: version number */
								__(
									'Reachable, version %s.',
									'brightpearl-sync'
								),
								status.service.version
							)
						: __( 'Reachable.', 'brightpearl-sync' ),
				}
			: {
					ok: false,
					message:
						status.message ??
						__(
							'The sync service cannot be reached.',
							'brightpearl-sync'
						),
				};
	} else if ( statusError ) {
		serviceInitial = { ok: false, message: statusError.message };
	}

	return (
		<Card className="bpwc-settings-card">
			<CardHeader>
				<h2 className="bpwc-card-title">
					{ __( 'Connections', 'brightpearl-sync' ) }
				</h2>
			</CardHeader>
			<CardBody>
				<table className="bpwc-connections">
					<thead>
						<tr>
							<th scope="col">
								{ __( 'Connection', 'brightpearl-sync' ) }
							</th>
							<th scope="col">
								{ __( 'Status', 'brightpearl-sync' ) }
							</th>
							<th scope="col">
								{ __( 'Details', 'brightpearl-sync' ) }
							</th>
							<th scope="col">
								<VisuallyHidden>
									{ __( 'Actions', 'brightpearl-sync' ) }
								</VisuallyHidden>
							</th>
						</tr>
					</thead>
					<tbody>
						<ConnectionRow
							system="service"
							name={ __( 'Sync service', 'brightpearl-sync' ) }
							test={ serviceTest }
							initial={ serviceInitial }
						/>
						<ConnectionRow
							system="brightpearl"
							name={ __( 'Brightpearl', 'brightpearl-sync' ) }
							test={ brightpearlTest }
						/>
						<ConnectionRow
							system="woocommerce"
							name={ __( 'WooCommerce', 'brightpearl-sync' ) }
							test={ woocommerceTest }
						/>
					</tbody>
				</table>
			</CardBody>
		</Card>
	);
}
