<?php
/**
 * Base of the plugin's tests: real WordPress, real sync service.
 *
 * @package BrightpearlSync\Tests
 */

declare(strict_types=1);

namespace BrightpearlSync\Tests\Support;

use BrightpearlSync\Plugin;
use WP_REST_Request;
use WP_REST_Response;

/**
 * Every test starts logged out, with the plugin pointed at the test service, and leaves
 * WordPress as it found it (filters it added removed, options restored).
 */
abstract class TestCase extends \PHPUnit\Framework\TestCase {

	/** @var list<array{0: string, 1: callable, 2: int}> */
	private array $added_filters = array();

	protected function setUp(): void {
		parent::setUp();
		wp_set_current_user( 0 );
		Env::point_plugin_at_service();
	}

	protected function tearDown(): void {
		foreach ( $this->added_filters as [ $hook, $callback, $priority ] ) {
			remove_filter( $hook, $callback, $priority );
		}
		$this->added_filters = array();
		wp_set_current_user( 0 );
		Env::point_plugin_at_service();
		parent::tearDown();
	}

	/**
	 * add_filter() that the test's tearDown undoes.
	 */
	protected function filter( string $hook, callable $callback, int $priority = 10, int $args = 1 ): void {
		add_filter( $hook, $callback, $priority, $args );
		$this->added_filters[] = array( $hook, $callback, $priority );
	}

	protected function as_admin(): int {
		$user = get_user_by( 'login', Env::get( 'BPWC_WP_ADMIN_USER' ) ?: 'admin' );
		$this->assertNotFalse( $user, 'the test administrator exists' );
		wp_set_current_user( $user->ID );
		return $user->ID;
	}

	protected function as_subscriber(): int {
		$user = get_user_by( 'login', Env::get( 'BPWC_WP_SUBSCRIBER_USER' ) ?: 'subscriber' );
		$this->assertNotFalse( $user, 'the test subscriber exists' );
		wp_set_current_user( $user->ID );
		return $user->ID;
	}

	/**
	 * Dispatches a REST request in-process, as the REST server would for a browser.
	 *
	 * @param array<string, mixed>     $query Query parameters.
	 * @param array<mixed>|null        $body  JSON body.
	 */
	protected function rest( string $method, string $route, array $query = array(), ?array $body = null ): WP_REST_Response {
		$request = new WP_REST_Request( $method, $route );
		$request->set_query_params( $query );
		if ( null !== $body ) {
			$request->set_header( 'Content-Type', 'application/json' );
			$request->set_body( array() === $body ? '{}' : (string) wp_json_encode( $body ) );
		}
		return rest_do_request( $request );
	}

	protected function plugin(): Plugin {
		return Plugin::instance();
	}

	/**
	 * Runs a callable and asserts it stopped like WP_CLI::error() (exit code 1) with a message
	 * containing $needle.
	 */
	protected function assertCliError( callable $run, string $needle ): CliExit {
		try {
			$run();
		} catch ( CliExit $exit ) {
			$this->assertSame( 1, $exit->exit_code );
			$this->assertStringContainsString( $needle, $exit->getMessage() );
			return $exit;
		}
		$this->fail( "Expected the command to fail with \"{$needle}\"." );
	}
}
