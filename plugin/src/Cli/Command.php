<?php
/**
 * What every `wp brightpearl` command shares.
 *
 * @package BrightpearlSync
 */

declare(strict_types=1);

namespace BrightpearlSync\Cli;

use BrightpearlSync\ServiceClient;

/**
 * Helpers are protected on purpose: WP-CLI turns every public method into a subcommand.
 */
abstract class Command {

	public function __construct(
		protected readonly ServiceClient $client,
		protected readonly Output $out
	) {}

	/**
	 * Calls the service; any failure ends the command with the service's own message.
	 *
	 * @param array<string,scalar>     $query Query parameters.
	 * @param array<mixed>|object|null $body  JSON body.
	 * @return array<mixed> Decoded body.
	 */
	protected function call( string $method, string $path, array $query = array(), array|object|null $body = null ): array {
		$response = $this->client->request( $method, $path, $query, $body );
		if ( is_wp_error( $response ) ) {
			$this->out->error( $response->get_error_message() );
		}
		if ( ! $response->ok() ) {
			$this->out->error(
				sprintf(
					/* translators: 1: message of the service, 2: HTTP status, 3: error code. */
					__( '%1$s (sync service: HTTP %2$d %3$s)', 'brightpearl-sync' ),
					$response->error_message(),
					$response->status,
					$response->error_code() ?? ''
				)
			);
		}
		return is_array( $response->body ) ? $response->body : array();
	}

	protected function check( ?string $problem ): void {
		if ( null !== $problem ) {
			$this->out->error( $problem );
		}
	}

	/**
	 * The --format option, checked against what the command supports.
	 *
	 * @param array<string,mixed> $assoc   Associative arguments.
	 * @param string[]            $allowed Formats.
	 */
	protected function format( array $assoc, array $allowed, string $default = 'table' ): string {
		$format = isset( $assoc['format'] ) ? (string) $assoc['format'] : $default;
		$this->check( Validate::format( $format, $allowed ) );
		return $format;
	}

	/**
	 * The --fields option (comma-separated), checked against the columns available.
	 *
	 * @param array<string,mixed> $assoc     Associative arguments.
	 * @param string[]            $default   Default columns.
	 * @param string[]            $available Every column.
	 * @return string[]
	 */
	protected function fields( array $assoc, array $default, array $available ): array {
		if ( empty( $assoc['fields'] ) || ! is_string( $assoc['fields'] ) ) {
			return $default;
		}
		$fields  = array_values( array_filter( array_map( 'trim', explode( ',', $assoc['fields'] ) ) ) );
		$unknown = array_diff( $fields, $available );
		if ( $unknown ) {
			$this->out->error(
				sprintf(
					/* translators: 1: unknown field names, 2: available field names. */
					__( 'Unknown field(s) %1$s. Available: %2$s.', 'brightpearl-sync' ),
					implode( ', ', $unknown ),
					implode( ', ', $available )
				)
			);
		}
		return $fields;
	}

	/**
	 * Prints rows in the chosen format; "ids" prints the id column, booleans read yes/no
	 * everywhere but JSON.
	 *
	 * @param array<int, array<string,mixed>> $rows   Rows.
	 * @param string[]                        $fields Columns.
	 */
	protected function print_rows( string $format, array $rows, array $fields ): void {
		if ( 'ids' === $format ) {
			$this->out->format_items( 'ids', array_map( static fn ( array $r ) => $r['id'], $rows ), array( 'id' ) );
			return;
		}
		if ( 'json' !== $format ) {
			$rows = array_map(
				static fn ( array $r ): array => array_map(
					static fn ( $v ) => is_bool( $v ) ? ( $v ? 'yes' : 'no' ) : ( null === $v ? '' : $v ),
					$r
				),
				$rows
			);
		}
		$this->out->format_items( $format, $rows, $fields );
	}

	/**
	 * Stops early when a flow is not available in the service (planned flows), before anything is queued.
	 *
	 * @return array<mixed> The flow.
	 */
	protected function available_flow( string $type ): array {
		$this->check( Validate::type( $type ) );
		$flow = $this->call( 'GET', '/api/v1/flows/' . rawurlencode( $type ) );
		if ( isset( $flow['available'] ) && false === $flow['available'] ) {
			$this->out->error(
				sprintf(
					/* translators: %s: flow type. */
					__( 'The %s flow is not available in this version of the sync service, so nothing was queued.', 'brightpearl-sync' ),
					$type
				)
			);
		}
		return $flow;
	}

	protected function waiter(): RunWaiter {
		return new RunWaiter( $this->client, $this->out );
	}
}
