<?php
/**
 * REST route bpwc/v1/connection: where the sync service is, handled in PHP.
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
 * Reads and saves the service URL and token. The token is write-only: no answer ever contains it.
 */
final class ConnectionController {

	public function __construct( private readonly Settings $settings ) {}

	/**
	 * @param callable $permission Shared permission callback of the namespace.
	 */
	public function register_routes( callable $permission ): void {
		register_rest_route(
			RestProxy::NAMESPACE,
			'/connection',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( $this, 'get' ),
					'permission_callback' => $permission,
				),
				array(
					'methods'             => 'PUT',
					'callback'            => array( $this, 'update' ),
					'permission_callback' => $permission,
				),
			)
		);
	}

	public function get(): WP_REST_Response {
		return new WP_REST_Response( $this->state(), 200 );
	}

	/**
	 * PUT {serviceUrl?, token?}: validates everything first, so a bad token never leaves a
	 * half-saved change behind.
	 */
	public function update( WP_REST_Request $request ): WP_REST_Response|WP_Error {
		$params = $request->get_json_params();
		if ( ! is_array( $params ) ) {
			$params = $request->get_body_params();
		}
		$url   = $params['serviceUrl'] ?? null;
		$token = $params['token'] ?? null;
		// A blank token field means "keep the current one".
		if ( '' === $token ) {
			$token = null;
		}
		if ( null === $url && null === $token ) {
			return new WP_Error(
				'bpwc_nothing_to_save',
				__( 'Send serviceUrl and/or token.', 'brightpearl-sync' ),
				array( 'status' => 400 )
			);
		}

		if ( null !== $url ) {
			if ( $this->settings->url_from_constant() ) {
				return $this->settings->save_url( $url );
			}
			$valid = Settings::validate_url( $url );
			if ( is_wp_error( $valid ) ) {
				return $valid;
			}
		}
		if ( null !== $token ) {
			if ( $this->settings->token_from_constant() ) {
				return $this->settings->save_token( $token );
			}
			$valid = Settings::validate_token( $token );
			if ( is_wp_error( $valid ) ) {
				return $valid;
			}
		}

		foreach ( array( array( $url, 'save_url' ), array( $token, 'save_token' ) ) as [ $value, $save ] ) {
			if ( null !== $value ) {
				$saved = $this->settings->$save( $value );
				if ( is_wp_error( $saved ) ) {
					return $saved;
				}
			}
		}
		return new WP_REST_Response( $this->state(), 200 );
	}

	/**
	 * @return array{serviceUrl: string, hasToken: bool, urlFromConstant: bool, tokenFromConstant: bool}
	 */
	private function state(): array {
		return array(
			'serviceUrl'        => $this->settings->service_url(),
			'hasToken'          => $this->settings->has_token(),
			'urlFromConstant'   => $this->settings->url_from_constant(),
			'tokenFromConstant' => $this->settings->token_from_constant(),
		);
	}
}
