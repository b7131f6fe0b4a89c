<?php
/**
 * Registers the `wp brightpearl` commands.
 *
 * @package BrightpearlSync
 */

declare(strict_types=1);

namespace BrightpearlSync\Cli;

use BrightpearlSync\ServiceClient;

/**
 * The only place that talks to WP_CLI::add_command; the command classes take an Output.
 */
final class Commands {

	public static function register( ServiceClient $client, ?Output $output = null ): void {
		if ( ! class_exists( '\WP_CLI' ) ) {
			return;
		}
		$output = $output ?? new WpCliOutput();
		if ( class_exists( '\WP_CLI\Dispatcher\CommandNamespace' ) ) {
			\WP_CLI::add_command( 'brightpearl', BrightpearlNamespace::class );
		}
		\WP_CLI::add_command( 'brightpearl status', new StatusCommand( $client, $output ) );
		\WP_CLI::add_command( 'brightpearl resync', new ResyncCommand( $client, $output ) );
		\WP_CLI::add_command( 'brightpearl flows', new FlowsCommand( $client, $output ) );
		\WP_CLI::add_command( 'brightpearl logs', new LogsCommand( $client, $output ) );
	}
}
