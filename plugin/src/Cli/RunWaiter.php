<?php
/**
 * --wait: follows a run until it ends.
 *
 * @package BrightpearlSync
 */

declare(strict_types=1);

namespace BrightpearlSync\Cli;

use BrightpearlSync\ServiceClient;

/**
 * Polls GET /api/v1/runs/{id} with a progress bar. A run that ends with failed entities lists
 * them and exits non-zero, so scripts and cron jobs notice.
 */
final class RunWaiter {

	public function __construct(
		private readonly ServiceClient $client,
		private readonly Output $out
	) {}

	/**
	 * @param int           $run_id   Run to follow.
	 * @param string        $type     Its flow.
	 * @param string[]|null $scope    Entity ids the run was limited to, if any.
	 * @param int[]|null    $item_ids Sync log ids the run was started for (a retry), if any.
	 * @return array<mixed> The finished run.
	 */
	public function wait( int $run_id, string $type, ?array $scope = null, ?array $item_ids = null ): array {
		/** Seconds between two polls of the run. */
		$interval = max( 0.05, (float) apply_filters( 'bpwc_cli_poll_interval', 1.0 ) );
		/** Seconds after which --wait gives up (the run itself goes on). */
		$timeout = max( 1.0, (float) apply_filters( 'bpwc_cli_wait_timeout', 3600.0 ) );

		$total    = null !== $scope ? count( $scope ) : ( null !== $item_ids ? count( $item_ids ) : $this->estimate( $type ) );
		$bar      = $this->out->progress(
			/* translators: 1: run id, 2: flow type. */
			sprintf( __( 'Run #%1$d of the %2$s flow', 'brightpearl-sync' ), $run_id, $type ),
			$total
		);
		$shown    = 0;
		$deadline = microtime( true ) + $timeout;

		for ( ;; ) {
			$run  = $this->get( $run_id );
			$seen = (int) ( $run['counts']['seen'] ?? 0 );
			if ( $seen > $shown && $shown < $total ) {
				$bar->tick( min( $seen, $total ) - $shown );
				$shown = min( $seen, $total );
			}
			if ( 'running' !== ( $run['status'] ?? 'running' ) ) {
				break;
			}
			if ( microtime( true ) > $deadline ) {
				$bar->finish();
				$this->out->error(
					sprintf(
						/* translators: 1: run id, 2: seconds. */
						__( 'Run #%1$d is still running after %2$d seconds; stopped waiting (the run goes on). Check it with `wp brightpearl flows list`.', 'brightpearl-sync' ),
						$run_id,
						(int) $timeout
					)
				);
			}
			usleep( (int) ( $interval * 1_000_000 ) );
		}
		if ( $shown < $total ) {
			$bar->tick( $total - $shown );
		}
		$bar->finish();

		$this->report( $run, $type, $scope, $item_ids );
		return $run;
	}

	/**
	 * @param array<mixed>  $run      Finished run.
	 * @param string[]|null $scope    Entity ids.
	 * @param int[]|null    $item_ids Sync log ids.
	 */
	private function report( array $run, string $type, ?array $scope, ?array $item_ids ): void {
		$counts  = (array) ( $run['counts'] ?? array() );
		$summary = sprintf(
			/* translators: 1: run id, 2: run status, 3: synced count, 4: unchanged count, 5: failed count. */
			__( 'Run #%1$d %2$s: %3$d synced, %4$d unchanged, %5$d failed.', 'brightpearl-sync' ),
			(int) ( $run['id'] ?? 0 ),
			(string) ( $run['status'] ?? '' ),
			(int) ( $counts['synced'] ?? 0 ),
			(int) ( $counts['unchanged'] ?? 0 ),
			(int) ( $counts['failed'] ?? 0 )
		);
		$status = (string) ( $run['status'] ?? '' );

		if ( in_array( $status, array( 'failed', 'aborted' ), true ) ) {
			$this->out->error( $summary . ' ' . (string) ( $run['error'] ?? '' ) );
		}
		if ( (int) ( $counts['failed'] ?? 0 ) > 0 || 'partial' === $status ) {
			$failed = $this->failed_items( $type, $scope, $item_ids );
			if ( $failed ) {
				$this->out->warning( __( 'These entities failed:', 'brightpearl-sync' ) );
				$this->out->format_items( 'table', $failed, array( 'id', 'entity_id', 'info', 'error' ) );
			}
			$this->out->error( $summary );
		}
		$this->out->success( $summary );
	}

	/**
	 * Failed sync log items of the type, limited to the run's scope when it had one.
	 *
	 * @param string[]|null $scope    Entity ids.
	 * @param int[]|null    $item_ids Sync log ids.
	 * @return array<int, array<string,mixed>>
	 */
	private function failed_items( string $type, ?array $scope, ?array $item_ids ): array {
		$response = $this->client->request( 'GET', '/api/v1/logs', array( 'type' => $type, 'status' => 'failed', 'limit' => '500' ) );
		if ( is_wp_error( $response ) || ! $response->ok() || ! is_array( $response->body ) ) {
			return array();
		}
		$rows = array();
		foreach ( (array) ( $response->body['items'] ?? array() ) as $item ) {
			if ( null !== $scope && ! in_array( (string) ( $item['entityId'] ?? '' ), $scope, true ) ) {
				continue;
			}
			if ( null !== $item_ids && ! in_array( (int) ( $item['id'] ?? 0 ), $item_ids, true ) ) {
				continue;
			}
			$rows[] = array(
				'id'        => $item['id'] ?? '',
				'entity_id' => $item['entityId'] ?? '',
				'info'      => $item['info'] ?? '',
				'error'     => $item['error'] ?? '',
			);
		}
		return $rows;
	}

	/**
	 * @return array<mixed>
	 */
	private function get( int $run_id ): array {
		$response = $this->client->request( 'GET', '/api/v1/runs/' . $run_id );
		if ( is_wp_error( $response ) ) {
			$this->out->error( $response->get_error_message() );
		}
		if ( ! $response->ok() || ! is_array( $response->body ) ) {
			$this->out->error( $response->error_message() );
		}
		return $response->body;
	}

	/**
	 * How many entities a full run will likely see: what the sync log knows of the type.
	 */
	private function estimate( string $type ): int {
		$response = $this->client->request( 'GET', '/api/v1/flows/' . rawurlencode( $type ) );
		if ( is_wp_error( $response ) || ! $response->ok() || ! is_array( $response->body ) ) {
			return 1;
		}
		return max( 1, (int) array_sum( array_map( 'intval', (array) ( $response->body['counts'] ?? array() ) ) ) );
	}
}
