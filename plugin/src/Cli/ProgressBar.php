<?php
/**
 * A progress bar, as WP_CLI\Utils\make_progress_bar() returns one.
 *
 * @package BrightpearlSync
 */

declare(strict_types=1);

namespace BrightpearlSync\Cli;

interface ProgressBar {

	public function tick( int $increment = 1 ): void;

	public function finish(): void;
}
