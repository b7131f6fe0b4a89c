<?php
/**
 * The bpwc/v1 REST proxy against the real sync service.
 *
 * @package BrightpearlSync\Tests
 */

declare(strict_types=1);

namespace BrightpearlSync\Tests;

use BrightpearlSync\CsvDownload;
use BrightpearlSync\Settings;
use BrightpearlSync\Tests\Support\Env;
use BrightpearlSync\Tests\Support\TestCase;
use WP_REST_Response;

final class RestProxyTest extends TestCase {

	/** Concrete values for the URL parameters of the routes. */
	private const SAMPLE_PARAMS = array(
		'(?P<id>[a-z_]+)'    => 'inventory',
		'(?P<id>\d+)'        => '1',
		'(?P<system>[a-z]+)' => 'brightpearl',
	);

	protected function setUp(): void {
		parent::setUp();
		Env::wait_idle();
	}

	protected function tearDown(): void {
		Env::wait_idle();
		parent::tearDown();
	}

	public function test_every_route_refuses_users_without_the_capability(): void {
		$before = Env::service( 'GET', '/api/v1/flows/inventory' )['body'];
		$routes = $this->endpoints();
		$this->assertGreaterThanOrEqual( 18, count( $routes ) );

		foreach ( $routes as [ $method, $pattern ] ) {
			$path = $this->sample_path( $pattern );
			$body = in_array( $method, array( 'POST', 'PUT', 'PATCH' ), true ) ? array( 'enabled' => false, 'schedule' => '1 1 1 1 1' ) : null;

			wp_set_current_user( 0 );
			$anonymous = $this->rest( $method, $path, array( 'type' => 'inventory' ), $body );
			$this->assertSame( 401, $anonymous->get_status(), "{$method} {$path} logged out" );
			$this->assertSame( 'rest_forbidden', $anonymous->get_data()['code'] );

			$this->as_subscriber();
			$subscriber = $this->rest( $method, $path, array( 'type' => 'inventory' ), $body );
			$this->assertSame( 403, $subscriber->get_status(), "{$method} {$path} as a subscriber" );
		}

		$after = Env::service( 'GET', '/api/v1/flows/inventory' )['body'];
		$this->assertSame( $before['schedule'], $after['schedule'], 'nothing reached the service' );
		$this->assertSame( $before['enabled'], $after['enabled'] );
		$this->assertSame( $before['lastRun']['id'], $after['lastRun']['id'] );
	}

	public function test_every_route_works_for_an_administrator(): void {
		$this->as_admin();
		$run_id   = Env::latest_run_id();
		$failed   = Env::items( 'failed' );
		$mappings = json_decode( Env::service( 'GET', '/api/v1/settings/mappings' )['raw'] );
		$this->assertNotEmpty( $failed, 'the demo catalogue has failing items' );

		$requests = array(
			array( 'GET', '/bpwc/v1/flows', array(), null, 200 ),
			array( 'GET', '/bpwc/v1/flows/inventory', array(), null, 200 ),
			array( 'PATCH', '/bpwc/v1/flows/inventory', array(), array( 'enabled' => true ), 200 ),
			array( 'POST', '/bpwc/v1/flows/inventory/runs', array(), array( 'entityIds' => array( '1001' ) ), 202 ),
			array( 'GET', "/bpwc/v1/runs/{$run_id}", array(), null, 200 ),
			array( 'GET', '/bpwc/v1/logs', array( 'type' => 'inventory', 'limit' => '5' ), null, 200 ),
			array( 'GET', '/bpwc/v1/logs/export', array( 'type' => 'inventory' ), null, 200 ),
			array( 'POST', '/bpwc/v1/logs/retry', array(), array( 'ids' => array( (int) $failed[0]['id'] ) ), 200 ),
			array( 'POST', '/bpwc/v1/logs/prune', array(), array( 'olderThanDays' => 3650 ), 200 ),
			array( 'GET', '/bpwc/v1/logs/1', array(), null, 200 ),
			array( 'GET', '/bpwc/v1/settings/mappings', array(), null, 200 ),
			array( 'PUT', '/bpwc/v1/settings/mappings', array(), (array) $mappings, 200 ),
			array( 'GET', '/bpwc/v1/settings/reference', array(), null, Env::service( 'GET', '/api/v1/settings/reference' )['status'] ),
			array( 'GET', '/bpwc/v1/status', array(), null, 200 ),
			array( 'POST', '/bpwc/v1/connections/brightpearl/test', array(), null, 200 ),
			array( 'GET', '/bpwc/v1/stats/hourly', array( 'type' => 'inventory', 'hours' => '3' ), null, 200 ),
			array( 'GET', '/bpwc/v1/connection', array(), null, 200 ),
			array( 'PUT', '/bpwc/v1/connection', array(), array( 'serviceUrl' => Env::service_url() ), 200 ),
		);

		$covered = array();
		foreach ( $requests as [ $method, $path, $query, $body, $status ] ) {
			Env::wait_idle();
			$response = $this->rest( $method, $path, $query, $body );
			$this->assertSame( $status, $response->get_status(), "{$method} {$path}: " . wp_json_encode( $response->get_data() ) );
			$this->assertNoToken( $response );
			$covered[] = $method . ' ' . $this->pattern_of( $path );

			if ( 202 === $status ) {
				$this->assertIsInt( $response->get_data()['runId'] );
				Env::wait_run( $response->get_data()['runId'] );
			}
			if ( '/bpwc/v1/logs/export' === $path ) {
				$this->assertInstanceOf( CsvDownload::class, $response );
				$response->cleanup();
			}
		}
		$expected = array_map( static fn ( $e ) => $e[0] . ' ' . $e[1], $this->endpoints() );
		$this->assertEqualsCanonicalizing( $expected, $covered, 'every route and method has a request here' );
	}

	/**
	 * @dataProvider read_routes
	 *
	 * @param array<string, string> $query Query.
	 */
	public function test_reads_are_the_services_answer_unchanged( string $route, string $service_path, array $query ): void {
		$this->as_admin();
		$proxy  = $this->rest( 'GET', $route, $query );
		$direct = Env::service( 'GET', $service_path, null, $query );
		$this->assertSame( $direct['status'], $proxy->get_status() );
		$this->assertSameJson( $direct['raw'], $proxy );
	}

	/**
	 * @return array<string, array{0: string, 1: string, 2: array<string, string>}>
	 */
	public function read_routes(): array {
		return array(
			'flows'               => array( '/bpwc/v1/flows', '/api/v1/flows', array() ),
			'one flow'            => array( '/bpwc/v1/flows/inventory', '/api/v1/flows/inventory', array() ),
			'failed logs'         => array( '/bpwc/v1/logs', '/api/v1/logs', array( 'type' => 'inventory', 'status' => 'failed' ) ),
			'log search'          => array( '/bpwc/v1/logs', '/api/v1/logs', array( 'type' => 'inventory', 'search' => 'Notebook', 'limit' => '3' ) ),
			'log dates'           => array( '/bpwc/v1/logs', '/api/v1/logs', array( 'type' => 'inventory', 'from' => '2020-01-01', 'to' => '2099-12-31', 'limit' => '2' ) ),
			'one log with history' => array( '/bpwc/v1/logs/1', '/api/v1/logs/1', array() ),
			'mappings'            => array( '/bpwc/v1/settings/mappings', '/api/v1/settings/mappings', array() ),
			'reference'           => array( '/bpwc/v1/settings/reference', '/api/v1/settings/reference', array() ),
			'hourly stats'        => array( '/bpwc/v1/stats/hourly', '/api/v1/stats/hourly', array( 'type' => 'inventory', 'hours' => '5' ) ),
		);
	}

	public function test_mappings_round_trip_keeps_empty_objects(): void {
		$this->as_admin();
		// Empty maps are JSON objects; PHP must not turn them into [] on the way through.
		$current = Env::service( 'GET', '/api/v1/settings/mappings' )['body'];
		$current['paymentMethodMap']  = new \stdClass();
		$current['shippingMethodMap'] = new \stdClass();
		Env::service( 'PUT', '/api/v1/settings/mappings', $current );
		$before = Env::service( 'GET', '/api/v1/settings/mappings' );
		$this->assertStringContainsString( '"paymentMethodMap":{}', $before['raw'] );
		$request = new \WP_REST_Request( 'PUT', '/bpwc/v1/settings/mappings' );
		$request->set_header( 'Content-Type', 'application/json' );
		$request->set_body( $before['raw'] );
		$saved = rest_do_request( $request );
		$this->assertSame( 200, $saved->get_status(), (string) wp_json_encode( $saved->get_data() ) );
		$this->assertSameJson( $before['raw'], $saved );
		$this->assertSameJson( $before['raw'], $this->rest( 'GET', '/bpwc/v1/settings/mappings' ) );
	}

	public function test_keyset_paging_goes_through(): void {
		$this->as_admin();
		$first = $this->rest( 'GET', '/bpwc/v1/logs', array( 'type' => 'inventory', 'limit' => '2' ) )->get_data();
		$this->assertCount( 2, $first['items'] );
		$this->assertIsString( $first['nextCursor'] );
		$second = $this->rest( 'GET', '/bpwc/v1/logs', array( 'type' => 'inventory', 'limit' => '2', 'cursor' => $first['nextCursor'] ) )->get_data();
		$this->assertLessThan( $first['items'][1]['id'], $second['items'][0]['id'] );
	}

	/**
	 * @dataProvider service_errors
	 *
	 * @param array<string, string> $query Query.
	 * @param array<mixed>|null     $body  Body.
	 */
	public function test_service_errors_pass_through_unchanged( string $method, string $route, string $service_path, array $query, ?array $body, int $status, string $code ): void {
		$this->as_admin();
		$before = Env::service( 'GET', '/api/v1/flows/inventory' )['body'];

		$proxy = $this->rest( $method, $route, $query, $body );
		$this->assertSame( $status, $proxy->get_status() );
		$this->assertSame( $code, $proxy->get_data()['error']['code'] ?? null, wp_json_encode( $proxy->get_data() ) );
		$this->assertSame( array( 'error' ), array_keys( $proxy->get_data() ) );

		// Byte for byte what the service says to the same request.
		$direct = Env::service( $method, $service_path, $body, $query );
		$this->assertSame( $direct['status'], $proxy->get_status() );
		$this->assertSameJson( $direct['raw'], $proxy );

		$after = Env::service( 'GET', '/api/v1/flows/inventory' )['body'];
		$this->assertSame( $before['schedule'], $after['schedule'] );
		$this->assertSame( $before['lastRun']['id'], $after['lastRun']['id'], 'no run was started' );
	}

	/**
	 * @return array<string, array{0: string, 1: string, 2: string, 3: array<string,string>, 4: array<mixed>|null, 5: int, 6: string}>
	 */
	public function service_errors(): array {
		return array(
			'bad cron'             => array( 'PATCH', '/bpwc/v1/flows/inventory', '/api/v1/flows/inventory', array(), array( 'schedule' => '61 * * * *' ), 400, 'invalid_request' ),
			'empty patch'          => array( 'PATCH', '/bpwc/v1/flows/inventory', '/api/v1/flows/inventory', array(), array(), 400, 'invalid_request' ),
			'unknown flow'         => array( 'GET', '/bpwc/v1/flows/nope', '/api/v1/flows/nope', array(), null, 400, 'invalid_request' ),
			'unknown log id'       => array( 'GET', '/bpwc/v1/logs/999999', '/api/v1/logs/999999', array(), null, 404, 'not_found' ),
			'unknown run id'       => array( 'GET', '/bpwc/v1/runs/999999', '/api/v1/runs/999999', array(), null, 404, 'not_found' ),
			'logs without type'    => array( 'GET', '/bpwc/v1/logs', '/api/v1/logs', array( 'status' => 'failed' ), null, 400, 'invalid_request' ),
			'impossible date'      => array( 'GET', '/bpwc/v1/logs', '/api/v1/logs', array( 'type' => 'inventory', 'from' => '2026-02-30' ), null, 400, 'invalid_request' ),
			'bad limit'            => array( 'GET', '/bpwc/v1/logs', '/api/v1/logs', array( 'type' => 'inventory', 'limit' => '9999' ), null, 400, 'invalid_request' ),
			'retry unknown ids'    => array( 'POST', '/bpwc/v1/logs/retry', '/api/v1/logs/retry', array(), array( 'ids' => array( 999999 ) ), 404, 'not_found' ),
			'retry bad selector'   => array( 'POST', '/bpwc/v1/logs/retry', '/api/v1/logs/retry', array(), array( 'type' => 'inventory', 'status' => 'synced' ), 400, 'invalid_request' ),
			'prune zero days'      => array( 'POST', '/bpwc/v1/logs/prune', '/api/v1/logs/prune', array(), array( 'olderThanDays' => 0 ), 400, 'invalid_request' ),
			'bad mappings'         => array( 'PUT', '/bpwc/v1/settings/mappings', '/api/v1/settings/mappings', array(), array( 'nope' => true ), 400, 'invalid_request' ),
			'unknown system'       => array( 'POST', '/bpwc/v1/connections/shopify/test', '/api/v1/connections/shopify/test', array(), null, 400, 'invalid_request' ),
			'hourly without type'  => array( 'GET', '/bpwc/v1/stats/hourly', '/api/v1/stats/hourly', array( 'hours' => '3' ), null, 400, 'invalid_request' ),
		);
	}

	public function test_a_wrong_token_is_the_services_401_passed_through(): void {
		update_option( Settings::OPTION_TOKEN, str_repeat( 'n', 32 ) );
		$this->as_admin();
		$response = $this->rest( 'GET', '/bpwc/v1/flows' );
		$this->assertSame( 401, $response->get_status() );
		$this->assertSame( 'unauthorized', $response->get_data()['error']['code'] );
	}

	public function test_unknown_query_parameters_are_dropped(): void {
		$this->as_admin();
		$extras = array(
			'_locale'    => 'user',
			'_wpnonce'   => 'abc',
			'_fields'    => 'items',
			'_envelope'  => '0',
			'rest_route' => '/bpwc/v1/logs',
			'foo'        => 'bar',
			'page'       => '2',
		);
		// The service itself refuses what it does not know...
		$direct = Env::service( 'GET', '/api/v1/logs', null, array( 'type' => 'inventory', 'foo' => 'bar' ) );
		$this->assertSame( 400, $direct['status'] );
		$this->assertStringContainsString( 'foo', $direct['body']['error']['message'] );

		// ...so the proxy sends only the known keys.
		$logs = $this->rest( 'GET', '/bpwc/v1/logs', array( 'type' => 'inventory', 'limit' => '3' ) + $extras );
		$this->assertSame( 200, $logs->get_status(), wp_json_encode( $logs->get_data() ) );
		$this->assertCount( 3, $logs->get_data()['items'] );

		foreach ( array( '/bpwc/v1/flows', '/bpwc/v1/flows/inventory', '/bpwc/v1/logs/1', '/bpwc/v1/settings/mappings' ) as $route ) {
			$this->assertSame( 200, $this->rest( 'GET', $route, $extras )->get_status(), $route );
		}
		$stats = $this->rest( 'GET', '/bpwc/v1/stats/hourly', array( 'type' => 'inventory', 'hours' => '2' ) + $extras );
		$this->assertSame( 200, $stats->get_status() );
		$this->assertCount( 2, $stats->get_data()['buckets'] );

		// Array-valued parameters cannot be forwarded as one value either.
		$this->assertSame( 200, $this->rest( 'GET', '/bpwc/v1/logs', array( 'type' => 'inventory', 'search' => array( 'a', 'b' ) ) )->get_status() );

		// Bodies too: WordPress's own keys never reach the service's strict schemas.
		$patched = $this->rest( 'PATCH', '/bpwc/v1/flows/inventory', array(), array( 'enabled' => true, '_wpnonce' => 'x', '_locale' => 'user' ) );
		$this->assertSame( 200, $patched->get_status(), wp_json_encode( $patched->get_data() ) );
	}

	public function test_a_run_started_through_the_proxy_lands_in_the_service(): void {
		$this->as_admin();
		$started = $this->rest( 'POST', '/bpwc/v1/flows/inventory/runs', array(), array( 'entityIds' => array( '1001', '1002' ) ) );
		$this->assertSame( 202, $started->get_status() );
		$run_id = $started->get_data()['runId'];
		$this->assertSame( rest_url( 'bpwc/v1/runs/' . $run_id ), $started->get_headers()['Location'] ?? null, 'Location points at our route' );

		$run = Env::wait_run( $run_id );
		$this->assertSame( 'inventory', $run['flowId'] );
		$this->assertSame( 2, $run['counts']['seen'] );

		$this->assertSameJson( (string) wp_json_encode( $run ), $this->rest( 'GET', "/bpwc/v1/runs/{$run_id}" ) );

		// Running twice at once is the service's 409, passed through.
		$again = $this->rest( 'POST', '/bpwc/v1/flows/inventory/runs', array(), array() );
		if ( 409 === $again->get_status() ) {
			$this->assertSame( 'flow_busy', $again->get_data()['error']['code'] );
		} else {
			$this->assertSame( 202, $again->get_status() );
			Env::wait_run( $again->get_data()['runId'] );
		}
	}

	public function test_retry_and_prune_go_through(): void {
		$this->as_admin();
		$failed = Env::items( 'failed' );
		$before = Env::queued_attempts( (int) $failed[0]['id'] );

		$retry = $this->rest( 'POST', '/bpwc/v1/logs/retry', array(), array( 'type' => 'inventory', 'status' => 'failed' ) );
		$this->assertSame( 200, $retry->get_status() );
		$this->assertSame( count( $failed ), $retry->get_data()['queued'] );
		$this->assertSame( $before + 1, Env::queued_attempts( (int) $failed[0]['id'] ), 'the item went back to pending' );
		Env::wait_idle();

		$prune = $this->rest( 'POST', '/bpwc/v1/logs/prune', array(), array( 'olderThanDays' => 3650 ) );
		$this->assertSame( 200, $prune->get_status() );
		$this->assertSame( 0, $prune->get_data()['deleted'] );
	}

	public function test_flow_switches_and_schedules_through_the_proxy(): void {
		$this->as_admin();
		try {
			$off = $this->rest( 'PATCH', '/bpwc/v1/flows/inventory', array(), array( 'enabled' => false, 'schedule' => '15 3 * * *' ) );
			$this->assertSame( 200, $off->get_status() );
			$this->assertFalse( $off->get_data()['enabled'] );
			$service = Env::service( 'GET', '/api/v1/flows/inventory' )['body'];
			$this->assertFalse( $service['enabled'] );
			$this->assertSame( '15 3 * * *', $service['schedule'] );
		} finally {
			Env::service( 'PATCH', '/api/v1/flows/inventory', array( 'enabled' => true, 'schedule' => Env::QUIET_SCHEDULE ) );
		}
	}

	public function test_connection_tests_go_to_the_service(): void {
		$this->as_admin();
		foreach ( array( 'brightpearl', 'woocommerce' ) as $system ) {
			$result = $this->rest( 'POST', "/bpwc/v1/connections/{$system}/test" );
			$this->assertSame( 200, $result->get_status() );
			$this->assertSame( array( 'ok', 'message', 'latencyMs' ), array_keys( $result->get_data() ) );
			$this->assertTrue( $result->get_data()['ok'], $result->get_data()['message'] );
		}
	}

	public function test_status_reports_health_and_flows(): void {
		$this->as_admin();
		$status = $this->rest( 'GET', '/bpwc/v1/status' );
		$this->assertSame( 200, $status->get_status() );
		$data = $status->get_data();
		$this->assertTrue( $data['reachable'] );
		$this->assertArrayNotHasKey( 'message', $data );
		$this->assertTrue( $data['service']['reachable'] );
		$this->assertSame( 'ok', $data['service']['status'] );
		$this->assertSame( 'ok', $data['service']['database'] );
		$this->assertSame( Env::service_url(), $data['service']['url'] );
		$this->assertTrue( $data['service']['configured'] );
		$this->assertIsString( $data['service']['version'] );
		$this->assertSame( array( 'inventory', 'product', 'order', 'refund', 'shipment' ), array_column( $data['flows'], 'id' ) );
		$inventory = $data['flows'][0];
		$this->assertTrue( $inventory['available'] );
		$this->assertGreaterThan( 0, $inventory['counts']['synced'] );
		$this->assertIsInt( $inventory['lastRun']['id'] );
		$this->assertNoToken( $status );
	}

	public function test_status_with_a_wrong_token_says_so(): void {
		update_option( Settings::OPTION_TOKEN, str_repeat( 'n', 32 ) );
		$this->as_admin();
		$data = $this->rest( 'GET', '/bpwc/v1/status' )->get_data();
		$this->assertTrue( $data['service']['reachable'], 'the network part is fine' );
		$this->assertFalse( $data['reachable'], 'but the plugin cannot use the service' );
		$this->assertStringContainsString( 'Bearer', $data['message'] );
		$this->assertNull( $data['flows'] );
		$this->assertSame( 'unauthorized', $data['flowsError']['code'] );
		$this->assertSame( 401, $data['flowsError']['status'] );
	}

	/**
	 * Every registered (method, route) of the namespace, without the namespace index.
	 *
	 * @return list<array{0: string, 1: string}>
	 */
	private function endpoints(): array {
		$out = array();
		foreach ( rest_get_server()->get_routes( 'bpwc/v1' ) as $route => $handlers ) {
			if ( '/bpwc/v1' === $route ) {
				continue;
			}
			foreach ( $handlers as $handler ) {
				foreach ( array_keys( $handler['methods'] ) as $method ) {
					$out[] = array( $method, $route );
				}
			}
		}
		return $out;
	}

	private function sample_path( string $pattern ): string {
		return strtr( $pattern, self::SAMPLE_PARAMS );
	}

	private function pattern_of( string $path ): string {
		foreach ( array_keys( rest_get_server()->get_routes( 'bpwc/v1' ) ) as $route ) {
			if ( preg_match( '@^' . $route . '$@i', $path ) ) {
				return $route;
			}
		}
		return 'no route for ' . $path;
	}

	/**
	 * The response's JSON is the service's JSON, `{}` and `[]` included.
	 */
	private function assertSameJson( string $service_json, WP_REST_Response $response ): void {
		$this->assertSame( wp_json_encode( json_decode( $service_json ) ), wp_json_encode( $response->get_data() ) );
	}

	private function assertNoToken( WP_REST_Response $response ): void {
		$all = wp_json_encode( $response->get_data() ) . wp_json_encode( $response->get_headers() );
		$this->assertStringNotContainsString( Env::token(), (string) $all );
	}
}
