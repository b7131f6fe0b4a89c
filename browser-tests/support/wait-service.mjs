/**
 * Used by bin/test-browser before the tests, so the page has real rows that hold still:
 *
 * 1. Waits until the demo service's start-up runs are over: inventory and product must have run
 *    and finished (order too when this service version has the order flow). A flow that has
 *    not run after a few seconds (an older service only starts inventory at start-up) is
 *    started here.
 * 2. Settles the data: the start-up runs race each other (inventory may look for SKUs before
 *    the product run has created them, refunds for orders not synced yet), and the demo's
 *    every-minute schedules would fix that in the middle of the tests. So every available flow
 *    runs once more, one after the other in dependency order; with the simulated store
 *    activity off, later scheduled runs then change nothing and the Failed rows left are the
 *    catalogue's deliberately bad records.
 *
 *   node browser-tests/support/wait-service.mjs <service url> <token> [timeout seconds]
 */
const [ , , baseUrl, token, timeoutArg ] = process.argv;
if ( ! baseUrl || ! token ) {
	console.error( 'usage: wait-service.mjs <service url> <token> [timeout seconds]' );
	process.exit( 2 );
}
const timeoutMs = Number( timeoutArg || 120 ) * 1000;
const GRACE_MS = 5000;
const SETTLE_ORDER = [ 'product', 'inventory', 'order', 'refund', 'shipment' ];

const started = Date.now();
const sleep = ( ms ) => new Promise( ( resolve ) => setTimeout( resolve, ms ) );
const seconds = () => ( ( Date.now() - started ) / 1000 ).toFixed( 1 );

function giveUp( message ) {
	console.error( `wait-service: ${ message }` );
	process.exit( 1 );
}

function checkTime( what ) {
	if ( Date.now() - started > timeoutMs ) {
		giveUp( `gave up after ${ timeoutMs / 1000 } s: ${ what }` );
	}
}

async function api( path, init = {} ) {
	const response = await fetch( baseUrl.replace( /\/$/, '' ) + path, {
		...init,
		headers: { Authorization: `Bearer ${ token }`, 'Content-Type': 'application/json', ...( init.headers ?? {} ) },
		signal: AbortSignal.timeout( 10_000 ),
	} );
	const body = await response.json().catch( () => null );
	return { status: response.status, body };
}

async function flows() {
	const { status, body } = await api( '/api/v1/flows' );
	if ( status !== 200 ) {
		giveUp( `GET /api/v1/flows answered ${ status }: ${ JSON.stringify( body ) }` );
	}
	return body.flows;
}

// 1. The start-up runs.
const poked = new Set();
for ( ;; ) {
	let list = null;
	let waiting = [];
	try {
		list = await flows();
	} catch ( error ) {
		waiting = [ `service not answering (${ error.message })` ];
	}
	if ( list ) {
		const byId = Object.fromEntries( list.map( ( f ) => [ f.id, f ] ) );
		const wanted = [ 'inventory', 'product', ...( byId.order?.available ? [ 'order' ] : [] ) ];
		for ( const id of wanted ) {
			const flow = byId[ id ];
			if ( ! flow?.available ) {
				giveUp( `the ${ id } flow is not available in this service` );
			}
			if ( flow.running !== null || flow.lastRun?.status === 'running' ) {
				waiting.push( `${ id } running` );
			} else if ( ! flow.lastRun ) {
				waiting.push( `${ id } never ran` );
				if ( Date.now() - started > GRACE_MS && ! poked.has( id ) ) {
					poked.add( id );
					const { status } = await api( `/api/v1/flows/${ id }/runs`, { method: 'POST', body: '{}' } );
					console.error( `wait-service: started a ${ id } run (${ status })` );
				}
			}
		}
		for ( const flow of list ) {
			if ( ! wanted.includes( flow.id ) && flow.running !== null ) {
				waiting.push( `${ flow.id } running` );
			}
		}
		if ( waiting.length === 0 ) {
			break;
		}
	}
	checkTime( waiting.join( ', ' ) );
	await sleep( 250 );
}
console.log( `wait-service: start-up runs finished after ${ seconds() } s` );

// 2. One more run of every available flow, in order.
const available = new Set( ( await flows() ).filter( ( f ) => f.available ).map( ( f ) => f.id ) );
for ( const id of SETTLE_ORDER.filter( ( f ) => available.has( f ) ) ) {
	let runId = null;
	while ( runId === null ) {
		const { status, body } = await api( `/api/v1/flows/${ id }/runs`, { method: 'POST', body: '{}' } );
		if ( status === 202 ) {
			runId = body.runId;
		} else if ( status === 409 && body?.error?.code === 'flow_busy' ) {
			// A scheduled run got there first: wait for it, then ask again.
			checkTime( `${ id } busy` );
			await sleep( 250 );
		} else {
			giveUp( `POST /api/v1/flows/${ id }/runs answered ${ status }: ${ JSON.stringify( body ) }` );
		}
	}
	for ( ;; ) {
		const { status, body } = await api( `/api/v1/runs/${ runId }` );
		if ( status !== 200 ) {
			giveUp( `GET /api/v1/runs/${ runId } answered ${ status }: ${ JSON.stringify( body ) }` );
		}
		if ( body.status !== 'running' ) {
			break;
		}
		checkTime( `${ id } run #${ runId } still running` );
		await sleep( 200 );
	}
}

const summary = ( await flows() )
	.map( ( f ) => `${ f.id }${ f.available ? '' : ' (unavailable)' }: ${ f.counts.synced ?? 0 } synced, ${ f.counts.failed ?? 0 } failed` )
	.join( '; ' );
console.log( `wait-service: settled after ${ seconds() } s — ${ summary }` );
