<?php
/**
 * The sync service down, slow, unconfigured or not the service at all.
 *
 * @package BrightpearlSync\Tests
 */

declare(strict_types=1);

namespace BrightpearlSync\Tests;

use BrightpearlSync\ServiceClient;
use BrightpearlSync\Settings;
use BrightpearlSync\Tests\Support\Env;
use BrightpearlSync\Tests\Support\TestCase;

final class UnreachableTest extends TestCase {

	/** @var resource|null A socket that accepts connections and never answers. */
	private $silent_server = null;

	protected function tearDown(): void {
		if ( is_resource( $this->silent_server ) ) {
			fclose( $this->silent_server );
		}
		parent::tearDown();
	}

	/**
	 * Every proxy route, with a body where it takes one.
	 *
	 * @return array<string, array{0: string, 1: string, 2: array<string,string>, 3: array<mixed>|null}>
	 */
	public function proxy_routes(): array {
		return array(
			'flows'            => array( 'GET', '/bpwc/v1/flows', array(), null ),
			'flow'             => array( 'GET', '/bpwc/v1/flows/inventory', array(), null ),
			'patch flow'       => array( 'PATCH', '/bpwc/v1/flows/inventory', array(), array( 'enabled' => true ) ),
			'run flow'         => array( 'POST', '/bpwc/v1/flows/inventory/runs', array(), array() ),
			'run'              => array( 'GET', '/bpwc/v1/runs/1', array(), null ),
			'logs'             => array( 'GET', '/bpwc/v1/logs', array( 'type' => 'inventory' ), null ),
			'log'              => array( 'GET', '/bpwc/v1/logs/1', array(), null ),
			'export'           => array( 'GET', '/bpwc/v1/logs/export', array( 'type' => 'inventory' ), null ),
			'retry'            => array( 'POST', '/bpwc/v1/logs/retry', array(), array( 'ids' => array( 1 ) ) ),
			'prune'            => array( 'POST', '/bpwc/v1/logs/prune', array(), array( 'olderThanDays' => 30 ) ),
			'mappings'         => array( 'GET', '/bpwc/v1/settings/mappings', array(), null ),
			'save mappings'    => array( 'PUT', '/bpwc/v1/settings/mappings', array(), array( 'defaultTaxCode' => 'T20' ) ),
			'reference'        => array( 'GET', '/bpwc/v1/settings/reference', array(), null ),
			'connection test'  => array( 'POST', '/bpwc/v1/connections/woocommerce/test', array(), null ),
			'hourly'           => array( 'GET', '/bpwc/v1/stats/hourly', array( 'type' => 'inventory' ), null ),
		);
	}

	/**
	 * @dataProvider proxy_routes
	 *
	 * @param array<string,string> $query Query.
	 * @param array<mixed>|null    $body  Body.
	 */
	public function test_service_stopped_is_a_readable_503( string $method, string $route, array $query, ?array $body ): void {
		$url = 'http://127.0.0.1:' . Env::closed_port();
		update_option( Settings::OPTION_URL, $url );
		$this->as_admin();

		$response = $this->rest( $method, $route, $query, $body );
		$this->assertSame( 503, $response->get_status() );
		$data = $response->get_data();
		$this->assertSame( 'bpwc_service_unreachable', $data['code'] );
		$this->assertSame( array( 'status' => 503 ), $data['data'] );
		$this->assertStringStartsWith( "The Brightpearl Sync service at {$url} is not reachable: ", $data['message'] );
		$this->assertStringEndsWith( 'Check that it is running and that the service URL in Settings is right.', $data['message'] );
		$this->assertStringNotContainsString( Env::token(), (string) wp_json_encode( $data ) );
	}

	public function test_status_says_unreachable_instead_of_failing(): void {
		$url = 'http://127.0.0.1:' . Env::closed_port();
		update_option( Settings::OPTION_URL, $url );
		$this->as_admin();

		$response = $this->rest( 'GET', '/bpwc/v1/status' );
		$this->assertSame( 200, $response->get_status() );
		$data = $response->get_data();
		$this->assertFalse( $data['reachable'] );
		$this->assertStringContainsString( "service at {$url} is not reachable", $data['message'] );
		$this->assertFalse( $data['service']['reachable'] );
		$this->assertSame( 'bpwc_service_unreachable', $data['service']['code'] );
		$this->assertStringContainsString( "service at {$url} is not reachable", $data['service']['message'] );
		$this->assertNull( $data['flows'] );
	}

	public function test_a_service_that_never_answers_times_out_into_the_same_503(): void {
		$this->silent_server = stream_socket_server( 'tcp://127.0.0.1:0' );
		$name                = (string) stream_socket_get_name( $this->silent_server, false );
		update_option( Settings::OPTION_URL, 'http://' . $name );
		$this->filter( 'bpwc_service_timeout', static fn () => 1 );
		$this->as_admin();

		$started  = microtime( true );
		$response = $this->rest( 'GET', '/bpwc/v1/flows' );
		$elapsed  = microtime( true ) - $started;

		$this->assertSame( 503, $response->get_status() );
		$this->assertSame( 'bpwc_service_unreachable', $response->get_data()['code'] );
		$this->assertMatchesRegularExpression( '/timed out|timeout/i', $response->get_data()['message'] );
		$this->assertLessThan( 5, $elapsed, 'the filtered timeout applies' );
	}

	public function test_timeout_defaults_to_fifteen_seconds_and_is_filterable(): void {
		$seen = array();
		$this->filter(
			'http_request_args',
			static function ( array $args, string $url ) use ( &$seen ): array {
				$seen[ $url ] = $args['timeout'];
				return $args;
			},
			10,
			2
		);
		$client = new ServiceClient( new Settings() );
		$client->request( 'GET', '/api/v1/flows' );
		$this->assertSame( 15.0, (float) $seen[ Env::service_url() . '/api/v1/flows' ] );

		$this->filter( 'bpwc_service_timeout', static fn ( $timeout, $method, $path ) => '/api/v1/flows' === $path ? 7 : $timeout, 10, 3 );
		$client->request( 'GET', '/api/v1/flows' );
		$this->assertSame( 7.0, (float) $seen[ Env::service_url() . '/api/v1/flows' ] );
	}

	public function test_the_client_sends_the_bearer_token_and_json(): void {
		$sent = array();
		$this->filter(
			'http_request_args',
			static function ( array $args ) use ( &$sent ): array {
				$sent = $args;
				return $args;
			}
		);
		$client   = new ServiceClient( new Settings() );
		$response = $client->request( 'PATCH', '/api/v1/flows/inventory', array(), array( 'enabled' => true ) );
		$this->assertSame( 200, $response->status );
		$this->assertSame( 'Bearer ' . Env::token(), $sent['headers']['Authorization'] );
		$this->assertSame( 'application/json', $sent['headers']['Content-Type'] );
		$this->assertSame( '{"enabled":true}', $sent['body'] );
		$this->assertSame( 'inventory', $response->body['id'] );
		$this->assertArrayHasKey( 'content-type', $response->headers );
	}

	public function test_without_a_token_nothing_is_sent_and_the_admin_is_told(): void {
		update_option( Settings::OPTION_TOKEN, '' );
		$this->as_admin();
		$response = $this->rest( 'GET', '/bpwc/v1/flows' );
		$this->assertSame( 503, $response->get_status() );
		$this->assertSame( 'bpwc_service_not_configured', $response->get_data()['code'] );
		$this->assertStringContainsString( 'token', $response->get_data()['message'] );
	}

	public function test_a_url_that_is_not_the_service_is_a_502(): void {
		// The test WordPress itself: it answers, but with HTML.
		update_option( Settings::OPTION_URL, Env::wp_url() );
		$this->as_admin();
		$response = $this->rest( 'GET', '/bpwc/v1/flows' );
		$this->assertSame( 502, $response->get_status() );
		$this->assertSame( 'bpwc_service_bad_response', $response->get_data()['code'] );
		$this->assertStringContainsString( 'Check the service URL in Settings', $response->get_data()['message'] );
	}
}
