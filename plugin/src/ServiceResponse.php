<?php
/**
 * One answer of the sync service.
 *
 * @package BrightpearlSync
 */

declare(strict_types=1);

namespace BrightpearlSync;

/**
 * Status, decoded JSON body and lower-cased headers, as the service sent them.
 */
final class ServiceResponse {

	/**
	 * @param int                  $status  HTTP status code.
	 * @param mixed                $body    Decoded JSON body (null when empty or not JSON).
	 * @param array<string,string> $headers Response headers, names lower-cased.
	 * @param string               $raw     Body as received (empty for streamed downloads).
	 * @param string|null          $file    Where a streamed body was written, if it was.
	 */
	public function __construct(
		public readonly int $status,
		public readonly mixed $body,
		public readonly array $headers = array(),
		public readonly string $raw = '',
		public readonly ?string $file = null
	) {}

	public function ok(): bool {
		return $this->status >= 200 && $this->status < 300;
	}

	public function header( string $name ): ?string {
		return $this->headers[ strtolower( $name ) ] ?? null;
	}

	/**
	 * The service's `{"error":{"code","message"}}` code, if the body is one.
	 */
	public function error_code(): ?string {
		return is_array( $this->body ) && isset( $this->body['error']['code'] ) && is_string( $this->body['error']['code'] ) ? $this->body['error']['code'] : null;
	}

	/**
	 * The service's error message, or a generic one naming the status.
	 */
	public function error_message(): string {
		if ( is_array( $this->body ) && isset( $this->body['error']['message'] ) && is_string( $this->body['error']['message'] ) ) {
			return $this->body['error']['message'];
		}
		return sprintf(
			/* translators: %d: HTTP status code. */
			__( 'The sync service answered with HTTP %d.', 'brightpearl-sync' ),
			$this->status
		);
	}
}
