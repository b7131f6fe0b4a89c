<?php
/**
 * The wp-admin page: menu placement, capability, assets, configuration handed to React.
 *
 * @package BrightpearlSync\Tests
 */

declare(strict_types=1);

namespace BrightpearlSync\Tests;

use BrightpearlSync\AdminPage;
use BrightpearlSync\Capability;
use BrightpearlSync\Settings;
use BrightpearlSync\Tests\Support\Env;
use BrightpearlSync\Tests\Support\TestCase;
use BrightpearlSync\Tests\Support\WpDieException;

final class AdminPageTest extends TestCase {

	private string $build_dir = '';

	protected function setUp(): void {
		parent::setUp();
		$this->reset_admin_globals();
	}

	protected function tearDown(): void {
		if ( '' !== $this->build_dir ) {
			array_map( 'unlink', glob( $this->build_dir . '/*' ) ?: array() );
			@rmdir( $this->build_dir ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
		}
		$this->reset_admin_globals();
		parent::tearDown();
	}

	public function test_without_woocommerce_the_page_is_under_tools_for_manage_options(): void {
		$this->assertFalse( Capability::woocommerce_active() );
		$this->assertSame( 'manage_options', Capability::required() );
		$this->as_admin();

		$page = $this->page_with_fake_build();
		$page->register_menu();

		$this->assertSame( 'tools.php', $page->parent_slug() );
		$this->assertSame( 'tools_page_brightpearl-sync', $page->hook_suffix() );
		$entry = $this->submenu_entry( 'tools.php' );
		$this->assertNotNull( $entry, 'listed under Tools' );
		$this->assertSame( 'Brightpearl Sync', $entry[0] );
		$this->assertSame( 'manage_options', $entry[1] );
		$this->assertStringEndsWith( 'tools.php?page=brightpearl-sync', $page->page_url() );
	}

	public function test_the_real_plugin_registers_its_menu_on_admin_menu(): void {
		$this->as_admin();
		do_action( 'admin_menu' );
		$this->assertNotNull( $this->submenu_entry( 'tools.php' ) );
		$this->assertSame( 'tools_page_brightpearl-sync', $this->plugin()->admin_page()->hook_suffix() );
	}

	public function test_with_woocommerce_the_page_is_under_woocommerce_for_manage_woocommerce(): void {
		$this->filter( 'bpwc_woocommerce_active', '__return_true' );
		// What WooCommerce's installer gives administrators.
		$this->filter(
			'user_has_cap',
			static function ( array $allcaps ): array {
				if ( ! empty( $allcaps['manage_options'] ) ) {
					$allcaps['manage_woocommerce'] = true;
				}
				return $allcaps;
			}
		);
		$this->as_admin();
		$this->assertSame( 'manage_woocommerce', Capability::required() );

		$page = $this->page_with_fake_build();
		$page->register_menu();

		$this->assertSame( 'woocommerce', $page->parent_slug() );
		$this->assertSame( 'woocommerce_page_brightpearl-sync', $page->hook_suffix() );
		$entry = $this->submenu_entry( 'woocommerce' );
		$this->assertNotNull( $entry, 'listed under WooCommerce' );
		$this->assertSame( 'manage_woocommerce', $entry[1] );
		$this->assertNull( $this->submenu_entry( 'tools.php' ) );
		$this->assertStringEndsWith( 'admin.php?page=brightpearl-sync', $page->page_url() );
	}

	public function test_with_woocommerce_an_admin_without_manage_woocommerce_gets_no_page(): void {
		$this->filter( 'bpwc_woocommerce_active', '__return_true' );
		$this->as_admin();
		$page = $this->page_with_fake_build();
		$page->register_menu();
		$this->assertNull( $page->hook_suffix() );
	}

	public function test_a_subscriber_gets_no_page_and_cannot_render_it(): void {
		$this->as_subscriber();
		$page = $this->page_with_fake_build();
		$page->register_menu();
		$this->assertNull( $page->hook_suffix() );
		$this->assertNull( $this->submenu_entry( 'tools.php' ) );

		$this->expectException( WpDieException::class );
		$page->render();
	}

	public function test_capability_is_filterable(): void {
		$this->filter( 'bpwc_capability', static fn () => 'read' );
		$this->assertSame( 'read', Capability::required() );
		$this->as_subscriber();

		$page = $this->page_with_fake_build();
		$page->register_menu();
		$this->assertSame( 'read', $this->submenu_entry( 'tools.php' )[1] ?? null );

		// The REST routes follow the same capability.
		$this->assertSame( 200, $this->rest( 'GET', '/bpwc/v1/flows' )->get_status() );

		// A filter returning nonsense falls back to the default.
		$this->filter( 'bpwc_capability', static fn () => '', 20 );
		$this->assertSame( 'manage_options', Capability::required() );
	}

	public function test_page_with_build_renders_the_root_and_enqueues_the_build_with_its_asset_file(): void {
		$this->as_admin();
		$page = $this->page_with_fake_build();
		$page->register_menu();

		$html = $this->render( $page );
		$this->assertStringContainsString( '<div id="bpwc-admin-root"></div>', $html );
		$this->assertStringNotContainsString( 'npm run build', $html );
		// A title and header end like every wp-admin screen (notices go below it), before the app.
		$this->assertMatchesRegularExpression( '#<h1[^>]*>Brightpearl Sync</h1><hr class="wp-header-end"><div id="bpwc-admin-root">#', $html );

		$page->enqueue( 'index.php' );
		$this->assertFalse( wp_script_is( AdminPage::HANDLE, 'registered' ), 'not enqueued on other pages' );

		$page->enqueue( (string) $page->hook_suffix() );
		$this->assertTrue( wp_script_is( AdminPage::HANDLE, 'enqueued' ) );
		$script = wp_scripts()->registered[ AdminPage::HANDLE ];
		$this->assertSame( 'http://example.test/build/index.js', $script->src );
		// The asset file's dependencies, plus wp-i18n for the script's translations.
		$this->assertSame( array( 'react', 'wp-element', 'wp-api-fetch', 'wp-components', 'react-jsx-runtime', 'wp-i18n' ), $script->deps );
		$this->assertSame( 'f00dcafe', $script->ver );
		$this->assertTrue( wp_style_is( AdminPage::HANDLE, 'enqueued' ) );
		$this->assertSame( 'http://example.test/build/index.css', wp_styles()->registered[ AdminPage::HANDLE ]->src );
		$this->assertSame( 'f00dcafe', wp_styles()->registered[ AdminPage::HANDLE ]->ver );
		// The bundle carries its own components CSS: WordPress 6.1's wp-components must not restyle it.
		$this->assertSame( array(), wp_styles()->registered[ AdminPage::HANDLE ]->deps );
		$this->assertSame( 'replace', wp_styles()->get_data( AdminPage::HANDLE, 'rtl' ) );

		// WordPress 6.1 has no react-jsx-runtime script; the page provides one from React.
		$this->assertTrue( wp_script_is( 'react-jsx-runtime', 'registered' ) );
		$this->assertStringContainsString( 'ReactJSXRuntime', implode( '', (array) wp_scripts()->get_data( 'react-jsx-runtime', 'after' ) ) );
	}

	public function test_inline_configuration_has_what_the_app_needs_and_never_the_token(): void {
		$this->as_admin();
		$page = $this->page_with_fake_build();
		$page->register_menu();
		$page->enqueue( (string) $page->hook_suffix() );

		$inline = implode( "\n", (array) wp_scripts()->get_data( AdminPage::HANDLE, 'before' ) );
		$this->assertMatchesRegularExpression( '/^window\.bpwcAdmin = \{.*\};$/s', trim( $inline ) );
		$config = json_decode( substr( trim( $inline ), strlen( 'window.bpwcAdmin = ' ), -1 ), true );

		$this->assertSame(
			array( 'restNamespace', 'nonce', 'root', 'siteTimezone', 'dateFormat', 'timeFormat', 'serviceConfigured', 'serviceUrlFromConstant', 'tokenFromConstant', 'settingsUrl' ),
			array_keys( $config )
		);
		$this->assertSame( 'bpwc/v1', $config['restNamespace'] );
		$this->assertSame( 1, wp_verify_nonce( $config['nonce'], 'wp_rest' ) );
		$this->assertSame( esc_url_raw( rest_url() ), $config['root'] );
		$this->assertSame( wp_timezone_string(), $config['siteTimezone'] );
		$this->assertSame( get_option( 'date_format' ), $config['dateFormat'] );
		$this->assertSame( get_option( 'time_format' ), $config['timeFormat'] );
		$this->assertTrue( $config['serviceConfigured'] );
		$this->assertFalse( $config['serviceUrlFromConstant'] );
		$this->assertFalse( $config['tokenFromConstant'] );
		$this->assertSame( admin_url( 'tools.php?page=brightpearl-sync' ) . '#settings', $config['settingsUrl'] );

		// What the browser receives: the printed script tags.
		ob_start();
		wp_scripts()->do_items( array( AdminPage::HANDLE ) );
		$printed = (string) ob_get_clean();
		$this->assertStringContainsString( 'window.bpwcAdmin', $printed );
		$this->assertStringContainsString( 'build/index.js?ver=f00dcafe', $printed );
		$this->assertStringNotContainsString( Env::token(), $printed );
		$this->assertStringNotContainsString( Env::token(), $inline );
	}

	public function test_service_not_configured_is_reported_to_the_app(): void {
		update_option( Settings::OPTION_TOKEN, '' );
		$this->as_admin();
		$page = $this->page_with_fake_build();
		$this->assertFalse( $page->script_config()['serviceConfigured'] );
	}

	public function test_missing_build_shows_how_to_build_instead_of_breaking(): void {
		$this->as_admin();
		$this->build_dir = $this->temp_dir();
		$page            = new AdminPage( new Settings(), $this->build_dir, 'http://example.test/build' );
		$page->register_menu();

		$this->assertNull( $page->asset() );
		$html = $this->render( $page );
		$this->assertStringContainsString( 'npm run build', $html );
		$this->assertStringContainsString( 'notice', $html );
		$this->assertStringNotContainsString( 'bpwc-admin-root', $html );

		$page->enqueue( (string) $page->hook_suffix() );
		$this->assertFalse( wp_script_is( AdminPage::HANDLE, 'registered' ) );
	}

	public function test_a_broken_asset_file_counts_as_a_missing_build(): void {
		$this->build_dir = $this->temp_dir();
		file_put_contents( $this->build_dir . '/index.js', '/* js */' );
		file_put_contents( $this->build_dir . '/index.asset.php', '<?php return "nope";' );
		$page = new AdminPage( new Settings(), $this->build_dir, 'http://example.test/build' );
		$this->assertNull( $page->asset() );
	}

	public function test_the_real_build_folder_works_whether_or_not_it_exists_yet(): void {
		$this->as_admin();
		$page = $this->plugin()->admin_page();
		$page->register_menu();
		$html = $this->render( $page );
		if ( is_readable( dirname( BPWC_PLUGIN_FILE ) . '/build/index.asset.php' ) && is_readable( dirname( BPWC_PLUGIN_FILE ) . '/build/index.js' ) ) {
			$this->assertStringContainsString( '<div id="bpwc-admin-root"></div>', $html );
			$page->enqueue( (string) $page->hook_suffix() );
			$this->assertTrue( wp_script_is( AdminPage::HANDLE, 'enqueued' ) );
		} else {
			$this->assertStringContainsString( 'npm run build', $html );
		}
	}

	public function test_woocommerce_missing_notice_on_our_page_and_the_plugins_screen_only(): void {
		$this->as_admin();
		$page = $this->page_with_fake_build();
		$page->register_menu();

		set_current_screen( (string) $page->hook_suffix() );
		$this->assertStringContainsString( 'WooCommerce is not active', $this->notices( $page ) );

		set_current_screen( 'plugins' );
		$this->assertStringContainsString( 'WooCommerce is not active', $this->notices( $page ) );

		set_current_screen( 'dashboard' );
		$this->assertSame( '', $this->notices( $page ) );

		set_current_screen( (string) $page->hook_suffix() );
		$this->filter( 'bpwc_woocommerce_active', '__return_true' );
		$this->assertSame( '', $this->notices( $page ), 'no notice once WooCommerce is active' );
	}

	public function test_plugins_screen_links_to_the_page(): void {
		$links = apply_filters( 'plugin_action_links_' . plugin_basename( BPWC_PLUGIN_FILE ), array( 'deactivate' => '<a>Deactivate</a>' ) );
		$this->assertStringContainsString( 'tools.php?page=brightpearl-sync', $links[0] );
	}

	private function page_with_fake_build(): AdminPage {
		$this->build_dir = $this->temp_dir();
		file_put_contents( $this->build_dir . '/index.js', 'console.log("bpwc");' );
		file_put_contents( $this->build_dir . '/index.css', '.bpwc{}' );
		file_put_contents(
			$this->build_dir . '/index.asset.php',
			"<?php return array( 'dependencies' => array( 'react', 'wp-element', 'wp-api-fetch', 'wp-components', 'react-jsx-runtime' ), 'version' => 'f00dcafe' );"
		);
		return new AdminPage( new Settings(), $this->build_dir, 'http://example.test/build' );
	}

	private function temp_dir(): string {
		$dir = sys_get_temp_dir() . '/bpwc-build-' . bin2hex( random_bytes( 6 ) );
		mkdir( $dir );
		return $dir;
	}

	private function render( AdminPage $page ): string {
		ob_start();
		$page->render();
		return (string) ob_get_clean();
	}

	private function notices( AdminPage $page ): string {
		ob_start();
		$page->notices();
		return (string) ob_get_clean();
	}

	/**
	 * @return array<int, string>|null
	 */
	private function submenu_entry( string $parent ): ?array {
		foreach ( $GLOBALS['submenu'][ $parent ] ?? array() as $entry ) {
			if ( AdminPage::SLUG === ( $entry[2] ?? null ) ) {
				return $entry;
			}
		}
		return null;
	}

	private function reset_admin_globals(): void {
		$GLOBALS['menu']                = array();
		$GLOBALS['submenu']             = array();
		$GLOBALS['_registered_pages']   = array();
		$GLOBALS['_parent_pages']       = array();
		$GLOBALS['_wp_submenu_nopriv']  = array();
		$GLOBALS['wp_scripts']          = null;
		$GLOBALS['wp_styles']           = null;
		$GLOBALS['current_screen']      = null;
		// What wp-admin/includes/menu.php derives from the core menu (Tools) and WooCommerce's add_menu_page().
		$GLOBALS['admin_page_hooks'] = array(
			'tools.php'   => 'tools',
			'woocommerce' => 'woocommerce',
		);
	}
}
