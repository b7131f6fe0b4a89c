<?php
/**
 * Used by bin/test-browser: points the plugin in the test WordPress at the sync service the
 * script started (the same options the Settings tab saves), and turns off what would reach the
 * network from wp-admin (Gravatar images).
 *
 *   php browser-tests/support/point-plugin.php <wordpress path> <site url> <service url> <token>
 *
 * @package BrightpearlSync\BrowserTests
 */

declare(strict_types=1);

if ( $argc < 5 ) {
	fwrite( STDERR, "usage: point-plugin.php <wordpress path> <site url> <service url> <token>\n" );
	exit( 2 );
}
[ , $bpwc_site, $bpwc_site_url, $bpwc_service_url, $bpwc_token ] = $argv;

$_SERVER['HTTP_HOST']   = (string) parse_url( $bpwc_site_url, PHP_URL_HOST ) . ':' . (string) parse_url( $bpwc_site_url, PHP_URL_PORT );
$_SERVER['SERVER_NAME'] = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
define( 'WP_USE_THEMES', false );
require rtrim( $bpwc_site, '/' ) . '/wp-load.php';

if ( ! class_exists( \BrightpearlSync\Settings::class ) ) {
	fwrite( STDERR, "The Brightpearl Sync plugin is not active in {$bpwc_site}.\n" );
	exit( 1 );
}
$bpwc_settings = new \BrightpearlSync\Settings();
foreach ( array( $bpwc_settings->save_url( $bpwc_service_url ), $bpwc_settings->save_token( $bpwc_token ) ) as $bpwc_result ) {
	if ( is_wp_error( $bpwc_result ) ) {
		fwrite( STDERR, $bpwc_result->get_error_message() . "\n" );
		exit( 1 );
	}
}
// Gravatar is on the internet; wp-admin shows mystery-person avatars otherwise.
update_option( 'show_avatars', '0' );

echo 'point-plugin: ' . $bpwc_settings->service_url() . ( $bpwc_settings->is_configured() ? ' (configured)' : ' (NOT configured)' ) . "\n";
