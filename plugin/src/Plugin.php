<?php
/**
 * Composition root: builds the services and hooks them into WordPress.
 *
 * @package BrightpearlSync
 */

declare(strict_types=1);

namespace BrightpearlSync;

/**
 * One instance per request; everything else gets what it needs through its constructor.
 */
final class Plugin {

	private static ?Plugin $instance = null;

	private bool $booted = false;
	private Settings $settings;
	private ServiceClient $client;
	private AdminPage $admin_page;
	private RestProxy $rest;

	public static function instance(): self {
		if ( null === self::$instance ) {
			self::$instance = new self();
		}
		return self::$instance;
	}

	private function __construct() {
		$dir              = dirname( BPWC_PLUGIN_FILE );
		$this->settings   = new Settings();
		$this->client     = new ServiceClient( $this->settings );
		$this->admin_page = new AdminPage( $this->settings, $dir . '/build', untrailingslashit( plugins_url( 'build', BPWC_PLUGIN_FILE ) ) );
		$this->rest       = new RestProxy( $this->client, new ConnectionController( $this->settings ) );
	}

	public function boot(): void {
		if ( $this->booted ) {
			return;
		}
		$this->booted = true;

		add_action( 'init', array( $this, 'load_textdomain' ) );
		( new Compatibility( BPWC_PLUGIN_FILE ) )->register_hooks();
		$this->admin_page->register_hooks();
		add_action( 'rest_api_init', array( $this->rest, 'register_routes' ) );
		add_filter( 'rest_pre_serve_request', array( CsvDownload::class, 'serve' ), 10, 4 );
		add_filter( 'plugin_action_links_' . plugin_basename( BPWC_PLUGIN_FILE ), array( $this, 'action_links' ) );

		if ( defined( 'WP_CLI' ) && WP_CLI ) {
			Cli\Commands::register( $this->client );
		}
	}

	public function load_textdomain(): void {
		load_plugin_textdomain( 'brightpearl-sync', false, dirname( plugin_basename( BPWC_PLUGIN_FILE ) ) . '/languages' );
	}

	/**
	 * Adds "Open" next to Deactivate on the Plugins screen.
	 *
	 * @param string[] $links Action links.
	 * @return string[]
	 */
	public function action_links( $links ): array {
		$links   = is_array( $links ) ? $links : array();
		$open    = sprintf( '<a href="%s">%s</a>', esc_url( $this->admin_page->page_url() ), esc_html__( 'Open', 'brightpearl-sync' ) );
		array_unshift( $links, $open );
		return $links;
	}

	public function settings(): Settings {
		return $this->settings;
	}

	public function client(): ServiceClient {
		return $this->client;
	}

	public function admin_page(): AdminPage {
		return $this->admin_page;
	}

	public function rest(): RestProxy {
		return $this->rest;
	}
}
