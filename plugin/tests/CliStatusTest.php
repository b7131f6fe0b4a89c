<?php
/**
 * wp brightpearl status
 *
 * @package BrightpearlSync\Tests
 */

declare(strict_types=1);

namespace BrightpearlSync\Tests;

use BrightpearlSync\Cli\StatusCommand;
use BrightpearlSync\Settings;
use BrightpearlSync\Tests\Support\CliTestCase;
use BrightpearlSync\Tests\Support\Env;

final class CliStatusTest extends CliTestCase {

	public function test_status_shows_health_and_per_flow_counts(): void {
		$out = $this->runs( StatusCommand::class, '__invoke' );
		$this->assertStringContainsString( 'Sync service at ' . Env::service_url() . ': ok (version ', $out->messages( 'line' )[0] );

		$table = $out->tables()[0];
		$this->assertSame( array( 'flow', 'enabled', 'running', 'last_run', 'next_run', 'pending', 'synced', 'failed' ), $table['fields'] );
		$this->assertSame( array( 'inventory', 'product', 'order', 'refund', 'shipment' ), array_column( $table['items'], 'flow' ) );
		$counts = Env::service( 'GET', '/api/v1/flows/inventory' )['body']['counts'];
		$this->assertSame( $counts['synced'], $table['items'][0]['synced'] );
		$this->assertSame( $counts['failed'], $table['items'][0]['failed'] );
		$this->assertStringStartsWith( 'partial ', $table['items'][0]['last_run'] );
	}

	public function test_status_formats(): void {
		$json = json_decode( trim( $this->runs( StatusCommand::class, '__invoke', array(), array( 'format' => 'json' ) )->printed ), true );
		$this->assertSame( 'ok', $json[0]['service']['status'] );
		$this->assertSame( Env::service_url(), $json[0]['service']['url'] );
		$this->assertCount( 5, $json[0]['flows'] );

		$csv = $this->runs( StatusCommand::class, '__invoke', array(), array( 'format' => 'csv' ) )->printed;
		$this->assertStringContainsString( "flow,enabled,running,last_run,next_run,pending,synced,failed\n", $csv );

		$this->assertStringContainsString( 'service:', $this->runs( StatusCommand::class, '__invoke', array(), array( 'format' => 'yaml' ) )->printed );
		$this->fails( StatusCommand::class, '__invoke', array(), array( 'format' => 'ids' ), 'Unknown format' );
	}

	public function test_status_exits_1_when_the_service_is_unreachable(): void {
		$url = 'http://127.0.0.1:' . Env::closed_port();
		update_option( Settings::OPTION_URL, $url );
		$message = $this->fails( StatusCommand::class, '__invoke', array(), array(), "The Brightpearl Sync service at {$url} is not reachable" );
		$this->assertStringContainsString( 'Check that it is running', $message );
	}

	public function test_status_exits_1_when_the_token_is_refused(): void {
		update_option( Settings::OPTION_TOKEN, str_repeat( 'q', 30 ) );
		$this->fails( StatusCommand::class, '__invoke', array(), array(), 'HTTP 401 unauthorized' );
	}
}
