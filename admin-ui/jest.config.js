/**
 * Unit and component tests (jsdom), run by `wp-scripts test-unit-js`, which picks this file up.
 * Transforms TypeScript with @wordpress/babel-preset-default like the build does.
 */
const path = require( 'path' );
const base = require( '@wordpress/scripts/config/jest-unit.config' );

module.exports = {
	...base,
	rootDir: __dirname,
	reporters: [ 'default' ],
	roots: [ '<rootDir>/src', '<rootDir>/test', '<rootDir>/preview' ],
	testMatch: [
		'**/__tests__/**/*.test.[jt]s?(x)',
		'<rootDir>/test/**/*.test.[jt]s?(x)',
	],
	setupFilesAfterEnv: [
		...( base.setupFilesAfterEnv || [] ),
		path.join( __dirname, 'test/setup.ts' ),
	],
	testTimeout: 15000,
	moduleFileExtensions: [
		'js',
		'mjs',
		'cjs',
		'jsx',
		'ts',
		'tsx',
		'json',
		'node',
	],
	transform: { '\\.m?[jt]sx?$': base.transform[ '\\.[jt]sx?$' ] },
	// ESM-only dependencies of the bundled packages (uuid, …) are compiled to CommonJS for jest.
	transformIgnorePatterns: [
		'/node_modules/(?!(uuid|@base-ui|@daypicker|date-fns|@date-fns|colorjs\\.io|@wordpress/theme)/)',
	],
};
