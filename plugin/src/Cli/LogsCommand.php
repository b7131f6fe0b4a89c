<?php
/**
 * wp brightpearl logs
 *
 * @package BrightpearlSync
 */

declare(strict_types=1);

namespace BrightpearlSync\Cli;

/**
 * Reads the sync log, retries items and prunes old attempt history.
 *
 * ## EXAMPLES
 *
 *     $ wp brightpearl logs list --type=inventory --status=failed
 *     $ wp brightpearl logs retry $(wp brightpearl logs list --type=inventory --status=failed --format=ids)
 */
final class LogsCommand extends Command {

	private const FORMATS        = array( 'table', 'csv', 'json', 'yaml', 'ids', 'count' );
	private const FIELDS         = array( 'id', 'type', 'info', 'entity_id', 'brightpearl_id', 'woocommerce_id', 'status', 'synced_at', 'updated_at', 'attempts', 'error' );
	private const DEFAULT_FIELDS = array( 'id', 'info', 'entity_id', 'status', 'updated_at', 'attempts', 'error' );
	/** The service's page size cap; larger --limit values are read page by page. */
	private const PAGE_MAX  = 500;
	private const LIMIT_MAX = 10000;

	/**
	 * Lists sync log items of one type, newest first.
	 *
	 * ## OPTIONS
	 *
	 * --type=<type>
	 * : Sync type: inventory, product, order, refund or shipment.
	 *
	 * [--status=<status>]
	 * : pending, synced or failed.
	 *
	 * [--search=<text>]
	 * : Part of the Info column, or an exact entity, Brightpearl or WooCommerce id.
	 *
	 * [--from=<date>]
	 * : Updated at or after this ISO 8601 date or date-time (UTC).
	 *
	 * [--to=<date>]
	 * : Updated at or before this ISO 8601 date or date-time (UTC).
	 *
	 * [--limit=<n>]
	 * : How many items at most.
	 * ---
	 * default: 50
	 * ---
	 *
	 * [--fields=<fields>]
	 * : Comma-separated columns: id, type, info, entity_id, brightpearl_id, woocommerce_id, status, synced_at, updated_at, attempts, error.
	 *
	 * [--format=<format>]
	 * : Output format; "ids" feeds `wp brightpearl logs retry`.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - csv
	 *   - json
	 *   - yaml
	 *   - ids
	 *   - count
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp brightpearl logs list --type=inventory --status=failed
	 *     $ wp brightpearl logs list --type=inventory --search="Blue mug" --format=json
	 *     $ wp brightpearl logs list --type=order --from=2026-03-01 --to=2026-03-31 --format=csv > march.csv
	 *
	 * @subcommand list
	 *
	 * @param string[]            $args       Positional arguments.
	 * @param array<string,mixed> $assoc_args Associative arguments.
	 */
	public function list_( array $args, array $assoc_args ): void {
		$format = $this->format( $assoc_args, self::FORMATS );
		$fields = $this->fields( $assoc_args, self::DEFAULT_FIELDS, self::FIELDS );
		$type   = isset( $assoc_args['type'] ) ? (string) $assoc_args['type'] : '';
		if ( '' === $type ) {
			$this->out->error( __( 'Give --type=<type> (inventory, product, order, refund or shipment).', 'brightpearl-sync' ) );
		}
		$this->check( Validate::type( $type ) );

		$query = array( 'type' => $type );
		if ( isset( $assoc_args['status'] ) && '' !== (string) $assoc_args['status'] ) {
			$this->check( Validate::status( (string) $assoc_args['status'] ) );
			$query['status'] = (string) $assoc_args['status'];
		}
		if ( isset( $assoc_args['search'] ) && '' !== trim( (string) $assoc_args['search'] ) ) {
			$query['search'] = trim( (string) $assoc_args['search'] );
		}
		foreach ( array( 'from', 'to' ) as $edge ) {
			if ( isset( $assoc_args[ $edge ] ) && '' !== (string) $assoc_args[ $edge ] ) {
				$this->check( Validate::date( (string) $assoc_args[ $edge ], $edge ) );
				$query[ $edge ] = (string) $assoc_args[ $edge ];
			}
		}
		if ( isset( $query['from'], $query['to'] ) && substr( $query['from'], 0, 10 ) > substr( $query['to'], 0, 10 ) ) {
			$this->out->error( __( '--from must not be after --to.', 'brightpearl-sync' ) );
		}
		$limit = Validate::positive_int( (string) ( $assoc_args['limit'] ?? '50' ) );
		if ( null === $limit || $limit > self::LIMIT_MAX ) {
			/* translators: %d: the largest limit. */
			$this->out->error( sprintf( __( '--limit must be a whole number from 1 to %d.', 'brightpearl-sync' ), self::LIMIT_MAX ) );
		}

		/** Items asked per request; the service allows at most 500. */
		$page_size = max( 1, min( self::PAGE_MAX, (int) apply_filters( 'bpwc_cli_page_size', self::PAGE_MAX ) ) );
		$items     = array();
		$total     = 0;
		$cursor    = null;
		do {
			$page_query = $query + array( 'limit' => (string) min( $page_size, $limit - count( $items ) ) );
			if ( null !== $cursor ) {
				$page_query['cursor'] = $cursor;
			}
			$page   = $this->call( 'GET', '/api/v1/logs', $page_query );
			$total  = (int) ( $page['total'] ?? 0 );
			$items  = array_merge( $items, (array) ( $page['items'] ?? array() ) );
			$cursor = isset( $page['nextCursor'] ) && is_string( $page['nextCursor'] ) ? $page['nextCursor'] : null;
		} while ( null !== $cursor && count( $items ) < $limit );

		$rows = array_map( array( self::class, 'row' ), $items );
		$this->print_rows( $format, $rows, $fields );
		if ( 'table' === $format && $total > count( $rows ) ) {
			/* translators: 1: shown, 2: total. */
			$this->out->line( sprintf( __( 'Showing %1$d of %2$d items; raise --limit to see more.', 'brightpearl-sync' ), count( $rows ), $total ) );
		}
	}

	/**
	 * Shows one sync log item with its attempt history.
	 *
	 * ## OPTIONS
	 *
	 * <id>
	 * : Sync log item id (the first column of `logs list`).
	 *
	 * [--format=<format>]
	 * : Output format.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 *   - yaml
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp brightpearl logs get 42
	 *
	 * @param string[]            $args       Positional arguments.
	 * @param array<string,mixed> $assoc_args Associative arguments.
	 */
	public function get( array $args, array $assoc_args ): void {
		$format = $this->format( $assoc_args, array( 'table', 'json', 'yaml' ) );
		$id     = Validate::positive_int( (string) ( $args[0] ?? '' ) );
		if ( null === $id ) {
			/* translators: %s: the id given. */
			$this->out->error( sprintf( __( '"%s" is not a sync log id (a positive whole number).', 'brightpearl-sync' ), (string) ( $args[0] ?? '' ) ) );
		}
		$item    = $this->call( 'GET', '/api/v1/logs/' . $id );
		$history = array();
		foreach ( (array) ( $item['history'] ?? array() ) as $attempt ) {
			$history[] = array(
				'at'      => $attempt['at'] ?? '',
				'outcome' => $attempt['outcome'] ?? '',
				'run'     => $attempt['runId'] ?? '',
				'message' => $attempt['message'] ?? '',
			);
		}

		if ( 'table' !== $format ) {
			$this->out->format_items( $format, array( self::row( $item ) + array( 'history' => $history ) ), array_merge( self::FIELDS, array( 'history' ) ) );
			return;
		}
		$pairs = array();
		foreach ( self::row( $item ) as $field => $value ) {
			$pairs[] = array(
				'field' => $field,
				'value' => null === $value ? '' : (string) $value,
			);
		}
		$this->out->format_items( 'table', $pairs, array( 'field', 'value' ) );
		$this->out->line();
		/* translators: %d: number of attempts shown. */
		$this->out->line( sprintf( __( 'Attempt history (%d, newest first):', 'brightpearl-sync' ), count( $history ) ) );
		if ( $history ) {
			$this->out->format_items( 'table', $history, array( 'at', 'outcome', 'run', 'message' ) );
		}
	}

	/**
	 * Re-queues sync log items and runs their flow.
	 *
	 * ## OPTIONS
	 *
	 * <id>...
	 * : Sync log item ids.
	 *
	 * [--wait]
	 * : Wait for the runs; exit 1 and list the failed entities when any failed.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp brightpearl logs retry 41 42
	 *
	 *     # Retry every failed inventory item listed
	 *     $ wp brightpearl logs retry $(wp brightpearl logs list --type=inventory --status=failed --format=ids)
	 *
	 * @param string[]            $args       Positional arguments.
	 * @param array<string,mixed> $assoc_args Associative arguments.
	 */
	public function retry( array $args, array $assoc_args ): void {
		// "$(… --format=ids)" may arrive as one argument with spaces.
		$given = preg_split( '/[\s,]+/', trim( implode( ' ', $args ) ), -1, PREG_SPLIT_NO_EMPTY );
		if ( ! $given ) {
			$this->out->error( __( 'Give at least one sync log id.', 'brightpearl-sync' ) );
		}
		$ids = array();
		$bad = array();
		foreach ( $given as $value ) {
			$id = Validate::positive_int( $value );
			if ( null === $id ) {
				$bad[] = $value;
			} else {
				$ids[] = $id;
			}
		}
		if ( $bad ) {
			/* translators: %s: list of values. */
			$this->out->error( sprintf( __( 'Not sync log ids: %s. Nothing was queued.', 'brightpearl-sync' ), implode( ', ', $bad ) ) );
		}
		$ids = array_values( array_unique( $ids ) );
		if ( count( $ids ) > 1000 ) {
			$this->out->error( __( 'At most 1000 ids at once.', 'brightpearl-sync' ) );
		}

		$result = $this->call( 'POST', '/api/v1/logs/retry', array(), array( 'ids' => $ids ) );
		$queued = (int) ( $result['queued'] ?? 0 );
		$runs   = array_filter( (array) ( $result['runs'] ?? array() ), 'is_array' );
		/* translators: %d: number of items. */
		$message = sprintf( _n( 'Re-queued %d sync log item.', 'Re-queued %d sync log items.', $queued, 'brightpearl-sync' ), $queued );
		foreach ( $runs as $run ) {
			if ( ! empty( $run['runId'] ) ) {
				/* translators: 1: run id, 2: flow type. */
				$message .= ' ' . sprintf( __( 'Run #%1$d of the %2$s flow started.', 'brightpearl-sync' ), (int) $run['runId'], (string) ( $run['type'] ?? '' ) );
			} elseif ( ! empty( $run['queued'] ) ) {
				/* translators: %s: flow type. */
				$message .= ' ' . sprintf( __( 'The %s flow picks them up right after its current run.', 'brightpearl-sync' ), (string) ( $run['type'] ?? '' ) );
			}
		}
		if ( empty( $assoc_args['wait'] ) ) {
			$this->out->success( $message );
			return;
		}
		$this->out->line( $message );
		foreach ( $runs as $run ) {
			if ( ! empty( $run['runId'] ) ) {
				$this->waiter()->wait( (int) $run['runId'], (string) ( $run['type'] ?? '' ), null, $ids );
			}
		}
	}

	/**
	 * Deletes attempt history older than some days (the items themselves stay).
	 *
	 * ## OPTIONS
	 *
	 * --older-than=<days>
	 * : Age in days, at least 1.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp brightpearl logs prune --older-than=90
	 *
	 * @param string[]            $args       Positional arguments.
	 * @param array<string,mixed> $assoc_args Associative arguments.
	 */
	public function prune( array $args, array $assoc_args ): void {
		$days = Validate::positive_int( (string) ( $assoc_args['older-than'] ?? '' ) );
		if ( null === $days || $days > 3650 ) {
			$this->out->error( __( '--older-than must be a number of days from 1 to 3650.', 'brightpearl-sync' ) );
		}
		$result = $this->call( 'POST', '/api/v1/logs/prune', array(), array( 'olderThanDays' => $days ) );
		$this->out->success(
			sprintf(
				/* translators: 1: number of rows, 2: date. */
				__( 'Deleted %1$d attempt history rows older than %2$s.', 'brightpearl-sync' ),
				(int) ( $result['deleted'] ?? 0 ),
				/* translators: %d: number of days. */
				(string) ( $result['before'] ?? sprintf( _n( '%d day', '%d days', $days, 'brightpearl-sync' ), $days ) )
			)
		);
	}

	/**
	 * A sync log item as a row with snake_case columns.
	 *
	 * @param array<mixed> $item Item of the service.
	 * @return array<string, mixed>
	 */
	private static function row( array $item ): array {
		return array(
			'id'             => (int) ( $item['id'] ?? 0 ),
			'type'           => $item['type'] ?? null,
			'info'           => $item['info'] ?? null,
			'entity_id'      => $item['entityId'] ?? null,
			'brightpearl_id' => $item['brightpearlId'] ?? null,
			'woocommerce_id' => $item['woocommerceId'] ?? null,
			'status'         => $item['status'] ?? null,
			'synced_at'      => $item['syncedAt'] ?? null,
			'updated_at'     => $item['updatedAt'] ?? null,
			'attempts'       => (int) ( $item['attempts'] ?? 0 ),
			'error'          => $item['error'] ?? null,
		);
	}
}
