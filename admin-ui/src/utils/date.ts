/**
 * Dates in the site's timezone and formats (Settings → General), with @wordpress/date's dateI18n.
 *
 * The bundled @wordpress/date has no timezone database, so the site's IANA zone is turned into
 * the UTC offset in force at each instant with Intl, and that offset is given to dateI18n.
 */
import { dateI18n } from '@wordpress/date';
import { getConfig } from '../config';

const OFFSET = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i;

/** Minutes east of UTC of `timeZone` at `date` (an IANA name, an offset like +02:00, or UTC). */
export function offsetMinutes( timeZone: string, date: Date ): number {
	const zone = ( timeZone || 'UTC' ).trim();
	if ( /^(UTC|GMT|Z)$/i.test( zone ) ) {
		return 0;
	}
	const match = OFFSET.exec( zone );
	if ( match ) {
		const minutes = Number( match[ 2 ] ) * 60 + Number( match[ 3 ] ?? 0 );
		return match[ 1 ] === '-' ? -minutes : minutes;
	}
	try {
		const parts = new Intl.DateTimeFormat( 'en-US', {
			timeZone: zone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric',
		} ).formatToParts( date );
		const get = ( type: string ) =>
			Number( parts.find( ( p ) => p.type === type )?.value ?? 0 );
		const asUtc = Date.UTC(
			get( 'year' ),
			get( 'month' ) - 1,
			get( 'day' ),
			get( 'hour' ) % 24,
			get( 'minute' ),
			get( 'second' )
		);
		return Math.round(
			( asUtc - Math.floor( date.getTime() / 1000 ) * 1000 ) / 60000
		);
	} catch {
		return 0;
	}
}

function offsetString( minutes: number ): string {
	const sign = minutes < 0 ? '-' : '+';
	const abs = Math.abs( minutes );
	const pad = ( n: number ) => String( n ).padStart( 2, '0' );
	return `${ sign }${ pad( Math.floor( abs / 60 ) ) }:${ pad( abs % 60 ) }`;
}

function parse( value: string | Date | null | undefined ): Date | null {
	if ( ! value ) {
		return null;
	}
	const date = value instanceof Date ? value : new Date( value );
	return Number.isNaN( date.getTime() ) ? null : date;
}

/** "January 5, 2026 3:04 pm" in the site's timezone; '' for no date. */
export function formatDateTime(
	value: string | Date | null | undefined
): string {
	const date = parse( value );
	if ( ! date ) {
		return '';
	}
	const { dateFormat, timeFormat, siteTimezone } = getConfig();
	return dateI18n(
		`${ dateFormat } ${ timeFormat }`,
		date,
		offsetString( offsetMinutes( siteTimezone, date ) )
	);
}

/** Time of day only, e.g. for chart hours ("3 pm" style follows the site's time format). */
export function formatTime( value: string | Date | null | undefined ): string {
	const date = parse( value );
	if ( ! date ) {
		return '';
	}
	const { timeFormat, siteTimezone } = getConfig();
	return dateI18n(
		timeFormat,
		date,
		offsetString( offsetMinutes( siteTimezone, date ) )
	);
}

/**
 * A calendar day typed in the site's timezone (YYYY-MM-DD) as the UTC instant of its start or end,
 * for the sync log's from/to filters.
 */
export function siteDayToUtc(
	day: string,
	edge: 'start' | 'end'
): string | undefined {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec( day );
	if ( ! match ) {
		return undefined;
	}
	const [ y, m, d ] = [
		Number( match[ 1 ] ),
		Number( match[ 2 ] ) - 1,
		Number( match[ 3 ] ),
	];
	const wall =
		edge === 'start'
			? Date.UTC( y, m, d, 0, 0, 0, 0 )
			: Date.UTC( y, m, d, 23, 59, 59, 999 );
	const zone = getConfig().siteTimezone;
	// The offset at the wall time itself; a second pass settles days on which it changes.
	let instant = wall - offsetMinutes( zone, new Date( wall ) ) * 60000;
	instant = wall - offsetMinutes( zone, new Date( instant ) ) * 60000;
	return new Date( instant ).toISOString();
}

/** "in 3 minutes" / "5 minutes ago", with Intl where it exists. */
export function relativeTime(
	value: string | Date | null | undefined,
	now: Date = new Date()
): string {
	const date = parse( value );
	if (
		! date ||
		typeof Intl === 'undefined' ||
		! ( 'RelativeTimeFormat' in Intl )
	) {
		return '';
	}
	const seconds = Math.round( ( date.getTime() - now.getTime() ) / 1000 );
	const abs = Math.abs( seconds );
	const rtf = new Intl.RelativeTimeFormat(
		document.documentElement.lang || undefined,
		{ numeric: 'auto' }
	);
	if ( abs < 60 ) {
		return rtf.format( seconds, 'second' );
	}
	if ( abs < 3600 ) {
		return rtf.format( Math.round( seconds / 60 ), 'minute' );
	}
	if ( abs < 86400 ) {
		return rtf.format( Math.round( seconds / 3600 ), 'hour' );
	}
	return rtf.format( Math.round( seconds / 86400 ), 'day' );
}
