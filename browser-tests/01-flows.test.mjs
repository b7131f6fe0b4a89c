/**
 * 1. An administrator logs in, opens Brightpearl Sync from the admin menu and sees the service's
 *    five flows with their names and counts; switching a flow off and on goes through the proxy
 *    (apiFetch sends PATCH as POST with X-HTTP-Method-Override). Screenshot: flows.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
	FLOW_IDS,
	PAGE_TITLE,
	assertNoPageErrors,
	env,
	eventually,
	launchBrowser,
	logIn,
	newPage,
	openSyncPageFromMenu,
	screenshot,
	service,
	serviceFlows,
} from './support/harness.mjs';

describe( 'Flows tab', () => {
	let browser;
	let page;
	let problems;

	before( async () => {
		browser = await launchBrowser();
		( { page, problems } = await newPage( browser ) );
	} );

	after( async () => {
		await browser?.close();
	} );

	it( 'admin logs in and finds the page in the admin menu', async () => {
		await logIn( page, env.admin );
		const parent = await openSyncPageFromMenu( page );
		// WooCommerce is not active in the test WordPress, so the page lives under Tools.
		assert.equal( parent, 'menu-tools' );
		assert.match( page.url(), /\/wp-admin\/tools\.php\?page=brightpearl-sync/ );
		assert.equal(
			( await page.locator( '.wrap h1' ).first().textContent() ).trim(),
			PAGE_TITLE
		);
		assert.match( await page.title(), /Brightpearl Sync/ );
		// The current submenu item is highlighted, as wp-admin does for its own screens.
		assert.equal(
			( await page.locator( '#menu-tools li.current a' ).textContent() ).trim(),
			'Brightpearl Sync'
		);
		const tabs = await page.getByRole( 'tab' ).allTextContents();
		assert.deepEqual( tabs.map( ( t ) => t.trim() ), [ 'Flows', 'Sync Logs', 'Settings' ] );
	} );

	it( 'shows the five flows with the names and counts the service reports', async () => {
		const cards = page.locator( '.bpwc-flow-card' );
		await eventually( async () => assert.equal( await cards.count(), 5 ) );

		let attempt = 0;
		await eventually(
			async () => {
				// The page loaded its flows a moment before we ask the service: on a mismatch
				// (a scheduled run in between), reload it and compare again.
				if ( attempt++ > 0 ) {
					await page.reload();
					await eventually( async () => assert.equal( await cards.count(), 5 ) );
				}
				const flows = await serviceFlows();
				assert.deepEqual(
					flows.map( ( f ) => f.id ).sort(),
					[ ...FLOW_IDS ].sort(),
					'the service has the five flows'
				);
				for ( const flow of flows ) {
					const card = page.locator( `.bpwc-flow-card.bpwc-flow-${ flow.id }` );
					const title = ( await card.locator( '.bpwc-flow-card__title' ).innerText() ).trim();
					assert.ok(
						title.startsWith( flow.name ),
						`${ flow.id }: card title "${ title }" starts with "${ flow.name }"`
					);
					assert.equal(
						/Coming soon/.test( title ),
						! flow.available,
						`${ flow.id }: "Coming soon" only when the service says the flow is unavailable`
					);
					for ( const status of [ 'pending', 'synced', 'failed' ] ) {
						const shown = await card
							.locator( `.bpwc-counts .is-${ status } .bpwc-counts__value` )
							.innerText();
						assert.equal(
							Number( shown ),
							flow.counts[ status ] ?? 0,
							`${ flow.id }: ${ status } count`
						);
					}
					const toggle = card.getByLabel( 'Enabled', { exact: true } );
					assert.equal( await toggle.isChecked(), flow.enabled, `${ flow.id }: enabled` );
				}
				// Real rows, not an empty service: the start-up runs have synced and failed items.
				const inventory = flows.find( ( f ) => f.id === 'inventory' );
				assert.ok( inventory.counts.synced > 0, 'inventory has synced items' );
				assert.ok( inventory.lastRun, 'inventory has run' );
				const product = flows.find( ( f ) => f.id === 'product' );
				assert.ok( product.lastRun, 'product has run' );
			},
			{ timeout: 30_000, interval: 1000 }
		);

		// The inventory card shows its last run, with the run's own counts.
		const inventoryCard = page.locator( '.bpwc-flow-card.bpwc-flow-inventory' );
		const lastRun = await inventoryCard.locator( '.bpwc-facts dd' ).first().innerText();
		assert.match( lastRun, /\d+ seen · \d+ synced · \d+ unchanged · \d+ failed/ );
		assert.equal(
			await page.locator( '.bpwc-service-notice' ).count(),
			0,
			'no "cannot be reached" notice while the service is up'
		);
	} );

	it( 'keeps a screenshot of the Flows tab', async () => {
		// The hourly charts load on their own; wait for them so the shot is complete.
		await eventually( async () =>
			assert.equal( await page.locator( '.bpwc-flow-card .components-spinner' ).count(), 0 )
		);
		await page.waitForLoadState( 'networkidle' );
		await screenshot( page, 'flows.png' );
	} );

	it( 'switches a flow off and on through the proxy (PATCH as POST + X-HTTP-Method-Override)', async () => {
		const flowId = 'refund';
		const card = page.locator( `.bpwc-flow-card.bpwc-flow-${ flowId }` );
		const toggle = card.getByLabel( 'Enabled', { exact: true } );
		const before = ( await service( `/api/v1/flows/${ flowId }` ) ).enabled;
		assert.equal( await toggle.isChecked(), before );

		for ( const enabled of [ ! before, before ] ) {
			const sent = page.waitForRequest(
				( r ) => r.url().includes( `/wp-json/bpwc/v1/flows/${ flowId }` ) && r.method() !== 'GET'
			);
			const answered = page.waitForResponse(
				( r ) => r.url().includes( `/wp-json/bpwc/v1/flows/${ flowId }` ) && r.request().method() !== 'GET'
			);
			await toggle.click();
			const request = await sent;
			assert.equal( request.method(), 'POST' );
			assert.equal( request.headers()[ 'x-http-method-override' ], 'PATCH' );
			assert.deepEqual( request.postDataJSON(), { enabled } );
			assert.equal( ( await answered ).status(), 200 );
			await eventually( async () =>
				assert.equal( ( await service( `/api/v1/flows/${ flowId }` ) ).enabled, enabled )
			);
			await eventually( async () => assert.equal( await toggle.isChecked(), enabled ) );
			await page
				.locator( '.components-snackbar', {
					hasText: enabled ? 'Refunds flow enabled.' : 'Refunds flow disabled.',
				} )
				.first()
				.waitFor();
		}
	} );

	it( 'had no uncaught errors and no console errors', () => {
		assertNoPageErrors( problems );
	} );
} );
