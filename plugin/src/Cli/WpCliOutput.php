<?php
/**
 * Output through WP-CLI itself.
 *
 * @package BrightpearlSync
 */

declare(strict_types=1);

namespace BrightpearlSync\Cli;

/**
 * Thin glue to WP_CLI; only loaded when WP-CLI runs the plugin.
 */
final class WpCliOutput implements Output {

	public function line( string $message = '' ): void {
		\WP_CLI::line( $message );
	}

	public function success( string $message ): void {
		\WP_CLI::success( $message );
	}

	public function warning( string $message ): void {
		\WP_CLI::warning( $message );
	}

	public function error( string $message ): never {
		\WP_CLI::error( $message );
		exit( 1 ); // WP_CLI::error() exits already; this keeps the `never` promise if it is ever told not to.
	}

	public function format_items( string $format, array $items, array $fields ): void {
		\WP_CLI\Utils\format_items( $format, $items, $fields );
	}

	public function progress( string $message, int $total ): ProgressBar {
		$bar = \WP_CLI\Utils\make_progress_bar( $message, max( 1, $total ) );
		return new class( $bar ) implements ProgressBar {
			/**
			 * @param object $bar cli\progress\Bar or WP_CLI\NoOp.
			 */
			public function __construct( private readonly object $bar ) {}

			public function tick( int $increment = 1 ): void {
				$this->bar->tick( $increment );
			}

			public function finish(): void {
				$this->bar->finish();
			}
		};
	}
}
