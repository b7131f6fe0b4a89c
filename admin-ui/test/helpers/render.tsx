import { render } from '@testing-library/react';
import { createRegistry, RegistryProvider } from '@wordpress/data';
import { store as noticesStore } from '@wordpress/notices';
import type { ReactElement } from 'react';
import { store } from '../../src/store';

/** A fresh registry per test, so no state leaks between tests. */
export function makeRegistry() {
	const registry = createRegistry();
	registry.register( store );
	registry.register( noticesStore );
	return registry;
}

export function renderWithRegistry(
	ui: ReactElement,
	registry = makeRegistry()
) {
	return {
		registry,
		...render(
			<RegistryProvider value={ registry }>{ ui }</RegistryProvider>
		),
	};
}
