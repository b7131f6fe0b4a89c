<?php
/**
 * wp brightpearl logs list|get|retry|prune
 *
 * @package BrightpearlSync\Tests
 */

declare(strict_types=1);

namespace BrightpearlSync\Tests;

use BrightpearlSync\Cli\LogsCommand;
use BrightpearlSync\Tests\Support\CliTestCase;
use BrightpearlSync\Tests\Support\Env;

final class CliLogsTest extends CliTestCase {

	public function test_list_in_every_format(): void {
		$failed = Env::items( 'failed' );
		$this->assertNotEmpty( $failed );
		$filter = array( 'type' => 'inventory', 'status' => 'failed' );

		$table = $this->runs( LogsCommand::class, 'list_', array(), $filter )->tables()[0];
		$this->assertSame( array( 'id', 'info', 'entity_id', 'status', 'updated_at', 'attempts', 'error' ), $table['fields'] );
		$this->assertSame( array_column( $failed, 'id' ), array_column( $table['items'], 'id' ) );

		$json = json_decode( trim( $this->runs( LogsCommand::class, 'list_', array(), $filter + array( 'format' => 'json' ) )->printed ), true );
		$this->assertSame( array_column( $failed, 'id' ), array_column( $json, 'id' ) );
		$this->assertSame( array_fill( 0, count( $failed ), 'failed' ), array_column( $json, 'status' ) );
		$this->assertSame( $failed[0]['error'], $json[0]['error'] );

		$csv = $this->runs( LogsCommand::class, 'list_', array(), $filter + array( 'format' => 'csv' ) )->printed;
		$this->assertStringStartsWith( "id,info,entity_id,status,updated_at,attempts,error\n", $csv );
		$this->assertCount( count( $failed ) + 1, array_filter( explode( "\n", $csv ) ) );

		$yaml = $this->runs( LogsCommand::class, 'list_', array(), $filter + array( 'format' => 'yaml' ) )->printed;
		$this->assertStringContainsString( '- id: ' . $failed[0]['id'], $yaml );

		$ids = trim( $this->runs( LogsCommand::class, 'list_', array(), $filter + array( 'format' => 'ids' ) )->printed );
		$this->assertSame( implode( ' ', array_column( $failed, 'id' ) ), $ids );

		$count = trim( $this->runs( LogsCommand::class, 'list_', array(), $filter + array( 'format' => 'count' ) )->printed );
		$this->assertSame( (string) count( $failed ), $count );
	}

	public function test_list_filters_fields_and_pages_past_the_service_page_size(): void {
		$total = Env::total();
		$this->assertGreaterThan( 250, $total );

		// Pages of 100 (500 in real use): 250 items take three requests, following nextCursor.
		$asked = array();
		$this->filter( 'bpwc_cli_page_size', static fn () => 100 );
		$this->filter(
			'http_request_args',
			static function ( array $args, string $url ) use ( &$asked ): array {
				$asked[] = $url;
				return $args;
			},
			10,
			2
		);
		$all = $this->runs( LogsCommand::class, 'list_', array(), array( 'type' => 'inventory', 'limit' => '250', 'format' => 'ids' ) )->printed;
		$ids = explode( ' ', trim( $all ) );
		$this->assertCount( 250, $ids );
		$this->assertSame( count( $ids ), count( array_unique( $ids ) ) );
		$this->assertCount( 3, $asked );
		$this->assertStringContainsString( 'limit=50', $asked[2] );
		$this->assertStringContainsString( 'cursor=', $asked[2] );
		$this->assertSame( array_column( Env::service( 'GET', '/api/v1/logs', null, array( 'type' => 'inventory', 'limit' => '250' ) )['body']['items'], 'id' ), array_map( 'intval', $ids ) );

		$everything = $this->runs( LogsCommand::class, 'list_', array(), array( 'type' => 'inventory', 'limit' => '10000', 'format' => 'count' ) )->printed;
		$this->assertSame( "{$total}\n", $everything );

		$few = $this->runs( LogsCommand::class, 'list_', array(), array( 'type' => 'inventory', 'limit' => '3' ) );
		$this->assertCount( 3, $few->tables()[0]['items'] );
		$this->assertStringContainsString( "Showing 3 of {$total} items", $few->printed );

		[ $entity ] = Env::synced_entity_ids( 1 );
		$search     = $this->runs( LogsCommand::class, 'list_', array(), array( 'type' => 'inventory', 'search' => $entity, 'fields' => 'id,entity_id,brightpearl_id,woocommerce_id', 'format' => 'json' ) )->printed;
		$rows       = json_decode( trim( $search ), true );
		$this->assertSame( $entity, $rows[0]['entity_id'] );
		$this->assertSame( array( 'id', 'entity_id', 'brightpearl_id', 'woocommerce_id' ), array_keys( $rows[0] ) );

		$dated = $this->runs( LogsCommand::class, 'list_', array(), array( 'type' => 'inventory', 'from' => '2000-01-01', 'to' => '2000-12-31', 'format' => 'count' ) );
		$this->assertSame( "0\n", $dated->printed );
	}

	public function test_list_validates_before_asking(): void {
		$this->fails( LogsCommand::class, 'list_', array(), array(), 'Give --type' );
		$this->fails( LogsCommand::class, 'list_', array(), array( 'type' => 'stock' ), 'Unknown sync type "stock"' );
		$this->fails( LogsCommand::class, 'list_', array(), array( 'type' => 'inventory', 'status' => 'broken' ), 'Unknown status "broken"' );
		$this->fails( LogsCommand::class, 'list_', array(), array( 'type' => 'inventory', 'from' => '2026-02-30' ), '--from "2026-02-30" is not a date' );
		$this->fails( LogsCommand::class, 'list_', array(), array( 'type' => 'inventory', 'to' => 'yesterday' ), '--to "yesterday" is not a date' );
		$this->fails( LogsCommand::class, 'list_', array(), array( 'type' => 'inventory', 'from' => '2026-03-02', 'to' => '2026-03-01' ), '--from must not be after --to' );
		$this->fails( LogsCommand::class, 'list_', array(), array( 'type' => 'inventory', 'limit' => '0' ), '--limit must be a whole number' );
		$this->fails( LogsCommand::class, 'list_', array(), array( 'type' => 'inventory', 'limit' => 'lots' ), '--limit' );
		$this->fails( LogsCommand::class, 'list_', array(), array( 'type' => 'inventory', 'format' => 'xml' ), 'Unknown format' );
		$this->assertSame( array(), $this->out->tables() );
	}

	public function test_get_shows_the_item_and_its_attempt_history(): void {
		$item = Env::items( 'failed' )[0];
		$out  = $this->runs( LogsCommand::class, 'get', array( (string) $item['id'] ) );

		[ $fields, $history ] = $out->tables();
		$values               = array_column( $fields['items'], 'value', 'field' );
		$this->assertSame( (string) $item['id'], $values['id'] );
		$this->assertSame( $item['entityId'], $values['entity_id'] );
		$this->assertSame( 'failed', $values['status'] );
		$this->assertSame( $item['error'], $values['error'] );
		$this->assertStringContainsString( 'Attempt history', $out->printed );
		$this->assertSame( array( 'at', 'outcome', 'run', 'message' ), $history['fields'] );
		$this->assertContains( 'failed', array_column( $history['items'], 'outcome' ) );

		$json = json_decode( trim( $this->runs( LogsCommand::class, 'get', array( (string) $item['id'] ), array( 'format' => 'json' ) )->printed ), true );
		$this->assertSame( $item['id'], $json[0]['id'] );
		$this->assertNotEmpty( $json[0]['history'] );
	}

	public function test_get_refuses_bad_and_unknown_ids(): void {
		$this->fails( LogsCommand::class, 'get', array( 'abc' ), array(), '"abc" is not a sync log id' );
		$this->fails( LogsCommand::class, 'get', array( '-3' ), array(), 'is not a sync log id' );
		$message = $this->fails( LogsCommand::class, 'get', array( '999999' ), array(), 'No log item 999999' );
		$this->assertStringContainsString( 'HTTP 404 not_found', $message );
	}

	public function test_ids_output_composes_into_retry_and_the_items_are_requeued(): void {
		// wp brightpearl logs retry $(wp brightpearl logs list --type=inventory --status=failed --format=ids)
		$ids = trim( $this->runs( LogsCommand::class, 'list_', array(), array( 'type' => 'inventory', 'status' => 'failed', 'format' => 'ids' ) )->printed );
		$this->assertNotSame( '', $ids );
		$list   = array_map( 'intval', explode( ' ', $ids ) );
		$before = array_map( array( Env::class, 'queued_attempts' ), $list );

		foreach ( array( explode( ' ', $ids ), array( $ids ) ) as $argv ) {
			$out = $this->runs( LogsCommand::class, 'retry', $argv );
			$this->assertStringContainsString( sprintf( 'Re-queued %d sync log item', count( $list ) ), $out->messages( 'success' )[0] );
			Env::wait_idle();
		}

		$after = array_map( array( Env::class, 'queued_attempts' ), $list );
		foreach ( $list as $i => $id ) {
			$this->assertSame( $before[ $i ] + 2, $after[ $i ], "item {$id} went back to pending twice" );
		}
	}

	public function test_retry_with_wait_reports_the_runs_outcome(): void {
		$failed = Env::items( 'failed' )[0];
		$this->fails( LogsCommand::class, 'retry', array( (string) $failed['id'] ), array( 'wait' => true ), 'failed' );
		$this->assertSame( array( $failed['entityId'] ), array_column( $this->out->tables()[0]['items'], 'entity_id' ) );

		$synced = Env::items( 'synced', 'inventory', 1 )[0];
		$out    = $this->runs( LogsCommand::class, 'retry', array( (string) $synced['id'] ), array( 'wait' => true ) );
		$this->assertStringContainsString( '0 failed', $out->messages( 'success' )[0] );
	}

	public function test_retry_refuses_bad_or_unknown_ids_and_queues_nothing(): void {
		$known  = (int) Env::items( 'failed' )[0]['id'];
		$before = Env::queued_attempts( $known );

		$this->fails( LogsCommand::class, 'retry', array(), array(), 'Give at least one' );
		$this->fails( LogsCommand::class, 'retry', array( (string) $known, 'abc', '0' ), array(), 'Not sync log ids: abc, 0' );
		$message = $this->fails( LogsCommand::class, 'retry', array( (string) $known, '999999' ), array(), '999999' );
		$this->assertStringContainsString( 'nothing was queued', $message );

		$this->assertSame( $before, Env::queued_attempts( $known ), 'the known item was not queued either' );
	}

	public function test_prune(): void {
		$out = $this->runs( LogsCommand::class, 'prune', array(), array( 'older-than' => '3650' ) );
		$this->assertStringContainsString( 'Deleted 0 attempt history rows older than ', $out->messages( 'success' )[0] );

		$this->fails( LogsCommand::class, 'prune', array(), array(), '--older-than must be' );
		$this->fails( LogsCommand::class, 'prune', array(), array( 'older-than' => '0' ), '--older-than must be' );
		$this->fails( LogsCommand::class, 'prune', array(), array( 'older-than' => '3651' ), '--older-than must be' );
		$this->fails( LogsCommand::class, 'prune', array(), array( 'older-than' => 'a week' ), '--older-than must be' );
	}
}
