/**
 * The Brightpearl Sync page: service notices on top, then the Flows, Sync Logs and Settings tabs.
 * The page keeps working when the service is down: every tab renders and says what it can.
 */
import { Button, Notice, TabPanel } from '@wordpress/components';
import { useDispatch, useSelect } from '@wordpress/data';
import { __ } from '@wordpress/i18n';
import { InlineNotices, SnackbarNotices } from '@wordpress/notices';
import { getConfig, isPreview } from '../config';
import { store } from '../store';
import FlowsTab from './flows/FlowsTab';
import LogsTab from './logs/LogsTab';
import SettingsTab from './settings/SettingsTab';

const TAB_NAMES = [ 'flows', 'logs', 'settings' ] as const;

function initialTab(): string {
	const hash =
		typeof window !== 'undefined'
			? window.location.hash.replace( /^#/, '' )
			: '';
	return ( TAB_NAMES as readonly string[] ).includes( hash ) ? hash : 'flows';
}

function ServiceNotice() {
	const { unreachable, message } = useSelect(
		( select ) => ( {
			unreachable: select( store ).isServiceUnreachable(),
			message: select( store ).getServiceUnreachableMessage(),
			// Selecting the status fetches it once, so an unreachable service shows here at once.
			status: select( store ).getServiceStatus(),
		} ),
		[]
	);
	const { fetchServiceStatus, fetchFlows, refreshLogs } =
		useDispatch( store );
	if ( ! unreachable ) {
		return null;
	}
	return (
		<Notice
			status="error"
			isDismissible={ false }
			className="bpwc-service-notice"
		>
			<p>
				<strong>
					{ __(
						'The sync service cannot be reached.',
						'brightpearl-sync'
					) }
				</strong>{ ' ' }
				{ message &&
				message !==
					__(
						'The sync service cannot be reached.',
						'brightpearl-sync'
					)
					? message
					: '' }
			</p>
			<p>
				{ __(
					'Flows do not run and the sync log cannot be read until it is back. Check that the service is running and that its URL and token on the Settings tab are right.',
					'brightpearl-sync'
				) }
			</p>
			<Button
				variant="secondary"
				onClick={ async () => {
					const status = await fetchServiceStatus();
					if ( status?.reachable ) {
						void fetchFlows();
						void refreshLogs();
					}
				} }
			>
				{ __( 'Check again', 'brightpearl-sync' ) }
			</Button>
		</Notice>
	);
}

export default function App() {
	const config = getConfig();
	const tabs = [
		{ name: 'flows', title: __( 'Flows', 'brightpearl-sync' ) },
		{ name: 'logs', title: __( 'Sync Logs', 'brightpearl-sync' ) },
		{ name: 'settings', title: __( 'Settings', 'brightpearl-sync' ) },
	];
	return (
		<div className="bpwc-admin">
			{ isPreview() && (
				<Notice
					status="info"
					isDismissible={ false }
					className="bpwc-preview-notice"
				>
					{ __(
						'Preview mode: this page talks to the demo sync service directly. In WordPress it lives under WooCommerce → Brightpearl Sync.',
						'brightpearl-sync'
					) }
				</Notice>
			) }
			{ ! config.serviceConfigured && (
				<Notice status="warning" isDismissible={ false }>
					{ __(
						'The sync service is not set up yet. Enter its URL and API token on the Settings tab.',
						'brightpearl-sync'
					) }
				</Notice>
			) }
			<ServiceNotice />
			<InlineNotices />
			<TabPanel
				className="bpwc-tabs"
				tabs={ tabs }
				initialTabName={ initialTab() }
				onSelect={ ( name ) => {
					if (
						typeof window !== 'undefined' &&
						window.history?.replaceState
					) {
						window.history.replaceState( null, '', `#${ name }` );
					}
				} }
			>
				{ ( tab ) => (
					<div className="bpwc-tab-content">
						{ tab.name === 'flows' && <FlowsTab /> }
						{ tab.name === 'logs' && <LogsTab /> }
						{ tab.name === 'settings' && <SettingsTab /> }
					</div>
				) }
			</TabPanel>
			<SnackbarNotices className="bpwc-snackbars" />
		</div>
	);
}
