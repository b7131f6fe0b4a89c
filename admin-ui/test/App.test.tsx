import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import App from '../src/components/App';
import { fakeApi, HttpError } from './helpers/api';
import { FLOWS, HOURLY } from './helpers/fixtures';
import { renderWithRegistry } from './helpers/render';

const UNREACHABLE = new HttpError( {
	code: 'bpwc_service_unreachable',
	message:
		'The sync service at http://127.0.0.1:8787 did not answer (connection refused).',
	data: { status: 503 },
} );

describe( 'App', () => {
	it( 'shows the three tabs with the Flows tab open', async () => {
		fakeApi( {
			'GET status': () => ( {
				service: { status: 'ok', version: '0.1.0' },
				reachable: true,
			} ),
			'GET flows': () => ( { flows: FLOWS } ),
			'GET stats/hourly': () => HOURLY,
		} );
		renderWithRegistry( <App /> );
		expect( screen.getByRole( 'tab', { name: 'Flows' } ) ).toHaveAttribute(
			'aria-selected',
			'true'
		);
		expect(
			screen.getByRole( 'tab', { name: 'Sync Logs' } )
		).toBeInTheDocument();
		expect(
			screen.getByRole( 'tab', { name: 'Settings' } )
		).toBeInTheDocument();
		expect(
			await screen.findByRole( 'heading', { name: /Inventory/ } )
		).toBeInTheDocument();
		expect(
			screen.queryByText( 'The sync service cannot be reached.' )
		).not.toBeInTheDocument();
	} );

	it( 'says so at the top when the service is unreachable, and every tab still renders', async () => {
		const user = userEvent.setup();
		fakeApi( {
			'GET status': () => ( {
				service: null,
				reachable: false,
				message: 'Connection refused by 127.0.0.1:8787.',
			} ),
			'GET flows': () => {
				throw UNREACHABLE;
			},
			'GET logs': () => {
				throw UNREACHABLE;
			},
			'GET connection': () => ( {
				serviceUrl: 'http://127.0.0.1:8787',
				hasToken: true,
				urlFromConstant: false,
				tokenFromConstant: false,
			} ),
			'GET settings/mappings': () => {
				throw UNREACHABLE;
			},
			'GET settings/reference': () => {
				throw UNREACHABLE;
			},
		} );
		renderWithRegistry( <App /> );

		const notice = await screen.findByText(
			'The sync service cannot be reached.',
			{ selector: 'strong' }
		);
		expect( notice ).toBeInTheDocument();
		// The Flows tab shows the error with a way to try again, and no crash.
		expect(
			await screen.findByRole( 'button', { name: 'Try again' } )
		).toBeInTheDocument();

		await user.click( screen.getByRole( 'tab', { name: 'Sync Logs' } ) );
		expect(
			await screen.findByLabelText( 'Log Type' )
		).toBeInTheDocument();

		await user.click( screen.getByRole( 'tab', { name: 'Settings' } ) );
		expect(
			await screen.findByRole( 'heading', { name: 'Connections' } )
		).toBeInTheDocument();
		expect( await screen.findByLabelText( 'Service URL' ) ).toHaveValue(
			'http://127.0.0.1:8787'
		);
		const table = screen.getByRole( 'table' );
		expect(
			within( table ).getAllByText( 'Not connected' ).length
		).toBeGreaterThan( 0 );
		// Still on top of every tab.
		expect(
			screen.getByText( 'The sync service cannot be reached.', {
				selector: 'strong',
			} )
		).toBeInTheDocument();
	} );

	it( 'shows the top notice when a proxied request answers 503 bpwc_service_unreachable', async () => {
		fakeApi( {
			'GET status': () => ( {
				service: { status: 'ok' },
				reachable: true,
			} ),
			'GET flows': () => {
				throw UNREACHABLE;
			},
		} );
		const { container } = renderWithRegistry( <App /> );
		expect(
			await screen.findByText( 'The sync service cannot be reached.', {
				selector: 'strong',
			} )
		).toBeInTheDocument();
		const notice = container.querySelector(
			'.bpwc-service-notice'
		) as HTMLElement;
		expect(
			within( notice ).getByText(
				/did not answer \(connection refused\)/
			)
		).toBeInTheDocument();
		expect(
			within( notice ).getByRole( 'button', { name: 'Check again' } )
		).toBeInTheDocument();
	} );
} );
