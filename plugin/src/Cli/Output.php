<?php
/**
 * What the commands print, behind an interface so they can be tested without WP-CLI.
 *
 * @package BrightpearlSync
 */

declare(strict_types=1);

namespace BrightpearlSync\Cli;

/**
 * The WP-CLI calls the commands use. error() never returns: under WP-CLI it exits with status 1.
 */
interface Output {

	public function line( string $message = '' ): void;

	public function success( string $message ): void;

	public function warning( string $message ): void;

	public function error( string $message ): never;

	/**
	 * Prints items in a WP-CLI format (table, csv, json, yaml, ids, count).
	 *
	 * @param string                          $format Format name.
	 * @param array<int, array<string,mixed>>|array<int, scalar> $items Rows (scalars for "ids").
	 * @param string[]                        $fields Columns, in order.
	 */
	public function format_items( string $format, array $items, array $fields ): void;

	public function progress( string $message, int $total ): ProgressBar;
}
