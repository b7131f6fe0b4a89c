/**
 * Where the sync service is and its API token. The token is write-only: never prefilled, only
 * replaced. Values defined by constants in wp-config.php are shown disabled with a note.
 */
import {
	Button,
	Card,
	CardBody,
	CardHeader,
	Notice,
	Spinner,
	TextControl,
} from '@wordpress/components';
import { useDispatch, useSelect } from '@wordpress/data';
import { useEffect, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import type { ApiError } from '../../api/errors';
import { store } from '../../store';

export default function ServiceConnectionForm() {
	const { connection, error } = useSelect(
		( select ) => ( {
			connection: select( store ).getConnection(),
			error: select( store ).getConnectionError(),
		} ),
		[]
	);
	const { saveConnection } = useDispatch( store );
	const [ serviceUrl, setServiceUrl ] = useState( '' );
	const [ token, setToken ] = useState( '' );
	const [ saving, setSaving ] = useState( false );
	const [ saveError, setSaveError ] = useState< ApiError | null >( null );

	useEffect( () => {
		if ( connection ) {
			setServiceUrl( connection.serviceUrl ?? '' );
		}
	}, [ connection ] );

	if ( ! connection ) {
		return (
			<Card className="bpwc-settings-card">
				<CardHeader>
					<h2 className="bpwc-card-title">
						{ __( 'Sync service', 'brightpearl-sync' ) }
					</h2>
				</CardHeader>
				<CardBody>
					{ error ? (
						<Notice status="error" isDismissible={ false }>
							{ error.message }
						</Notice>
					) : (
						<p className="bpwc-loading">
							<Spinner /> { __( 'Loading…', 'brightpearl-sync' ) }
						</p>
					) }
				</CardBody>
			</Card>
		);
	}

	const readOnly = !! connection.readOnly;
	const urlLocked = readOnly || connection.urlFromConstant;
	const tokenLocked = readOnly || connection.tokenFromConstant;
	const changed =
		( ! urlLocked &&
			serviceUrl.trim() !== ( connection.serviceUrl ?? '' ) ) ||
		( ! tokenLocked && token !== '' );

	const onSubmit = async ( event: { preventDefault: () => void } ) => {
		event.preventDefault();
		setSaving( true );
		setSaveError( null );
		const update: { serviceUrl?: string; token?: string } = {};
		if ( ! urlLocked ) {
			update.serviceUrl = serviceUrl.trim();
		}
		if ( ! tokenLocked && token !== '' ) {
			update.token = token;
		}
		const result = await saveConnection( update );
		setSaving( false );
		if ( result.ok ) {
			setToken( '' );
		} else {
			setSaveError( result.error );
		}
	};

	return (
		<Card className="bpwc-settings-card">
			<CardHeader>
				<h2 className="bpwc-card-title">
					{ __( 'Sync service', 'brightpearl-sync' ) }
				</h2>
			</CardHeader>
			<CardBody>
				{ readOnly && (
					<Notice
						status="info"
						isDismissible={ false }
						className="bpwc-inline-notice"
					>
						{ connection.message ??
							__(
								'Preview mode: the connection cannot be changed here.',
								'brightpearl-sync'
							) }
					</Notice>
				) }
				<form className="bpwc-form" onSubmit={ onSubmit }>
					<TextControl
						type="url"
						label={ __( 'Service URL', 'brightpearl-sync' ) }
						value={ serviceUrl }
						onChange={ setServiceUrl }
						disabled={ urlLocked }
						placeholder="http://127.0.0.1:8787"
						help={
							connection.urlFromConstant
								? __(
										'Set by a constant in wp-config.php. Change it there.',
										'brightpearl-sync'
									)
								: __(
										'Address of the sync service as WordPress reaches it, e.g. http://127.0.0.1:8787.',
										'brightpearl-sync'
									)
						}
					/>
					<TextControl
						type="password"
						label={ __( 'API token', 'brightpearl-sync' ) }
						value={ token }
						onChange={ setToken }
						disabled={ tokenLocked }
						autoComplete="new-password"
						placeholder={
							connection.hasToken
								? tokenLocked
									? '••••••••••••'
									: __(
											'Saved — type a new token to replace it',
											'brightpearl-sync'
										)
								: ''
						}
						help={
							connection.tokenFromConstant
								? __(
										'Set by a constant in wp-config.php. Change it there.',
										'brightpearl-sync'
									)
								: __(
										'The BPWC_TOKEN of the sync service (24 characters or more). It is stored on the server and never shown again.',
										'brightpearl-sync'
									)
						}
					/>
					{ saveError && (
						<Notice
							status="error"
							isDismissible={ false }
							className="bpwc-inline-notice"
						>
							{ saveError.message }
						</Notice>
					) }
					<Button
						variant="primary"
						type="submit"
						isBusy={ saving }
						disabled={
							saving || ! changed || ( urlLocked && tokenLocked )
						}
						accessibleWhenDisabled
					>
						{ __( 'Save connection', 'brightpearl-sync' ) }
					</Button>
				</form>
			</CardBody>
		</Card>
	);
}
