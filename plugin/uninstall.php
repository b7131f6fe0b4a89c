<?php
/**
 * Runs when the plugin is deleted from the Plugins screen: removes its options.
 *
 * @package BrightpearlSync
 */

declare(strict_types=1);

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

// The plugin may not be loaded during uninstall: bring in only what is needed.
foreach ( array( 'Settings', 'Lifecycle' ) as $bpwc_class ) {
	if ( ! class_exists( 'BrightpearlSync\\' . $bpwc_class, false ) ) {
		require_once __DIR__ . '/src/' . $bpwc_class . '.php';
	}
}

\BrightpearlSync\Lifecycle::uninstall();
