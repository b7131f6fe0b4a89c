<?php
/**
 * wp brightpearl resync
 *
 * @package BrightpearlSync
 */

declare(strict_types=1);

namespace BrightpearlSync\Cli;

/**
 * Queues a resync of a flow: some entities, the failed ones, everything changed since a date, or
 * a full run.
 */
final class ResyncCommand extends Command {

	private const MAX_IDS = 1000;

	/**
	 * Queues a resync in the sync service.
	 *
	 * Everything is checked before anything is queued: an unknown type, a bad date or an id that
	 * is not in the sync log stops the command with exit code 1.
	 *
	 * ## OPTIONS
	 *
	 * <type>
	 * : Sync type.
	 * ---
	 * options:
	 *   - inventory
	 *   - product
	 *   - order
	 *   - refund
	 *   - shipment
	 * ---
	 *
	 * [<id>...]
	 * : Entity ids to resync (as in the sync log: entity, Brightpearl or WooCommerce id).
	 *
	 * [--failed]
	 * : Re-queue every failed item of the type.
	 *
	 * [--since=<date>]
	 * : Re-read everything changed since this ISO 8601 date or date-time (UTC), e.g. 2026-01-31.
	 *
	 * [--wait]
	 * : Wait for the run with a progress bar; exit 1 and list the failed entities when any failed.
	 *
	 * ## EXAMPLES
	 *
	 *     # Resync the stock of two products and wait for the result
	 *     $ wp brightpearl resync inventory 1001 1002 --wait
	 *
	 *     # Retry every failed order
	 *     $ wp brightpearl resync order --failed
	 *
	 *     # Re-read all products changed since the 1st of March
	 *     $ wp brightpearl resync product --since=2026-03-01
	 *
	 * @param string[]            $args       Positional arguments.
	 * @param array<string,mixed> $assoc_args Associative arguments.
	 */
	public function __invoke( array $args, array $assoc_args ): void {
		$type   = (string) array_shift( $args );
		$ids    = array_values( array_unique( array_map( 'strval', $args ) ) );
		$failed = ! empty( $assoc_args['failed'] );
		$since  = isset( $assoc_args['since'] ) ? trim( (string) $assoc_args['since'] ) : null;
		$wait   = ! empty( $assoc_args['wait'] );

		$this->check( Validate::type( $type ) );
		$modes = count( array_filter( array( array() !== $ids, $failed, null !== $since ) ) );
		if ( $modes > 1 ) {
			$this->out->error( __( 'Give either ids, --failed or --since, not several at once.', 'brightpearl-sync' ) );
		}
		if ( null !== $since ) {
			$this->check( Validate::date( $since, 'since' ) );
		}
		if ( count( $ids ) > self::MAX_IDS ) {
			/* translators: %d: maximum number of ids. */
			$this->out->error( sprintf( __( 'At most %d ids at once.', 'brightpearl-sync' ), self::MAX_IDS ) );
		}
		foreach ( $ids as $id ) {
			if ( '' === $id || strlen( $id ) > 64 || preg_match( '/\s/', $id ) ) {
				/* translators: %s: the id given. */
				$this->out->error( sprintf( __( '"%s" is not an entity id.', 'brightpearl-sync' ), $id ) );
			}
		}

		$this->available_flow( $type );

		if ( $failed ) {
			$this->retry_failed( $type, $wait );
			return;
		}

		$body  = array();
		$scope = null;
		if ( $ids ) {
			$scope              = $this->resolve( $type, $ids );
			$body['entityIds'] = $scope;
		}
		if ( null !== $since ) {
			$body['since'] = $since;
		}
		$started = $this->call( 'POST', '/api/v1/flows/' . rawurlencode( $type ) . '/runs', array(), $body ? $body : null );
		$run_id  = (int) ( $started['runId'] ?? 0 );

		if ( null !== $scope ) {
			/* translators: 1: run id, 2: flow type, 3: number of entities. */
			$message = sprintf( _n( 'Queued run #%1$d of the %2$s flow for %3$d entity.', 'Queued run #%1$d of the %2$s flow for %3$d entities.', count( $scope ), 'brightpearl-sync' ), $run_id, $type, count( $scope ) );
		} elseif ( null !== $since ) {
			/* translators: 1: run id, 2: flow type, 3: date. */
			$message = sprintf( __( 'Queued run #%1$d of the %2$s flow for everything changed since %3$s.', 'brightpearl-sync' ), $run_id, $type, $since );
		} else {
			/* translators: 1: run id, 2: flow type. */
			$message = sprintf( __( 'Queued run #%1$d of the %2$s flow.', 'brightpearl-sync' ), $run_id, $type );
		}

		if ( ! $wait ) {
			$this->out->success( $message );
			return;
		}
		$this->out->line( $message );
		$this->waiter()->wait( $run_id, $type, $scope );
	}

	private function retry_failed( string $type, bool $wait ): void {
		$result = $this->call( 'POST', '/api/v1/logs/retry', array(), array( 'type' => $type, 'status' => 'failed' ) );
		$queued = (int) ( $result['queued'] ?? 0 );
		if ( 0 === $queued ) {
			/* translators: %s: flow type. */
			$this->out->success( sprintf( __( 'No failed %s items to retry.', 'brightpearl-sync' ), $type ) );
			return;
		}
		$run    = null;
		foreach ( (array) ( $result['runs'] ?? array() ) as $candidate ) {
			if ( ( $candidate['type'] ?? null ) === $type ) {
				$run = $candidate;
			}
		}
		$run_id = (int) ( $run['runId'] ?? 0 );
		/* translators: 1: number of items, 2: flow type. */
		$message = sprintf( _n( 'Re-queued %1$d failed %2$s item.', 'Re-queued %1$d failed %2$s items.', $queued, 'brightpearl-sync' ), $queued, $type );
		if ( $run_id > 0 ) {
			/* translators: %d: run id. */
			$message .= ' ' . sprintf( __( 'Run #%d started.', 'brightpearl-sync' ), $run_id );
		} elseif ( ! empty( $run['queued'] ) ) {
			$message .= ' ' . __( 'They run right after the run in progress.', 'brightpearl-sync' );
		} elseif ( ! empty( $run['error'] ) ) {
			$message .= ' ' . (string) $run['error'];
		}

		if ( ! $wait || $run_id <= 0 ) {
			if ( $wait ) {
				$this->out->warning( __( 'No run id to wait for; the items are queued.', 'brightpearl-sync' ) );
			}
			$this->out->success( $message );
			return;
		}
		$this->out->line( $message );
		$this->waiter()->wait( $run_id, $type );
	}

	/**
	 * Maps the ids given to entity ids of the sync log; any id it does not know stops the
	 * command before anything is queued.
	 *
	 * @param string[] $ids Ids as typed.
	 * @return string[] Entity ids.
	 */
	private function resolve( string $type, array $ids ): array {
		$entity_ids = array();
		$unknown    = array();
		foreach ( $ids as $id ) {
			$page  = $this->call( 'GET', '/api/v1/logs', array( 'type' => $type, 'search' => $id, 'limit' => '50' ) );
			$match = null;
			foreach ( (array) ( $page['items'] ?? array() ) as $item ) {
				foreach ( array( 'entityId', 'brightpearlId', 'woocommerceId' ) as $key ) {
					if ( isset( $item[ $key ] ) && (string) $item[ $key ] === $id ) {
						$match = (string) $item['entityId'];
						break 2;
					}
				}
			}
			if ( null === $match ) {
				$unknown[] = $id;
			} else {
				$entity_ids[] = $match;
			}
		}
		if ( $unknown ) {
			$this->out->error(
				sprintf(
					/* translators: 1: flow type, 2: list of ids. */
					__( 'Unknown %1$s id(s): %2$s. They are not in the sync log; nothing was queued. See `wp brightpearl logs list --type=%1$s`.', 'brightpearl-sync' ),
					$type,
					implode( ', ', $unknown )
				)
			);
		}
		return array_values( array_unique( $entity_ids ) );
	}
}
