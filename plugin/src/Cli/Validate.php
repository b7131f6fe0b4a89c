<?php
/**
 * Argument checks done before anything is sent to the service.
 *
 * @package BrightpearlSync
 */

declare(strict_types=1);

namespace BrightpearlSync\Cli;

/**
 * Each check returns null when the value is fine, else a message saying what is expected.
 * They mirror the service's own rules, so a bad value fails fast and nothing is queued.
 */
final class Validate {

	public const TYPES    = array( 'inventory', 'product', 'order', 'refund', 'shipment' );
	public const STATUSES = array( 'pending', 'synced', 'failed' );

	/** [min, max, names] of the five cron fields. */
	private const CRON_FIELDS = array(
		array( 'minute', 0, 59, array() ),
		array( 'hour', 0, 23, array() ),
		array( 'day of month', 1, 31, array() ),
		array( 'month', 1, 12, array( 'jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec' ) ),
		array( 'day of week', 0, 7, array( 'sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat' ) ),
	);

	public static function type( string $type ): ?string {
		if ( in_array( $type, self::TYPES, true ) ) {
			return null;
		}
		return sprintf(
			/* translators: 1: the value given, 2: list of types. */
			__( 'Unknown sync type "%1$s". Use one of: %2$s.', 'brightpearl-sync' ),
			$type,
			implode( ', ', self::TYPES )
		);
	}

	public static function status( string $status ): ?string {
		if ( in_array( $status, self::STATUSES, true ) ) {
			return null;
		}
		return sprintf(
			/* translators: 1: the value given, 2: list of statuses. */
			__( 'Unknown status "%1$s". Use one of: %2$s.', 'brightpearl-sync' ),
			$status,
			implode( ', ', self::STATUSES )
		);
	}

	/**
	 * ISO 8601 date or date-time, as the service accepts (2026-01-31, 2026-01-31T09:00:00Z).
	 */
	public static function date( string $value, string $option ): ?string {
		$ok = (bool) preg_match( '/^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/', $value, $m );
		if ( $ok ) {
			$ok = checkdate( (int) $m[2], (int) $m[3], (int) $m[1] )
				&& ( ! isset( $m[4] ) || ( (int) $m[4] < 24 && (int) $m[5] < 60 && (int) ( $m[6] ?? 0 ) < 60 ) );
		}
		if ( $ok ) {
			return null;
		}
		return sprintf(
			/* translators: 1: option name, 2: the value given. */
			__( '--%1$s "%2$s" is not a date. Use ISO 8601, e.g. 2026-01-31 or 2026-01-31T09:00:00Z.', 'brightpearl-sync' ),
			$option,
			$value
		);
	}

	/**
	 * A five-field cron expression (minute hour day-of-month month day-of-week).
	 */
	public static function cron( string $expression ): ?string {
		$fields  = preg_split( '/\s+/', trim( $expression ) );
		$problem = null;
		if ( ! is_array( $fields ) || 5 !== count( $fields ) ) {
			$problem = __( 'it needs exactly five fields', 'brightpearl-sync' );
		} else {
			foreach ( self::CRON_FIELDS as $i => [ $label, $min, $max, $names ] ) {
				if ( ! self::cron_field( strtolower( $fields[ $i ] ), $min, $max, $names ) ) {
					/* translators: 1: field name such as "minute", 2: the field's value, 3: lowest value, 4: highest value. */
					$problem = sprintf( __( 'the %1$s field "%2$s" is not valid (%3$d-%4$d, *, lists, ranges and */n steps)', 'brightpearl-sync' ), $label, $fields[ $i ], $min, $max );
					break;
				}
			}
		}
		if ( null === $problem ) {
			return null;
		}
		return sprintf(
			/* translators: 1: the expression given, 2: what is wrong with it. */
			__( '"%1$s" is not a valid cron schedule: %2$s. Use five fields, minute hour day month weekday, e.g. "*/5 * * * *".', 'brightpearl-sync' ),
			$expression,
			$problem
		);
	}

	/**
	 * A positive whole number, or null.
	 */
	public static function positive_int( string $value ): ?int {
		if ( ! preg_match( '/^[1-9]\d{0,14}$/', $value ) ) {
			return null;
		}
		return (int) $value;
	}

	/**
	 * A --format value among the allowed ones.
	 *
	 * @param string[] $allowed Formats.
	 */
	public static function format( string $format, array $allowed ): ?string {
		if ( in_array( $format, $allowed, true ) ) {
			return null;
		}
		return sprintf(
			/* translators: 1: the value given, 2: list of formats. */
			__( 'Unknown format "%1$s". Use one of: %2$s.', 'brightpearl-sync' ),
			$format,
			implode( ', ', $allowed )
		);
	}

	/**
	 * @param string[] $names Names allowed instead of numbers (months, weekdays).
	 */
	private static function cron_field( string $field, int $min, int $max, array $names ): bool {
		foreach ( explode( ',', $field ) as $item ) {
			$step = null;
			if ( str_contains( $item, '/' ) ) {
				[ $item, $step ] = explode( '/', $item, 2 );
				if ( ! preg_match( '/^[1-9]\d*$/', $step ) || (int) $step > $max ) {
					return false;
				}
			}
			if ( '*' === $item ) {
				continue;
			}
			$bounds = explode( '-', $item );
			if ( count( $bounds ) > 2 ) {
				return false;
			}
			$values = array();
			foreach ( $bounds as $bound ) {
				$index = array_search( $bound, $names, true );
				if ( false !== $index ) {
					$values[] = $min + (int) $index;
				} elseif ( preg_match( '/^\d{1,2}$/', $bound ) ) {
					$values[] = (int) $bound;
				} else {
					return false;
				}
			}
			foreach ( $values as $value ) {
				if ( $value < $min || $value > $max ) {
					return false;
				}
			}
			if ( 2 === count( $values ) && $values[0] > $values[1] ) {
				return false;
			}
		}
		return '' !== $field;
	}
}
