<?php
/**
 * PHPUnit bootstrap: loads the real WordPress of bin/wp-test-env (Debian ships no WordPress test
 * library), points the plugin at the sync service bin/test-php started, and waits until the
 * service's start-up run is over so tests see a quiet, known state.
 *
 * @package BrightpearlSync\Tests
 */

declare(strict_types=1);

$bpwc_required = array( 'BPWC_WP_PATH', 'BPWC_WP_URL', 'BPWC_TEST_SERVICE_URL', 'BPWC_TEST_SERVICE_TOKEN' );
foreach ( $bpwc_required as $bpwc_name ) {
	if ( false === getenv( $bpwc_name ) || '' === getenv( $bpwc_name ) ) {
		fwrite( STDERR, "The PHP tests need {$bpwc_name}. Run them with bin/test-php, which starts WordPress and the sync service.\n" );
		exit( 1 );
	}
}

// What a web request would have; WordPress reads some of it while loading.
$bpwc_url                   = (string) getenv( 'BPWC_WP_URL' );
$_SERVER['HTTP_HOST']       = parse_url( $bpwc_url, PHP_URL_HOST ) . ':' . parse_url( $bpwc_url, PHP_URL_PORT );
$_SERVER['SERVER_NAME']     = '127.0.0.1';
$_SERVER['SERVER_PORT']     = (string) parse_url( $bpwc_url, PHP_URL_PORT );
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['REQUEST_METHOD']  = 'GET';
$_SERVER['REMOTE_ADDR']     = '127.0.0.1';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';

define( 'WP_USE_THEMES', false );
require rtrim( (string) getenv( 'BPWC_WP_PATH' ), '/' ) . '/wp-load.php';
// What wp-admin would have loaded: menus, plugin and user functions, screens.
require_once ABSPATH . 'wp-admin/includes/admin.php';

spl_autoload_register(
	static function ( string $class_name ): void {
		$prefix = 'BrightpearlSync\\Tests\\';
		if ( str_starts_with( $class_name, $prefix ) ) {
			$file = __DIR__ . '/' . str_replace( '\\', '/', substr( $class_name, strlen( $prefix ) ) ) . '.php';
			if ( is_readable( $file ) ) {
				require_once $file;
			}
		}
	}
);

if ( ! class_exists( \BrightpearlSync\Plugin::class ) ) {
	fwrite( STDERR, "The plugin is not active in the test WordPress at {$bpwc_url}.\n" );
	exit( 1 );
}

// wp_die() must not end the PHPUnit process.
add_filter(
	'wp_die_handler',
	static fn () => array( \BrightpearlSync\Tests\Support\WpDieException::class, 'handler' )
);

\BrightpearlSync\Tests\Support\Env::point_plugin_at_service();
\BrightpearlSync\Tests\Support\Env::prepare_service();
