import { normalizeError, parseFieldErrors } from '../errors';

describe( 'normalizeError', () => {
	it( 'reads WordPress REST errors', () => {
		expect(
			normalizeError( {
				code: 'bpwc_service_unreachable',
				message: 'The sync service did not answer.',
				data: { status: 503 },
			} )
		).toEqual( {
			code: 'bpwc_service_unreachable',
			message: 'The sync service did not answer.',
			status: 503,
			unreachable: true,
			fields: {},
		} );
		expect(
			normalizeError( {
				code: 'rest_forbidden',
				message: 'Sorry, you are not allowed to do that.',
				data: { status: 403 },
			} )
		).toMatchObject( {
			code: 'rest_forbidden',
			status: 403,
			unreachable: false,
		} );
	} );

	it( "reads the service's { error: { code, message } }, also nested by the proxy, with the fields of a 400", () => {
		expect(
			normalizeError( {
				error: {
					code: 'invalid_request',
					message:
						'body.priceListId: must be positive; body.nominalCodes.sales: must be a nominal code',
				},
			} )
		).toEqual( {
			code: 'invalid_request',
			message:
				'body.priceListId: must be positive; body.nominalCodes.sales: must be a nominal code',
			status: undefined,
			unreachable: false,
			fields: {
				priceListId: 'must be positive',
				'nominalCodes.sales': 'must be a nominal code',
			},
		} );
		expect(
			normalizeError( {
				code: 'bpwc_service_error',
				message: 'x',
				data: {
					status: 409,
					error: {
						code: 'flow_busy',
						message: 'inventory is already running',
					},
				},
			} )
		).toMatchObject( {
			code: 'flow_busy',
			message: 'inventory is already running',
			status: 409,
		} );
	} );

	it( 'treats network failures as unreachable and always has a message', () => {
		expect(
			normalizeError( {
				code: 'fetch_error',
				message: 'You are probably offline.',
			} )
		).toMatchObject( {
			unreachable: true,
			message: 'You are probably offline.',
		} );
		expect(
			normalizeError( {
				code: 'bpwc_service_unreachable',
				data: { status: 503 },
			} ).message
		).toBe( 'The sync service cannot be reached.' );
		expect( normalizeError( new Error( 'Boom' ) ) ).toMatchObject( {
			code: 'unknown_error',
			message: 'Boom',
		} );
		expect( normalizeError( null ).message ).toBe(
			'Something went wrong. Please try again.'
		);
		expect( normalizeError( 'plain text' ).message ).toBe( 'plain text' );
	} );

	it( 'is idempotent', () => {
		const once = normalizeError( {
			error: { code: 'not_found', message: 'No run 9' },
		} );
		expect( normalizeError( once ) ).toBe( once );
	} );
} );

describe( 'parseFieldErrors', () => {
	it( 'ignores messages that name no field', () => {
		expect( parseFieldErrors( 'send enabled and/or schedule' ) ).toEqual(
			{}
		);
		expect( parseFieldErrors( 'query.limit: must be a number' ) ).toEqual( {
			limit: 'must be a number',
		} );
	} );
} );
