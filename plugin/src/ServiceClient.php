<?php
/**
 * HTTP client of the sync service, shared by the REST proxy and WP-CLI.
 *
 * @package BrightpearlSync
 */

declare(strict_types=1);

namespace BrightpearlSync;

use WP_Error;

/**
 * Sends `Authorization: Bearer <token>` and JSON; turns "could not connect / timed out" into one
 * readable WP_Error so every caller explains it the same way.
 */
class ServiceClient {

	public const DEFAULT_TIMEOUT = 15;

	public function __construct( private readonly Settings $settings ) {}

	public function settings(): Settings {
		return $this->settings;
	}

	/**
	 * Calls the service.
	 *
	 * @param string                    $method HTTP method.
	 * @param string                    $path   Path below the service URL, e.g. /api/v1/flows.
	 * @param array<string,scalar>      $query  Query parameters (already filtered by the caller).
	 * @param array<mixed>|object|null  $body   JSON body; null sends none (`{}` for POST, PUT, PATCH).
	 * @param array<string,mixed>       $args   Extra wp_remote_request() arguments (e.g. stream, filename).
	 * @return ServiceResponse|WP_Error WP_Error only when the service could not be asked or answered nonsense.
	 */
	public function request( string $method, string $path, array $query = array(), array|object|null $body = null, array $args = array() ): ServiceResponse|WP_Error {
		$base = $this->settings->service_url();
		if ( ! $this->settings->has_token() ) {
			return new WP_Error(
				'bpwc_service_not_configured',
				__( 'The API token of the Brightpearl Sync service is not set. Enter it in Settings (or define BPWC_SERVICE_TOKEN in wp-config.php).', 'brightpearl-sync' ),
				array( 'status' => 503 )
			);
		}

		$url = $base . '/' . ltrim( $path, '/' );
		if ( $query ) {
			$url .= '?' . http_build_query( $query, '', '&', PHP_QUERY_RFC3986 );
		}

		$headers = array(
			'Authorization' => 'Bearer ' . $this->settings->token(),
			'Accept'        => 'application/json',
		);
		$payload = null;
		if ( null !== $body ) {
			$payload = (string) wp_json_encode( $body );
		} elseif ( in_array( strtoupper( $method ), array( 'POST', 'PUT', 'PATCH' ), true ) ) {
			// Without a body, curl would label the request as a form post, which the service refuses (415).
			$payload = '{}';
		}
		if ( null !== $payload ) {
			$headers['Content-Type'] = 'application/json';
		}

		$default_timeout = isset( $args['timeout'] ) ? (float) $args['timeout'] : (float) self::DEFAULT_TIMEOUT;
		unset( $args['timeout'] );
		/**
		 * Filters the timeout, in seconds, of calls to the sync service.
		 *
		 * @param float  $timeout Seconds; 15 by default, more for CSV exports.
		 * @param string $method  HTTP method.
		 * @param string $path    Service path.
		 */
		$timeout = (float) apply_filters( 'bpwc_service_timeout', $default_timeout, $method, $path );

		$request_args = array_merge(
			array(
				'method'      => strtoupper( $method ),
				'headers'     => $headers,
				'timeout'     => $timeout > 0 ? $timeout : $default_timeout,
				'redirection' => 0,
				'user-agent'  => 'BrightpearlSync-WordPress/' . ( defined( 'BPWC_PLUGIN_VERSION' ) ? BPWC_PLUGIN_VERSION : 'dev' ),
			),
			$args
		);
		if ( null !== $payload ) {
			$request_args['body'] = $payload;
		}

		$response = wp_remote_request( $url, $request_args );
		if ( is_wp_error( $response ) ) {
			if ( ! empty( $args['filename'] ) && is_string( $args['filename'] ) && file_exists( $args['filename'] ) ) {
				wp_delete_file( $args['filename'] );
			}
			return $this->unreachable( $base, $response );
		}

		$status  = (int) wp_remote_retrieve_response_code( $response );
		$headers = array();
		foreach ( wp_remote_retrieve_headers( $response ) as $name => $value ) {
			$headers[ strtolower( (string) $name ) ] = is_array( $value ) ? implode( ', ', $value ) : (string) $value;
		}

		$file = ! empty( $args['stream'] ) && isset( $args['filename'] ) ? (string) $args['filename'] : null;
		$raw  = null === $file ? (string) wp_remote_retrieve_body( $response ) : '';
		// A streamed error answer is small JSON: read it back so callers see the service's message.
		if ( null !== $file && ( $status < 200 || $status >= 300 ) ) {
			$raw = is_readable( $file ) ? (string) file_get_contents( $file ) : ''; // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents
			wp_delete_file( $file );
			$file = null;
		}

		$decoded = null;
		if ( '' !== $raw ) {
			$decoded = Json::decode( $raw, $is_json );
			if ( ! $is_json ) {
				return new WP_Error(
					'bpwc_service_bad_response',
					sprintf(
						/* translators: 1: service URL, 2: HTTP status code. */
						__( 'The server at %1$s answered (HTTP %2$d) with something that is not the Brightpearl Sync service. Check the service URL in Settings.', 'brightpearl-sync' ),
						$base,
						$status
					),
					array( 'status' => 502 )
				);
			}
		}

		return new ServiceResponse( $status, $decoded, $headers, $raw, $file );
	}

	/**
	 * GET /health, which is open (no token needed) and tells whether the service is up.
	 */
	public function health(): ServiceResponse|WP_Error {
		$base     = $this->settings->service_url();
		$response = wp_remote_get(
			$base . '/health',
			array(
				'timeout'     => (float) apply_filters( 'bpwc_service_timeout', self::DEFAULT_TIMEOUT, 'GET', '/health' ),
				'redirection' => 0,
				'headers'     => array( 'Accept' => 'application/json' ),
			)
		);
		if ( is_wp_error( $response ) ) {
			return $this->unreachable( $base, $response );
		}
		$raw     = (string) wp_remote_retrieve_body( $response );
		$decoded = json_decode( $raw, true );
		// Health is read by PHP only (never passed through), so plain arrays are fine here.
		if ( ! is_array( $decoded ) ) {
			return new WP_Error(
				'bpwc_service_bad_response',
				sprintf(
					/* translators: 1: service URL, 2: HTTP status code. */
					__( 'The server at %1$s answered (HTTP %2$d) with something that is not the Brightpearl Sync service. Check the service URL in Settings.', 'brightpearl-sync' ),
					$base,
					(int) wp_remote_retrieve_response_code( $response )
				),
				array( 'status' => 502 )
			);
		}
		return new ServiceResponse( (int) wp_remote_retrieve_response_code( $response ), $decoded, array(), $raw );
	}

	private function unreachable( string $base, WP_Error $error ): WP_Error {
		$reason = rtrim( trim( $error->get_error_message() ), '.' );
		return new WP_Error(
			'bpwc_service_unreachable',
			sprintf(
				/* translators: 1: service URL, 2: low-level error, e.g. "Connection refused". */
				__( 'The Brightpearl Sync service at %1$s is not reachable: %2$s. Check that it is running and that the service URL in Settings is right.', 'brightpearl-sync' ),
				$base,
				'' === $reason ? __( 'no answer', 'brightpearl-sync' ) : $reason
			),
			array( 'status' => 503 )
		);
	}
}
