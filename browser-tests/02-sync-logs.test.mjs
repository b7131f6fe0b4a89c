/**
 * 2. Sync Logs: the Log Type dropdown shows each type's rows as the service lists them; the
 *    Failed filter shows only Failed rows with their reasons; a row's details show its attempt
 *    history; Export CSV downloads what the service exports for the same filter; Retry re-queues
 *    a failed row in the service. Screenshots: sync-logs.png (Failed filter), sync-log-details.png,
 *    settings.png.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
	assertNoPageErrors,
	env,
	eventually,
	launchBrowser,
	logIn,
	newPage,
	openTab,
	parseCsv,
	screenshot,
	service,
	serviceFlows,
	serviceLogs,
	syncPageUrl,
} from './support/harness.mjs';

const PAGE_SIZE = 20;
const TYPE_LABELS = { inventory: 'Inventory', product: 'Product', order: 'Order', refund: 'Refund', shipment: 'Shipment' };

describe( 'Sync Logs tab', () => {
	let browser;
	let page;
	let problems;
	let flows;
	/** The type whose Failed rows the filter, details, export and retry tests use. */
	let failedType;

	const rows = () => page.locator( '.bpwc-logs table.dataviews-view-table tbody tr' );
	const shownInfos = async () =>
		( await rows().locator( '.dataviews-title-field' ).allInnerTexts() ).map( ( t ) => t.trim() );
	const shownTotal = async () =>
		Number( ( await page.locator( '.bpwc-pager__total' ).innerText() ).replace( /\D/g, '' ) );
	const rowOf = ( info ) =>
		rows()
			.filter( {
				has: page.locator( '.dataviews-title-field', { hasText: new RegExp( `^\\s*${ escapeRegExp( info ) }\\s*$` ) } ),
			} )
			.first();

	/**
	 * The page's first page of rows equals the service's for the same filter. The page loaded
	 * its rows a moment before we ask the service, so on a mismatch it is refreshed and compared
	 * again (a scheduled run may have touched a row in between).
	 */
	async function assertRowsMatchService( query ) {
		let attempt = 0;
		return eventually(
			async () => {
				if ( attempt++ > 0 ) {
					await page.getByRole( 'button', { name: 'Refresh', exact: true } ).click();
					await page.waitForTimeout( 300 );
				}
				const expected = await serviceLogs( { ...query, limit: PAGE_SIZE } );
				assert.ok( expected.items.length > 0, `the service has ${ JSON.stringify( query ) } rows` );
				assert.deepEqual(
					await shownInfos(),
					expected.items.map( ( i ) => i.info || i.entityId ),
					`rows of ${ JSON.stringify( query ) }`
				);
				assert.equal( await shownTotal(), expected.total, 'the item count under the table' );
				return expected;
			},
			{ timeout: 15_000, interval: 500 }
		);
	}

	before( async () => {
		flows = await serviceFlows();
		browser = await launchBrowser();
		( { page, problems } = await newPage( browser ) );
		await logIn( page, env.admin );
		await page.goto( syncPageUrl() );
		await openTab( page, 'Sync Logs' );
		await page.getByLabel( 'Log Type', { exact: true } ).waitFor();
	} );

	after( async () => {
		await browser?.close();
	} );

	it( 'switches the Log Type and shows that type\'s rows as the service lists them', async () => {
		const logType = page.getByLabel( 'Log Type', { exact: true } );
		assert.equal( await logType.inputValue(), 'inventory', 'Inventory is the default' );
		assert.deepEqual(
			( await logType.locator( 'option' ).allInnerTexts() ).map( ( t ) => t.trim() ),
			Object.values( TYPE_LABELS )
		);

		const types = [ 'inventory', 'product' ];
		const order = flows.find( ( f ) => f.id === 'order' );
		const orderRows = ( await serviceLogs( { type: 'order', limit: 1 } ) ).total;
		if ( order?.available && orderRows > 0 ) {
			types.push( 'order' );
		}
		const seen = new Map();
		for ( const type of types ) {
			await logType.selectOption( { label: TYPE_LABELS[ type ] } );
			const expected = await assertRowsMatchService( { type } );
			seen.set( type, expected.items[ 0 ].info );
			// Every row of this page is of this type: its first Info is the service's first item.
			assert.equal( ( await shownInfos() )[ 0 ], expected.items[ 0 ].info || expected.items[ 0 ].entityId );
		}
		// The types really differ (not one list shown under every label).
		assert.equal( new Set( seen.values() ).size, seen.size, `first rows per type: ${ [ ...seen ] }` );
		// Back to the first type for the next tests.
		await logType.selectOption( { label: TYPE_LABELS.inventory } );
	} );

	it( 'filters by Failed: only Failed badges, each with the reason the service gives', async () => {
		const withFailures = flows.filter( ( f ) => f.available && ( f.counts.failed ?? 0 ) > 0 ).map( ( f ) => f.id );
		failedType = withFailures.includes( 'inventory' ) ? 'inventory' : withFailures[ 0 ];
		assert.ok( failedType, 'the demo service has Failed rows (its catalogue has deliberately bad records)' );

		await page.getByLabel( 'Log Type', { exact: true } ).selectOption( { label: TYPE_LABELS[ failedType ] } );
		await page.getByLabel( 'Sync Status', { exact: true } ).selectOption( { label: 'Failed' } );
		const expected = await assertRowsMatchService( { type: failedType, status: 'failed' } );

		const count = await rows().count();
		assert.equal( count, expected.items.length );
		for ( let i = 0; i < count; i++ ) {
			const row = rows().nth( i );
			const item = expected.items[ i ];
			const badge = row.locator( '.bpwc-badge' );
			assert.equal( await badge.count(), 1 );
			assert.match( await badge.innerText(), /Failed$/ );
			assert.match( ( await badge.getAttribute( 'class' ) ) ?? '', /\bis-error\b/ );
			assert.ok( item.error, `service item ${ item.id } has a reason` );
			assert.equal( ( await row.locator( '.bpwc-text-error' ).innerText() ).trim(), item.error );
			// Failed rows offer Retry; the filter leaves no other status on screen.
			await row.getByRole( 'button', { name: 'Retry', exact: true } ).waitFor();
		}
		assert.equal(
			await page.locator( '.bpwc-logs tbody .bpwc-badge:not(.is-error)' ).count(),
			0,
			'no badge other than Failed'
		);
		await page.waitForLoadState( 'networkidle' );
		await screenshot( page, 'sync-logs.png' );
	} );

	it( 'opens a row\'s details with its attempt history', async () => {
		const [ item ] = ( await serviceLogs( { type: failedType, status: 'failed', limit: 1 } ) ).items;
		const detail = await service( `/api/v1/logs/${ item.id }` );
		assert.ok( detail.history.length > 0, 'the service has history for it' );

		await rowOf( item.info ).getByRole( 'button', { name: 'View details', exact: true } ).click();
		const dialog = page.getByRole( 'dialog' );
		await dialog.waitFor();
		await dialog.getByRole( 'heading', { name: `Sync details: ${ item.info }` } ).waitFor();
		await dialog.getByRole( 'heading', { name: 'Attempt history' } ).waitFor();
		const history = dialog.locator( 'table.bpwc-history tbody tr' );
		await eventually( async () => assert.equal( await history.count(), detail.history.length ) );
		const messages = ( await history.locator( 'td:nth-child(3)' ).allInnerTexts() ).join( '\n' );
		for ( const attempt of detail.history ) {
			if ( attempt.message ) {
				assert.ok( messages.includes( attempt.message ), `history shows "${ attempt.message }"` );
			}
		}
		assert.match( await dialog.innerText(), new RegExp( `Last error:\\s*${ escapeRegExp( item.error ) }` ) );
		await screenshot( page, 'sync-log-details.png' );
		await dialog.getByRole( 'button', { name: 'Close', exact: true } ).last().click();
		await dialog.waitFor( { state: 'detached' } );
	} );

	it( 'exports CSV: same header and rows as the service\'s export for the same filter', async () => {
		const link = page.getByRole( 'link', { name: 'Export CSV' } );
		const href = await link.getAttribute( 'href' );
		const url = new URL( href );
		assert.equal( url.pathname, '/wp-json/bpwc/v1/logs/export' );
		assert.equal( url.searchParams.get( 'type' ), failedType );
		assert.equal( url.searchParams.get( 'status' ), 'failed' );
		assert.ok( url.searchParams.get( '_wpnonce' ), 'authenticated by the REST nonce' );

		const [ download ] = await Promise.all( [ page.waitForEvent( 'download' ), link.click() ] );
		const file = path.join( env.tmp, `export-${ failedType }.csv` );
		await download.saveAs( file );
		assert.equal( await download.failure(), null );
		assert.match( download.suggestedFilename(), /^brightpearl-sync-.*\.csv$/ );
		const downloaded = parseCsv( fs.readFileSync( file, 'utf8' ) );

		const response = await service(
			'/api/v1/logs/export.csv?' + new URLSearchParams( { type: failedType, status: 'failed' } ),
			{ raw: true }
		);
		assert.equal( response.status, 200 );
		const expected = parseCsv( await response.text() );

		assert.deepEqual( downloaded[ 0 ], expected[ 0 ], 'header' );
		assert.equal( downloaded[ 0 ][ 0 ], 'id' );
		assert.equal( downloaded.length - 1, expected.length - 1, 'row count' );
		assert.ok( downloaded.length > 1, 'the export has rows' );
		assert.deepEqual(
			downloaded.slice( 1 ).map( ( r ) => r[ 0 ] ).sort(),
			expected.slice( 1 ).map( ( r ) => r[ 0 ] ).sort(),
			'the same items'
		);
		assert.ok( downloaded.slice( 1 ).every( ( r ) => r[ downloaded[ 0 ].indexOf( 'status' ) ] === 'failed' ) );
	} );

	it( 'retries one failed row: re-queued in the service, with a "queued" attempt', async () => {
		const [ item ] = ( await serviceLogs( { type: failedType, status: 'failed', limit: 1 } ) ).items;
		const before = await service( `/api/v1/logs/${ item.id }` );
		const queuedBefore = before.history.filter( ( a ) => a.outcome === 'queued' ).length;

		const sent = page.waitForRequest(
			( r ) => r.url().includes( '/wp-json/bpwc/v1/logs/retry' ) && r.method() === 'POST'
		);
		const answered = page.waitForResponse( ( r ) => r.url().includes( '/wp-json/bpwc/v1/logs/retry' ) );
		await rowOf( item.info ).getByRole( 'button', { name: 'Retry', exact: true } ).click();
		assert.deepEqual( ( await sent ).postDataJSON(), { ids: [ item.id ] } );
		const response = await answered;
		assert.equal( response.status(), 200 );
		assert.equal( ( await response.json() ).queued, 1 );
		await page.locator( '.components-snackbar', { hasText: '1 item queued for retry.' } ).first().waitFor();

		// The service re-queued it: a "queued" attempt, then Pending until the retry run (scoped
		// to this item) records a new outcome after it.
		const after = await eventually( async () => {
			const now = await service( `/api/v1/logs/${ item.id }` );
			const queued = now.history.filter( ( a ) => a.outcome === 'queued' );
			assert.equal( queued.length, queuedBefore + 1, 'a new "queued" attempt' );
			return now;
		} );
		assert.ok(
			[ 'pending', 'synced', 'failed' ].includes( after.status ),
			`status after the retry: ${ after.status }`
		);
		const resolved = await eventually(
			async () => {
				const now = await service( `/api/v1/logs/${ item.id }` );
				const queuedId = Math.max( ...now.history.filter( ( a ) => a.outcome === 'queued' ).map( ( a ) => a.id ) );
				assert.ok(
					now.history.some( ( a ) => a.id > queuedId && a.outcome !== 'queued' ),
					'the retry run recorded an outcome after the queued attempt'
				);
				assert.notEqual( now.status, 'pending' );
				return now;
			},
			{ timeout: 30_000, interval: 500 }
		);
		assert.equal( resolved.attempts, before.attempts + 1, 'one more attempt' );

		// The page follows the retry run and refreshes the table when it ends.
		await eventually(
			async () => {
				const row = rowOf( item.info );
				assert.equal(
					Number( ( await row.locator( 'td' ).nth( 4 ).innerText() ).trim() ),
					resolved.attempts,
					'the Attempts column shows the new attempt'
				);
			},
			{ timeout: 20_000 }
		);

		// Its history in the page gains the queued attempt too.
		await rowOf( item.info ).getByRole( 'button', { name: 'View details', exact: true } ).click();
		const dialog = page.getByRole( 'dialog' );
		await dialog.locator( 'table.bpwc-history tbody tr', { hasText: 'Queued' } ).first().waitFor();
		await eventually( async () =>
			assert.equal( await dialog.locator( 'table.bpwc-history tbody tr' ).count(), resolved.history.length )
		);
		await dialog.getByRole( 'button', { name: 'Close', exact: true } ).last().click();
		await dialog.waitFor( { state: 'detached' } );
	} );

	it( 'keeps a screenshot of the Settings tab with the service connected', async () => {
		await openTab( page, 'Settings' );
		const serviceRow = page.locator( 'table.bpwc-connections tbody tr', { hasText: 'Sync service' } );
		await serviceRow.locator( '.bpwc-badge.is-success' ).waitFor();
		await page.getByRole( 'button', { name: 'Save mappings' } ).waitFor();
		// The field is filled from GET connection right after the form first renders.
		await eventually( async () =>
			assert.equal( await page.getByLabel( 'Service URL', { exact: true } ).inputValue(), env.serviceUrl )
		);
		await page.waitForLoadState( 'networkidle' );
		await screenshot( page, 'settings.png' );
	} );

	it( 'had no uncaught errors and no console errors', () => {
		assertNoPageErrors( problems );
	} );
} );

function escapeRegExp( text ) {
	return text.replace( /[.*+?^${}()|[\]\\]/g, '\\$&' );
}
