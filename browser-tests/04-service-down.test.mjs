/**
 * 4. With the sync service stopped (killed: this test runs last and nothing restarts it), the
 *    page says so clearly, every tab still renders, and nothing throws. Screenshot:
 *    service-down.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
	assertNoPageErrors,
	env,
	eventually,
	launchBrowser,
	logIn,
	newPage,
	openTab,
	screenshot,
	syncPageUrl,
} from './support/harness.mjs';

async function serviceAnswers() {
	try {
		const response = await fetch( `${ env.serviceUrl }/health`, { signal: AbortSignal.timeout( 2000 ) } );
		return response.ok;
	} catch {
		return false;
	}
}

describe( 'Service down', () => {
	let browser;
	let page;
	let problems;

	before( async () => {
		browser = await launchBrowser();
		( { page, problems } = await newPage( browser ) );
		await logIn( page, env.admin );
		await page.goto( syncPageUrl() );
		await page.locator( '.bpwc-flow-card' ).first().waitFor();
	} );

	after( async () => {
		await browser?.close();
	} );

	it( 'stops the sync service', async () => {
		assert.ok( env.servicePid > 0, 'bin/test-browser passes the service pid (BPWC_TEST_SERVICE_PID)' );
		assert.ok( await serviceAnswers(), 'the service is up before' );
		process.kill( env.servicePid, 'SIGTERM' );
		await eventually( async () => assert.equal( await serviceAnswers(), false ), { timeout: 15_000 } );
	} );

	it( 'reloads the page: a clear notice, the tabs still render', async () => {
		await page.reload();
		const notice = page.locator( '.bpwc-service-notice' );
		await notice.waitFor();
		await eventually( async () => {
			const text = await notice.innerText();
			assert.match( text, /The sync service cannot be reached\./ );
			assert.match( text, /not reachable/, 'the reason the plugin gives' );
			assert.ok( text.includes( env.serviceUrl ), `names the service URL: ${ text }` );
		} );
		await notice.getByRole( 'button', { name: 'Check again' } ).waitFor();

		// Flows: an error with a way to try again, instead of cards.
		await page.getByRole( 'tab', { name: 'Flows', selected: true } ).waitFor();
		const flowsPanel = page.getByRole( 'tabpanel' );
		await flowsPanel.getByRole( 'button', { name: 'Try again' } ).waitFor();
		assert.equal( await page.locator( '.bpwc-flow-card' ).count(), 0 );
		await screenshot( page, 'service-down.png' );

		// Sync Logs: the controls and an error in place of rows.
		await openTab( page, 'Sync Logs' );
		await page.getByLabel( 'Log Type', { exact: true } ).waitFor();
		await page.locator( '.bpwc-logs .components-notice.is-error' ).first().waitFor();
		await eventually( async () =>
			assert.match( await page.locator( '.bpwc-logs .components-notice.is-error' ).first().innerText(), /not reachable/ )
		);

		// Settings: the connection form still works, the service shows as not connected.
		await openTab( page, 'Settings' );
		await page.getByLabel( 'Service URL', { exact: true } ).waitFor();
		const serviceRow = page.locator( 'table.bpwc-connections tbody tr', { hasText: 'Sync service' } );
		await serviceRow.locator( '.bpwc-badge.is-error' ).waitFor();

		// "Check again" keeps saying so, and nothing breaks.
		await notice.getByRole( 'button', { name: 'Check again' } ).click();
		await page.waitForLoadState( 'networkidle' );
		await eventually( async () => assert.equal( await notice.count(), 1 ) );
	} );

	it( 'had no uncaught errors', () => {
		// Console errors are expected here: the browser logs the proxy's 503 answers.
		assertNoPageErrors( problems, { console: false } );
	} );
} );
