<?php
/**
 * The plugin as a browser and an API client see it: real HTTP to the test site (php -S), which
 * talks to the real sync service.
 *
 * @package BrightpearlSync\Tests
 */

declare(strict_types=1);

namespace BrightpearlSync\Tests;

use BrightpearlSync\Settings;
use BrightpearlSync\Tests\Support\Env;
use BrightpearlSync\Tests\Support\TestCase;
use WP_Application_Passwords;

final class HttpTest extends TestCase {

	/** @var array<string, string> login => application password */
	private array $app_passwords = array();

	protected function setUp(): void {
		parent::setUp();
		foreach ( array( 'admin' => Env::get( 'BPWC_WP_ADMIN_USER' ), 'subscriber' => Env::get( 'BPWC_WP_SUBSCRIBER_USER' ) ) as $role => $login ) {
			$user = get_user_by( 'login', $login );
			[ $password ]                  = WP_Application_Passwords::create_new_application_password( $user->ID, array( 'name' => 'bpwc-http-test-' . wp_generate_password( 6, false ) ) );
			$this->app_passwords[ $role ] = $login . ':' . $password;
		}
	}

	protected function tearDown(): void {
		foreach ( array( Env::get( 'BPWC_WP_ADMIN_USER' ), Env::get( 'BPWC_WP_SUBSCRIBER_USER' ) ) as $login ) {
			WP_Application_Passwords::delete_all_application_passwords( get_user_by( 'login', $login )->ID );
		}
		parent::tearDown();
	}

	public function test_rest_routes_over_http_with_application_passwords(): void {
		$flows = $this->http( 'GET', '/wp-json/bpwc/v1/flows', 'admin' );
		$this->assertSame( 200, $flows['status'], $flows['body'] );
		$this->assertSame( Env::service( 'GET', '/api/v1/flows' )['body']['flows'][0]['id'], json_decode( $flows['body'], true )['flows'][0]['id'] );
		$this->assertStringNotContainsString( Env::token(), $flows['body'] );

		$this->assertSame( 403, $this->http( 'GET', '/wp-json/bpwc/v1/flows', 'subscriber' )['status'] );
		$anonymous = $this->http( 'GET', '/wp-json/bpwc/v1/flows' );
		$this->assertSame( 401, $anonymous['status'] );
		$this->assertSame( 'rest_forbidden', json_decode( $anonymous['body'], true )['code'] );

		// What api-fetch adds to every request is dropped on the way to the service.
		$logs = $this->http( 'GET', '/wp-json/bpwc/v1/logs?type=inventory&limit=2&_locale=user&_fields=items', 'admin' );
		$this->assertSame( 200, $logs['status'], $logs['body'] );

		$bad = $this->http( 'PATCH', '/wp-json/bpwc/v1/flows/inventory', 'admin', array( 'schedule' => 'nope' ) );
		$this->assertSame( 400, $bad['status'] );
		$this->assertSame( 'invalid_request', json_decode( $bad['body'], true )['error']['code'] );
	}

	public function test_csv_export_is_streamed_as_a_download(): void {
		$export = $this->http( 'GET', '/wp-json/bpwc/v1/logs/export?type=inventory&_locale=user', 'admin' );
		$direct = Env::service( 'GET', '/api/v1/logs/export.csv', null, array( 'type' => 'inventory' ) );

		$this->assertSame( 200, $export['status'] );
		$this->assertSame( 'text/csv; charset=utf-8', $export['headers']['content-type'] );
		$this->assertSame( $direct['headers']['content-disposition'], $export['headers']['content-disposition'] );
		$this->assertSame( $direct['raw'], $export['body'] );
	}

	public function test_service_down_over_http_is_a_503_with_the_readable_message(): void {
		$url = 'http://127.0.0.1:' . Env::closed_port();
		update_option( Settings::OPTION_URL, $url );
		$response = $this->http( 'GET', '/wp-json/bpwc/v1/flows', 'admin' );
		$this->assertSame( 503, $response['status'] );
		$body = json_decode( $response['body'], true );
		$this->assertSame( 'bpwc_service_unreachable', $body['code'] );
		$this->assertStringContainsString( "The Brightpearl Sync service at {$url} is not reachable", $body['message'] );
	}

	public function test_admin_page_in_a_logged_in_browser_session(): void {
		$cookies = $this->log_in( Env::get( 'BPWC_WP_ADMIN_USER' ), Env::get( 'BPWC_WP_ADMIN_PASSWORD' ) );
		$page    = wp_remote_get( Env::wp_url() . '/wp-admin/tools.php?page=brightpearl-sync', array( 'cookies' => $cookies, 'redirection' => 0, 'timeout' => 30 ) );
		$html    = (string) wp_remote_retrieve_body( $page );

		$this->assertSame( 200, wp_remote_retrieve_response_code( $page ) );
		$this->assertStringContainsString( 'Brightpearl Sync', $html );
		$this->assertStringContainsString( 'WooCommerce is not active', $html );
		$this->assertStringNotContainsString( Env::token(), $html, 'the token never reaches the browser' );

		$built = is_readable( dirname( BPWC_PLUGIN_FILE ) . '/build/index.js' ) && is_readable( dirname( BPWC_PLUGIN_FILE ) . '/build/index.asset.php' );
		if ( $built ) {
			$this->assertStringContainsString( '<div id="bpwc-admin-root"></div>', $html );
			$this->assertMatchesRegularExpression( '#brightpearl-sync/build/index\.js\?ver=#', $html );
			$this->assertSame( 1, preg_match( '/window\.bpwcAdmin = (\{.*?\});/', $html, $m ) );
			$nonce = json_decode( $m[1], true )['nonce'];
		} else {
			$this->assertStringContainsString( 'npm run build', $html );
			$nonce = (string) wp_remote_retrieve_body( wp_remote_get( Env::wp_url() . '/wp-admin/admin-ajax.php?action=rest-nonce', array( 'cookies' => $cookies, 'timeout' => 30 ) ) );
		}

		// The app's calls: cookie + X-WP-Nonce, as api-fetch sends them.
		$status = wp_remote_get(
			Env::wp_url() . '/wp-json/bpwc/v1/status?_locale=user',
			array(
				'cookies' => $cookies,
				'headers' => array( 'X-WP-Nonce' => $nonce ),
				'timeout' => 30,
			)
		);
		$this->assertSame( 200, wp_remote_retrieve_response_code( $status ), (string) wp_remote_retrieve_body( $status ) );
		$this->assertTrue( json_decode( (string) wp_remote_retrieve_body( $status ), true )['reachable'] );

		// Without the nonce a cookie alone is not enough (CSRF protection).
		$no_nonce = wp_remote_get( Env::wp_url() . '/wp-json/bpwc/v1/status', array( 'cookies' => $cookies, 'timeout' => 30 ) );
		$this->assertSame( 401, wp_remote_retrieve_response_code( $no_nonce ) );
	}

	public function test_subscriber_cannot_open_the_page(): void {
		$cookies = $this->log_in( Env::get( 'BPWC_WP_SUBSCRIBER_USER' ), Env::get( 'BPWC_WP_SUBSCRIBER_PASSWORD' ) );
		$page    = wp_remote_get( Env::wp_url() . '/wp-admin/tools.php?page=brightpearl-sync', array( 'cookies' => $cookies, 'redirection' => 0, 'timeout' => 30 ) );
		$this->assertSame( 403, wp_remote_retrieve_response_code( $page ) );
		$this->assertStringNotContainsString( 'bpwc-admin-root', (string) wp_remote_retrieve_body( $page ) );
	}

	/**
	 * @param array<mixed>|null $body JSON body.
	 * @return array{status: int, body: string, headers: array<string, string>}
	 */
	private function http( string $method, string $path, ?string $as = null, ?array $body = null ): array {
		$args = array(
			'method'      => $method,
			'timeout'     => 30,
			'redirection' => 0,
			'headers'     => array(),
		);
		if ( null !== $as ) {
			$args['headers']['Authorization'] = 'Basic ' . base64_encode( $this->app_passwords[ $as ] ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode
		}
		if ( null !== $body ) {
			$args['headers']['Content-Type'] = 'application/json';
			$args['body']                    = wp_json_encode( $body );
		}
		$response = wp_remote_request( Env::wp_url() . $path, $args );
		$this->assertNotWPError( $response );
		$headers = array();
		foreach ( wp_remote_retrieve_headers( $response ) as $name => $value ) {
			$headers[ strtolower( (string) $name ) ] = is_array( $value ) ? implode( ', ', $value ) : (string) $value;
		}
		return array(
			'status'  => (int) wp_remote_retrieve_response_code( $response ),
			'body'    => (string) wp_remote_retrieve_body( $response ),
			'headers' => $headers,
		);
	}

	/**
	 * Logs in through wp-login.php like a browser and returns the session cookies.
	 *
	 * @return \WP_Http_Cookie[]
	 */
	private function log_in( string $login, string $password ): array {
		$response = wp_remote_post(
			Env::wp_url() . '/wp-login.php',
			array(
				'redirection' => 0,
				'timeout'     => 30,
				'cookies'     => array( 'wordpress_test_cookie' => 'WP Cookie check' ),
				'body'        => array(
					'log'         => $login,
					'pwd'         => $password,
					'wp-submit'   => 'Log In',
					'redirect_to' => Env::wp_url() . '/wp-admin/',
					'testcookie'  => '1',
				),
			)
		);
		$this->assertNotWPError( $response );
		$this->assertSame( 302, wp_remote_retrieve_response_code( $response ), 'logged in' );
		return $response['cookies'];
	}

	/**
	 * @param mixed $value Value.
	 */
	private function assertNotWPError( $value ): void {
		$this->assertFalse( is_wp_error( $value ), is_wp_error( $value ) ? $value->get_error_message() : '' );
	}
}
