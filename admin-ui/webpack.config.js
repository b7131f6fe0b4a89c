/**
 * Extends @wordpress/scripts' webpack config for the wp-admin page.
 *
 * The page must run on WordPress 6.1 (React 17, old components) as well as on current WordPress,
 * so it externalizes NOTHING: React 18 and every @wordpress/* package it uses are bundled, and
 * their CSS ships in index.css. index.asset.php therefore lists no wp-* script dependencies.
 */
const path = require( 'path' );
const defaultConfig = require( '@wordpress/scripts/config/webpack.config' );

// Resolve webpack and plugins through @wordpress/scripts so the versions always match its config.
const fromScripts = ( request ) =>
	require(
		require.resolve( request, {
			paths: [
				path.dirname(
					require.resolve( '@wordpress/scripts/package.json' )
				),
			],
		} )
	);
const webpack = fromScripts( 'webpack' );
const CopyWebpackPlugin = fromScripts( 'copy-webpack-plugin' );
const DependencyExtractionWebpackPlugin = fromScripts(
	'@wordpress/dependency-extraction-webpack-plugin'
);

const isProduction = process.env.NODE_ENV === 'production';

module.exports = {
	...defaultConfig,
	entry: {
		// The wp-admin page.
		index: path.resolve( __dirname, 'src/index.tsx' ),
		// Demo preview bootstrap: runs before index.js on preview.html (outside WordPress).
		preview: path.resolve( __dirname, 'preview/preview.ts' ),
	},
	output: {
		...defaultConfig.output,
		path: path.resolve( __dirname, '../plugin/build' ),
	},
	module: {
		...defaultConfig.module,
		rules: [
			...defaultConfig.module.rules,
			// @wordpress/dataviews and @wordpress/notices declare `"sideEffects": false`, which would
			// make webpack drop `import '…/build-style/style.css'`: stylesheets always count.
			{ test: /\.css$/, sideEffects: true },
		],
	},
	// No source maps in the shipped production files; readable ones while developing.
	devtool: isProduction ? false : 'source-map',
	optimization: {
		...defaultConfig.optimization,
		// One script and one stylesheet per entry: the default config would split any file named
		// style.css (like @wordpress/components/build-style/style.css) into style-index.css.
		splitChunks: false,
	},
	performance: { hints: false },
	plugins: [
		...defaultConfig.plugins.filter(
			( plugin ) =>
				plugin.constructor.name !== 'DependencyExtractionWebpackPlugin'
		),
		// Still writes index.asset.php (version hash), but with no externals at all.
		new DependencyExtractionWebpackPlugin( {
			useDefaults: false,
			requestToExternal: () => undefined,
		} ),
		new webpack.optimize.LimitChunkCountPlugin( { maxChunks: 1 } ),
		// moment's 139 locales: WordPress formats dates with its own month and day names.
		new webpack.IgnorePlugin( {
			resourceRegExp: /^\.\/locale$/,
			contextRegExp: /moment$/,
		} ),
		// moment-timezone-utils requires './' (moment-timezone with its 700 KB zone database);
		// @wordpress/date needs only the library, as in WordPress core.
		new webpack.NormalModuleReplacementPlugin( /^\.\/$/, ( resource ) => {
			if ( /[\\/]moment-timezone$/.test( resource.context ) ) {
				resource.request = './moment-timezone.js';
			}
		} ),
		new CopyWebpackPlugin( {
			patterns: [
				{
					from: path.resolve( __dirname, 'preview/index.html' ),
					to: 'preview.html',
				},
			],
		} ),
	],
};
