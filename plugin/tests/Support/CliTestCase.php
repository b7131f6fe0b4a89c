<?php
/**
 * Base of the WP-CLI command tests: the command classes with a recording Output.
 *
 * @package BrightpearlSync\Tests
 */

declare(strict_types=1);

namespace BrightpearlSync\Tests\Support;

use BrightpearlSync\Cli\Command;
use BrightpearlSync\ServiceClient;
use BrightpearlSync\Settings;

abstract class CliTestCase extends TestCase {

	protected RecordingOutput $out;

	protected function setUp(): void {
		parent::setUp();
		$this->out = new RecordingOutput();
		$this->filter( 'bpwc_cli_poll_interval', static fn () => 0.1 );
		Env::wait_idle();
	}

	protected function tearDown(): void {
		Env::wait_idle();
		parent::tearDown();
	}

	/**
	 * A command wired as Commands::register() does, with the recording output.
	 *
	 * @template T of Command
	 * @param class-string<T> $class Command class.
	 * @return T
	 */
	protected function command( string $class ): Command {
		return new $class( new ServiceClient( new Settings() ), $this->out );
	}

	/**
	 * Runs a command expecting exit code 1, with a fresh output; returns the error message.
	 *
	 * @param class-string<Command> $class Command class.
	 * @param string[]              $args  Positional arguments.
	 * @param array<string,mixed>   $assoc Associative arguments.
	 */
	protected function fails( string $class, string $method, array $args, array $assoc, string $needle ): string {
		$this->out = new RecordingOutput();
		$command   = $this->command( $class );
		return $this->assertCliError( fn () => $command->$method( $args, $assoc ), $needle )->getMessage();
	}

	/**
	 * Runs a command expecting success (exit code 0), with a fresh output.
	 *
	 * @param class-string<Command> $class Command class.
	 * @param string[]              $args  Positional arguments.
	 * @param array<string,mixed>   $assoc Associative arguments.
	 */
	protected function runs( string $class, string $method, array $args = array(), array $assoc = array() ): RecordingOutput {
		$this->out = new RecordingOutput();
		$command   = $this->command( $class );
		try {
			$command->$method( $args, $assoc );
		} catch ( CliExit $exit ) {
			$this->fail( "Expected success, the command failed: {$exit->getMessage()}\n{$this->out->printed}" );
		}
		return $this->out;
	}
}
