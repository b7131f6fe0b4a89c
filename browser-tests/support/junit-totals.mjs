/**
 * Used by bin/test-browser: bin/test reads a JUnit file's totals from its first <testsuite>
 * element (as PHPUnit writes them). Node's junit reporter writes test cases without such a
 * summary, so this wraps the report in one <testsuite name="browser"> with the totals.
 * Without a report (the run never started or crashed before writing it), it writes one failed
 * case saying so, so a broken run never counts as "nothing failed".
 *
 *   node browser-tests/support/junit-totals.mjs <report.xml> [reason when missing]
 */
import fs from 'node:fs';

const [ , , file, reason = 'the browser tests did not produce a report' ] = process.argv;
const escape = ( s ) =>
	String( s ).replace( /[<>&"]/g, ( c ) => ( { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' } )[ c ] );

let xml = '';
try {
	xml = fs.readFileSync( file, 'utf8' );
} catch {}

if ( ! /<testcase\b/.test( xml ) ) {
	fs.writeFileSync(
		file,
		'<?xml version="1.0" encoding="utf-8"?>\n<testsuites>\n' +
			'<testsuite name="browser" tests="1" failures="1" errors="0" skipped="0">\n' +
			`\t<testcase name="browser tests ran" classname="bin/test-browser"><failure message="${ escape( reason ) }"/></testcase>\n` +
			'</testsuite>\n</testsuites>\n'
	);
	console.log( 'junit-totals: no test cases; recorded one failure' );
	process.exit( 0 );
}

// Every <testcase …/> or <testcase …>…</testcase>.
const cases = xml.match( /<testcase\b[^>]*?(?:\/>|>[\s\S]*?<\/testcase>)/g ) ?? [];
const failures = cases.filter( ( c ) => /<failure\b/.test( c ) ).length;
const errors = cases.filter( ( c ) => /<error\b/.test( c ) ).length;
const skipped = cases.filter( ( c ) => /<skipped\b/.test( c ) ).length;
const time = cases.reduce( ( sum, c ) => sum + Number( /\btime="([\d.]+)"/.exec( c )?.[ 1 ] ?? 0 ), 0 );

if ( xml.includes( '<testsuite name="browser"' ) ) {
	console.log( 'junit-totals: already summed' );
	process.exit( 0 );
}
const inner = xml
	.replace( /^<\?xml[^>]*>\s*/, '' )
	.replace( /^\s*<testsuites>/, '' )
	.replace( /<\/testsuites>\s*$/, '' );

fs.writeFileSync(
	file,
	'<?xml version="1.0" encoding="utf-8"?>\n<testsuites>\n' +
		`<testsuite name="browser" tests="${ cases.length }" failures="${ failures }" errors="${ errors }" skipped="${ skipped }" time="${ time.toFixed( 3 ) }">\n` +
		inner.trim() +
		'\n</testsuite>\n</testsuites>\n'
);
console.log(
	`junit-totals: ${ cases.length } tests, ${ failures } failures, ${ errors } errors, ${ skipped } skipped`
);
