<?php
/**
 * The WP-CLI glue: registration, the WP_CLI-backed Output, and the docblocks WP-CLI parses.
 *
 * @package BrightpearlSync\Tests
 */

declare(strict_types=1);

namespace BrightpearlSync\Tests;

use BrightpearlSync\Cli\BrightpearlNamespace;
use BrightpearlSync\Cli\Commands;
use BrightpearlSync\Cli\FlowsCommand;
use BrightpearlSync\Cli\LogsCommand;
use BrightpearlSync\Cli\ResyncCommand;
use BrightpearlSync\Cli\StatusCommand;
use BrightpearlSync\Cli\WpCliOutput;
use BrightpearlSync\Tests\Support\Env;
use BrightpearlSync\Tests\Support\TestCase;

final class CliRegistrationTest extends TestCase {

	/**
	 * @runInSeparateProcess
	 * @preserveGlobalState disabled
	 */
	public function test_commands_are_registered_under_wp_brightpearl(): void {
		require_once __DIR__ . '/Support/stubs/WpCli.php';
		Commands::register( $this->plugin()->client() );

		$this->assertSame( array( 'brightpearl', 'brightpearl status', 'brightpearl resync', 'brightpearl flows', 'brightpearl logs' ), array_keys( \WP_CLI::$commands ) );
		$this->assertSame( BrightpearlNamespace::class, \WP_CLI::$commands['brightpearl'] );
		$this->assertInstanceOf( StatusCommand::class, \WP_CLI::$commands['brightpearl status'] );
		$this->assertInstanceOf( ResyncCommand::class, \WP_CLI::$commands['brightpearl resync'] );
		$this->assertInstanceOf( FlowsCommand::class, \WP_CLI::$commands['brightpearl flows'] );
		$this->assertInstanceOf( LogsCommand::class, \WP_CLI::$commands['brightpearl logs'] );
	}

	/**
	 * @runInSeparateProcess
	 * @preserveGlobalState disabled
	 */
	public function test_registered_commands_print_through_wp_cli(): void {
		require_once __DIR__ . '/Support/stubs/WpCli.php';
		Commands::register( $this->plugin()->client() );

		\WP_CLI::$commands['brightpearl flows']->list_( array(), array( 'format' => 'csv' ) );
		$this->assertSame( 'format_items', \WP_CLI::$calls[0][0] );
		$this->assertSame( 'csv', \WP_CLI::$calls[0][1] );
		$this->assertCount( 5, \WP_CLI::$calls[0][2] );

		\WP_CLI::$calls = array();
		try {
			\WP_CLI::$commands['brightpearl resync']( array( 'stock' ), array() );
			$this->fail( 'WP_CLI::error() was expected' );
		} catch ( \RuntimeException $exit ) {
			$this->assertStringStartsWith( 'exit(1): Unknown sync type "stock"', $exit->getMessage() );
		}

		\WP_CLI::$calls = array();
		$this->filter( 'bpwc_cli_poll_interval', static fn () => 0.1 );
		Env::wait_idle();
		\WP_CLI::$commands['brightpearl resync']( array_merge( array( 'inventory' ), Env::synced_entity_ids( 1 ) ), array( 'wait' => true ) );
		$kinds = array_column( \WP_CLI::$calls, 0 );
		$this->assertSame( array( 'line', 'progress', 'tick', 'finish', 'success' ), $kinds );

		$output = new WpCliOutput();
		$output->warning( 'careful' );
		$this->assertSame( array( 'warning', 'careful' ), end( \WP_CLI::$calls ) );
	}

	/**
	 * WP-CLI builds help and argument checks from these docblocks.
	 *
	 * @dataProvider subcommands
	 */
	public function test_docblocks_follow_wp_cli_conventions( string $class, string $method, string $name ): void {
		$doc = (string) ( new \ReflectionMethod( $class, $method ) )->getDocComment();
		$this->assertNotSame( '', $doc, "{$class}::{$method} has a docblock" );
		$this->assertMatchesRegularExpression( '/^\/\*\*\n\s+\* [A-Z][^\n]+\.\n/', $doc, 'a one-line summary first' );
		$this->assertStringContainsString( '## EXAMPLES', $doc );
		$this->assertStringContainsString( "wp brightpearl {$name}", $doc );
		$params = ( new \ReflectionMethod( $class, $method ) )->getNumberOfParameters();
		$this->assertSame( 2, $params, 'WP-CLI passes $args and $assoc_args' );
		if ( str_ends_with( $method, '_' ) ) {
			$this->assertStringContainsString( '@subcommand ' . rtrim( $method, '_' ), $doc );
		}
	}

	/**
	 * @return array<string, array{0: class-string, 1: string, 2: string}>
	 */
	public function subcommands(): array {
		$out = array(
			'status' => array( StatusCommand::class, '__invoke', 'status' ),
			'resync' => array( ResyncCommand::class, '__invoke', 'resync' ),
		);
		foreach ( array( 'flows' => FlowsCommand::class, 'logs' => LogsCommand::class ) as $group => $class ) {
			foreach ( ( new \ReflectionClass( $class ) )->getMethods( \ReflectionMethod::IS_PUBLIC ) as $method ) {
				if ( $method->isStatic() || str_starts_with( $method->getName(), '__' ) ) {
					continue;
				}
				$name                   = rtrim( $method->getName(), '_' );
				$out[ "{$group} {$name}" ] = array( $class, $method->getName(), "{$group} {$name}" );
			}
		}
		return $out;
	}

	public function test_only_the_documented_subcommands_are_public(): void {
		$public = static fn ( string $class ): array => array_values(
			array_filter(
				array_map( static fn ( \ReflectionMethod $m ) => $m->getName(), ( new \ReflectionClass( $class ) )->getMethods( \ReflectionMethod::IS_PUBLIC ) ),
				static fn ( string $n ) => ! str_starts_with( $n, '__' )
			)
		);
		$this->assertEqualsCanonicalizing( array( 'list_', 'run', 'enable', 'disable', 'schedule' ), $public( FlowsCommand::class ) );
		$this->assertEqualsCanonicalizing( array( 'list_', 'get', 'retry', 'prune' ), $public( LogsCommand::class ) );
		$this->assertSame( array(), $public( ResyncCommand::class ) );
		$this->assertSame( array(), $public( StatusCommand::class ) );
	}
}
