<?php
/**
 * wp brightpearl resync <type> [<id>...] [--failed] [--since=<date>] [--wait]
 *
 * @package BrightpearlSync\Tests
 */

declare(strict_types=1);

namespace BrightpearlSync\Tests;

use BrightpearlSync\Cli\ResyncCommand;
use BrightpearlSync\Tests\Support\CliTestCase;
use BrightpearlSync\Tests\Support\Env;

final class CliResyncTest extends CliTestCase {

	public function test_ids_queue_a_scoped_run_that_lands_in_the_service(): void {
		$out    = $this->runs( ResyncCommand::class, '__invoke', array_merge( array( 'inventory' ), Env::synced_entity_ids( 2 ) ) );
		$run_id = Env::latest_run_id();
		$this->assertSame( array( "Success: Queued run #{$run_id} of the inventory flow for 2 entities." ), $out->messages( 'success' ) );

		$run = Env::wait_run( $run_id );
		$this->assertSame( 'inventory', $run['flowId'] );
		$this->assertSame( 'manual', $run['trigger'] );
		$this->assertSame( 2, $run['counts']['seen'] );
	}

	public function test_ids_may_be_brightpearl_or_woocommerce_ids_of_the_sync_log(): void {
		$item = Env::items( 'synced', 'inventory', 1 )[0];
		$this->assertNotNull( $item['woocommerceId'] );
		$this->runs( ResyncCommand::class, '__invoke', array( 'inventory', (string) $item['woocommerceId'] ) );
		$run = Env::wait_run( Env::latest_run_id() );
		$this->assertSame( 1, $run['counts']['seen'] );
	}

	public function test_wait_shows_progress_and_succeeds_when_nothing_failed(): void {
		$out = $this->runs( ResyncCommand::class, '__invoke', array_merge( array( 'inventory' ), Env::synced_entity_ids( 3 ) ), array( 'wait' => true ) );
		$bar = $out->bars[0];
		$this->assertSame( 3, $bar->total );
		$this->assertSame( 3, $bar->ticks );
		$this->assertTrue( $bar->finished );
		$this->assertMatchesRegularExpression( '/^Success: Run #\d+ succeeded: \d+ synced, \d+ unchanged, 0 failed\.$/', $out->messages( 'success' )[0] );
	}

	public function test_wait_exits_1_listing_the_entities_that_failed(): void {
		$failed = Env::items( 'failed' )[0];
		$synced = Env::items( 'synced', 'inventory', 1 )[0];
		$this->fails( ResyncCommand::class, '__invoke', array( 'inventory', $failed['entityId'], $synced['entityId'] ), array( 'wait' => true ), '1 failed' );

		$listed = $this->out->tables()[0]['items'];
		$this->assertSame( array( $failed['entityId'] ), array_column( $listed, 'entity_id' ), 'only the failed entity of this run' );
		$this->assertSame( $failed['error'], $listed[0]['error'] );
	}

	public function test_failed_requeues_every_failed_item(): void {
		$failed = Env::items( 'failed' );
		$before = Env::queued_attempts( (int) $failed[0]['id'] );

		$out = $this->runs( ResyncCommand::class, '__invoke', array( 'inventory' ), array( 'failed' => true ) );
		$this->assertStringContainsString( sprintf( 'Re-queued %d failed inventory items.', count( $failed ) ), $out->messages( 'success' )[0] );
		$this->assertSame( $before + 1, Env::queued_attempts( (int) $failed[0]['id'] ) );

		Env::wait_idle();
		$this->fails( ResyncCommand::class, '__invoke', array( 'inventory' ), array( 'failed' => true, 'wait' => true ), 'failed' );
		$this->assertCount( count( $failed ), $this->out->tables()[0]['items'] );
	}

	public function test_since_queues_a_resync_run(): void {
		$out    = $this->runs( ResyncCommand::class, '__invoke', array( 'inventory' ), array( 'since' => '2026-01-01' ) );
		$run_id = Env::latest_run_id();
		$this->assertStringContainsString( "Queued run #{$run_id} of the inventory flow for everything changed since 2026-01-01.", $out->messages( 'success' )[0] );
		$this->assertSame( 'resync', Env::wait_run( $run_id )['trigger'] );

		$this->runs( ResyncCommand::class, '__invoke', array( 'inventory' ), array( 'since' => '2026-01-31T09:30:00Z' ) );
		Env::wait_run( Env::latest_run_id() );
	}

	public function test_no_option_runs_the_whole_flow(): void {
		$out    = $this->runs( ResyncCommand::class, '__invoke', array( 'inventory' ) );
		$run_id = Env::latest_run_id();
		$this->assertSame( array( "Success: Queued run #{$run_id} of the inventory flow." ), $out->messages( 'success' ) );
		$this->assertSame( Env::total(), Env::wait_run( $run_id )['counts']['seen'] );
	}

	public function test_validation_fails_with_exit_1_before_anything_is_queued(): void {
		$run_before    = Env::latest_run_id();
		$failed        = Env::items( 'failed' )[0];
		$queued_before = Env::queued_attempts( (int) $failed['id'] );

		$this->fails( ResyncCommand::class, '__invoke', array( 'stock', '1001' ), array(), 'Unknown sync type "stock". Use one of: inventory, product, order, refund, shipment.' );
		$this->fails( ResyncCommand::class, '__invoke', array( 'inventory' ), array( 'since' => '2026-02-30' ), '--since "2026-02-30" is not a date' );
		$this->fails( ResyncCommand::class, '__invoke', array( 'inventory' ), array( 'since' => 'last tuesday' ), 'is not a date' );
		$this->fails( ResyncCommand::class, '__invoke', array( 'inventory' ), array( 'since' => '2026-01-01T25:00:00Z' ), 'is not a date' );
		$this->fails( ResyncCommand::class, '__invoke', array( 'inventory', '1001' ), array( 'failed' => true ), 'either ids, --failed or --since' );
		$this->fails( ResyncCommand::class, '__invoke', array( 'inventory' ), array( 'failed' => true, 'since' => '2026-01-01' ), 'either ids, --failed or --since' );
		$message = $this->fails( ResyncCommand::class, '__invoke', array( 'inventory', $failed['entityId'], '999999', 'no-such-sku' ), array(), 'Unknown inventory id(s): 999999, no-such-sku' );
		$this->assertStringContainsString( 'nothing was queued', $message );

		$this->assertSame( $run_before, Env::latest_run_id(), 'no run was started' );
		$this->assertSame( $queued_before, Env::queued_attempts( (int) $failed['id'] ), 'nothing was re-queued' );
		$this->assertSame( array(), array_filter( $this->out->calls, static fn ( $c ) => 'success' === $c[0] ) );
	}

	public function test_the_service_being_down_is_exit_1_with_the_readable_message(): void {
		update_option( 'bpwc_service_url', 'http://127.0.0.1:' . Env::closed_port() );
		$this->fails( ResyncCommand::class, '__invoke', array( 'inventory', '1001' ), array(), 'is not reachable' );
	}
}
