<?php
/**
 * The few WP-CLI APIs the plugin calls, recording what they get (WP-CLI cannot be installed
 * here). Loaded only in a process of its own.
 *
 * @package BrightpearlSync\Tests
 */

declare(strict_types=1);

namespace {
	// phpcs:disable Generic.Files.OneObjectStructurePerFile.MultipleFound
	final class WP_CLI {
		/** @var array<string, mixed> */
		public static array $commands = array();
		/** @var list<array<int, mixed>> */
		public static array $calls = array();

		/**
		 * @param mixed $callable Command.
		 */
		public static function add_command( string $name, $callable, array $args = array() ): bool {
			self::$commands[ $name ] = $callable;
			return true;
		}

		public static function line( string $message = '' ): void {
			self::$calls[] = array( 'line', $message );
		}

		public static function success( string $message ): void {
			self::$calls[] = array( 'success', $message );
		}

		public static function warning( string $message ): void {
			self::$calls[] = array( 'warning', $message );
		}

		public static function error( string $message ): void {
			self::$calls[] = array( 'error', $message );
			// The real one exits with status 1.
			throw new \RuntimeException( 'exit(1): ' . $message );
		}
	}
}

namespace WP_CLI\Dispatcher {
	class CommandNamespace {
	}
}

namespace WP_CLI\Utils {
	/**
	 * @param array<mixed> $items  Rows.
	 * @param string[]     $fields Columns.
	 */
	function format_items( string $format, array $items, array $fields ): void {
		\WP_CLI::$calls[] = array( 'format_items', $format, $items, $fields );
	}

	function make_progress_bar( string $message, int $count ): object {
		\WP_CLI::$calls[] = array( 'progress', $message, $count );
		return new class() {
			public int $ticks = 0;

			public function tick( int $increment = 1 ): void {
				$this->ticks += $increment;
				\WP_CLI::$calls[] = array( 'tick', $increment );
			}

			public function finish(): void {
				\WP_CLI::$calls[] = array( 'finish' );
			}
		};
	}
}
