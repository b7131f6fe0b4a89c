/**
 * Synced and failed items per hour over the last 24 hours: inline SVG bars, no chart library.
 * The numbers are in the accessible name, each bar's tooltip and the legend, not only in colour.
 */
import { Spinner } from '@wordpress/components';
import { useSelect } from '@wordpress/data';
import { __, sprintf } from '@wordpress/i18n';
import { store } from '../../store';
import type { SyncType } from '../../store/types';
import { formatTime } from '../../utils/date';

const BAR = 10;
const HEIGHT = 48;

export default function HourlyChart( { flowId }: { flowId: SyncType } ) {
	const { buckets, error } = useSelect(
		( select ) => ( {
			buckets: select( store ).getHourlyStats( flowId ),
			error: select( store ).getHourlyStatsError( flowId ),
		} ),
		[ flowId ]
	);

	if ( ! buckets ) {
		return error ? (
			<p className="bpwc-chart__message description">
				{ sprintf(
					/* translators: %s: error message */
					__(
						'The activity chart is not available: %s',
						'brightpearl-sync'
					),
					error.message
				) }
			</p>
		) : (
			<div className="bpwc-chart__message">
				<Spinner />
			</div>
		);
	}

	const totals = buckets.reduce(
		( sum, b ) => ( {
			synced: sum.synced + b.synced,
			failed: sum.failed + b.failed,
		} ),
		{ synced: 0, failed: 0 }
	);
	const max = Math.max( 1, ...buckets.map( ( b ) => b.synced + b.failed ) );
	const label = sprintf(
		/* translators: 1: number of items synced, 2: number of items failed */
		__( 'Last 24 hours: %1$d synced, %2$d failed.', 'brightpearl-sync' ),
		totals.synced,
		totals.failed
	);
	const width = Math.max( 1, buckets.length ) * BAR;

	return (
		<figure className="bpwc-chart">
			<figcaption className="bpwc-chart__caption">
				{ __( 'Items per hour, last 24 hours', 'brightpearl-sync' ) }
			</figcaption>
			<svg
				className="bpwc-chart__svg"
				role="img"
				aria-label={ label }
				viewBox={ `0 0 ${ width } ${ HEIGHT + 1 }` }
				preserveAspectRatio="none"
				width="100%"
				height="56"
			>
				{ buckets.map( ( b, i ) => {
					const synced = ( b.synced / max ) * HEIGHT;
					const failed = ( b.failed / max ) * HEIGHT;
					return (
						<g key={ b.hour }>
							<title>
								{ sprintf(
									/* translators: 1: hour, 2: items synced, 3: items failed */
									__(
										'%1$s: %2$d synced, %3$d failed',
										'brightpearl-sync'
									),
									formatTime( b.hour ),
									b.synced,
									b.failed
								) }
							</title>
							{ /* The whole column is hoverable, even when it is empty. */ }
							<rect
								x={ i * BAR }
								y={ 0 }
								width={ BAR }
								height={ HEIGHT }
								fill="transparent"
							/>
							{ synced > 0 && (
								<rect
									className="bpwc-chart__synced"
									x={ i * BAR + 1 }
									y={ HEIGHT - synced }
									width={ BAR - 2 }
									height={ synced }
								/>
							) }
							{ failed > 0 && (
								<rect
									className="bpwc-chart__failed"
									x={ i * BAR + 1 }
									y={ HEIGHT - synced - failed }
									width={ BAR - 2 }
									height={ failed }
								/>
							) }
						</g>
					);
				} ) }
				<line
					className="bpwc-chart__baseline"
					x1={ 0 }
					x2={ width }
					y1={ HEIGHT + 0.5 }
					y2={ HEIGHT + 0.5 }
				/>
			</svg>
			<div className="bpwc-chart__axis" aria-hidden="true">
				<span>
					{ buckets[ 0 ] ? formatTime( buckets[ 0 ].hour ) : '' }
				</span>
				<span>{ __( 'now', 'brightpearl-sync' ) }</span>
			</div>
			<ul className="bpwc-chart__legend">
				<li>
					<span
						className="bpwc-chart__swatch is-synced"
						aria-hidden="true"
					/>
					{ sprintf(
						/* translators: %d: number of items */
						__( 'Synced: %d', 'brightpearl-sync' ),
						totals.synced
					) }
				</li>
				<li>
					<span
						className="bpwc-chart__swatch is-failed"
						aria-hidden="true"
					/>
					{ sprintf(
						/* translators: %d: number of items */
						__( 'Failed: %d', 'brightpearl-sync' ),
						totals.failed
					) }
				</li>
			</ul>
		</figure>
	);
}
