<?php
/**
 * wp brightpearl status
 *
 * @package BrightpearlSync
 */

declare(strict_types=1);

namespace BrightpearlSync\Cli;

/**
 * Health of the sync service and per-flow counts.
 */
final class StatusCommand extends Command {

	/**
	 * Shows whether the sync service is up and how each flow is doing.
	 *
	 * Exits with status 1 when the service cannot be reached or refuses the token, so it can
	 * serve as a monitoring check.
	 *
	 * ## OPTIONS
	 *
	 * [--format=<format>]
	 * : Output format of the flow table.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - csv
	 *   - json
	 *   - yaml
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp brightpearl status
	 *     $ wp brightpearl status --format=json
	 *
	 * @param string[]            $args       Positional arguments.
	 * @param array<string,mixed> $assoc_args Associative arguments.
	 */
	public function __invoke( array $args, array $assoc_args ): void {
		$format = $this->format( $assoc_args, array( 'table', 'csv', 'json', 'yaml' ) );
		$url    = $this->client->settings()->service_url();
		$health = $this->client->health();
		if ( is_wp_error( $health ) ) {
			$this->out->error( $health->get_error_message() );
		}
		$h = is_array( $health->body ) ? $health->body : array();
		if ( 'ok' !== ( $h['status'] ?? null ) ) {
			$this->out->error(
				sprintf(
					/* translators: 1: service URL, 2: status word, 3: database status. */
					__( 'The sync service at %1$s is %2$s (database: %3$s).', 'brightpearl-sync' ),
					$url,
					(string) ( $h['status'] ?? 'unknown' ),
					(string) ( $h['database'] ?? 'unknown' )
				)
			);
		}

		$flows = $this->call( 'GET', '/api/v1/flows' );
		$rows  = array();
		foreach ( (array) ( $flows['flows'] ?? array() ) as $flow ) {
			$counts = (array) ( $flow['counts'] ?? array() );
			$last   = is_array( $flow['lastRun'] ?? null ) ? $flow['lastRun'] : array();
			$rows[] = array(
				'flow'     => (string) ( $flow['id'] ?? '' ),
				'enabled'  => (bool) ( $flow['enabled'] ?? false ),
				'running'  => ! empty( $flow['running'] ),
				'last_run' => isset( $last['status'] ) ? $last['status'] . ' ' . ( $last['finishedAt'] ?? $last['startedAt'] ?? '' ) : null,
				'next_run' => $flow['nextRunAt'] ?? null,
				'pending'  => (int) ( $counts['pending'] ?? 0 ),
				'synced'   => (int) ( $counts['synced'] ?? 0 ),
				'failed'   => (int) ( $counts['failed'] ?? 0 ),
			);
		}

		if ( 'json' === $format || 'yaml' === $format ) {
			$this->out->format_items( $format, array( array( 'service' => array( 'url' => $url ) + $h, 'flows' => $rows ) ), array( 'service', 'flows' ) );
			return;
		}
		$this->out->line(
			sprintf(
				/* translators: 1: service URL, 2: version, 3: uptime in seconds. */
				__( 'Sync service at %1$s: ok (version %2$s, up %3$ds, database ok).', 'brightpearl-sync' ),
				$url,
				(string) ( $h['version'] ?? '?' ),
				(int) ( $h['uptimeSeconds'] ?? 0 )
			)
		);
		$this->print_rows( $format, $rows, array( 'flow', 'enabled', 'running', 'last_run', 'next_run', 'pending', 'synced', 'failed' ) );
	}
}
