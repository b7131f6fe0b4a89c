/**
 * One flow: direction, on/off, schedule, last and next run, item counts, Run now with live
 * progress, and the activity chart.
 */
import {
	Button,
	Card,
	CardBody,
	CardFooter,
	CardHeader,
	Notice,
	Spinner,
	TextControl,
	ToggleControl,
} from '@wordpress/components';
import { useDispatch, useSelect } from '@wordpress/data';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { store } from '../../store';
import type { Flow, RunCounts } from '../../store/types';
import { formatDateTime, relativeTime } from '../../utils/date';
import { directionLabel } from '../../utils/labels';
import StatusBadge from '../StatusBadge';
import { RunStatusBadge } from '../SyncStatusBadge';
import HourlyChart from './HourlyChart';

function countsText( counts: RunCounts ): string {
	return sprintf(
		/* translators: 1: entities seen, 2: synced, 3: unchanged, 4: failed */
		__(
			'%1$d seen · %2$d synced · %3$d unchanged · %4$d failed',
			'brightpearl-sync'
		),
		counts.seen,
		counts.synced,
		counts.unchanged,
		counts.failed
	);
}

export default function FlowCard( { flow }: { flow: Flow } ) {
	const { activeRun, update } = useSelect(
		( select ) => ( {
			activeRun: select( store ).getActiveRun( flow.id ),
			update: select( store ).getFlowUpdate( flow.id ),
		} ),
		[ flow.id ]
	);
	const { updateFlow, runFlow, watchRun } = useDispatch( store );

	const [ schedule, setSchedule ] = useState( flow.schedule );
	const [ scheduleError, setScheduleError ] = useState< string | null >(
		null
	);
	const [ dirty, setDirty ] = useState( false );
	// Follow the server's schedule unless the user is editing it.
	useEffect( () => {
		if ( ! dirty ) {
			setSchedule( flow.schedule );
		}
	}, [ flow.schedule, dirty ] );

	const isRunning =
		activeRun?.status === 'running' || activeRun?.status === 'starting';
	// A run in progress that this page did not start (schedule, webhook, another tab): follow it too.
	useEffect( () => {
		if ( flow.running && ! isRunning ) {
			void watchRun( flow.id, flow.running );
		}
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [ flow.id, flow.running ] );

	const saving = !! update?.saving;
	const titleId = `bpwc-flow-${ flow.id }-title`;

	const onSaveSchedule = async ( event: { preventDefault: () => void } ) => {
		event.preventDefault();
		setScheduleError( null );
		const result = await updateFlow( flow.id, {
			schedule: schedule.trim(),
		} );
		if ( result.ok ) {
			setDirty( false );
		} else {
			setScheduleError( result.error.message );
		}
	};

	const lastRun = flow.lastRun;
	const counts = flow.counts ?? {};

	return (
		<Card
			className={ `bpwc-flow-card bpwc-flow-${ flow.id }` }
			aria-labelledby={ titleId }
			as="section"
		>
			<CardHeader className="bpwc-flow-card__header">
				<div>
					<h2 id={ titleId } className="bpwc-flow-card__title">
						{ flow.name }{ ' ' }
						{ ! flow.available && (
							<StatusBadge
								tone="neutral"
								label={ __(
									'Coming soon',
									'brightpearl-sync'
								) }
							/>
						) }
					</h2>
					<p className="bpwc-flow-card__direction">
						{ directionLabel( flow.direction ) }
					</p>
				</div>
				<ToggleControl
					label={ __( 'Enabled', 'brightpearl-sync' ) }
					checked={ flow.enabled }
					disabled={ saving }
					onChange={ ( enabled ) =>
						void updateFlow( flow.id, { enabled } )
					}
				/>
			</CardHeader>
			<CardBody className="bpwc-flow-card__body">
				{ ! flow.available && (
					<p className="description">
						{ __(
							'Coming soon: this flow is not available in this version of the sync service yet.',
							'brightpearl-sync'
						) }
					</p>
				) }
				<dl className="bpwc-facts">
					<div>
						<dt>{ __( 'Last run', 'brightpearl-sync' ) }</dt>
						<dd>
							{ lastRun ? (
								<>
									<RunStatusBadge status={ lastRun.status } />{ ' ' }
									<time
										dateTime={
											lastRun.finishedAt ??
											lastRun.startedAt
										}
									>
										{ formatDateTime(
											lastRun.finishedAt ??
												lastRun.startedAt
										) }
									</time>
									{ lastRun.counts && (
										<span className="bpwc-facts__detail">
											{ countsText( lastRun.counts ) }
										</span>
									) }
									{ lastRun.error && (
										<span className="bpwc-facts__detail bpwc-text-error">
											{ lastRun.error }
										</span>
									) }
								</>
							) : (
								__( 'Never run', 'brightpearl-sync' )
							) }
						</dd>
					</div>
					<div>
						<dt>{ __( 'Next run', 'brightpearl-sync' ) }</dt>
						<dd>
							{ flow.nextRunAt ? (
								<>
									<time dateTime={ flow.nextRunAt }>
										{ formatDateTime( flow.nextRunAt ) }
									</time>
									<span className="bpwc-facts__detail">
										{ relativeTime( flow.nextRunAt ) }
									</span>
								</>
							) : flow.enabled ? (
								__( 'Not scheduled', 'brightpearl-sync' )
							) : (
								__(
									'Not scheduled: the flow is disabled',
									'brightpearl-sync'
								)
							) }
						</dd>
					</div>
				</dl>
				<ul
					className="bpwc-counts"
					aria-label={ __(
						'Items by sync status',
						'brightpearl-sync'
					) }
				>
					<li className="is-pending">
						<span className="bpwc-counts__value">
							{ counts.pending ?? 0 }
						</span>{ ' ' }
						{ __( 'Pending', 'brightpearl-sync' ) }
					</li>
					<li className="is-synced">
						<span className="bpwc-counts__value">
							{ counts.synced ?? 0 }
						</span>{ ' ' }
						{ __( 'Synced', 'brightpearl-sync' ) }
					</li>
					<li className="is-failed">
						<span className="bpwc-counts__value">
							{ counts.failed ?? 0 }
						</span>{ ' ' }
						{ __( 'Failed', 'brightpearl-sync' ) }
					</li>
				</ul>
				<form className="bpwc-schedule" onSubmit={ onSaveSchedule }>
					<TextControl
						label={ __( 'Schedule', 'brightpearl-sync' ) }
						help={ __(
							'Five-field cron expression, e.g. */5 * * * * for every five minutes.',
							'brightpearl-sync'
						) }
						value={ schedule }
						onChange={ ( value ) => {
							setSchedule( value );
							setDirty( true );
							setScheduleError( null );
						} }
						spellCheck={ false }
						autoComplete="off"
					/>
					<Button
						variant="secondary"
						type="submit"
						isBusy={ saving && dirty }
						disabled={ saving || ! dirty || ! schedule.trim() }
						accessibleWhenDisabled
					>
						{ __( 'Save schedule', 'brightpearl-sync' ) }
					</Button>
				</form>
				{ scheduleError && (
					<Notice
						status="error"
						isDismissible={ false }
						className="bpwc-inline-notice"
					>
						{ scheduleError }
					</Notice>
				) }
				<HourlyChart flowId={ flow.id } />
			</CardBody>
			<CardFooter className="bpwc-flow-card__footer">
				<Button
					variant="primary"
					onClick={ () => void runFlow( flow.id ) }
					disabled={ ! flow.available || isRunning }
					isBusy={ isRunning }
					accessibleWhenDisabled
					describedBy={
						! flow.available
							? __(
									'This flow is coming soon.',
									'brightpearl-sync'
								)
							: undefined
					}
				>
					{ isRunning
						? __( 'Running…', 'brightpearl-sync' )
						: __( 'Run now', 'brightpearl-sync' ) }
				</Button>
				<div
					className="bpwc-run-progress"
					role="status"
					aria-live="polite"
				>
					{ isRunning && (
						<>
							<Spinner />
							<span>
								{ activeRun?.counts
									? sprintf(
											/* translators: %s: counts, e.g. "40 seen · 38 synced · 0 unchanged · 2 failed" */
											__(
												'Running: %s',
												'brightpearl-sync'
											),
											countsText( activeRun.counts )
										)
									: __(
											'Starting the run…',
											'brightpearl-sync'
										) }
							</span>
						</>
					) }
					{ ! isRunning &&
						activeRun &&
						activeRun.status !== 'starting' &&
						activeRun.counts && (
							<span>
								<RunStatusBadge status={ activeRun.status } />{ ' ' }
								{ countsText( activeRun.counts ) }
							</span>
						) }
				</div>
			</CardFooter>
		</Card>
	);
}
