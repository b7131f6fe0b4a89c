<?php
/**
 * Test double of a WP-CLI progress bar.
 *
 * @package BrightpearlSync\Tests
 */

declare(strict_types=1);

namespace BrightpearlSync\Tests\Support;

use BrightpearlSync\Cli\ProgressBar;

final class RecordingProgressBar implements ProgressBar {

	public int $ticks     = 0;
	public bool $finished = false;

	public function __construct( public readonly string $message, public readonly int $total ) {}

	public function tick( int $increment = 1 ): void {
		$this->ticks += $increment;
	}

	public function finish(): void {
		$this->finished = true;
	}
}
