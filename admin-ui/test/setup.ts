/**
 * Test environment: jest-dom matchers, the browser APIs jsdom lacks, and a page config.
 */
import '@testing-library/jest-dom';

class ResizeObserverStub {
	observe() {}
	unobserve() {}
	disconnect() {}
}

const g = globalThis as unknown as Record< string, unknown >;
if ( ! g.ResizeObserver ) {
	g.ResizeObserver = ResizeObserverStub;
}
if ( ! g.IntersectionObserver ) {
	g.IntersectionObserver = class {
		observe() {}
		unobserve() {}
		disconnect() {}
		takeRecords() {
			return [];
		}
	};
}
if ( typeof window !== 'undefined' ) {
	window.HTMLElement.prototype.scrollIntoView =
		window.HTMLElement.prototype.scrollIntoView || function () {};
	if ( ! window.URL.createObjectURL ) {
		window.URL.createObjectURL = () => 'blob:test';
		window.URL.revokeObjectURL = () => {};
	}
}

beforeEach( () => {
	window.bpwcAdmin = {
		restNamespace: 'bpwc/v1',
		nonce: 'n0nce',
		root: 'https://shop.example/wp-json/',
		siteTimezone: 'Europe/London',
		dateFormat: 'Y-m-d',
		timeFormat: 'H:i',
		serviceConfigured: true,
		pollIntervalMs: 5,
	};
	window.location.hash = '';
} );
