<?php
/**
 * Service URL and token: options, wp-config.php constants, the bpwc/v1/connection route.
 *
 * @package BrightpearlSync\Tests
 */

declare(strict_types=1);

namespace BrightpearlSync\Tests;

use BrightpearlSync\AdminPage;
use BrightpearlSync\Settings;
use BrightpearlSync\Tests\Support\Env;
use BrightpearlSync\Tests\Support\TestCase;

final class ConnectionTest extends TestCase {

	public function test_get_tells_the_state_without_the_token(): void {
		$this->as_admin();
		$response = $this->rest( 'GET', '/bpwc/v1/connection' );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame(
			array(
				'serviceUrl'        => Env::service_url(),
				'hasToken'          => true,
				'urlFromConstant'   => false,
				'tokenFromConstant' => false,
			),
			$response->get_data()
		);
		$this->assertStringNotContainsString( Env::token(), (string) wp_json_encode( $response->get_data() ) );
	}

	public function test_put_saves_a_valid_url_and_token(): void {
		$this->as_admin();
		$token    = str_repeat( 'a1B2', 8 );
		$response = $this->rest( 'PUT', '/bpwc/v1/connection', array(), array( 'serviceUrl' => 'https://sync.example.test:8443/', 'token' => $token ) );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( 'https://sync.example.test:8443', $response->get_data()['serviceUrl'] );
		$this->assertTrue( $response->get_data()['hasToken'] );
		$this->assertArrayNotHasKey( 'token', $response->get_data() );
		$this->assertStringNotContainsString( $token, (string) wp_json_encode( $response->get_data() ) );
		$this->assertSame( 'https://sync.example.test:8443', get_option( Settings::OPTION_URL ) );
		$this->assertSame( $token, get_option( Settings::OPTION_TOKEN ) );
	}

	public function test_put_with_a_blank_token_keeps_the_current_one(): void {
		$this->as_admin();
		$response = $this->rest( 'PUT', '/bpwc/v1/connection', array(), array( 'serviceUrl' => 'http://127.0.0.1:9', 'token' => '' ) );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( Env::token(), get_option( Settings::OPTION_TOKEN ) );
	}

	/**
	 * @dataProvider invalid_changes
	 *
	 * @param array<string, mixed> $body Request body.
	 */
	public function test_put_refuses_invalid_values_with_a_clear_400( array $body, string $code, string $message ): void {
		$this->as_admin();
		$response = $this->rest( 'PUT', '/bpwc/v1/connection', array(), $body );
		$this->assertSame( 400, $response->get_status() );
		$this->assertSame( $code, $response->get_data()['code'] );
		$this->assertStringContainsString( $message, $response->get_data()['message'] );
		// Nothing was saved, not even the valid half.
		$this->assertSame( Env::service_url(), get_option( Settings::OPTION_URL ) );
		$this->assertSame( Env::token(), get_option( Settings::OPTION_TOKEN ) );
	}

	/**
	 * @return array<string, array{0: array<string, mixed>, 1: string, 2: string}>
	 */
	public function invalid_changes(): array {
		$good_token = str_repeat( 'x', 24 );
		return array(
			'ftp URL'           => array( array( 'serviceUrl' => 'ftp://127.0.0.1:8787' ), 'bpwc_invalid_service_url', 'http:// or https://' ),
			'relative URL'      => array( array( 'serviceUrl' => '/api' ), 'bpwc_invalid_service_url', 'http:// or https://' ),
			'not a string'      => array( array( 'serviceUrl' => 42 ), 'bpwc_invalid_service_url', 'http:// or https://' ),
			'short token'       => array( array( 'token' => 'short' ), 'bpwc_invalid_token', 'at least 24 characters' ),
			'token with spaces' => array( array( 'token' => 'has spaces in it but is long enough' ), 'bpwc_invalid_token', 'without spaces' ),
			'good URL, bad token' => array( array( 'serviceUrl' => 'http://127.0.0.1:1234', 'token' => 'short' ), 'bpwc_invalid_token', 'at least 24' ),
			'bad URL, good token' => array( array( 'serviceUrl' => 'javascript:alert(1)', 'token' => $good_token ), 'bpwc_invalid_service_url', 'http://' ),
			'nothing'           => array( array(), 'bpwc_nothing_to_save', 'serviceUrl' ),
		);
	}

	public function test_connection_route_needs_the_capability(): void {
		$this->assertSame( 401, $this->rest( 'GET', '/bpwc/v1/connection' )->get_status() );
		$this->as_subscriber();
		$this->assertSame( 403, $this->rest( 'GET', '/bpwc/v1/connection' )->get_status() );
		$this->assertSame( 403, $this->rest( 'PUT', '/bpwc/v1/connection', array(), array( 'serviceUrl' => 'http://127.0.0.1:1' ) )->get_status() );
		$this->assertSame( Env::service_url(), get_option( Settings::OPTION_URL ) );
	}

	/**
	 * Constants cannot be undefined again, hence a process of its own.
	 *
	 * @runInSeparateProcess
	 * @preserveGlobalState disabled
	 */
	public function test_wp_config_constants_override_the_options_and_lock_them(): void {
		// Options that would fail: only the constants can make the proxy work.
		update_option( Settings::OPTION_URL, 'http://127.0.0.1:' . Env::closed_port() );
		update_option( Settings::OPTION_TOKEN, str_repeat( 'w', 32 ) );
		define( 'BPWC_SERVICE_URL', Env::service_url() . '/' );
		define( 'BPWC_SERVICE_TOKEN', Env::token() );
		$this->as_admin();

		$settings = $this->plugin()->settings();
		$this->assertSame( Env::service_url(), $settings->service_url() );
		$this->assertSame( Env::token(), $settings->token() );

		$flows = $this->rest( 'GET', '/bpwc/v1/flows' );
		$this->assertSame( 200, $flows->get_status(), 'the constants are used to reach the service' );

		$state = $this->rest( 'GET', '/bpwc/v1/connection' )->get_data();
		$this->assertSame( Env::service_url(), $state['serviceUrl'] );
		$this->assertTrue( $state['urlFromConstant'] );
		$this->assertTrue( $state['tokenFromConstant'] );
		$this->assertTrue( $state['hasToken'] );

		foreach ( array( array( 'serviceUrl' => 'http://127.0.0.1:1' ), array( 'token' => str_repeat( 'z', 30 ) ) ) as $body ) {
			$refused = $this->rest( 'PUT', '/bpwc/v1/connection', array(), $body );
			$this->assertSame( 400, $refused->get_status() );
			$this->assertSame( 'bpwc_setting_locked', $refused->get_data()['code'] );
			$this->assertStringContainsString( 'wp-config.php', $refused->get_data()['message'] );
		}
		$this->assertSame( str_repeat( 'w', 32 ), get_option( Settings::OPTION_TOKEN ), 'the option is left alone' );

		// The page tells React where the values come from, and still never the token.
		$page   = new AdminPage( $settings, sys_get_temp_dir(), 'http://example.test' );
		$config = $page->script_config();
		$this->assertTrue( $config['serviceUrlFromConstant'] );
		$this->assertTrue( $config['tokenFromConstant'] );
		$this->assertStringNotContainsString( Env::token(), (string) wp_json_encode( $config ) );
		$this->assertStringNotContainsString( Env::token(), (string) wp_json_encode( $flows->get_data() ) );
	}
}
