<?php
/**
 * Where the sync service lives and the token to reach it.
 *
 * @package BrightpearlSync
 */

declare(strict_types=1);

namespace BrightpearlSync;

use WP_Error;

/**
 * Options with wp-config.php constants on top: hosts that keep secrets out of the database
 * define BPWC_SERVICE_URL / BPWC_SERVICE_TOKEN, and then the options are neither read nor written.
 */
final class Settings {

	public const OPTION_URL     = 'bpwc_service_url';
	public const OPTION_TOKEN   = 'bpwc_service_token';
	public const CONSTANT_URL   = 'BPWC_SERVICE_URL';
	public const CONSTANT_TOKEN = 'BPWC_SERVICE_TOKEN';
	public const DEFAULT_URL    = 'http://127.0.0.1:8787';
	/** Same floor as the service's BPWC_TOKEN. */
	public const MIN_TOKEN_LENGTH = 24;

	/**
	 * Every option the plugin writes; uninstall.php deletes exactly these.
	 *
	 * @return string[]
	 */
	public static function option_names(): array {
		return array( self::OPTION_URL, self::OPTION_TOKEN );
	}

	/**
	 * Defaults written on activation when absent.
	 *
	 * @return array<string, string>
	 */
	public static function defaults(): array {
		return array(
			self::OPTION_URL   => self::DEFAULT_URL,
			self::OPTION_TOKEN => '',
		);
	}

	public function service_url(): string {
		$url = $this->constant( self::CONSTANT_URL ) ?? (string) get_option( self::OPTION_URL, self::DEFAULT_URL );
		$url = '' === trim( $url ) ? self::DEFAULT_URL : trim( $url );
		return untrailingslashit( $url );
	}

	public function token(): string {
		return trim( $this->constant( self::CONSTANT_TOKEN ) ?? (string) get_option( self::OPTION_TOKEN, '' ) );
	}

	public function has_token(): bool {
		return '' !== $this->token();
	}

	public function is_configured(): bool {
		return '' !== $this->service_url() && $this->has_token();
	}

	public function url_from_constant(): bool {
		return null !== $this->constant( self::CONSTANT_URL );
	}

	public function token_from_constant(): bool {
		return null !== $this->constant( self::CONSTANT_TOKEN );
	}

	/**
	 * Checks a service URL: absolute http(s) with a host, nothing else.
	 *
	 * @return string|WP_Error The URL without trailing slash, or why it was refused.
	 */
	public static function validate_url( mixed $url ): string|WP_Error {
		$url    = is_string( $url ) ? trim( $url ) : '';
		$scheme = strtolower( (string) wp_parse_url( $url, PHP_URL_SCHEME ) );
		$host   = (string) wp_parse_url( $url, PHP_URL_HOST );
		// wp_http_validate_url() would refuse 127.0.0.1, where the service usually runs.
		if ( '' === $url || false === filter_var( $url, FILTER_VALIDATE_URL ) || ! in_array( $scheme, array( 'http', 'https' ), true ) || '' === $host ) {
			return new WP_Error(
				'bpwc_invalid_service_url',
				__( 'The service URL must be an absolute http:// or https:// address, for example http://127.0.0.1:8787.', 'brightpearl-sync' ),
				array( 'status' => 400 )
			);
		}
		return untrailingslashit( $url );
	}

	/**
	 * Checks an API token: at least 24 characters, no whitespace.
	 *
	 * @return string|WP_Error The token, or why it was refused.
	 */
	public static function validate_token( mixed $token ): string|WP_Error {
		$token = is_string( $token ) ? trim( $token ) : '';
		if ( strlen( $token ) < self::MIN_TOKEN_LENGTH || preg_match( '/\s/', $token ) ) {
			return new WP_Error(
				'bpwc_invalid_token',
				sprintf(
					/* translators: %d: minimum number of characters. */
					__( 'The API token must be at least %d characters long, without spaces: use the BPWC_TOKEN the sync service runs with.', 'brightpearl-sync' ),
					self::MIN_TOKEN_LENGTH
				),
				array( 'status' => 400 )
			);
		}
		return $token;
	}

	/**
	 * Saves a new service URL unless wp-config.php pins it.
	 */
	public function save_url( mixed $url ): bool|WP_Error {
		if ( $this->url_from_constant() ) {
			return $this->locked( self::CONSTANT_URL );
		}
		$valid = self::validate_url( $url );
		if ( is_wp_error( $valid ) ) {
			return $valid;
		}
		update_option( self::OPTION_URL, $valid, false );
		return true;
	}

	/**
	 * Saves a new token unless wp-config.php pins it. Not autoloaded: only the proxy needs it.
	 */
	public function save_token( mixed $token ): bool|WP_Error {
		if ( $this->token_from_constant() ) {
			return $this->locked( self::CONSTANT_TOKEN );
		}
		$valid = self::validate_token( $token );
		if ( is_wp_error( $valid ) ) {
			return $valid;
		}
		update_option( self::OPTION_TOKEN, $valid, false );
		return true;
	}

	private function locked( string $constant ): WP_Error {
		return new WP_Error(
			'bpwc_setting_locked',
			sprintf(
				/* translators: %s: PHP constant name. */
				__( 'This setting is defined by the %s constant in wp-config.php and cannot be changed here.', 'brightpearl-sync' ),
				$constant
			),
			array( 'status' => 400 )
		);
	}

	/**
	 * A non-empty string constant, or null when it is not defined (or empty).
	 */
	private function constant( string $name ): ?string {
		if ( ! defined( $name ) ) {
			return null;
		}
		$value = constant( $name );
		return is_scalar( $value ) && '' !== trim( (string) $value ) ? (string) $value : null;
	}
}
