/**
 * The mappings between Brightpearl and WooCommerce, with every choice taken from
 * settings/reference (nothing is typed by hand except codes). Save is a PUT; a 400 names the bad
 * field, shown at the top of the form and under that control.
 */
import {
	Button,
	Card,
	CardBody,
	CardFooter,
	CardHeader,
	CheckboxControl,
	Notice,
	SelectControl,
	Spinner,
	TextControl,
} from '@wordpress/components';
import { useDispatch, useSelect } from '@wordpress/data';
import { useEffect, useMemo, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import type { ReactNode } from 'react';
import type { ApiError } from '../../api/errors';
import { store } from '../../store';
import type { IdName, Mappings, ReferenceData } from '../../store/types';

const EMPTY_REFERENCE: ReferenceData = {
	brightpearl: {
		warehouses: [],
		priceLists: [],
		channels: [],
		orderStatuses: [],
		shippingMethods: [],
		paymentMethods: [],
		taxCodes: [],
	},
	woocommerce: {
		orderStatuses: [],
		paymentGateways: [],
		shippingMethods: [],
	},
};

/** WooCommerce creates a refund of its own when an order becomes refunded: never a sync target. */
const isRefunded = ( slug: string ) =>
	slug === 'refunded' || slug === 'wc-refunded';

type Option = { value: string; label: string };

function missing( value: string ): Option {
	return {
		value,
		label: sprintf(
			/* translators: %s: id or code */
			__( '%s (not found)', 'brightpearl-sync' ),
			value
		),
	};
}

/** Options of a Brightpearl id list, with a "none" choice and the current value kept if unknown. */
function idOptions(
	list: IdName[],
	current: number | null | undefined,
	none: string
): Option[] {
	const options: Option[] = [
		{ value: '', label: none },
		...list.map( ( x ) => ( { value: String( x.id ), label: x.name } ) ),
	];
	if (
		current !== null &&
		current !== undefined &&
		! list.some( ( x ) => x.id === current )
	) {
		options.push( missing( String( current ) ) );
	}
	return options;
}

function codeOptions(
	list: Option[],
	current: string | undefined,
	none: string | null
): Option[] {
	const options =
		none === null ? [ ...list ] : [ { value: '', label: none }, ...list ];
	if ( current && ! list.some( ( o ) => o.value === current ) ) {
		options.push( missing( current ) );
	}
	return options;
}

const toId = ( value: string ): number | null =>
	value === '' ? null : Number( value );

function withError( help: ReactNode, error: string | undefined ): ReactNode {
	return error ? <span className="bpwc-text-error">{ error }</span> : help;
}

function Section( {
	title,
	description,
	children,
}: {
	title: string;
	description?: string;
	children: ReactNode;
} ) {
	return (
		<fieldset className="bpwc-fieldset">
			<legend className="bpwc-fieldset__legend">{ title }</legend>
			{ description && <p className="description">{ description }</p> }
			{ children }
		</fieldset>
	);
}

export default function MappingsEditor() {
	const { mappings, mappingsError, reference, referenceError } = useSelect(
		( select ) => ( {
			mappings: select( store ).getMappings(),
			mappingsError: select( store ).getMappingsError(),
			reference: select( store ).getReference(),
			referenceError: select( store ).getReferenceError(),
		} ),
		[]
	);
	const referenceLoading = useSelect(
		( select ) =>
			! select( store ).hasFinishedResolution( 'getReference', [] ),
		[]
	);
	const { saveMappings, fetchMappings, fetchReference } =
		useDispatch( store );

	const [ draft, setDraft ] = useState< Mappings | null >( mappings );
	const [ saving, setSaving ] = useState( false );
	const [ saveError, setSaveError ] = useState< ApiError | null >( null );
	useEffect( () => {
		setDraft( mappings );
	}, [ mappings ] );

	const ref = reference ?? EMPTY_REFERENCE;
	const bp = ref.brightpearl;
	const wc = ref.woocommerce;
	const dirty = useMemo(
		() => JSON.stringify( draft ) !== JSON.stringify( mappings ),
		[ draft, mappings ]
	);

	if ( ! draft ) {
		return (
			<Card className="bpwc-settings-card">
				<CardHeader>
					<h2 className="bpwc-card-title">
						{ __( 'Mappings', 'brightpearl-sync' ) }
					</h2>
				</CardHeader>
				<CardBody>
					{ mappingsError ? (
						<Notice status="error" isDismissible={ false }>
							<p>{ mappingsError.message }</p>
							<Button
								variant="secondary"
								onClick={ () => void fetchMappings() }
							>
								{ __( 'Try again', 'brightpearl-sync' ) }
							</Button>
						</Notice>
					) : (
						<p className="bpwc-loading">
							<Spinner />{ ' ' }
							{ __( 'Loading mappings…', 'brightpearl-sync' ) }
						</p>
					) }
				</CardBody>
			</Card>
		);
	}

	const fieldErrors = saveError?.fields ?? {};
	const set = ( patch: Partial< Mappings > ) => {
		setDraft( { ...draft, ...patch } );
	};
	const setMap = < K extends 'paymentMethodMap' | 'shippingMethodMap' >(
		key: K,
		id: string,
		value: Mappings[ K ][ string ] | null
	) => {
		const next = { ...draft[ key ] } as Record< string, unknown >;
		if ( value === null || value === '' ) {
			delete next[ id ];
		} else {
			next[ id ] = value;
		}
		set( { [ key ]: next } as Partial< Mappings > );
	};
	const setStatusMap = (
		side: 'toBrightpearl' | 'toWooCommerce',
		key: string,
		value: string
	) => {
		const next: Record< string, string | number > = {
			...draft.orderStatusMap[ side ],
		};
		if ( value === '' ) {
			delete next[ key ];
		} else {
			next[ key ] = side === 'toBrightpearl' ? Number( value ) : value;
		}
		set( { orderStatusMap: { ...draft.orderStatusMap, [ side ]: next } } );
	};

	const onSubmit = async ( event: { preventDefault: () => void } ) => {
		event.preventDefault();
		setSaving( true );
		setSaveError( null );
		const result = await saveMappings( draft );
		setSaving( false );
		if ( ! result.ok ) {
			setSaveError( result.error );
		}
	};

	const none = __( '— None —', 'brightpearl-sync' );
	const notMapped = __( '— Not mapped —', 'brightpearl-sync' );
	const wcStatusOptions: Option[] = wc.orderStatuses.map( ( s ) => ( {
		value: s.slug,
		label: s.name,
	} ) );
	const wcTargetOptions = wcStatusOptions.filter(
		( o ) => ! isRefunded( o.value )
	);
	const bpStatusOptions: Option[] = bp.orderStatuses.map( ( s ) => ( {
		value: String( s.id ),
		label: s.name,
	} ) );
	const taxOptions: Option[] = bp.taxCodes.map( ( t ) => ( {
		value: t.code,
		label:
			t.rate === null || t.rate === undefined
				? t.code
				: `${ t.code } (${ t.rate }%)`,
	} ) );
	const paymentOptions: Option[] = bp.paymentMethods.map( ( p ) => ( {
		value: p.code,
		label: `${ p.name } (${ p.code })`,
	} ) );
	// Statuses already in the map stay editable even when WooCommerce no longer lists them.
	const wcStatusesForMap = [
		...wc.orderStatuses.map( ( s ) => ( { slug: s.slug, name: s.name } ) ),
	];
	for ( const slug of Object.keys( draft.orderStatusMap.toBrightpearl ) ) {
		if ( ! wcStatusesForMap.some( ( s ) => s.slug === slug ) ) {
			wcStatusesForMap.push( { slug, name: slug } );
		}
	}
	const bpStatusesForMap = [ ...bp.orderStatuses ];
	for ( const id of Object.keys( draft.orderStatusMap.toWooCommerce ) ) {
		if ( ! bpStatusesForMap.some( ( s ) => String( s.id ) === id ) ) {
			bpStatusesForMap.push( { id: Number( id ), name: `#${ id }` } );
		}
	}

	return (
		<Card className="bpwc-settings-card">
			<CardHeader>
				<h2 className="bpwc-card-title">
					{ __( 'Mappings', 'brightpearl-sync' ) }
				</h2>
			</CardHeader>
			<form onSubmit={ onSubmit } className="bpwc-mappings" noValidate>
				<CardBody>
					{ referenceLoading && ! reference && (
						<p className="bpwc-loading">
							<Spinner />{ ' ' }
							{ __(
								'Loading choices from Brightpearl and WooCommerce…',
								'brightpearl-sync'
							) }
						</p>
					) }
					{ referenceError && ! reference && (
						<Notice
							status="warning"
							isDismissible={ false }
							className="bpwc-inline-notice"
							actions={ [
								{
									label: __(
										'Try again',
										'brightpearl-sync'
									),
									onClick: () => void fetchReference(),
								},
							] }
						>
							{ sprintf(
								/* translators: %s: error message */
								__(
									'The choices could not be loaded from Brightpearl and WooCommerce: %s Saved values are kept.',
									'brightpearl-sync'
								),
								referenceError.message
							) }
						</Notice>
					) }
					{ ref.errors?.brightpearl && (
						<Notice
							status="warning"
							isDismissible={ false }
							className="bpwc-inline-notice"
						>
							{ sprintf(
								/* translators: %s: error message */
								__(
									'Brightpearl choices are missing: %s',
									'brightpearl-sync'
								),
								ref.errors.brightpearl
							) }
						</Notice>
					) }
					{ ref.errors?.woocommerce && (
						<Notice
							status="warning"
							isDismissible={ false }
							className="bpwc-inline-notice"
						>
							{ sprintf(
								/* translators: %s: error message */
								__(
									'WooCommerce choices are missing: %s',
									'brightpearl-sync'
								),
								ref.errors.woocommerce
							) }
						</Notice>
					) }
					{ saveError && (
						<Notice
							status="error"
							isDismissible={ false }
							className="bpwc-inline-notice bpwc-save-error"
						>
							<strong>
								{ __(
									'The mappings were not saved:',
									'brightpearl-sync'
								) }
							</strong>{ ' ' }
							{ saveError.message }
						</Notice>
					) }

					<Section
						title={ __( 'Inventory', 'brightpearl-sync' ) }
						description={ __(
							'Warehouses whose available stock is offered in WooCommerce. None ticked means all warehouses.',
							'brightpearl-sync'
						) }
					>
						<div
							className="bpwc-checkboxes"
							role="group"
							aria-label={ __(
								'Inventory warehouses',
								'brightpearl-sync'
							) }
						>
							{ bp.warehouses.map( ( w ) => (
								<CheckboxControl
									key={ w.id }
									label={ w.name }
									checked={ draft.inventoryWarehouseIds.includes(
										w.id
									) }
									onChange={ ( checked ) =>
										set( {
											inventoryWarehouseIds: checked
												? [
														...draft.inventoryWarehouseIds,
														w.id,
													]
												: draft.inventoryWarehouseIds.filter(
														( id ) => id !== w.id
													),
										} )
									}
								/>
							) ) }
							{ bp.warehouses.length === 0 && (
								<p className="description">
									{ __(
										'No warehouses to choose from.',
										'brightpearl-sync'
									) }
								</p>
							) }
						</div>
						{ fieldErrors.inventoryWarehouseIds && (
							<p className="bpwc-text-error">
								{ fieldErrors.inventoryWarehouseIds }
							</p>
						) }
					</Section>

					<Section title={ __( 'Products', 'brightpearl-sync' ) }>
						<div className="bpwc-grid-2">
							<SelectControl
								label={ __( 'Price list', 'brightpearl-sync' ) }
								value={
									draft.priceListId === null
										? ''
										: String( draft.priceListId )
								}
								options={ idOptions(
									bp.priceLists,
									draft.priceListId,
									none
								) }
								onChange={ ( value ) =>
									set( { priceListId: toId( value ) } )
								}
								help={ withError(
									__(
										'Its price becomes the WooCommerce regular price.',
										'brightpearl-sync'
									),
									fieldErrors.priceListId
								) }
							/>
						</div>
					</Section>

					<Section title={ __( 'Orders', 'brightpearl-sync' ) }>
						<div className="bpwc-grid-2">
							<SelectControl
								label={ __(
									'Sales channel',
									'brightpearl-sync'
								) }
								value={
									draft.channelId === null
										? ''
										: String( draft.channelId )
								}
								options={ idOptions(
									bp.channels,
									draft.channelId,
									none
								) }
								onChange={ ( value ) =>
									set( { channelId: toId( value ) } )
								}
								help={ withError(
									__(
										'Channel of the sales orders created in Brightpearl.',
										'brightpearl-sync'
									),
									fieldErrors.channelId
								) }
							/>
							<SelectControl
								label={ __(
									'Order warehouse',
									'brightpearl-sync'
								) }
								value={
									draft.orderWarehouseId === null
										? ''
										: String( draft.orderWarehouseId )
								}
								options={ idOptions(
									bp.warehouses,
									draft.orderWarehouseId,
									none
								) }
								onChange={ ( value ) =>
									set( { orderWarehouseId: toId( value ) } )
								}
								help={ withError(
									__(
										'Warehouse that fulfils the orders.',
										'brightpearl-sync'
									),
									fieldErrors.orderWarehouseId
								) }
							/>
							<SelectControl
								label={ __(
									'Default tax code',
									'brightpearl-sync'
								) }
								value={ draft.defaultTaxCode }
								options={ codeOptions(
									taxOptions,
									draft.defaultTaxCode,
									taxOptions.length ? null : none
								) }
								onChange={ ( value ) =>
									set( { defaultTaxCode: value } )
								}
								help={ withError(
									__(
										'Used for taxed rows when no better match exists.',
										'brightpearl-sync'
									),
									fieldErrors.defaultTaxCode
								) }
							/>
						</div>
						<div className="bpwc-grid-2">
							<TextControl
								label={ __(
									'Nominal code for sales',
									'brightpearl-sync'
								) }
								value={ draft.nominalCodes.sales }
								onChange={ ( value ) =>
									set( {
										nominalCodes: {
											...draft.nominalCodes,
											sales: value,
										},
									} )
								}
								help={ withError(
									__( 'e.g. 4000', 'brightpearl-sync' ),
									fieldErrors[ 'nominalCodes.sales' ]
								) }
								inputMode="numeric"
							/>
							<TextControl
								label={ __(
									'Nominal code for shipping',
									'brightpearl-sync'
								) }
								value={ draft.nominalCodes.shipping }
								onChange={ ( value ) =>
									set( {
										nominalCodes: {
											...draft.nominalCodes,
											shipping: value,
										},
									} )
								}
								help={ withError(
									__( 'e.g. 4040', 'brightpearl-sync' ),
									fieldErrors[ 'nominalCodes.shipping' ]
								) }
								inputMode="numeric"
							/>
						</div>
						<div
							className="bpwc-checkboxes"
							role="group"
							aria-label={ __(
								'Order statuses sent to Brightpearl',
								'brightpearl-sync'
							) }
						>
							<p className="bpwc-group-label">
								{ __(
									'Send orders to Brightpearl when they are:',
									'brightpearl-sync'
								) }
							</p>
							{ wcStatusOptions.map( ( s ) => (
								<CheckboxControl
									key={ s.value }
									label={ s.label }
									checked={ draft.exportOrderStatuses.includes(
										s.value
									) }
									onChange={ ( checked ) =>
										set( {
											exportOrderStatuses: checked
												? [
														...draft.exportOrderStatuses,
														s.value,
													]
												: draft.exportOrderStatuses.filter(
														( slug ) =>
															slug !== s.value
													),
										} )
									}
								/>
							) ) }
							{ fieldErrors.exportOrderStatuses && (
								<p className="bpwc-text-error">
									{ fieldErrors.exportOrderStatuses }
								</p>
							) }
						</div>
					</Section>

					<Section
						title={ __( 'Order statuses', 'brightpearl-sync' ) }
						description={ __(
							'How statuses move between the systems. Unmapped statuses are left alone.',
							'brightpearl-sync'
						) }
					>
						<div className="bpwc-grid-2 bpwc-maps">
							<div>
								<h3 className="bpwc-map-title">
									{ __(
										'WooCommerce → Brightpearl',
										'brightpearl-sync'
									) }
								</h3>
								{ wcStatusesForMap.map( ( s ) => {
									const current =
										draft.orderStatusMap.toBrightpearl[
											s.slug
										];
									return (
										<SelectControl
											key={ s.slug }
											label={ s.name }
											value={
												current === undefined
													? ''
													: String( current )
											}
											options={ codeOptions(
												bpStatusOptions,
												current === undefined
													? undefined
													: String( current ),
												notMapped
											) }
											onChange={ ( value ) =>
												setStatusMap(
													'toBrightpearl',
													s.slug,
													value
												)
											}
											help={ withError(
												undefined,
												fieldErrors[
													`orderStatusMap.toBrightpearl.${ s.slug }`
												]
											) }
										/>
									);
								} ) }
							</div>
							<div>
								<h3 className="bpwc-map-title">
									{ __(
										'Brightpearl → WooCommerce',
										'brightpearl-sync'
									) }
								</h3>
								{ bpStatusesForMap.map( ( s ) => {
									const key = String( s.id );
									const current =
										draft.orderStatusMap.toWooCommerce[
											key
										];
									return (
										<SelectControl
											key={ key }
											label={ s.name }
											value={ current ?? '' }
											options={ codeOptions(
												wcTargetOptions,
												current,
												notMapped
											) }
											onChange={ ( value ) =>
												setStatusMap(
													'toWooCommerce',
													key,
													value
												)
											}
											help={ withError(
												undefined,
												fieldErrors[
													`orderStatusMap.toWooCommerce.${ key }`
												]
											) }
										/>
									);
								} ) }
								<p className="description">
									{ __(
										'"Refunded" is not offered: WooCommerce would create a refund of its own. Refunds sync as refunds.',
										'brightpearl-sync'
									) }
								</p>
							</div>
						</div>
					</Section>

					<Section
						title={ __( 'Payment methods', 'brightpearl-sync' ) }
						description={ __(
							'Brightpearl payment method for each WooCommerce payment gateway.',
							'brightpearl-sync'
						) }
					>
						<div className="bpwc-grid-2">
							{ wc.paymentGateways.map( ( g ) => (
								<SelectControl
									key={ g.id }
									label={ g.title }
									value={
										draft.paymentMethodMap[ g.id ] ?? ''
									}
									options={ codeOptions(
										paymentOptions,
										draft.paymentMethodMap[ g.id ],
										notMapped
									) }
									onChange={ ( value ) =>
										setMap(
											'paymentMethodMap',
											g.id,
											value || null
										)
									}
									help={ withError(
										undefined,
										fieldErrors[
											`paymentMethodMap.${ g.id }`
										]
									) }
								/>
							) ) }
							{ wc.paymentGateways.length === 0 && (
								<p className="description">
									{ __(
										'No WooCommerce payment gateways to map.',
										'brightpearl-sync'
									) }
								</p>
							) }
						</div>
					</Section>

					<Section
						title={ __( 'Shipping methods', 'brightpearl-sync' ) }
						description={ __(
							'Brightpearl shipping method for each WooCommerce shipping method.',
							'brightpearl-sync'
						) }
					>
						<div className="bpwc-grid-2">
							{ wc.shippingMethods.map( ( m ) => {
								const current = draft.shippingMethodMap[ m.id ];
								return (
									<SelectControl
										key={ m.id }
										label={ m.title }
										value={
											current === undefined
												? ''
												: String( current )
										}
										options={ idOptions(
											bp.shippingMethods,
											current,
											notMapped
										) }
										onChange={ ( value ) =>
											setMap(
												'shippingMethodMap',
												m.id,
												toId( value )
											)
										}
										help={ withError(
											undefined,
											fieldErrors[
												`shippingMethodMap.${ m.id }`
											]
										) }
									/>
								);
							} ) }
							{ wc.shippingMethods.length === 0 && (
								<p className="description">
									{ __(
										'No WooCommerce shipping methods to map.',
										'brightpearl-sync'
									) }
								</p>
							) }
						</div>
					</Section>
				</CardBody>
				<CardFooter className="bpwc-form-footer">
					<Button
						variant="primary"
						type="submit"
						isBusy={ saving }
						disabled={ saving || ! dirty }
						accessibleWhenDisabled
					>
						{ __( 'Save mappings', 'brightpearl-sync' ) }
					</Button>
					<Button
						variant="tertiary"
						disabled={ saving || ! dirty }
						accessibleWhenDisabled
						onClick={ () => {
							setDraft( mappings );
							setSaveError( null );
						} }
					>
						{ __( 'Discard changes', 'brightpearl-sync' ) }
					</Button>
				</CardFooter>
			</form>
		</Card>
	);
}
