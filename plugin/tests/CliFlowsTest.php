<?php
/**
 * wp brightpearl flows list|run|enable|disable|schedule
 *
 * @package BrightpearlSync\Tests
 */

declare(strict_types=1);

namespace BrightpearlSync\Tests;

use BrightpearlSync\Cli\FlowsCommand;
use BrightpearlSync\Tests\Support\CliTestCase;
use BrightpearlSync\Tests\Support\Env;

final class CliFlowsTest extends CliTestCase {

	private const TYPES = array( 'inventory', 'product', 'order', 'refund', 'shipment' );

	protected function tearDown(): void {
		Env::service( 'PATCH', '/api/v1/flows/inventory', array( 'enabled' => true, 'schedule' => Env::QUIET_SCHEDULE ) );
		parent::tearDown();
	}

	public function test_list_as_table_csv_json_yaml_ids_and_count(): void {
		$table = $this->runs( FlowsCommand::class, 'list_' )->tables()[0];
		$this->assertSame( 'table', $table['format'] );
		$this->assertSame( array( 'id', 'enabled', 'schedule', 'last_run_status', 'next_run', 'pending', 'synced', 'failed' ), $table['fields'] );
		$this->assertSame( self::TYPES, array_column( $table['items'], 'id' ) );
		$this->assertSame( 'yes', $table['items'][0]['enabled'], 'booleans read yes/no' );

		$service = Env::service( 'GET', '/api/v1/flows' )['body']['flows'][0];
		$json    = json_decode( trim( $this->runs( FlowsCommand::class, 'list_', array(), array( 'format' => 'json' ) )->printed ), true );
		$this->assertSame( self::TYPES, array_column( $json, 'id' ) );
		$this->assertTrue( $json[0]['enabled'], 'JSON keeps booleans' );
		$this->assertSame( $service['counts']['synced'], $json[0]['synced'] );
		$this->assertSame( $service['counts']['failed'], $json[0]['failed'] );
		$this->assertSame( Env::QUIET_SCHEDULE, $json[0]['schedule'] );

		$csv = $this->runs( FlowsCommand::class, 'list_', array(), array( 'format' => 'csv' ) )->printed;
		$this->assertStringStartsWith( "id,enabled,schedule,last_run_status,next_run,pending,synced,failed\n", $csv );
		$this->assertCount( 6, array_filter( explode( "\n", $csv ) ) );

		$yaml = $this->runs( FlowsCommand::class, 'list_', array(), array( 'format' => 'yaml' ) )->printed;
		$this->assertStringContainsString( '- id: inventory', $yaml );

		$this->assertSame( "inventory product order refund shipment\n", $this->runs( FlowsCommand::class, 'list_', array(), array( 'format' => 'ids' ) )->printed );
		$this->assertSame( "5\n", $this->runs( FlowsCommand::class, 'list_', array(), array( 'format' => 'count' ) )->printed );
	}

	public function test_list_fields_and_bad_format(): void {
		$table = $this->runs( FlowsCommand::class, 'list_', array(), array( 'fields' => 'id,direction,available' ) )->tables()[0];
		$this->assertSame( array( 'id', 'direction', 'available' ), $table['fields'] );
		$this->assertSame( 'brightpearl_to_woocommerce', $table['items'][0]['direction'] );
		$this->assertSame( 'yes', $table['items'][1]['available'] );

		$this->fails( FlowsCommand::class, 'list_', array(), array( 'format' => 'xml' ), 'Unknown format "xml"' );
		$this->fails( FlowsCommand::class, 'list_', array(), array( 'fields' => 'id,colour' ), 'Unknown field(s) colour' );
	}

	public function test_run_with_wait_follows_the_run_and_fails_listing_the_failed_entities(): void {
		$before = Env::latest_run_id();
		$this->fails( FlowsCommand::class, 'run', array( 'inventory' ), array( 'wait' => true ), 'failed' );

		// The run the command started (a webhook may start another one right after it).
		$this->assertSame( 1, preg_match( '/Started run #(\d+) of the inventory flow\./', $this->out->printed, $m ) );
		$run_id = (int) $m[1];
		$this->assertGreaterThan( $before, $run_id );
		$run = Env::service( 'GET', "/api/v1/runs/{$run_id}" )['body'];
		$this->assertSame( 'partial', $run['status'], 'the demo catalogue has records that fail' );
		$this->assertStringContainsString( "Started run #{$run_id} of the inventory flow.", $this->out->printed );
		$this->assertStringContainsString( "Run #{$run_id} partial:", $this->out->messages( 'error' )[0] );

		// The failed entities are listed before the error.
		$failed = Env::items( 'failed' );
		$listed = $this->out->tables()[0];
		$this->assertSame( array( 'id', 'entity_id', 'info', 'error' ), $listed['fields'] );
		$this->assertEqualsCanonicalizing( array_column( $failed, 'entityId' ), array_column( $listed['items'], 'entity_id' ) );
		$this->assertStringContainsString( 'These entities failed', $this->out->messages( 'warning' )[0] );

		$bar = $this->out->bars[0];
		$this->assertTrue( $bar->finished );
		$this->assertSame( $bar->total, $bar->ticks, 'the bar reaches its end' );
		$this->assertSame( Env::total(), $bar->total, 'a full run is sized from the sync log' );
	}

	public function test_run_without_wait_just_starts_it(): void {
		// A webhook from the previous test's writes may still be running inventory.
		Env::wait_idle( 'inventory' );
		$out    = $this->runs( FlowsCommand::class, 'run', array( 'inventory' ) );
		$run_id = Env::latest_run_id();
		$this->assertSame( array( "Success: Started run #{$run_id} of the inventory flow." ), $out->messages( 'success' ) );
		$this->assertSame( array(), $out->bars );
		Env::wait_run( $run_id );
	}

	public function test_run_refuses_unknown_flows_before_queueing(): void {
		$before = Env::latest_run_id();
		$this->fails( FlowsCommand::class, 'run', array( 'stock' ), array(), 'Unknown sync type "stock"' );
		$this->assertSame( $before, Env::latest_run_id(), 'no run was created' );
	}

	public function test_disable_and_enable(): void {
		$this->assertSame( array( 'Success: Disabled the inventory flow.' ), $this->runs( FlowsCommand::class, 'disable', array( 'inventory' ) )->messages( 'success' ) );
		$this->assertFalse( Env::service( 'GET', '/api/v1/flows/inventory' )['body']['enabled'] );

		$this->runs( FlowsCommand::class, 'enable', array( 'inventory' ) );
		$this->assertTrue( Env::service( 'GET', '/api/v1/flows/inventory' )['body']['enabled'] );

		$this->fails( FlowsCommand::class, 'disable', array( 'nope' ), array(), 'Unknown sync type' );
	}

	public function test_schedule_sets_a_valid_cron_and_refuses_bad_ones_without_changes(): void {
		$out = $this->runs( FlowsCommand::class, 'schedule', array( 'inventory', '*/10 * * * *' ) );
		$this->assertStringContainsString( 'The inventory flow now runs on "*/10 * * * *"', $out->messages( 'success' )[0] );
		$this->assertSame( '*/10 * * * *', Env::service( 'GET', '/api/v1/flows/inventory' )['body']['schedule'] );

		$this->runs( FlowsCommand::class, 'schedule', array( 'inventory', '30 6 * * mon-fri' ) );
		$this->assertSame( '30 6 * * mon-fri', Env::service( 'GET', '/api/v1/flows/inventory' )['body']['schedule'] );

		$bad = array(
			'* * *'           => 'exactly five fields',
			'* * * * * *'     => 'exactly five fields',
			'61 * * * *'      => 'minute field "61"',
			'* 24 * * *'      => 'hour field',
			'* * 0 * *'       => 'day of month',
			'* * * 13 *'      => 'month field',
			'* * * * 8'       => 'day of week',
			'*/0 * * * *'     => 'minute field',
			'5-1 * * * *'     => 'minute field',
			'every minute'    => 'exactly five fields',
			'a b c d e'       => 'minute field',
		);
		foreach ( $bad as $cron => $why ) {
			$message = $this->fails( FlowsCommand::class, 'schedule', array( 'inventory', $cron ), array(), $why );
			$this->assertStringContainsString( 'is not a valid cron schedule', $message );
		}
		$this->assertSame( '30 6 * * mon-fri', Env::service( 'GET', '/api/v1/flows/inventory' )['body']['schedule'], 'no bad schedule reached the service' );
		$this->fails( FlowsCommand::class, 'schedule', array( 'weekly', '* * * * *' ), array(), 'Unknown sync type' );
	}
}
