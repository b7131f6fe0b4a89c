/**
 * 3. Who may use it: a subscriber (no capability) is refused by the page and by the REST routes
 *    (403 with a valid nonce of their own session); a logged-out visitor gets 401. The
 *    administrator's own requests go through the proxy with WordPress's extras (`_locale`,
 *    `_wpnonce`, X-HTTP-Method-Override), which the service's strict schemas never see.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
	assertNoPageErrors,
	env,
	launchBrowser,
	logIn,
	newPage,
	restFromPage,
	restNonce,
	service,
	serviceLogs,
	syncPageUrl,
} from './support/harness.mjs';

const NOT_ALLOWED = 'Sorry, you are not allowed to access this page.';

describe( 'Capability', () => {
	let browser;

	before( async () => {
		browser = await launchBrowser();
	} );

	after( async () => {
		await browser?.close();
	} );

	it( 'a subscriber is refused by the page and gets no menu link', async () => {
		const { page, context, problems } = await newPage( browser );
		await logIn( page, env.subscriber );
		assert.equal( await page.locator( '#adminmenu a', { hasText: 'Brightpearl Sync' } ).count(), 0 );

		const response = await page.goto( syncPageUrl() );
		assert.equal( response.status(), 403 );
		assert.match( await page.locator( 'body' ).innerText(), new RegExp( NOT_ALLOWED.replace( /\./g, '\\.' ) ) );
		assert.equal( await page.locator( '#bpwc-admin-root' ).count(), 0 );
		assert.equal(
			await page.evaluate( () => typeof window.bpwcAdmin ),
			'undefined',
			'no configuration (or nonce) of the page is printed'
		);
		assertNoPageErrors( problems, { console: false } );
		await context.close();
	} );

	it( 'a subscriber gets 403 from the REST routes, with a valid nonce of their session', async () => {
		const { page, context } = await newPage( browser );
		await logIn( page, env.subscriber );
		await page.goto( `${ env.wpUrl }/wp-admin/profile.php` );
		const nonce = await restNonce( page );
		assert.match( nonce, /^[0-9a-f]{10}$/, 'core hands the subscriber a wp_rest nonce' );

		// The nonce is valid: core's own route knows who they are.
		const me = await restFromPage( page, 'wp/v2/users/me', { nonce } );
		assert.equal( me.status, 200, me.text );
		assert.equal( me.json.slug, env.subscriber.user );

		for ( const [ route, method, body ] of [
			[ 'bpwc/v1/flows', 'GET' ],
			[ 'bpwc/v1/status', 'GET' ],
			[ 'bpwc/v1/logs?type=inventory', 'GET' ],
			[ 'bpwc/v1/logs/retry', 'POST', { type: 'inventory', status: 'failed' } ],
			[ 'bpwc/v1/connection', 'GET' ],
		] ) {
			const answer = await restFromPage( page, route, { method, nonce, body } );
			assert.equal( answer.status, 403, `${ method } ${ route }: ${ answer.text }` );
			assert.equal( answer.json?.code, 'rest_forbidden', `${ method } ${ route }` );
		}
		await context.close();
	} );

	it( 'a logged-out visitor gets 401', async () => {
		const { page, context } = await newPage( browser );
		await page.goto( `${ env.wpUrl }/wp-login.php` );
		for ( const route of [ 'bpwc/v1/flows', 'bpwc/v1/status', 'bpwc/v1/logs?type=inventory' ] ) {
			const answer = await restFromPage( page, route );
			assert.equal( answer.status, 401, `${ route }: ${ answer.text }` );
			assert.equal( answer.json?.code, 'rest_forbidden' );
		}
		// The page itself sends them to the login form.
		await page.goto( syncPageUrl() );
		assert.match( page.url(), /wp-login\.php\?redirect_to=/ );
		await context.close();
	} );

	it( 'the administrator\'s requests pass _locale, _wpnonce and X-HTTP-Method-Override through the proxy', async () => {
		const { page, context } = await newPage( browser );
		await logIn( page, env.admin );
		await page.goto( syncPageUrl() );
		const nonce = await page.evaluate( () => window.bpwcAdmin.nonce );
		assert.match( nonce, /^[0-9a-f]{10}$/ );
		assert.deepEqual(
			Object.keys( await page.evaluate( () => window.bpwcAdmin ) ).sort(),
			[
				'dateFormat',
				'nonce',
				'restNamespace',
				'root',
				'serviceConfigured',
				'serviceUrlFromConstant',
				'settingsUrl',
				'siteTimezone',
				'timeFormat',
				'tokenFromConstant',
			],
			'window.bpwcAdmin: what the admin UI reads, and never the token'
		);

		// apiFetch's query extras and the nonce as a query argument (as the export link sends it).
		const logs = await restFromPage(
			page,
			`bpwc/v1/logs?type=inventory&status=failed&limit=5&_locale=user&_wpnonce=${ nonce }`
		);
		assert.equal( logs.status, 200, logs.text );
		const expected = await serviceLogs( { type: 'inventory', status: 'failed', limit: 5 } );
		assert.deepEqual( logs.json.items.map( ( i ) => i.id ), expected.items.map( ( i ) => i.id ) );
		assert.equal( logs.json.total, expected.total );

		// PATCH as apiFetch sends it: POST with X-HTTP-Method-Override, `_locale` in the query.
		const schedule = ( await service( '/api/v1/flows/shipment' ) ).schedule;
		const patched = await restFromPage( page, 'bpwc/v1/flows/shipment?_locale=user', {
			method: 'POST',
			nonce,
			headers: { 'X-HTTP-Method-Override': 'PATCH' },
			body: { schedule },
		} );
		assert.equal( patched.status, 200, patched.text );
		assert.equal( patched.json.id, 'shipment' );
		assert.equal( patched.json.schedule, schedule );

		// A bad value comes back as the service's own 400, passed through.
		const refused = await restFromPage( page, 'bpwc/v1/flows/shipment?_locale=user', {
			method: 'POST',
			nonce,
			headers: { 'X-HTTP-Method-Override': 'PATCH' },
			body: { schedule: 'not a cron expression' },
		} );
		assert.equal( refused.status, 400, refused.text );
		assert.ok( refused.json.error?.message, refused.text );
		assert.equal( ( await service( '/api/v1/flows/shipment' ) ).schedule, schedule, 'unchanged' );

		// The status route, in the shape the admin UI reads.
		const status = await restFromPage( page, 'bpwc/v1/status?_locale=user', { nonce } );
		assert.equal( status.status, 200 );
		assert.equal( status.json.reachable, true );
		assert.equal( status.json.service.status, 'ok' );
		assert.equal( typeof status.json.service.version, 'string' );
		assert.equal( status.json.flows.length, 5 );
		await context.close();
	} );
} );
