<?php
/**
 * What WP_CLI::error() would do: stop the command with exit code 1.
 *
 * @package BrightpearlSync\Tests
 */

declare(strict_types=1);

namespace BrightpearlSync\Tests\Support;

final class CliExit extends \RuntimeException {

	public function __construct( string $message, public readonly int $exit_code = 1 ) {
		parent::__construct( $message, $exit_code );
	}
}
