<?php
/**
 * Stand-in for WooCommerce's FeaturesUtil (WooCommerce is not installable here): records the
 * compatibility declarations it receives.
 *
 * @package BrightpearlSync\Tests
 */

declare(strict_types=1);

namespace Automattic\WooCommerce\Utilities;

final class FeaturesUtil {

	/** @var list<array{0: string, 1: string, 2: bool}> */
	public static array $declarations = array();

	public static function declare_compatibility( string $feature_id, string $plugin_file, bool $positive_compatibility = true ): bool {
		self::$declarations[] = array( $feature_id, $plugin_file, $positive_compatibility );
		return true;
	}
}
