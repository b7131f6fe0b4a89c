<?php
/**
 * A REST response whose body is a CSV file on disk.
 *
 * @package BrightpearlSync
 */

declare(strict_types=1);

namespace BrightpearlSync;

use WP_HTTP_Response;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

/**
 * The REST server would JSON-encode any response; `rest_pre_serve_request` lets us send the
 * file as it is instead, in chunks, and delete it afterwards.
 */
final class CsvDownload extends WP_REST_Response {

	private const CHUNK = 65536;

	public function __construct( private string $file, ?string $disposition = null ) {
		parent::__construct( null, 200 );
		$this->header( 'Content-Type', 'text/csv; charset=utf-8' );
		$this->header( 'Content-Disposition', self::disposition( $disposition ) );
		$this->header( 'Cache-Control', 'no-store' );
		$this->header( 'X-Content-Type-Options', 'nosniff' );
		$size = @filesize( $file ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
		if ( false !== $size ) {
			$this->header( 'Content-Length', (string) $size );
		}
		// Whatever happens to this response, the temporary file must not outlive the request.
		register_shutdown_function( array( $this, 'cleanup' ) );
	}

	public function file(): string {
		return $this->file;
	}

	/**
	 * Sends the file; hooked on `rest_pre_serve_request`.
	 *
	 * @param bool             $served  Whether the request was already served.
	 * @param WP_HTTP_Response $result  Response to send.
	 * @param WP_REST_Request  $request Request.
	 * @param WP_REST_Server   $server  Server.
	 */
	public static function serve( $served, $result, $request = null, $server = null ): bool {
		if ( $served || ! $result instanceof self ) {
			return (bool) $served;
		}
		$result->stream();
		return true;
	}

	/**
	 * Writes the file to the output in chunks, then deletes it.
	 */
	public function stream(): void {
		$handle = is_readable( $this->file ) ? fopen( $this->file, 'rb' ) : false; // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fopen
		if ( $handle ) {
			while ( ! feof( $handle ) ) {
				$chunk = fread( $handle, self::CHUNK ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fread
				if ( false === $chunk ) {
					break;
				}
				echo $chunk; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- CSV bytes from the service, sent as text/csv.
				// Other code's output buffers are not ours to close; without any, push each chunk out.
				if ( 0 === ob_get_level() ) {
					flush();
				}
			}
			fclose( $handle ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fclose
		}
		$this->cleanup();
	}

	public function cleanup(): void {
		if ( '' !== $this->file && file_exists( $this->file ) ) {
			wp_delete_file( $this->file );
		}
	}

	/**
	 * The service's Content-Disposition when it is the plain attachment form, else a safe default.
	 */
	private static function disposition( ?string $value ): string {
		if ( null !== $value && preg_match( '/^attachment; filename="[A-Za-z0-9._-]+"$/', $value ) ) {
			return $value;
		}
		return 'attachment; filename="brightpearl-sync-logs.csv"';
	}
}
