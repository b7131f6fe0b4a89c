import { Button, Notice, Spinner } from '@wordpress/components';
import { useDispatch, useSelect } from '@wordpress/data';
import { useEffect } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import { store } from '../../store';
import { SYNC_TYPES } from '../../store/types';
import FlowCard from './FlowCard';

/** Flows refresh on their own (last/next run, counts) while the tab is open. */
const REFRESH_MS = 60_000;

export default function FlowsTab() {
	const { flows, error } = useSelect(
		( select ) => ( {
			flows: select( store ).getFlows(),
			error: select( store ).getFlowsError(),
		} ),
		[]
	);
	const { fetchFlows, invalidateResolutionForStoreSelector } =
		useDispatch( store );

	useEffect( () => {
		const timer = setInterval( () => {
			void fetchFlows();
			invalidateResolutionForStoreSelector( 'getHourlyStats' );
		}, REFRESH_MS );
		return () => clearInterval( timer );
	}, [ fetchFlows, invalidateResolutionForStoreSelector ] );

	if ( ! flows ) {
		if ( error ) {
			return (
				<Notice status="error" isDismissible={ false }>
					<p>{ error.message }</p>
					<Button
						variant="secondary"
						onClick={ () => void fetchFlows() }
					>
						{ __( 'Try again', 'brightpearl-sync' ) }
					</Button>
				</Notice>
			);
		}
		return (
			<p className="bpwc-loading">
				<Spinner /> { __( 'Loading flows…', 'brightpearl-sync' ) }
			</p>
		);
	}

	if ( flows.length === 0 ) {
		return (
			<p>
				{ __(
					'The sync service reported no flows. Check that it is up to date.',
					'brightpearl-sync'
				) }
			</p>
		);
	}

	const ordered = [ ...flows ].sort(
		( a, b ) => SYNC_TYPES.indexOf( a.id ) - SYNC_TYPES.indexOf( b.id )
	);
	return (
		<div className="bpwc-flows">
			{ ordered.map( ( flow ) => (
				<FlowCard key={ flow.id } flow={ flow } />
			) ) }
		</div>
	);
}
