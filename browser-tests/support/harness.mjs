/**
 * Shared pieces of the browser tests: the environment bin/test-browser prepared (test WordPress,
 * running sync service), Debian's chromium through playwright-core, wp-admin log-in, the sync
 * service's own API (to compare what the page shows with the source), screenshots.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

function required( name ) {
	const value = process.env[ name ];
	if ( ! value ) {
		throw new Error(
			`${ name } is not set: run the browser tests with bin/test-browser, which starts WordPress and the sync service.`
		);
	}
	return value;
}

export const env = {
	wpUrl: required( 'BPWC_WP_URL' ).replace( /\/$/, '' ),
	admin: {
		user: required( 'BPWC_WP_ADMIN_USER' ),
		password: required( 'BPWC_WP_ADMIN_PASSWORD' ),
	},
	subscriber: {
		user: required( 'BPWC_WP_SUBSCRIBER_USER' ),
		password: required( 'BPWC_WP_SUBSCRIBER_PASSWORD' ),
	},
	serviceUrl: required( 'BPWC_TEST_SERVICE_URL' ).replace( /\/$/, '' ),
	serviceToken: required( 'BPWC_TEST_SERVICE_TOKEN' ),
	servicePid: Number( process.env.BPWC_TEST_SERVICE_PID || 0 ),
	artifacts: path.resolve( process.env.BPWC_TEST_ARTIFACTS || 'test-artifacts' ),
	tmp: process.env.BPWC_TEST_TMP || fs.mkdtempSync( '/tmp/bpwc-browser-' ),
	chromium: process.env.BPWC_CHROMIUM || '/usr/bin/chromium',
};

export const PAGE_TITLE = 'Brightpearl Sync';
export const FLOW_IDS = [ 'inventory', 'product', 'order', 'refund', 'shipment' ];

// ---------------------------------------------------------------------------------------------
// The sync service, directly (never through WordPress): the source of truth to compare with.

export async function service( pathAndQuery, { method = 'GET', body, raw = false } = {} ) {
	const response = await fetch( env.serviceUrl + pathAndQuery, {
		method,
		headers: {
			Authorization: `Bearer ${ env.serviceToken }`,
			...( body !== undefined ? { 'Content-Type': 'application/json' } : {} ),
		},
		body: body !== undefined ? JSON.stringify( body ) : undefined,
	} );
	if ( raw ) {
		return response;
	}
	const text = await response.text();
	assert.ok(
		response.ok,
		`service ${ method } ${ pathAndQuery } answered ${ response.status }: ${ text.slice( 0, 300 ) }`
	);
	return JSON.parse( text );
}

export async function serviceFlows() {
	return ( await service( '/api/v1/flows' ) ).flows;
}

export async function serviceLogs( query ) {
	return service( '/api/v1/logs?' + new URLSearchParams( query ) );
}

/** CSV text → rows of cells (RFC 4180: quoted cells, doubled quotes, CRLF or LF). */
export function parseCsv( text ) {
	const rows = [];
	let row = [];
	let cell = '';
	let quoted = false;
	for ( let i = 0; i < text.length; i++ ) {
		const c = text[ i ];
		if ( quoted ) {
			if ( c === '"' && text[ i + 1 ] === '"' ) {
				cell += '"';
				i++;
			} else if ( c === '"' ) {
				quoted = false;
			} else {
				cell += c;
			}
		} else if ( c === '"' ) {
			quoted = true;
		} else if ( c === ',' ) {
			row.push( cell );
			cell = '';
		} else if ( c === '\n' || c === '\r' ) {
			if ( c === '\r' && text[ i + 1 ] === '\n' ) {
				i++;
			}
			row.push( cell );
			rows.push( row );
			row = [];
			cell = '';
		} else {
			cell += c;
		}
	}
	if ( cell !== '' || row.length ) {
		row.push( cell );
		rows.push( row );
	}
	return rows;
}

// ---------------------------------------------------------------------------------------------
// Waiting

const sleep = ( ms ) => new Promise( ( resolve ) => setTimeout( resolve, ms ) );

/**
 * Runs `check` until it stops throwing (the page and the service settle on their own time):
 * returns its value, or throws its last error after `timeout` ms.
 */
export async function eventually( check, { timeout = 15_000, interval = 250 } = {} ) {
	const end = Date.now() + timeout;
	for ( ;; ) {
		try {
			return await check();
		} catch ( error ) {
			if ( Date.now() > end ) {
				throw error;
			}
		}
		await sleep( interval );
	}
}

// ---------------------------------------------------------------------------------------------
// Browser

/**
 * Debian's chromium, headless. playwright-core gives every launch a fresh user-data dir of its
 * own (and deletes it on close), so no profile state is shared between runs.
 */
export async function launchBrowser() {
	return chromium.launch( {
		executablePath: env.chromium,
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-dev-shm-usage',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run',
		],
	} );
}

/**
 * A new browser context and page, with everything that goes wrong on the page recorded:
 * uncaught errors (`pageerror`), console errors, failed requests.
 */
export async function newPage( browser ) {
	const context = await browser.newContext( {
		viewport: { width: 1440, height: 1000 },
		acceptDownloads: true,
		locale: 'en-GB',
		timezoneId: 'Europe/London',
	} );
	context.setDefaultTimeout( 15_000 );
	const page = await context.newPage();
	const problems = { pageErrors: [], consoleErrors: [] };
	page.on( 'pageerror', ( error ) =>
		problems.pageErrors.push( `${ error.name }: ${ error.message }` )
	);
	page.on( 'console', ( message ) => {
		if ( message.type() === 'error' ) {
			const where = message.location()?.url ?? '';
			problems.consoleErrors.push( `${ message.text() }${ where ? ` (${ where })` : '' }` );
		}
	} );
	// Nothing here may leave the machine: anything not on the test WordPress is refused (and
	// shows up as a console error, so tests 1–2 would say which request it was).
	await context.route( /^https?:\/\/(?!127\.0\.0\.1[:/])/, ( route ) => route.abort() );
	return { context, page, problems };
}

export function assertNoPageErrors( problems, { console: checkConsole = true } = {} ) {
	assert.deepEqual( problems.pageErrors, [], 'uncaught errors on the page' );
	if ( checkConsole ) {
		assert.deepEqual( problems.consoleErrors, [], 'console errors on the page' );
	}
}

export async function logIn( page, { user, password } ) {
	await page.goto( `${ env.wpUrl }/wp-login.php` );
	await page.locator( '#user_login' ).fill( user );
	await page.locator( '#user_pass' ).fill( password );
	await Promise.all( [
		page.waitForURL( /\/wp-admin\/?/ ),
		page.locator( '#wp-submit' ).click(),
	] );
	await page.locator( '#wpadminbar' ).waitFor();
}

/** The page's URL under Tools (WooCommerce is not active in the test WordPress). */
export function syncPageUrl( hash = '' ) {
	return `${ env.wpUrl }/wp-admin/tools.php?page=brightpearl-sync${ hash }`;
}

/**
 * From the dashboard to the Brightpearl Sync page through the admin menu, as a store owner
 * would: the link is found by its text, under Tools (or WooCommerce when it is active).
 */
export async function openSyncPageFromMenu( page ) {
	if ( ! /\/wp-admin\/(index\.php)?$/.test( new URL( page.url() ).pathname ) ) {
		await page.goto( `${ env.wpUrl }/wp-admin/` );
	}
	const link = page.locator( '#adminmenu a', { hasText: /^Brightpearl Sync$/ } );
	await link.waitFor( { state: 'attached' } );
	const parent = await link.evaluate( ( a ) => a.closest( 'li.menu-top' )?.id ?? '' );
	assert.ok(
		[ 'menu-tools', 'toplevel_page_woocommerce' ].includes( parent ),
		`the Brightpearl Sync link is under Tools or WooCommerce, not ${ parent || 'nowhere' }`
	);
	// Submenus of a menu that is not the current one open on hover.
	await page.locator( `#${ parent } > a` ).hover();
	await link.click();
	await page.waitForURL( /[?&]page=brightpearl-sync/ );
	await page.locator( '#bpwc-admin-root .bpwc-tabs' ).waitFor();
	return parent;
}

export async function openTab( page, name ) {
	await page.getByRole( 'tab', { name } ).click();
	await page.getByRole( 'tab', { name, selected: true } ).waitFor();
}

/**
 * A screenshot of the whole page into test-artifacts/screenshots/. wp-admin's menu column is
 * `position: fixed` with the viewport's height, so instead of a full-page capture (which would
 * cut the column off at 1000 px) the viewport grows to the document's height for the shot.
 */
export async function screenshot( page, name ) {
	const dir = path.join( env.artifacts, 'screenshots' );
	fs.mkdirSync( dir, { recursive: true } );
	const file = path.join( dir, name );
	const viewport = page.viewportSize();
	await page.evaluate( () => document.activeElement?.blur?.() );
	await page.mouse.move( 0, viewport.height - 1 );
	const height = await page.evaluate( () =>
		Math.ceil( Math.max( document.documentElement.scrollHeight, document.body.scrollHeight ) )
	);
	await page.setViewportSize( { width: viewport.width, height: Math.max( viewport.height, height ) } );
	await page.waitForTimeout( 150 );
	await page.screenshot( {
		path: file,
		animations: 'disabled',
		caret: 'hide',
		// Snackbars of earlier steps ("1 item queued for retry.") are fixed to the bottom of the
		// viewport and would cover the end of the stretched page; they go away on their own.
		style: '.components-snackbar-list { visibility: hidden !important; }',
	} );
	await page.setViewportSize( viewport );
	return file;
}

/** The wp_rest nonce of whoever is logged in, from core's admin-ajax `rest-nonce` action. */
export async function restNonce( page ) {
	return page.evaluate( async ( url ) => {
		const response = await fetch( url, { credentials: 'same-origin' } );
		return response.ok ? ( await response.text() ).trim() : '';
	}, `${ env.wpUrl }/wp-admin/admin-ajax.php?action=rest-nonce` );
}

/** A request to the WordPress REST API from inside the page (its cookies, its origin). */
export async function restFromPage( page, route, { method = 'GET', nonce, headers = {}, body } = {} ) {
	return page.evaluate(
		async ( { url, method, nonce, headers, body } ) => {
			const response = await fetch( url, {
				method,
				credentials: 'same-origin',
				headers: {
					...( nonce ? { 'X-WP-Nonce': nonce } : {} ),
					...( body !== undefined ? { 'Content-Type': 'application/json' } : {} ),
					...headers,
				},
				body: body !== undefined ? JSON.stringify( body ) : undefined,
			} );
			const text = await response.text();
			let json = null;
			try {
				json = JSON.parse( text );
			} catch {}
			return { status: response.status, json, text: text.slice( 0, 2000 ) };
		},
		{ url: `${ env.wpUrl }/wp-json/${ route.replace( /^\//, '' ) }`, method, nonce, headers, body }
	);
}
