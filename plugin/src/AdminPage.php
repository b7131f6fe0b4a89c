<?php
/**
 * The "Brightpearl Sync" page in wp-admin: a mount point for the React app in build/.
 *
 * @package BrightpearlSync
 */

declare(strict_types=1);

namespace BrightpearlSync;

/**
 * Under WooCommerce when it is active, else under Tools. The page itself is the React app
 * (admin-ui/, built into build/); this class registers the menu, enqueues the build with its
 * generated dependencies and hands it its configuration, which never includes the token.
 */
final class AdminPage {

	public const SLUG   = 'brightpearl-sync';
	public const HANDLE = 'bpwc-admin';

	private ?string $hook_suffix = null;

	/**
	 * @param Settings $settings  Service settings.
	 * @param string   $build_dir Folder of index.js, index.asset.php and index.css.
	 * @param string   $build_url URL of that folder.
	 */
	public function __construct(
		private readonly Settings $settings,
		private readonly string $build_dir,
		private readonly string $build_url
	) {}

	public function register_hooks(): void {
		add_action( 'admin_menu', array( $this, 'register_menu' ) );
		add_action( 'admin_enqueue_scripts', array( $this, 'enqueue' ) );
		add_action( 'admin_notices', array( $this, 'notices' ) );
	}

	public function parent_slug(): string {
		return Capability::woocommerce_active() ? 'woocommerce' : 'tools.php';
	}

	public function register_menu(): void {
		$title             = __( 'Brightpearl Sync', 'brightpearl-sync' );
		$hook              = add_submenu_page( $this->parent_slug(), $title, $title, Capability::required(), self::SLUG, array( $this, 'render' ) );
		$this->hook_suffix = is_string( $hook ) ? $hook : null;
	}

	/**
	 * The page's hook suffix once the menu is registered (null when the user may not see it).
	 */
	public function hook_suffix(): ?string {
		return $this->hook_suffix;
	}

	public function page_url(): string {
		return 'woocommerce' === $this->parent_slug()
			? admin_url( 'admin.php?page=' . self::SLUG )
			: admin_url( 'tools.php?page=' . self::SLUG );
	}

	/**
	 * The build's dependencies and version from index.asset.php, or null when the build is
	 * missing or unreadable (the page then says how to build it instead of breaking).
	 *
	 * @return array{dependencies: string[], version: string}|null
	 */
	public function asset(): ?array {
		$asset_file = $this->build_dir . '/index.asset.php';
		if ( ! is_readable( $this->build_dir . '/index.js' ) || ! is_readable( $asset_file ) ) {
			return null;
		}
		$asset = include $asset_file;
		if ( ! is_array( $asset ) || ! isset( $asset['dependencies'] ) || ! is_array( $asset['dependencies'] ) ) {
			return null;
		}
		return array(
			'dependencies' => array_values( array_filter( $asset['dependencies'], 'is_string' ) ),
			'version'      => isset( $asset['version'] ) && is_scalar( $asset['version'] ) ? (string) $asset['version'] : BPWC_PLUGIN_VERSION,
		);
	}

	/**
	 * Enqueues the build on our page only; hooked on `admin_enqueue_scripts`.
	 *
	 * @param string $hook_suffix Current admin page.
	 */
	public function enqueue( $hook_suffix ): void {
		if ( null === $this->hook_suffix || $hook_suffix !== $this->hook_suffix ) {
			return;
		}
		$asset = $this->asset();
		if ( null === $asset ) {
			return;
		}
		if ( in_array( 'react-jsx-runtime', $asset['dependencies'], true ) ) {
			self::ensure_jsx_runtime();
		}

		wp_register_script( self::HANDLE, $this->build_url . '/index.js', $asset['dependencies'], $asset['version'], true );
		wp_add_inline_script( self::HANDLE, 'window.bpwcAdmin = ' . wp_json_encode( $this->script_config() ) . ';', 'before' );
		wp_set_script_translations( self::HANDLE, 'brightpearl-sync', dirname( $this->build_dir ) . '/languages' );
		wp_enqueue_script( self::HANDLE );

		if ( is_readable( $this->build_dir . '/index.css' ) ) {
			// No wp-components dependency: the build bundles the components' CSS of the version it
			// was built with, and WordPress 6.1's older stylesheet would restyle them.
			wp_enqueue_style( self::HANDLE, $this->build_url . '/index.css', array(), $asset['version'] );
			wp_style_add_data( self::HANDLE, 'rtl', 'replace' );
		}
	}

	/**
	 * What the React app gets as window.bpwcAdmin. Never the token.
	 *
	 * @return array<string, mixed>
	 */
	public function script_config(): array {
		return array(
			'restNamespace'          => RestProxy::NAMESPACE,
			'nonce'                  => wp_create_nonce( 'wp_rest' ),
			'root'                   => esc_url_raw( rest_url() ),
			'siteTimezone'           => wp_timezone_string(),
			'dateFormat'             => (string) get_option( 'date_format' ),
			'timeFormat'             => (string) get_option( 'time_format' ),
			'serviceConfigured'      => $this->settings->is_configured(),
			'serviceUrlFromConstant' => $this->settings->url_from_constant(),
			'tokenFromConstant'      => $this->settings->token_from_constant(),
			'settingsUrl'            => $this->page_url() . '#settings',
		);
	}

	public function render(): void {
		if ( ! Capability::current_user_can() ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to access this page.', 'brightpearl-sync' ), 403 );
		}
		echo '<div class="wrap bpwc-admin">';
		// The page title as on every wp-admin screen; admin notices are moved below the header end.
		echo '<h1 class="wp-heading-inline">' . esc_html__( 'Brightpearl Sync', 'brightpearl-sync' ) . '</h1>';
		echo '<hr class="wp-header-end">';
		if ( null === $this->asset() ) {
			echo '<div class="notice notice-error inline"><p>';
			printf(
				/* translators: %s: the build command. */
				esc_html__( 'The Brightpearl Sync admin page has not been built yet. Run %s at the root of the plugin\'s repository, then reload this page.', 'brightpearl-sync' ),
				'<code>npm run build</code>'
			);
			echo '</p></div>';
		} else {
			echo '<div id="bpwc-admin-root"></div>';
			echo '<noscript><p>' . esc_html__( 'The Brightpearl Sync page needs JavaScript.', 'brightpearl-sync' ) . '</p></noscript>';
		}
		echo '</div>';
	}

	/**
	 * Without WooCommerce, say so on our page and on the Plugins screen.
	 */
	public function notices(): void {
		if ( Capability::woocommerce_active() || ! Capability::current_user_can() ) {
			return;
		}
		$screen = function_exists( 'get_current_screen' ) ? get_current_screen() : null;
		$id     = $screen ? (string) $screen->id : '';
		if ( ( null === $this->hook_suffix || $id !== $this->hook_suffix ) && 'plugins' !== $id ) {
			return;
		}
		echo '<div class="notice notice-warning"><p>';
		echo esc_html__( 'WooCommerce is not active. Brightpearl Sync is listed under Tools until it is; activate WooCommerce so the sync service has a store to keep in step.', 'brightpearl-sync' );
		echo '</p></div>';
	}

	/**
	 * WordPress added the react-jsx-runtime script in 6.6; builds made with a newer
	 * @wordpress/scripts depend on it. On older WordPress, provide it from React itself.
	 */
	private static function ensure_jsx_runtime(): void {
		if ( wp_script_is( 'react-jsx-runtime', 'registered' ) ) {
			return;
		}
		wp_register_script( 'react-jsx-runtime', false, array( 'react' ), BPWC_PLUGIN_VERSION, true );
		wp_add_inline_script(
			'react-jsx-runtime',
			'(function(R){if(!R||window.ReactJSXRuntime){return;}function jsx(t,p,k){var q=Object.assign({},p);if(k!==undefined){q.key=k;}return R.createElement(t,q);}window.ReactJSXRuntime={jsx:jsx,jsxs:jsx,Fragment:R.Fragment};})(window.React);'
		);
	}
}
