<?php
/**
 * Who may use the plugin, and whether WooCommerce is there.
 *
 * @package BrightpearlSync
 */

declare(strict_types=1);

namespace BrightpearlSync;

/**
 * Shop managers run the sync when WooCommerce is active; without it only administrators can.
 */
final class Capability {

	public static function woocommerce_active(): bool {
		/**
		 * Filters whether WooCommerce counts as active (it is when its main class is loaded).
		 *
		 * @param bool $active Whether WooCommerce is active.
		 */
		return (bool) apply_filters( 'bpwc_woocommerce_active', class_exists( 'WooCommerce', false ) );
	}

	/**
	 * The capability every page, REST route and action of the plugin requires.
	 */
	public static function required(): string {
		$default = self::woocommerce_active() ? 'manage_woocommerce' : 'manage_options';
		/**
		 * Filters the capability needed for the Brightpearl Sync page and its REST routes.
		 *
		 * @param string $capability manage_woocommerce with WooCommerce active, manage_options otherwise.
		 */
		$capability = apply_filters( 'bpwc_capability', $default );
		return is_string( $capability ) && '' !== $capability ? $capability : $default;
	}

	public static function current_user_can(): bool {
		return current_user_can( self::required() );
	}
}
