/**
 * A status pill like WooCommerce's order statuses: text first (never colour alone), with an
 * optional screen-reader prefix such as "Sync status:".
 */
import { VisuallyHidden } from '@wordpress/components';

export type BadgeTone = 'success' | 'error' | 'warning' | 'info' | 'neutral';

interface Props {
	tone: BadgeTone;
	label: string;
	/** Read before the label by screen readers, e.g. "Sync status:". */
	context?: string;
}

const SYMBOL: Record< BadgeTone, string > = {
	success: '✓',
	error: '✕',
	warning: '!',
	info: '…',
	neutral: '•',
};

export default function StatusBadge( { tone, label, context }: Props ) {
	return (
		<span className={ `bpwc-badge is-${ tone }` }>
			<span className="bpwc-badge__symbol" aria-hidden="true">
				{ SYMBOL[ tone ] }
			</span>
			{ context && (
				<VisuallyHidden as="span">{ context } </VisuallyHidden>
			) }
			{ label }
		</span>
	);
}
