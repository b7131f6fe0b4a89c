<?php
/**
 * The `wp brightpearl` namespace.
 *
 * @package BrightpearlSync
 */

declare(strict_types=1);

namespace BrightpearlSync\Cli;

/**
 * Manages Brightpearl Sync for WooCommerce: flows, the sync log and resyncs, through the sync service.
 *
 * ## EXAMPLES
 *
 *     # Is the sync service up, and how are the flows doing?
 *     $ wp brightpearl status
 *
 *     # Resync two products' stock and wait for the result
 *     $ wp brightpearl resync inventory 1001 1002 --wait
 */
final class BrightpearlNamespace extends \WP_CLI\Dispatcher\CommandNamespace {
}
