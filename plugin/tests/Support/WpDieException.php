<?php
/**
 * wp_die() as an exception, so a test can assert it.
 *
 * @package BrightpearlSync\Tests
 */

declare(strict_types=1);

namespace BrightpearlSync\Tests\Support;

final class WpDieException extends \RuntimeException {

	/**
	 * @param string|\WP_Error $message Message.
	 * @param string           $title   Title.
	 * @param array<mixed>     $args    Arguments.
	 */
	public static function handler( $message, $title = '', $args = array() ): void {
		$text = is_wp_error( $message ) ? $message->get_error_message() : (string) $message;
		throw new self( $text, (int) ( $args['response'] ?? 500 ) );
	}
}
