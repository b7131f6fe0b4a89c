import {
	formatDateTime,
	formatTime,
	offsetMinutes,
	siteDayToUtc,
} from '../date';

describe( "dates in the site's timezone", () => {
	it( 'finds the offset of IANA zones (with summer time) and of fixed offsets', () => {
		expect(
			offsetMinutes( 'Europe/London', new Date( '2026-01-15T12:00:00Z' ) )
		).toBe( 0 );
		expect(
			offsetMinutes( 'Europe/London', new Date( '2026-07-15T12:00:00Z' ) )
		).toBe( 60 );
		expect(
			offsetMinutes(
				'America/New_York',
				new Date( '2026-01-15T12:00:00Z' )
			)
		).toBe( -300 );
		expect(
			offsetMinutes( 'Asia/Kolkata', new Date( '2026-01-15T12:00:00Z' ) )
		).toBe( 330 );
		expect( offsetMinutes( '+02:00', new Date() ) ).toBe( 120 );
		expect( offsetMinutes( 'UTC-5', new Date() ) ).toBe( -300 );
		expect( offsetMinutes( 'UTC', new Date() ) ).toBe( 0 );
		expect( offsetMinutes( 'Not/AZone', new Date() ) ).toBe( 0 );
	} );

	it( "formats with the site's date and time formats", () => {
		window.bpwcAdmin = {
			...window.bpwcAdmin,
			siteTimezone: 'Europe/Paris',
			dateFormat: 'F j, Y',
			timeFormat: 'g:i a',
		};
		expect( formatDateTime( '2026-07-01T10:30:00Z' ) ).toBe(
			'July 1, 2026 12:30 pm'
		);
		expect( formatDateTime( '2026-01-01T10:30:00Z' ) ).toBe(
			'January 1, 2026 11:30 am'
		);
		expect( formatTime( '2026-01-01T22:00:00Z' ) ).toBe( '11:00 pm' );
		expect( formatDateTime( null ) ).toBe( '' );
		expect( formatDateTime( 'not a date' ) ).toBe( '' );
	} );

	it( "turns a day typed in the site's timezone into the UTC bounds of that day", () => {
		window.bpwcAdmin = {
			...window.bpwcAdmin,
			siteTimezone: 'America/New_York',
		};
		expect( siteDayToUtc( '2026-01-10', 'start' ) ).toBe(
			'2026-01-10T05:00:00.000Z'
		);
		expect( siteDayToUtc( '2026-01-10', 'end' ) ).toBe(
			'2026-01-11T04:59:59.999Z'
		);
		// The day summer time starts (2026-03-08 in New York).
		expect( siteDayToUtc( '2026-03-08', 'start' ) ).toBe(
			'2026-03-08T05:00:00.000Z'
		);
		expect( siteDayToUtc( '2026-03-08', 'end' ) ).toBe(
			'2026-03-09T03:59:59.999Z'
		);
		expect( siteDayToUtc( 'nope', 'start' ) ).toBeUndefined();
	} );
} );
