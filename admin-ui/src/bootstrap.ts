/**
 * Everything the page sets up before it renders: API middlewares, translations and date settings.
 */
import {
	setSettings as setDateSettings,
	getSettings as getDateSettings,
} from '@wordpress/date';
import { setLocaleData } from '@wordpress/i18n';
import { setupApiFetch } from './api/client';
import { getConfig, TEXT_DOMAIN } from './config';

interface WpGlobals {
	i18n?: {
		getLocaleData?: (
			domain?: string
		) => Record< string, unknown > | undefined;
	};
	date?: { getSettings?: () => ReturnType< typeof getDateSettings > };
}

/**
 * The bundle has its own @wordpress/i18n. When WordPress loaded translations for our handle
 * (wp_set_script_translations( 'bpwc-admin', 'brightpearl-sync' ) puts them in window.wp.i18n),
 * copy them over, with core's default domain for the bundled components' strings.
 */
function bridgeTranslations() {
	const wp = ( window as unknown as { wp?: WpGlobals } ).wp;
	const getLocaleData = wp?.i18n?.getLocaleData;
	if ( ! getLocaleData ) {
		return;
	}
	for ( const domain of [ TEXT_DOMAIN, 'default' ] ) {
		const data = getLocaleData( domain );
		if ( data && Object.keys( data ).length > 1 ) {
			setLocaleData(
				data as Parameters< typeof setLocaleData >[ 0 ],
				domain
			);
		}
	}
}

/** Month and day names of the site's locale when WordPress printed them (wp-date loaded). */
function bridgeDateSettings() {
	const wp = ( window as unknown as { wp?: WpGlobals } ).wp;
	const settings = wp?.date?.getSettings?.();
	if ( settings?.l10n ) {
		setDateSettings( { ...getDateSettings(), l10n: settings.l10n } );
	}
}

export function bootstrap(): void {
	setupApiFetch( getConfig() );
	try {
		bridgeTranslations();
		bridgeDateSettings();
	} catch {
		// Translations are a nicety: never let them stop the page.
	}
}
