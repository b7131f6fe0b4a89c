<?php
/**
 * JSON that survives a round trip through PHP.
 *
 * @package BrightpearlSync
 */

declare(strict_types=1);

namespace BrightpearlSync;

use stdClass;

/**
 * json_decode( $json, true ) turns `{}` into `[]` and `{"0":"a"}` into `["a"]`, so a body
 * decoded to arrays and encoded again is not what the service (or the browser) sent. Here JSON
 * objects become PHP arrays only when they encode back to the same object; the others stay
 * stdClass. Code reading the result as arrays keeps working (cast with (array) where a map may
 * be empty).
 */
final class Json {

	/**
	 * Decodes JSON; null (and $ok = false) when it is not JSON.
	 */
	public static function decode( string $json, ?bool &$ok = null ): mixed {
		$value = json_decode( $json, false, 512, JSON_BIGINT_AS_STRING );
		$ok    = JSON_ERROR_NONE === json_last_error();
		return $ok ? self::normalize( $value ) : null;
	}

	private static function normalize( mixed $value ): mixed {
		if ( is_array( $value ) ) {
			return array_map( array( self::class, 'normalize' ), $value );
		}
		if ( $value instanceof stdClass ) {
			$map = array();
			foreach ( get_object_vars( $value ) as $key => $item ) {
				$map[ $key ] = self::normalize( $item );
			}
			// An empty map or one keyed 0..n-1 would be encoded as a list: keep it an object.
			return ( array() === $map || array_is_list( $map ) ) ? (object) $map : $map;
		}
		return $value;
	}
}
