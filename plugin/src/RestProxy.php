<?php
/**
 * The bpwc/v1 REST namespace: a thin, capability-checked proxy to the sync service.
 *
 * @package BrightpearlSync
 */

declare(strict_types=1);

namespace BrightpearlSync;

use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

/**
 * Forwards to the service and passes its status codes and `{"error":{"code","message"}}` bodies
 * through unchanged, so the admin page shows the service's own messages. The browser never sees
 * the service token: only this class (through ServiceClient) sends it.
 */
final class RestProxy {

	public const NAMESPACE = 'bpwc/v1';

	/** Filters of the sync log, shared by /logs and /logs/export. */
	private const LOG_FILTERS = array( 'type', 'status', 'search', 'from', 'to' );

	/** Keys api-fetch or a form may add to a body; the service's strict schemas would refuse them. */
	private const WP_BODY_EXTRAS = array( '_wpnonce', '_method', '_locale', '_fields', '_envelope', '_embed', 'rest_route' );

	public function __construct(
		private readonly ServiceClient $client,
		private readonly ConnectionController $connection
	) {}

	public function register_routes(): void {
		$permission = array( $this, 'permission' );

		foreach ( $this->routes() as $route => $endpoints ) {
			$args = array();
			foreach ( $endpoints as $endpoint ) {
				$args[] = array(
					'methods'             => $endpoint['method'],
					'callback'            => $endpoint['callback'] ?? $this->forwarder( $endpoint ),
					'permission_callback' => $permission,
				);
			}
			register_rest_route( self::NAMESPACE, $route, $args );
		}

		$this->connection->register_routes( $permission );
	}

	/**
	 * Every route needs the plugin's capability; logged-out users get 401, others 403.
	 */
	public function permission(): bool|WP_Error {
		if ( Capability::current_user_can() ) {
			return true;
		}
		return new WP_Error(
			'rest_forbidden',
			__( 'Sorry, you are not allowed to manage Brightpearl Sync.', 'brightpearl-sync' ),
			array( 'status' => rest_authorization_required_code() )
		);
	}

	/**
	 * Route table: WordPress route => endpoints (method, service path with {param}s, known query
	 * keys, whether a JSON body is forwarded).
	 *
	 * @return array<string, list<array<string, mixed>>>
	 */
	private function routes(): array {
		$id_flow   = '(?P<id>[a-z_]+)';
		$id_number = '(?P<id>\d+)';
		return array(
			'/flows'                                   => array(
				array( 'method' => WP_REST_Server::READABLE, 'path' => '/api/v1/flows' ),
			),
			"/flows/{$id_flow}"                        => array(
				array( 'method' => WP_REST_Server::READABLE, 'path' => '/api/v1/flows/{id}' ),
				array( 'method' => 'PATCH', 'path' => '/api/v1/flows/{id}', 'body' => true ),
			),
			"/flows/{$id_flow}/runs"                   => array(
				array( 'method' => WP_REST_Server::CREATABLE, 'path' => '/api/v1/flows/{id}/runs', 'body' => true ),
			),
			"/runs/{$id_number}"                       => array(
				array( 'method' => WP_REST_Server::READABLE, 'path' => '/api/v1/runs/{id}' ),
			),
			'/logs'                                    => array(
				array( 'method' => WP_REST_Server::READABLE, 'path' => '/api/v1/logs', 'query' => array_merge( self::LOG_FILTERS, array( 'limit', 'cursor' ) ) ),
			),
			// Before /logs/{id} so "export" is never read as an id.
			'/logs/export'                             => array(
				array( 'method' => WP_REST_Server::READABLE, 'callback' => array( $this, 'export' ) ),
			),
			'/logs/retry'                              => array(
				array( 'method' => WP_REST_Server::CREATABLE, 'path' => '/api/v1/logs/retry', 'body' => true ),
			),
			'/logs/prune'                              => array(
				array( 'method' => WP_REST_Server::CREATABLE, 'path' => '/api/v1/logs/prune', 'body' => true ),
			),
			"/logs/{$id_number}"                       => array(
				array( 'method' => WP_REST_Server::READABLE, 'path' => '/api/v1/logs/{id}' ),
			),
			'/settings/mappings'                       => array(
				array( 'method' => WP_REST_Server::READABLE, 'path' => '/api/v1/settings/mappings' ),
				array( 'method' => 'PUT', 'path' => '/api/v1/settings/mappings', 'body' => true ),
			),
			'/settings/reference'                      => array(
				array( 'method' => WP_REST_Server::READABLE, 'path' => '/api/v1/settings/reference' ),
			),
			'/status'                                  => array(
				array( 'method' => WP_REST_Server::READABLE, 'callback' => array( $this, 'status' ) ),
			),
			'/connections/(?P<system>[a-z]+)/test'     => array(
				array( 'method' => WP_REST_Server::CREATABLE, 'path' => '/api/v1/connections/{system}/test' ),
			),
			'/stats/hourly'                            => array(
				array( 'method' => WP_REST_Server::READABLE, 'path' => '/api/v1/stats/hourly', 'query' => array( 'type', 'hours' ) ),
			),
		);
	}

	/**
	 * A callback forwarding one endpoint to the service.
	 *
	 * @param array<string, mixed> $endpoint Entry of the route table.
	 */
	private function forwarder( array $endpoint ): callable {
		return function ( WP_REST_Request $request ) use ( $endpoint ): WP_REST_Response|WP_Error {
			$path  = $this->service_path( (string) $endpoint['path'], $request );
			$query = self::known_query( $request, $endpoint['query'] ?? array() );
			$body  = ! empty( $endpoint['body'] ) ? self::json_body( $request ) : null;
			return self::to_rest( $this->client->request( (string) $request->get_method(), $path, $query, $body ) );
		};
	}

	/**
	 * GET status: the service's /health (or why it is unreachable) and a per-flow summary.
	 * Answers 200 even when the service is down: this is the route that says so. Top-level
	 * `reachable` (with `message` when false) tells whether the plugin can use the service at
	 * all: up, and accepting the token; `service.reachable` is only about the network.
	 */
	public function status( WP_REST_Request $request ): WP_REST_Response {
		$settings = $this->client->settings();
		$service  = array(
			'url'        => $settings->service_url(),
			'configured' => $settings->is_configured(),
		);
		$health   = $this->client->health();
		if ( is_wp_error( $health ) ) {
			$service += array(
				'reachable' => false,
				'code'      => $health->get_error_code(),
				'message'   => $health->get_error_message(),
			);
			return new WP_REST_Response(
				array(
					'reachable' => false,
					'message'   => $health->get_error_message(),
					'service'   => $service,
					'flows'     => null,
				),
				200
			);
		}

		$service += array( 'reachable' => true ) + ( is_array( $health->body ) ? $health->body : array() );
		$out      = array(
			'reachable' => false,
			'service'   => $service,
			'flows'     => null,
		);

		$flows = $this->client->request( 'GET', '/api/v1/flows' );
		if ( is_wp_error( $flows ) ) {
			$out['flowsError'] = array( 'code' => $flows->get_error_code(), 'message' => $flows->get_error_message() );
		} elseif ( ! $flows->ok() ) {
			// Typically a 401: the service is up but the token in Settings is wrong.
			$out['flowsError'] = array( 'code' => $flows->error_code() ?? 'bpwc_service_error', 'message' => $flows->error_message(), 'status' => $flows->status );
		} else {
			$out['flows']     = array_map( array( self::class, 'flow_summary' ), (array) ( $flows->body['flows'] ?? array() ) );
			$out['reachable'] = true;
		}
		if ( ! $out['reachable'] ) {
			$out['message'] = $out['flowsError']['message'] ?? __( 'The sync service answered its health check but not the API.', 'brightpearl-sync' );
		}
		return new WP_REST_Response( $out, 200 );
	}

	/**
	 * GET logs/export: the service's CSV, streamed to a temporary file and from there to the
	 * browser (see CsvDownload), so a large export never sits in PHP memory.
	 */
	public function export( WP_REST_Request $request ): WP_REST_Response|WP_Error {
		// tempnam(), not wp_tempnam(): wp-admin/includes/file.php is not loaded on REST requests.
		$file = tempnam( get_temp_dir(), 'bpwc-logs' );
		if ( ! $file ) {
			return new WP_Error( 'bpwc_export_failed', __( 'Could not create a temporary file for the export.', 'brightpearl-sync' ), array( 'status' => 500 ) );
		}
		$result = $this->client->request(
			'GET',
			'/api/v1/logs/export.csv',
			self::known_query( $request, self::LOG_FILTERS ),
			null,
			array(
				'stream'   => true,
				'filename' => $file,
				'timeout'  => 300,
			)
		);
		if ( is_wp_error( $result ) || ! $result->ok() || null === $result->file ) {
			if ( file_exists( $file ) ) {
				wp_delete_file( $file );
			}
			return self::to_rest( $result );
		}
		return new CsvDownload( $result->file, $result->header( 'content-disposition' ) );
	}

	/**
	 * The service answer as a REST response: status and body unchanged.
	 */
	private static function to_rest( ServiceResponse|WP_Error $result ): WP_REST_Response|WP_Error {
		if ( is_wp_error( $result ) ) {
			return $result;
		}
		$response = new WP_REST_Response( $result->body, $result->status );
		$location = $result->header( 'location' );
		if ( null !== $location && str_starts_with( $location, '/api/v1/runs/' ) ) {
			// Point at our own route, never at the service.
			$response->header( 'Location', rest_url( self::NAMESPACE . substr( $location, strlen( '/api/v1' ) ) ) );
		}
		return $response;
	}

	/**
	 * Fills {param}s of a service path from the route's URL parameters.
	 */
	private function service_path( string $template, WP_REST_Request $request ): string {
		return (string) preg_replace_callback(
			'/\{(\w+)\}/',
			static fn ( array $m ): string => rawurlencode( (string) $request->get_param( $m[1] ) ),
			$template
		);
	}

	/**
	 * Only the query keys the service knows: it rejects unknown ones, and api-fetch adds
	 * _locale, _wpnonce, _fields, rest_route and the like.
	 *
	 * @param string[] $known Allowed keys.
	 * @return array<string, string>
	 */
	public static function known_query( WP_REST_Request $request, array $known ): array {
		$query = array();
		foreach ( $known as $key ) {
			$value = $request->get_query_params()[ $key ] ?? null;
			if ( is_scalar( $value ) ) {
				$query[ $key ] = (string) $value;
			}
		}
		return $query;
	}

	/**
	 * The request's JSON (or form) body, without WordPress's own keys; null when there is none.
	 * Decoded with Json so `{}` stays an object on its way to the service.
	 *
	 * @return array<mixed>|object|null
	 */
	private static function json_body( WP_REST_Request $request ): array|object|null {
		$raw  = (string) $request->get_body();
		$body = null;
		if ( '' !== trim( $raw ) && $request->is_json_content_type() ) {
			$body = Json::decode( $raw );
		} elseif ( $request->get_body_params() ) {
			$body = $request->get_body_params();
		}
		if ( is_array( $body ) ) {
			foreach ( self::WP_BODY_EXTRAS as $extra ) {
				unset( $body[ $extra ] );
			}
		} elseif ( $body instanceof \stdClass ) {
			foreach ( self::WP_BODY_EXTRAS as $extra ) {
				unset( $body->$extra );
			}
		}
		return is_array( $body ) || is_object( $body ) ? $body : null;
	}

	/**
	 * What the status route tells about one flow.
	 *
	 * @param mixed $flow A flow of GET /api/v1/flows.
	 * @return array<string, mixed>
	 */
	private static function flow_summary( mixed $flow ): array {
		$flow = is_array( $flow ) ? $flow : array();
		$last = is_array( $flow['lastRun'] ?? null ) ? $flow['lastRun'] : null;
		return array(
			'id'        => $flow['id'] ?? null,
			'name'      => $flow['name'] ?? null,
			'direction' => $flow['direction'] ?? null,
			'available' => $flow['available'] ?? null,
			'enabled'   => $flow['enabled'] ?? null,
			'schedule'  => $flow['schedule'] ?? null,
			'state'     => $flow['state'] ?? null,
			'running'   => $flow['running'] ?? null,
			'nextRunAt' => $flow['nextRunAt'] ?? null,
			'lastRun'   => $last ? array(
				'id'         => $last['id'] ?? null,
				'status'     => $last['status'] ?? null,
				'startedAt'  => $last['startedAt'] ?? null,
				'finishedAt' => $last['finishedAt'] ?? null,
			) : null,
			'counts'    => $flow['counts'] ?? array(),
		);
	}
}
