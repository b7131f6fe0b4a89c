<?php
/**
 * wp brightpearl flows
 *
 * @package BrightpearlSync
 */

declare(strict_types=1);

namespace BrightpearlSync\Cli;

/**
 * Lists, runs, switches and schedules the sync flows.
 *
 * ## EXAMPLES
 *
 *     $ wp brightpearl flows list
 *     $ wp brightpearl flows run inventory --wait
 *     $ wp brightpearl flows schedule inventory "0,30 * * * *"
 */
final class FlowsCommand extends Command {

	private const FORMATS = array( 'table', 'csv', 'json', 'yaml', 'ids', 'count' );
	private const FIELDS  = array( 'id', 'name', 'direction', 'available', 'enabled', 'schedule', 'running', 'last_run', 'last_run_status', 'next_run', 'pending', 'synced', 'failed' );
	private const DEFAULT_FIELDS = array( 'id', 'enabled', 'schedule', 'last_run_status', 'next_run', 'pending', 'synced', 'failed' );

	/**
	 * Lists the flows with their schedule, last run and sync log counts.
	 *
	 * ## OPTIONS
	 *
	 * [--fields=<fields>]
	 * : Comma-separated columns: id, name, direction, available, enabled, schedule, running, last_run, last_run_status, next_run, pending, synced, failed.
	 *
	 * [--format=<format>]
	 * : Output format.
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
	 *     $ wp brightpearl flows list
	 *     $ wp brightpearl flows list --format=json
	 *
	 * @subcommand list
	 *
	 * @param string[]            $args       Positional arguments.
	 * @param array<string,mixed> $assoc_args Associative arguments.
	 */
	public function list_( array $args, array $assoc_args ): void {
		$format = $this->format( $assoc_args, self::FORMATS );
		$fields = $this->fields( $assoc_args, self::DEFAULT_FIELDS, self::FIELDS );
		$body   = $this->call( 'GET', '/api/v1/flows' );
		$rows   = array();
		foreach ( (array) ( $body['flows'] ?? array() ) as $flow ) {
			$last   = is_array( $flow['lastRun'] ?? null ) ? $flow['lastRun'] : array();
			$counts = (array) ( $flow['counts'] ?? array() );
			$rows[] = array(
				'id'              => (string) ( $flow['id'] ?? '' ),
				'name'            => (string) ( $flow['name'] ?? '' ),
				'direction'       => (string) ( $flow['direction'] ?? '' ),
				'available'       => (bool) ( $flow['available'] ?? false ),
				'enabled'         => (bool) ( $flow['enabled'] ?? false ),
				'schedule'        => (string) ( $flow['schedule'] ?? '' ),
				'running'         => $flow['running'] ?? null,
				'last_run'        => $last['finishedAt'] ?? ( $last['startedAt'] ?? null ),
				'last_run_status' => $last['status'] ?? null,
				'next_run'        => $flow['nextRunAt'] ?? null,
				'pending'         => (int) ( $counts['pending'] ?? 0 ),
				'synced'          => (int) ( $counts['synced'] ?? 0 ),
				'failed'          => (int) ( $counts['failed'] ?? 0 ),
			);
		}
		$this->print_rows( $format, $rows, $fields );
	}

	/**
	 * Runs a flow now.
	 *
	 * ## OPTIONS
	 *
	 * <type>
	 * : Flow to run: inventory, product, order, refund or shipment.
	 *
	 * [--wait]
	 * : Wait for the run with a progress bar; exit 1 and list the failed entities when any failed.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp brightpearl flows run inventory --wait
	 *
	 * @param string[]            $args       Positional arguments.
	 * @param array<string,mixed> $assoc_args Associative arguments.
	 */
	public function run( array $args, array $assoc_args ): void {
		$type = (string) ( $args[0] ?? '' );
		$this->available_flow( $type );
		$started = $this->call( 'POST', '/api/v1/flows/' . rawurlencode( $type ) . '/runs' );
		$run_id  = (int) ( $started['runId'] ?? 0 );
		/* translators: 1: run id, 2: flow type. */
		$message = sprintf( __( 'Started run #%1$d of the %2$s flow.', 'brightpearl-sync' ), $run_id, $type );
		if ( empty( $assoc_args['wait'] ) ) {
			$this->out->success( $message );
			return;
		}
		$this->out->line( $message );
		$this->waiter()->wait( $run_id, $type );
	}

	/**
	 * Turns a flow's schedule on.
	 *
	 * ## OPTIONS
	 *
	 * <type>
	 * : Flow: inventory, product, order, refund or shipment.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp brightpearl flows enable inventory
	 *
	 * @param string[]            $args       Positional arguments.
	 * @param array<string,mixed> $assoc_args Associative arguments.
	 */
	public function enable( array $args, array $assoc_args ): void {
		$this->switch_flow( (string) ( $args[0] ?? '' ), true );
	}

	/**
	 * Turns a flow's schedule off (it can still be run by hand).
	 *
	 * ## OPTIONS
	 *
	 * <type>
	 * : Flow: inventory, product, order, refund or shipment.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp brightpearl flows disable order
	 *
	 * @param string[]            $args       Positional arguments.
	 * @param array<string,mixed> $assoc_args Associative arguments.
	 */
	public function disable( array $args, array $assoc_args ): void {
		$this->switch_flow( (string) ( $args[0] ?? '' ), false );
	}

	/**
	 * Sets a flow's cron schedule; it applies at once, without restarting the service.
	 *
	 * ## OPTIONS
	 *
	 * <type>
	 * : Flow: inventory, product, order, refund or shipment.
	 *
	 * <cron>
	 * : Five-field cron expression (minute hour day month weekday), quoted.
	 *
	 * ## EXAMPLES
	 *
	 *     # At minute 0 and 30 of every hour
	 *     $ wp brightpearl flows schedule inventory "0,30 * * * *"
	 *
	 *     # Weekdays at 06:30
	 *     $ wp brightpearl flows schedule product "30 6 * * 1-5"
	 *
	 * @param string[]            $args       Positional arguments.
	 * @param array<string,mixed> $assoc_args Associative arguments.
	 */
	public function schedule( array $args, array $assoc_args ): void {
		$type = (string) ( $args[0] ?? '' );
		// Unquoted expressions arrive as several arguments; join them back.
		$cron = trim( implode( ' ', array_slice( $args, 1 ) ) );
		$this->check( Validate::type( $type ) );
		$this->check( Validate::cron( $cron ) );
		$flow = $this->call( 'PATCH', '/api/v1/flows/' . rawurlencode( $type ), array(), array( 'schedule' => $cron ) );
		$next = isset( $flow['nextRunAt'] ) && is_string( $flow['nextRunAt'] ) ? $flow['nextRunAt'] : __( 'not scheduled (flow disabled)', 'brightpearl-sync' );
		/* translators: 1: flow type, 2: cron expression, 3: next run time. */
		$this->out->success( sprintf( __( 'The %1$s flow now runs on "%2$s"; next run: %3$s.', 'brightpearl-sync' ), $type, $cron, $next ) );
	}

	private function switch_flow( string $type, bool $enabled ): void {
		$this->check( Validate::type( $type ) );
		$this->call( 'PATCH', '/api/v1/flows/' . rawurlencode( $type ), array(), array( 'enabled' => $enabled ) );
		$this->out->success(
			$enabled
				/* translators: %s: flow type. */
				? sprintf( __( 'Enabled the %s flow.', 'brightpearl-sync' ), $type )
				/* translators: %s: flow type. */
				: sprintf( __( 'Disabled the %s flow.', 'brightpearl-sync' ), $type )
		);
	}
}
