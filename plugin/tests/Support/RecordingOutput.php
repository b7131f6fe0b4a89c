<?php
/**
 * Test double of the WP-CLI output.
 *
 * @package BrightpearlSync\Tests
 */

declare(strict_types=1);

namespace BrightpearlSync\Tests\Support;

use BrightpearlSync\Cli\Output;
use BrightpearlSync\Cli\ProgressBar;

/**
 * Records every call and renders format_items() the way WP-CLI's formatter does for each
 * format, so tests can read what a user would see. error() throws CliExit (exit code 1).
 */
final class RecordingOutput implements Output {

	/** @var list<array{0: string, 1: mixed}> */
	public array $calls = array();

	/** Everything printed, as text. */
	public string $printed = '';

	/** @var list<RecordingProgressBar> */
	public array $bars = array();

	public function line( string $message = '' ): void {
		$this->record( 'line', $message );
	}

	public function success( string $message ): void {
		$this->record( 'success', 'Success: ' . $message );
	}

	public function warning( string $message ): void {
		$this->record( 'warning', 'Warning: ' . $message );
	}

	public function error( string $message ): never {
		$this->record( 'error', 'Error: ' . $message );
		throw new CliExit( $message, 1 );
	}

	public function format_items( string $format, array $items, array $fields ): void {
		$this->calls[] = array( 'format_items', array( 'format' => $format, 'items' => $items, 'fields' => $fields ) );
		$this->printed .= self::render( $format, $items, $fields );
	}

	public function progress( string $message, int $total ): ProgressBar {
		$bar           = new RecordingProgressBar( $message, $total );
		$this->bars[]  = $bar;
		$this->calls[] = array( 'progress', $message );
		return $bar;
	}

	/**
	 * Messages of one kind (line, success, warning, error).
	 *
	 * @return string[]
	 */
	public function messages( string $kind ): array {
		return array_values( array_map( static fn ( $c ) => (string) $c[1], array_filter( $this->calls, static fn ( $c ) => $c[0] === $kind ) ) );
	}

	/**
	 * Arguments of the format_items() calls.
	 *
	 * @return list<array{format: string, items: array<mixed>, fields: string[]}>
	 */
	public function tables(): array {
		return array_values( array_map( static fn ( $c ) => $c[1], array_filter( $this->calls, static fn ( $c ) => 'format_items' === $c[0] ) ) );
	}

	private function record( string $kind, string $text ): void {
		$this->calls[]  = array( $kind, $text );
		$this->printed .= $text . "\n";
	}

	/**
	 * @param array<mixed> $items  Rows.
	 * @param string[]     $fields Columns.
	 */
	private static function render( string $format, array $items, array $fields ): string {
		$pick = static function ( $item ) use ( $fields ): array {
			$row = array();
			foreach ( $fields as $field ) {
				$row[ $field ] = is_array( $item ) ? ( $item[ $field ] ?? null ) : null;
			}
			return $row;
		};
		switch ( $format ) {
			case 'ids':
				return implode( ' ', $items ) . "\n";
			case 'count':
				return count( $items ) . "\n";
			case 'json':
				return wp_json_encode( array_map( $pick, $items ) ) . "\n";
			case 'csv':
				$handle = fopen( 'php://memory', 'w+' );
				fputcsv( $handle, $fields );
				foreach ( $items as $item ) {
					fputcsv( $handle, array_map( static fn ( $v ) => is_scalar( $v ) || null === $v ? $v : wp_json_encode( $v ), $pick( $item ) ) );
				}
				rewind( $handle );
				$csv = (string) stream_get_contents( $handle );
				fclose( $handle );
				return $csv;
			case 'yaml':
				$out = "---\n";
				foreach ( $items as $item ) {
					$first = true;
					foreach ( $pick( $item ) as $key => $value ) {
						$out  .= ( $first ? '- ' : '  ' ) . $key . ': ' . ( is_scalar( $value ) ? (string) $value : wp_json_encode( $value ) ) . "\n";
						$first = false;
					}
				}
				return $out;
			default:
				$out = implode( "\t", $fields ) . "\n";
				foreach ( $items as $item ) {
					$out .= implode( "\t", array_map( static fn ( $v ) => is_scalar( $v ) ? (string) $v : wp_json_encode( $v ), $pick( $item ) ) ) . "\n";
				}
				return $out;
		}
	}
}
