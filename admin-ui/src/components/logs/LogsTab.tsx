/**
 * The sync log of one type: DataViews table over server-side, cursor-based pages.
 *
 * Paging: the service pages with keyset cursors (`nextCursor`), so only "next" and "previous"
 * exist; DataViews' own pagination offers "go to page N", which a cursor API cannot do. The table
 * is DataViews (fields, search, row actions, empty state) with its pagination turned off, and the
 * Previous/Next controls below it keep a stack of the cursors of the pages visited.
 */
import {
	Button,
	Notice,
	SelectControl,
	TextControl,
} from '@wordpress/components';
import {
	DataViews,
	type Action,
	type Field,
	type View,
} from '@wordpress/dataviews';
import { useDispatch, useSelect } from '@wordpress/data';
import { useMemo, useRef, useState } from '@wordpress/element';
import { __, _n, sprintf } from '@wordpress/i18n';
import { seen, update } from '@wordpress/icons';
import { downloadExport, exportUrl } from '../../api/client';
import type { ApiError } from '../../api/errors';
import { isPreview } from '../../config';
import { logQueryKey, store } from '../../store';
import {
	SYNC_TYPES,
	type LogItem,
	type LogPage,
	type LogQuery,
	type SyncStatus,
	type SyncType,
} from '../../store/types';
import { formatDateTime, siteDayToUtc } from '../../utils/date';
import { emptyLogMessage, logTypeLabel } from '../../utils/labels';
import { SyncStatusBadge } from '../SyncStatusBadge';
import LogDetailsModal from './LogDetailsModal';

export const PAGE_SIZE = 20;

const INITIAL_VIEW: View = {
	type: 'table',
	search: '',
	filters: [],
	page: 1,
	perPage: PAGE_SIZE,
	titleField: 'info',
	descriptionField: 'error',
	fields: [ 'status', 'syncedAt', 'updatedAt', 'attempts' ],
	layout: { density: 'balanced' },
};

function DateCell( { value }: { value: string } ) {
	return <time dateTime={ value }>{ formatDateTime( value ) }</time>;
}

export default function LogsTab() {
	const [ type, setType ] = useState< SyncType >( 'inventory' );
	const [ status, setStatus ] = useState< SyncStatus | '' >( '' );
	const [ fromDay, setFromDay ] = useState( '' );
	const [ toDay, setToDay ] = useState( '' );
	const [ view, setView ] = useState< View >( INITIAL_VIEW );
	const [ details, setDetails ] = useState< LogItem | null >( null );
	const [ exportError, setExportError ] = useState< ApiError | null >( null );

	const from = fromDay ? siteDayToUtc( fromDay, 'start' ) : undefined;
	const to = toDay ? siteDayToUtc( toDay, 'end' ) : undefined;
	const rangeInvalid = !! from && !! to && from > to;
	const search = view.search?.trim() || undefined;

	// Cursor stack of the pages visited, valid for one set of filters only.
	const filterKey = JSON.stringify( [ type, status, search, from, to ] );
	const [ paging, setPaging ] = useState< {
		key: string;
		cursors: ( string | null )[];
	} >( { key: filterKey, cursors: [ null ] } );
	const cursors = paging.key === filterKey ? paging.cursors : [ null ];
	const pageIndex = cursors.length - 1;

	const query: LogQuery = useMemo(
		() => ( {
			type,
			status: status || undefined,
			search,
			from,
			to,
			limit: PAGE_SIZE,
			cursor: cursors[ pageIndex ] ?? null,
		} ),
		// eslint-disable-next-line react-hooks/exhaustive-deps
		[ filterKey, pageIndex, cursors[ pageIndex ] ]
	);

	const { page, error, loading, flow } = useSelect(
		( select ) => {
			const s = select( store );
			if ( rangeInvalid ) {
				return {
					page: null,
					error: null,
					loading: false,
					flow: s.getFlow( type ),
				};
			}
			return {
				page: s.getLogsPage( query ),
				error: s.getLogsError( query ),
				loading: ! s.hasFinishedResolution( 'getLogsPage', [ query ] ),
				flow: s.getFlow( type ),
			};
		},
		[ logQueryKey( query ), rangeInvalid, type ]
	);
	// Keep the previous page on screen while the next one loads.
	const lastPage = useRef< LogPage | null >( null );
	if ( page ) {
		lastPage.current = page;
	}
	const shown = page ?? ( loading ? lastPage.current : null );

	const { retryLogs, refreshLogs } = useDispatch( store );

	const fields: Field< LogItem >[] = useMemo(
		() => [
			{
				id: 'info',
				label: __( 'Info', 'brightpearl-sync' ),
				getValue: ( { item } ) => item.info || item.entityId,
				enableHiding: false,
				enableSorting: false,
				filterBy: false,
			},
			{
				id: 'error',
				label: __( 'Error', 'brightpearl-sync' ),
				getValue: ( { item } ) => item.error ?? '',
				render: ( { item } ) =>
					item.error ? (
						<span className="bpwc-text-error">{ item.error }</span>
					) : null,
				enableSorting: false,
				filterBy: false,
			},
			{
				id: 'status',
				label: __( 'Sync Status', 'brightpearl-sync' ),
				render: ( { item } ) => (
					<SyncStatusBadge status={ item.status } />
				),
				enableSorting: false,
				enableHiding: false,
				filterBy: false,
			},
			{
				id: 'syncedAt',
				label: __( 'Synced At', 'brightpearl-sync' ),
				render: ( { item } ) => <DateCell value={ item.syncedAt } />,
				enableSorting: false,
				filterBy: false,
			},
			{
				id: 'updatedAt',
				label: __( 'Updated At', 'brightpearl-sync' ),
				render: ( { item } ) => <DateCell value={ item.updatedAt } />,
				enableSorting: false,
				filterBy: false,
			},
			{
				id: 'attempts',
				label: __( 'Attempts', 'brightpearl-sync' ),
				type: 'integer',
				enableSorting: false,
				filterBy: false,
			},
		],
		[]
	);

	const actions: Action< LogItem >[] = useMemo(
		() => [
			{
				id: 'retry',
				label: __( 'Retry', 'brightpearl-sync' ),
				icon: update,
				isPrimary: true,
				isEligible: ( item ) => item.status === 'failed',
				callback: ( items ) =>
					void retryLogs( { ids: items.map( ( i ) => i.id ) } ),
			},
			{
				id: 'details',
				label: __( 'View details', 'brightpearl-sync' ),
				icon: seen,
				isPrimary: true,
				callback: ( items ) => setDetails( items[ 0 ] ?? null ),
			},
		],
		[ retryLogs ]
	);

	const filtersActive = !! ( status || search || from || to );
	const total = shown?.total ?? 0;
	const totalPages = Math.max( 1, Math.ceil( total / PAGE_SIZE ) );
	const exportQuery = { type, status: status || undefined, search, from, to };
	const failedCount = flow?.counts?.failed;

	const onExport = async () => {
		setExportError( null );
		try {
			await downloadExport(
				exportQuery,
				`brightpearl-sync-${ type }-logs.csv`
			);
		} catch ( e ) {
			setExportError( e as ApiError );
		}
	};

	return (
		<div className="bpwc-logs">
			<div className="bpwc-toolbar">
				<SelectControl
					label={ __( 'Log Type', 'brightpearl-sync' ) }
					value={ type }
					options={ SYNC_TYPES.map( ( t ) => ( {
						value: t,
						label: logTypeLabel( t ),
					} ) ) }
					onChange={ ( value ) => {
						setType( value as SyncType );
						setView( ( v ) => ( { ...v, page: 1 } ) );
					} }
				/>
				<SelectControl
					label={ __( 'Sync Status', 'brightpearl-sync' ) }
					value={ status }
					options={ [
						{
							value: '',
							label: __( 'All statuses', 'brightpearl-sync' ),
						},
						{
							value: 'pending',
							label: __( 'Pending', 'brightpearl-sync' ),
						},
						{
							value: 'synced',
							label: __( 'Synced', 'brightpearl-sync' ),
						},
						{
							value: 'failed',
							label: __( 'Failed', 'brightpearl-sync' ),
						},
					] }
					onChange={ ( value ) =>
						setStatus( value as SyncStatus | '' )
					}
				/>
				<TextControl
					type="date"
					label={ __( 'Updated from', 'brightpearl-sync' ) }
					value={ fromDay }
					max={ toDay || undefined }
					onChange={ setFromDay }
				/>
				<TextControl
					type="date"
					label={ __( 'Updated to', 'brightpearl-sync' ) }
					value={ toDay }
					min={ fromDay || undefined }
					onChange={ setToDay }
				/>
				<div className="bpwc-toolbar__actions">
					<Button
						variant="secondary"
						onClick={ () =>
							void retryLogs( { type, status: 'failed' } )
						}
						disabled={ failedCount === 0 }
						accessibleWhenDisabled
					>
						{ __( 'Retry all failed', 'brightpearl-sync' ) }
					</Button>
					{ isPreview() ? (
						<Button
							variant="secondary"
							onClick={ () => void onExport() }
							disabled={ rangeInvalid }
						>
							{ __( 'Export CSV', 'brightpearl-sync' ) }
						</Button>
					) : (
						<Button
							variant="secondary"
							href={ exportUrl( exportQuery ) }
							download={ `brightpearl-sync-${ type }-logs.csv` }
						>
							{ __( 'Export CSV', 'brightpearl-sync' ) }
						</Button>
					) }
					<Button
						variant="tertiary"
						onClick={ () => void refreshLogs() }
					>
						{ __( 'Refresh', 'brightpearl-sync' ) }
					</Button>
				</div>
			</div>
			{ rangeInvalid && (
				<Notice
					status="warning"
					isDismissible={ false }
					className="bpwc-inline-notice"
				>
					{ __(
						'The "Updated from" day is after the "Updated to" day. Change one of them.',
						'brightpearl-sync'
					) }
				</Notice>
			) }
			{ error && (
				<Notice
					status="error"
					isDismissible={ false }
					className="bpwc-inline-notice"
				>
					{ error.message }
				</Notice>
			) }
			{ exportError && (
				<Notice
					status="error"
					onRemove={ () => setExportError( null ) }
					className="bpwc-inline-notice"
				>
					{ exportError.message }
				</Notice>
			) }
			<DataViews< LogItem >
				data={ shown?.items ?? [] }
				fields={ fields }
				view={ view }
				onChangeView={ setView }
				actions={ actions }
				getItemId={ ( item ) => String( item.id ) }
				isLoading={ loading && ! shown }
				paginationInfo={ {
					totalItems: shown?.items.length ?? 0,
					totalPages: 1,
				} }
				defaultLayouts={ { table: {} } }
				onClickItem={ ( item ) => setDetails( item ) }
				isItemClickable={ () => true }
				searchLabel={ __(
					'Search by name, SKU or id',
					'brightpearl-sync'
				) }
				empty={
					<p className="bpwc-empty">
						{ filtersActive
							? __(
									'No items match these filters. Clear the search, status or dates to see every item.',
									'brightpearl-sync'
								)
							: emptyLogMessage( type ) }
					</p>
				}
			>
				<div className="bpwc-dataviews-header">
					<DataViews.Search
						label={ __(
							'Search by name, SKU or id',
							'brightpearl-sync'
						) }
					/>
				</div>
				<DataViews.Layout />
			</DataViews>
			<nav
				className="bpwc-pager"
				aria-label={ __( 'Sync log pages', 'brightpearl-sync' ) }
			>
				<span className="bpwc-pager__total">
					{ sprintf(
						/* translators: %s: number of items */
						_n( '%s item', '%s items', total, 'brightpearl-sync' ),
						total.toLocaleString()
					) }
				</span>
				<span className="bpwc-pager__page">
					{ sprintf(
						/* translators: 1: current page, 2: number of pages */
						__( 'Page %1$d of %2$d', 'brightpearl-sync' ),
						pageIndex + 1,
						totalPages
					) }
				</span>
				<Button
					variant="secondary"
					size="compact"
					disabled={ pageIndex === 0 }
					accessibleWhenDisabled
					onClick={ () =>
						setPaging( {
							key: filterKey,
							cursors: cursors.slice( 0, -1 ),
						} )
					}
				>
					{ __( 'Previous', 'brightpearl-sync' ) }
				</Button>
				<Button
					variant="secondary"
					size="compact"
					disabled={ ! shown?.nextCursor || loading }
					accessibleWhenDisabled
					onClick={ () =>
						shown?.nextCursor &&
						setPaging( {
							key: filterKey,
							cursors: [ ...cursors, shown.nextCursor ],
						} )
					}
				>
					{ __( 'Next', 'brightpearl-sync' ) }
				</Button>
			</nav>
			{ details && (
				<LogDetailsModal
					id={ details.id }
					title={ details.info || details.entityId }
					onClose={ () => setDetails( null ) }
				/>
			) }
		</div>
	);
}
