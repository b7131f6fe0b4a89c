/**
 * Entry of the wp-admin page: mounts the app on #bpwc-admin-root with the bundled React 18.
 */
import '@wordpress/theme/design-tokens.css';
import '@wordpress/components/build-style/style.css';
import '@wordpress/dataviews/build-style/style.css';
import '@wordpress/notices/build-style/style.css';
import './style.scss';

import { createRoot } from 'react-dom/client';
import { bootstrap } from './bootstrap';
import App from './components/App';
import './store';

function mount() {
	const container = document.getElementById( 'bpwc-admin-root' );
	if ( ! container ) {
		return;
	}
	bootstrap();
	createRoot( container ).render( <App /> );
}

if ( document.readyState === 'loading' ) {
	document.addEventListener( 'DOMContentLoaded', mount );
} else {
	mount();
}
