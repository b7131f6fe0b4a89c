<?php
/**
 * Plugin Name:          Brightpearl Sync for WooCommerce
 * Plugin URI:           https://github.com/bpwc/brightpearl-sync-for-woocommerce
 * Description:          Keeps WooCommerce and Brightpearl in step through the Brightpearl Sync service: flows, sync log, retries and settings in wp-admin, plus WP-CLI commands.
 * Version:              0.1.0
 * Author:               Brightpearl Sync for WooCommerce contributors
 * License:              GPL-2.0-or-later
 * License URI:          https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:          brightpearl-sync
 * Domain Path:          /languages
 * Requires PHP:         8.1
 * Requires at least:    6.1
 * WC requires at least: 7.1
 * WC tested up to:      9.4
 *
 * @package BrightpearlSync
 */

declare(strict_types=1);

defined( 'ABSPATH' ) || exit;

// A second copy of the plugin (e.g. a renamed folder) must not redeclare everything.
if ( defined( 'BPWC_PLUGIN_FILE' ) ) {
	return;
}

define( 'BPWC_PLUGIN_FILE', __FILE__ );
define( 'BPWC_PLUGIN_VERSION', '0.1.0' );

/*
 * PSR-4 for our own namespace only, so the plugin works without Composer; when Composer's
 * autoloader (composer.json at the repository root) is loaded first, it simply wins.
 */
spl_autoload_register(
	static function ( string $class_name ): void {
		$prefix = 'BrightpearlSync\\';
		if ( 0 !== strncmp( $class_name, $prefix, strlen( $prefix ) ) ) {
			return;
		}
		$relative = substr( $class_name, strlen( $prefix ) );
		$file     = __DIR__ . '/src/' . str_replace( '\\', '/', $relative ) . '.php';
		if ( is_readable( $file ) ) {
			require_once $file;
		}
	}
);

register_activation_hook( __FILE__, array( \BrightpearlSync\Lifecycle::class, 'activate' ) );
register_deactivation_hook( __FILE__, array( \BrightpearlSync\Lifecycle::class, 'deactivate' ) );

\BrightpearlSync\Plugin::instance()->boot();
