<?php
/**
 * Plugin file, autoloading, WooCommerce declarations, activation, deactivation, uninstall.
 *
 * @package BrightpearlSync\Tests
 */

declare(strict_types=1);

namespace BrightpearlSync\Tests;

use BrightpearlSync\Lifecycle;
use BrightpearlSync\Settings;
use BrightpearlSync\Tests\Support\Env;
use BrightpearlSync\Tests\Support\TestCase;

final class PluginTest extends TestCase {

	private const BASENAME = 'brightpearl-sync/brightpearl-sync.php';

	public function test_header_declares_what_wordpress_and_woocommerce_read(): void {
		$data = get_plugin_data( BPWC_PLUGIN_FILE, false, false );
		$this->assertSame( 'Brightpearl Sync for WooCommerce', $data['Name'] );
		$this->assertSame( 'brightpearl-sync', $data['TextDomain'] );
		$this->assertSame( '/languages', $data['DomainPath'] );
		$this->assertSame( '8.1', $data['RequiresPHP'] );
		$this->assertSame( '6.1', $data['RequiresWP'] );

		$extra = get_file_data(
			BPWC_PLUGIN_FILE,
			array(
				'wc_min'    => 'WC requires at least',
				'wc_tested' => 'WC tested up to',
				'license'   => 'License',
			)
		);
		$this->assertMatchesRegularExpression( '/^\d+\.\d+/', $extra['wc_min'] );
		$this->assertMatchesRegularExpression( '/^\d+\.\d+/', $extra['wc_tested'] );
		$this->assertSame( 'GPL-2.0-or-later', $extra['license'] );
		$this->assertDirectoryExists( dirname( BPWC_PLUGIN_FILE ) . '/languages' );
	}

	public function test_plugin_is_active_and_loaded_through_its_own_autoloader(): void {
		$this->assertTrue( is_plugin_active( self::BASENAME ) );
		// No Composer autoloader is loaded in this WordPress: the plugin's own one found these.
		$this->assertFalse( class_exists( \Composer\Autoload\ClassLoader::class, false ) );
		foreach ( array( 'Plugin', 'Settings', 'ServiceClient', 'RestProxy', 'AdminPage', 'Capability', 'Cli\\ResyncCommand', 'Cli\\FlowsCommand', 'Cli\\LogsCommand', 'Cli\\StatusCommand' ) as $class ) {
			$this->assertTrue( class_exists( 'BrightpearlSync\\' . $class ) || interface_exists( 'BrightpearlSync\\' . $class ), $class );
		}
		$composer = json_decode( (string) file_get_contents( dirname( BPWC_PLUGIN_FILE, 2 ) . '/composer.json' ), true );
		$this->assertSame( 'plugin/src/', $composer['autoload']['psr-4']['BrightpearlSync\\'] );
	}

	public function test_every_source_file_is_strict_and_one_class_per_file(): void {
		$files = new \RecursiveIteratorIterator( new \RecursiveDirectoryIterator( dirname( BPWC_PLUGIN_FILE ) . '/src' ) );
		$count = 0;
		foreach ( $files as $file ) {
			if ( 'php' !== $file->getExtension() ) {
				continue;
			}
			++$count;
			$code = (string) file_get_contents( $file->getPathname() );
			$this->assertStringContainsString( 'declare(strict_types=1);', $code, $file->getPathname() );
			$this->assertSame( 1, preg_match_all( '/^(?:final |abstract )?(?:class|interface) /m', $code ), $file->getPathname() );
		}
		$this->assertGreaterThan( 10, $count );
	}

	public function test_declares_hpos_compatibility_when_woocommerce_asks(): void {
		require_once __DIR__ . '/Support/stubs/FeaturesUtil.php';
		\Automattic\WooCommerce\Utilities\FeaturesUtil::$declarations = array();

		do_action( 'before_woocommerce_init' );

		$this->assertContains(
			array( 'custom_order_tables', BPWC_PLUGIN_FILE, true ),
			\Automattic\WooCommerce\Utilities\FeaturesUtil::$declarations
		);
	}

	public function test_activation_sets_defaults_only_when_absent(): void {
		delete_option( Settings::OPTION_URL );
		delete_option( Settings::OPTION_TOKEN );
		wp_cache_flush();

		Lifecycle::activate();
		$this->assertSame( 'http://127.0.0.1:8787', get_option( Settings::OPTION_URL ) );
		$this->assertSame( '', get_option( Settings::OPTION_TOKEN ) );

		update_option( Settings::OPTION_URL, 'http://127.0.0.1:9999' );
		update_option( Settings::OPTION_TOKEN, str_repeat( 'k', 30 ) );
		Lifecycle::activate();
		$this->assertSame( 'http://127.0.0.1:9999', get_option( Settings::OPTION_URL ), 'a reactivation keeps the settings' );
		$this->assertSame( str_repeat( 'k', 30 ), get_option( Settings::OPTION_TOKEN ) );
	}

	public function test_options_are_not_autoloaded(): void {
		global $wpdb;
		foreach ( Settings::option_names() as $name ) {
			delete_option( $name );
		}
		wp_cache_flush();
		Lifecycle::activate();
		foreach ( Settings::option_names() as $name ) {
			$autoload = $wpdb->get_var( $wpdb->prepare( "SELECT autoload FROM {$wpdb->options} WHERE option_name = %s", $name ) );
			$this->assertSame( 'no', $autoload, $name );
		}
	}

	public function test_deactivation_clears_scheduled_events_and_nothing_else(): void {
		wp_schedule_event( time() + 3600, 'hourly', 'bpwc_test_event' );
		wp_schedule_single_event( time() + 7200, 'bpwc_other_event', array( 'x' ) );
		wp_schedule_single_event( time() + 7200, 'someone_elses_event' );

		Lifecycle::deactivate();

		$this->assertFalse( wp_next_scheduled( 'bpwc_test_event' ) );
		$this->assertFalse( wp_next_scheduled( 'bpwc_other_event', array( 'x' ) ) );
		$this->assertNotFalse( wp_next_scheduled( 'someone_elses_event' ) );
		$this->assertSame( Env::service_url(), get_option( Settings::OPTION_URL ), 'options stay' );
		$this->assertSame( Env::token(), get_option( Settings::OPTION_TOKEN ) );
		wp_clear_scheduled_hook( 'someone_elses_event' );
	}

	/**
	 * WordPress's own uninstall_plugin() (it defines WP_UNINSTALL_PLUGIN, hence its own process).
	 *
	 * @runInSeparateProcess
	 * @preserveGlobalState disabled
	 */
	public function test_uninstall_removes_every_option(): void {
		$this->assertTrue( file_exists( dirname( BPWC_PLUGIN_FILE ) . '/uninstall.php' ) );
		foreach ( Settings::option_names() as $name ) {
			$this->assertNotFalse( get_option( $name ), $name );
		}
		wp_schedule_event( time() + 3600, 'hourly', 'bpwc_test_event' );
		try {
			uninstall_plugin( self::BASENAME );
			wp_cache_flush();
			foreach ( Settings::option_names() as $name ) {
				$this->assertFalse( get_option( $name ), "{$name} is gone" );
			}
			$this->assertEqualsCanonicalizing( array( 'bpwc_service_url', 'bpwc_service_token' ), Settings::option_names() );
			$this->assertFalse( wp_next_scheduled( 'bpwc_test_event' ) );
			global $wpdb;
			$left = $wpdb->get_col( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE 'bpwc\\_%'" );
			$this->assertSame( array(), $left, 'no bpwc_ option is left behind' );
		} finally {
			// uninstall_plugin() also forgets the plugin's uninstall hook; put the test site back.
			Lifecycle::activate();
			Env::point_plugin_at_service();
		}
	}

	public function test_uninstall_file_refuses_to_run_outside_an_uninstall(): void {
		$php    = PHP_BINARY;
		$file   = escapeshellarg( dirname( BPWC_PLUGIN_FILE ) . '/uninstall.php' );
		$output = shell_exec( "{$php} -r 'define(\"ABSPATH\", \"/\"); include {$file}; echo \"ran\";' 2>&1" );
		$this->assertStringNotContainsString( 'ran', (string) $output );
	}
}
