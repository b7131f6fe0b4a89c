<?php
/**
 * Declarations WooCommerce asks plugins for.
 *
 * @package BrightpearlSync
 */

declare(strict_types=1);

namespace BrightpearlSync;

/**
 * The plugin never touches order tables itself (orders reach Brightpearl through the service and
 * the WooCommerce REST API), so it is compatible with High-Performance Order Storage.
 */
final class Compatibility {

	public function __construct( private readonly string $plugin_file ) {}

	public function register_hooks(): void {
		add_action( 'before_woocommerce_init', array( $this, 'declare_hpos' ) );
	}

	public function declare_hpos(): void {
		if ( class_exists( \Automattic\WooCommerce\Utilities\FeaturesUtil::class ) ) {
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', $this->plugin_file, true );
		}
	}
}
