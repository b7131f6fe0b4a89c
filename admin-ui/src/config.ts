/**
 * The page's configuration: `window.bpwcAdmin`, printed by the plugin (wp_localize_script or
 * wp_add_inline_script) or, in the demo preview, by preview.js.
 */
import type { APIFetchMiddleware } from '@wordpress/api-fetch';

export interface AdminConfig {
	/** REST namespace of the plugin's proxy, `bpwc/v1`. */
	restNamespace: string;
	/** `wp_create_nonce( 'wp_rest' )`. Empty in the preview. */
	nonce: string;
	/** REST root, `rest_url()` (e.g. https://shop.example/wp-json/). */
	root: string;
	/** `wp_timezone_string()`: an IANA name (Europe/London) or an offset (+02:00). */
	siteTimezone: string;
	/** PHP date and time formats of the site (`date_format`, `time_format` options). */
	dateFormat: string;
	timeFormat: string;
	/** Whether a service URL and token are set (in the options or in wp-config.php). */
	serviceConfigured: boolean;
	/** Whether wp-config.php pins the service URL (`BPWC_SERVICE_URL`) or the token (`BPWC_SERVICE_TOKEN`). */
	serviceUrlFromConstant?: boolean;
	tokenFromConstant?: boolean;
	/** The page's own URL with `#settings` (where the notices send the user). */
	settingsUrl?: string;
	/** Demo preview only: the page talks to the service directly with this token. */
	previewToken?: string;
	/** Demo preview only. */
	preview?: boolean;
	/** Tests only: how often a running flow is polled. */
	pollIntervalMs?: number;
}

declare global {
	interface Window {
		bpwcAdmin?: Partial< AdminConfig >;
		/** Demo preview only: the transport that maps bpwc/v1 paths onto the service's API. */
		bpwcAdminApiMiddleware?: APIFetchMiddleware;
		bpwcPreviewConfig?: { root?: string; previewToken?: string } | null;
	}
}

export const TEXT_DOMAIN = 'brightpearl-sync';

const DEFAULTS: AdminConfig = {
	restNamespace: 'bpwc/v1',
	nonce: '',
	root: '/wp-json/',
	siteTimezone: 'UTC',
	dateFormat: 'F j, Y',
	timeFormat: 'g:i a',
	serviceConfigured: true,
};

/** The configuration with defaults for anything missing; read on every call (tests change it). */
export function getConfig(): AdminConfig {
	const fromWindow =
		typeof window !== 'undefined' ? ( window.bpwcAdmin ?? {} ) : {};
	return { ...DEFAULTS, ...fromWindow } as AdminConfig;
}

export function isPreview(): boolean {
	const config = getConfig();
	return !! ( config.preview || config.previewToken );
}

export function getPollInterval(): number {
	return getConfig().pollIntervalMs ?? 1500;
}
