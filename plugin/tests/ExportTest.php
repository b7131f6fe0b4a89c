<?php
/**
 * GET bpwc/v1/logs/export: the service's CSV, streamed through a temporary file.
 *
 * @package BrightpearlSync\Tests
 */

declare(strict_types=1);

namespace BrightpearlSync\Tests;

use BrightpearlSync\CsvDownload;
use BrightpearlSync\Tests\Support\Env;
use BrightpearlSync\Tests\Support\TestCase;
use WP_REST_Request;

final class ExportTest extends TestCase {

	public function test_export_streams_the_services_csv_with_its_headers(): void {
		$this->as_admin();
		$query   = array( 'type' => 'inventory', 'status' => 'failed', '_locale' => 'user', '_wpnonce' => 'x' );
		$request = new WP_REST_Request( 'GET', '/bpwc/v1/logs/export' );
		$request->set_query_params( $query );
		$temp_before = $this->temp_files();

		$response = rest_do_request( $request );
		$this->assertInstanceOf( CsvDownload::class, $response );
		$this->assertSame( 200, $response->get_status() );
		$this->assertNull( $response->get_data(), 'the CSV is never held as response data' );
		$this->assertFileExists( $response->file(), 'the CSV was streamed to a temporary file' );

		$direct  = Env::service( 'GET', '/api/v1/logs/export.csv', null, array( 'type' => 'inventory', 'status' => 'failed' ) );
		$headers = $response->get_headers();
		$this->assertSame( 'text/csv; charset=utf-8', $headers['Content-Type'] );
		$this->assertSame( $direct['headers']['content-disposition'], $headers['Content-Disposition'] );
		$this->assertMatchesRegularExpression( '/^attachment; filename="brightpearl-sync-inventory-logs-\d{4}-\d{2}-\d{2}\.csv"$/', $headers['Content-Disposition'] );
		$this->assertSame( 'no-store', $headers['Cache-Control'] );
		$this->assertSame( (string) strlen( $direct['raw'] ), $headers['Content-Length'] );

		// What the REST server does when it serves the response.
		ob_start();
		$served = apply_filters( 'rest_pre_serve_request', false, $response, $request, rest_get_server() );
		$csv    = (string) ob_get_clean();

		$this->assertTrue( $served );
		$this->assertSame( $direct['raw'], $csv );
		$this->assertStringStartsWith( "id,type,info,entity_id,brightpearl_id,woocommerce_id,status,synced_at,updated_at,attempts,error\r\n", $csv );
		$this->assertSame( count( Env::items( 'failed' ) ) + 1, substr_count( $csv, "\r\n" ) );
		$this->assertFileDoesNotExist( $response->file(), 'the temporary file is deleted after sending' );
		$this->assertSame( $temp_before, $this->temp_files() );
	}

	public function test_whole_export_matches_the_service(): void {
		$this->as_admin();
		$request = new WP_REST_Request( 'GET', '/bpwc/v1/logs/export' );
		$request->set_query_params( array( 'type' => 'inventory' ) );
		$response = rest_do_request( $request );
		ob_start();
		CsvDownload::serve( false, $response, $request, rest_get_server() );
		$csv = (string) ob_get_clean();
		$this->assertSame( Env::service( 'GET', '/api/v1/logs/export.csv', null, array( 'type' => 'inventory' ) )['raw'], $csv );
		$this->assertSame( Env::total() + 1, substr_count( $csv, "\r\n" ) );
	}

	public function test_other_responses_are_left_to_the_rest_server(): void {
		$this->as_admin();
		$response = $this->rest( 'GET', '/bpwc/v1/flows' );
		$this->assertFalse( apply_filters( 'rest_pre_serve_request', false, $response, new WP_REST_Request(), rest_get_server() ) );
	}

	public function test_export_errors_are_the_services_json_and_leave_no_file(): void {
		$this->as_admin();
		$temp_before = $this->temp_files();
		$response    = $this->rest( 'GET', '/bpwc/v1/logs/export', array( 'status' => 'failed' ) );
		$this->assertNotInstanceOf( CsvDownload::class, $response );
		$this->assertSame( 400, $response->get_status() );
		$this->assertSame( 'invalid_request', $response->get_data()['error']['code'] );
		$this->assertStringContainsString( 'query.type', $response->get_data()['error']['message'] );
		$this->assertSame( $temp_before, $this->temp_files() );
	}

	public function test_export_needs_the_capability(): void {
		$this->assertSame( 401, $this->rest( 'GET', '/bpwc/v1/logs/export', array( 'type' => 'inventory' ) )->get_status() );
		$this->as_subscriber();
		$this->assertSame( 403, $this->rest( 'GET', '/bpwc/v1/logs/export', array( 'type' => 'inventory' ) )->get_status() );
	}

	/**
	 * @return string[]
	 */
	private function temp_files(): array {
		$files = glob( get_temp_dir() . 'bpwc-logs*' ) ?: array();
		sort( $files );
		return $files;
	}
}
