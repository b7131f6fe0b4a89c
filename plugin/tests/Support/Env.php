<?php
/**
 * The test environment: WordPress of bin/wp-test-env and the sync service of bin/test-php.
 *
 * @package BrightpearlSync\Tests
 */

declare(strict_types=1);

namespace BrightpearlSync\Tests\Support;

use BrightpearlSync\Settings;

/**
 * Reads the BPWC_* variables and talks to the service directly (not through the plugin), so
 * tests can check what really landed in it.
 */
final class Env {

	/** Schedule the bootstrap gives the inventory flow, so no scheduled run races the tests. */
	public const QUIET_SCHEDULE = '0 0 1 1 *';

	public static function get( string $name ): string {
		$value = getenv( $name );
		return false === $value ? '' : $value;
	}

	public static function service_url(): string {
		return rtrim( self::get( 'BPWC_TEST_SERVICE_URL' ), '/' );
	}

	public static function token(): string {
		return self::get( 'BPWC_TEST_SERVICE_TOKEN' );
	}

	public static function wp_url(): string {
		return rtrim( self::get( 'BPWC_WP_URL' ), '/' );
	}

	public static function point_plugin_at_service(): void {
		update_option( Settings::OPTION_URL, self::service_url(), false );
		update_option( Settings::OPTION_TOKEN, self::token(), false );
	}

	/**
	 * Waits for the demo's start-up run and makes the schedule quiet; the demo's own schedule
	 * (every minute) would start runs in the middle of tests.
	 */
	public static function prepare_service(): void {
		// Every flow runs at start-up and then every minute in the demo: let them finish, then quiet them.
		foreach ( array( 'inventory', 'product', 'order', 'refund', 'shipment' ) as $type ) {
			$flow = self::service( 'GET', '/api/v1/flows/' . $type );
			if ( self::QUIET_SCHEDULE !== ( $flow['body']['schedule'] ?? null ) || true !== ( $flow['body']['enabled'] ?? null ) ) {
				self::service( 'PATCH', '/api/v1/flows/' . $type, array( 'schedule' => self::QUIET_SCHEDULE, 'enabled' => true ) );
			}
		}
		foreach ( array( 'inventory', 'product', 'order', 'refund', 'shipment' ) as $type ) {
			self::wait_idle( $type, 120 );
		}
	}

	/**
	 * Calls the service directly with the test token.
	 *
	 * @param array<mixed>|null    $body  JSON body.
	 * @param array<string,string> $query Query.
	 * @return array{status: int, body: mixed, headers: array<string,string>, raw: string}
	 */
	public static function service( string $method, string $path, ?array $body = null, array $query = array(), ?string $token = null ): array {
		$url  = self::service_url() . $path . ( $query ? '?' . http_build_query( $query ) : '' );
		$args = array(
			'method'  => $method,
			'timeout' => 30,
			'headers' => array( 'Authorization' => 'Bearer ' . ( $token ?? self::token() ) ),
		);
		if ( null !== $body || in_array( $method, array( 'POST', 'PUT', 'PATCH' ), true ) ) {
			// As the plugin does: `{}` for a bodiless POST, or curl labels it a form post.
			$args['headers']['Content-Type'] = 'application/json';
			$args['body']                    = null === $body || array() === $body ? '{}' : wp_json_encode( $body );
		}
		$response = wp_remote_request( $url, $args );
		if ( is_wp_error( $response ) ) {
			throw new \RuntimeException( 'Sync service call failed: ' . $response->get_error_message() );
		}
		$headers = array();
		foreach ( wp_remote_retrieve_headers( $response ) as $name => $value ) {
			$headers[ strtolower( (string) $name ) ] = is_array( $value ) ? implode( ', ', $value ) : (string) $value;
		}
		$raw = (string) wp_remote_retrieve_body( $response );
		return array(
			'status'  => (int) wp_remote_retrieve_response_code( $response ),
			'body'    => json_decode( $raw, true ),
			'headers' => $headers,
			'raw'     => $raw,
		);
	}

	/**
	 * Waits until the flow is not running.
	 */
	public static function wait_idle( string $type = 'inventory', int $seconds = 120 ): void {
		$deadline = microtime( true ) + $seconds;
		do {
			$flow = self::service( 'GET', '/api/v1/flows/' . $type );
			if ( 200 === $flow['status'] && null === ( $flow['body']['running'] ?? null ) && null !== ( $flow['body']['lastRun'] ?? null ) ) {
				return;
			}
			usleep( 100_000 );
		} while ( microtime( true ) < $deadline );
		throw new \RuntimeException( "The {$type} flow is still running after {$seconds} s." );
	}

	/**
	 * Waits for a run to finish and returns it.
	 *
	 * @return array<mixed>
	 */
	public static function wait_run( int $run_id, int $seconds = 30 ): array {
		$deadline = microtime( true ) + $seconds;
		do {
			$run = self::service( 'GET', '/api/v1/runs/' . $run_id );
			if ( 200 === $run['status'] && 'running' !== ( $run['body']['status'] ?? 'running' ) ) {
				return $run['body'];
			}
			usleep( 100_000 );
		} while ( microtime( true ) < $deadline );
		throw new \RuntimeException( "Run {$run_id} did not finish within {$seconds} s." );
	}

	/**
	 * Id of the newest run of a flow (0 when none).
	 */
	public static function latest_run_id( string $type = 'inventory' ): int {
		$flow = self::service( 'GET', '/api/v1/flows/' . $type );
		return (int) ( $flow['body']['lastRun']['id'] ?? 0 );
	}

	/**
	 * Sync log items of the inventory flow in a status.
	 *
	 * @return array<int, array<mixed>>
	 */
	public static function items( string $status, string $type = 'inventory', int $limit = 500 ): array {
		$page = self::service( 'GET', '/api/v1/logs', null, array( 'type' => $type, 'status' => $status, 'limit' => (string) $limit ) );
		return (array) ( $page['body']['items'] ?? array() );
	}

	/**
	 * Entity ids of items that sync fine, for runs that must succeed (whatever the catalogue).
	 *
	 * @return string[]
	 */
	public static function synced_entity_ids( int $count ): array {
		$ids = array_column( self::items( 'synced', 'inventory', $count ), 'entityId' );
		if ( count( $ids ) < $count ) {
			throw new \RuntimeException( "The demo has fewer than {$count} synced inventory items." );
		}
		return array_map( 'strval', $ids );
	}

	/**
	 * How many items of a type the sync log has.
	 */
	public static function total( string $type = 'inventory' ): int {
		return (int) ( self::service( 'GET', '/api/v1/logs', null, array( 'type' => $type, 'limit' => '1' ) )['body']['total'] ?? 0 );
	}

	/**
	 * How many "queued" attempts (retry requests) a sync log item has.
	 */
	public static function queued_attempts( int $item_id ): int {
		$item = self::service( 'GET', '/api/v1/logs/' . $item_id );
		return count( array_filter( (array) ( $item['body']['history'] ?? array() ), static fn ( $a ) => 'queued' === ( $a['outcome'] ?? null ) ) );
	}

	/**
	 * A 127.0.0.1 port nothing listens on.
	 */
	public static function closed_port(): int {
		$server = stream_socket_server( 'tcp://127.0.0.1:0' );
		$name   = (string) stream_socket_get_name( $server, false );
		fclose( $server );
		return (int) substr( $name, strrpos( $name, ':' ) + 1 );
	}
}
