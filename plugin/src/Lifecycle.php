<?php
/**
 * Activation, deactivation and uninstall.
 *
 * @package BrightpearlSync
 */

declare(strict_types=1);

namespace BrightpearlSync;

/**
 * Activation only fills in missing defaults (a reactivation keeps the settings); deactivation
 * only clears scheduled events; uninstall removes every option the plugin wrote.
 */
final class Lifecycle {

	/** Hook names of scheduled events start with this. */
	public const CRON_PREFIX = 'bpwc_';

	public static function activate(): void {
		foreach ( Settings::defaults() as $name => $value ) {
			// add_option() leaves an existing value alone. Not autoloaded: only our page, REST
			// routes and WP-CLI read them, not every front-end request.
			add_option( $name, $value, '', 'no' );
		}
	}

	public static function deactivate(): void {
		$crons = function_exists( '_get_cron_array' ) ? _get_cron_array() : array();
		$hooks = array();
		foreach ( is_array( $crons ) ? $crons : array() as $events ) {
			foreach ( array_keys( (array) $events ) as $hook ) {
				if ( str_starts_with( (string) $hook, self::CRON_PREFIX ) ) {
					$hooks[ $hook ] = true;
				}
			}
		}
		foreach ( array_keys( $hooks ) as $hook ) {
			wp_unschedule_hook( $hook );
		}
	}

	/**
	 * Removes the plugin's options, on every site of a network.
	 */
	public static function uninstall(): void {
		if ( is_multisite() ) {
			foreach ( get_sites( array( 'fields' => 'ids', 'number' => 0 ) ) as $site_id ) {
				switch_to_blog( (int) $site_id );
				self::delete_options();
				restore_current_blog();
			}
		} else {
			self::delete_options();
		}
		self::deactivate();
	}

	private static function delete_options(): void {
		foreach ( Settings::option_names() as $name ) {
			delete_option( $name );
		}
	}
}
